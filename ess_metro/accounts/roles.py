"""Roles derive from real relations, never from flags.

- staff: membership of the staff group (``STAFF_GROUP``), or superuser;
- committee member: an active mandate in one of the committee's colleges (governance app);
- applicant: membership of at least one organisation (directory app).

The apps that own those relations are reached through the app registry, so the kernel
never imports them (dependencies point one way: kernel ← apps).
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.utils import timezone

STAFF = "staff"
COMMITTEE = "committee"
APPLICANT = "applicant"
STAFF_GROUP = "Chargés de mission ESS"


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def roles_of(user) -> frozenset[str]:
    """The roles of ``user``, read in one query (three ``EXISTS`` on the user's row)."""
    if not user.is_authenticated:
        return frozenset()
    checks = {}
    if not user.is_superuser:
        groups = apps.get_model("auth", "Group").objects
        checks[STAFF] = Exists(groups.filter(name=STAFF_GROUP, user=OuterRef("pk")))
    mandate = _model("governance.Mandate")
    if mandate is not None:
        active = mandate.objects.active(timezone.localdate())
        checks[COMMITTEE] = Exists(active.filter(person=OuterRef("pk")))
    membership = _model("directory.Membership")
    if membership is not None:
        checks[APPLICANT] = Exists(membership.objects.filter(user=OuterRef("pk")))
    found = {STAFF} if user.is_superuser else set()
    if checks:
        row = get_user_model()._base_manager.filter(pk=user.pk).values(**checks).first() or {}
        found |= {role for role, held in row.items() if held}
    return frozenset(found)


def has_role(user, role: str) -> bool:
    return user.is_authenticated and role in user.roles


def require_role(user, role: str) -> None:
    """Raise PermissionDenied (403) unless the authenticated user holds the role."""
    if not has_role(user, role):
        raise PermissionDenied
