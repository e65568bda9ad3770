"""Roles derive from real relations, never from flags.

- staff: membership of the staff group (``STAFF_GROUP``), or superuser;
- committee member: an active mandate in one of the committee's colleges (governance app);
- applicant: membership of at least one organisation (directory app).

The apps that own those relations are reached through the app registry, so the kernel
never imports them (dependencies point one way: kernel ← apps).
"""

from django.apps import apps
from django.core.exceptions import PermissionDenied
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
    if not user.is_authenticated:
        return frozenset()
    found = set()
    if user.is_superuser or user.groups.filter(name=STAFF_GROUP).exists():
        found.add(STAFF)
    mandate = _model("governance.Mandate")
    if (
        mandate is not None
        and mandate.objects.active(timezone.localdate()).filter(person=user).exists()
    ):
        found.add(COMMITTEE)
    membership = _model("directory.Membership")
    if membership is not None and membership.objects.filter(user=user).exists():
        found.add(APPLICANT)
    return frozenset(found)


def has_role(user, role: str) -> bool:
    return user.is_authenticated and role in user.roles


def require_role(user, role: str) -> None:
    """Raise PermissionDenied (403) unless the authenticated user holds the role."""
    if not has_role(user, role):
        raise PermissionDenied
