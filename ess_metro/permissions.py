"""One permission mechanism: named predicates (the ``rules`` library), used alike by views,
templates and services.

The kernel gives the role predicates; each app's ``permissions.py`` builds its own on top of
them (``can_see_iban``, ``can_review_report``, ``can_convene``…) and registers each one under
``"<app>.<name>"`` with ``rules.add_perm``, so that:

- a view declares ``permission_required = "projects.review_report"`` (``PermissionMixin``
  below, or ``rules.contrib.views.PermissionRequiredMixin``);
- a template asks ``{% has_perm "projects.see_iban" user convention as can_see_iban %}``;
- a service calls ``require(user, "projects.review_report", report)``;
- a workflow transition takes ``permission=as_transition_permission(can_review_report)``.

Reads stay filtered by ``Model.objects.visible_to(user)``: a predicate decides what a person
may *do* with an object they can already see.
"""

import rules
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from ess_metro.accounts import roles


@rules.predicate
def is_staff(user) -> bool:
    return roles.has_role(user, roles.STAFF)


@rules.predicate
def is_committee_member(user) -> bool:
    return roles.has_role(user, roles.COMMITTEE)


@rules.predicate
def is_applicant(user) -> bool:
    return roles.has_role(user, roles.APPLICANT)


is_committee_or_staff = is_committee_member | is_staff


def as_transition_permission(predicate):
    """A ``rules`` predicate ``(user, obj)`` as a django-fsm permission ``(obj, user)``."""

    def permission(instance, user) -> bool:
        return bool(predicate.test(user, instance))

    permission.predicate = predicate
    return permission


def require(user, permission: str, obj=None) -> None:
    """Raise PermissionDenied (403) unless ``user`` holds ``permission`` on ``obj``."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied


def staff_recipients() -> list[str]:
    """Who hears of what staff must act on: the team's shared mailbox when one is configured,
    otherwise every active member of the staff (the staff group and superusers) with an
    e-mail address."""
    if settings.STAFF_NOTIFICATION_EMAIL:
        return [settings.STAFF_NOTIFICATION_EMAIL]
    return list(
        get_user_model()
        .objects.filter(Q(groups__name=roles.STAFF_GROUP) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


class PermissionMixin:
    """View mixin: anonymous people go to the login page, others without the permission get
    a 403. ``permission_object()`` names the object the permission is checked on (None for a
    page-wide permission)."""

    permission_required = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require(request.user, self.permission_required, self.permission_object())
        return super().dispatch(request, *args, **kwargs)

    def permission_object(self):
        return None
