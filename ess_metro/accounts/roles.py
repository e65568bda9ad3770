"""Roles derive from real relations, never from flags.

- staff: membership of the staff group (``STAFF_GROUP``), or superuser;
- committee member: an active mandate in one of the committee's colleges (governance app);
- applicant: membership of at least one organisation (directory app).

The apps that own those relations are reached through the app registry, so the kernel
never imports them (dependencies point one way: kernel ← apps).
"""

import functools

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection
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


@functools.cache
def _roles_sql() -> tuple[str, list[str]]:
    """One statement answering the three role questions for a user, and the roles it asks.

    Written once from the models' metadata rather than built by the ORM at each request: this
    runs on every signed-in request (the second-factor middleware needs it), and the ORM took
    3 ms of CPU to build the three ``EXISTS`` where the statement itself costs 0.1 ms. The
    mandate condition is ``MandateQuerySet.active``'s, day included (tests/test_roles.py checks
    both agree)."""
    # Identifiers come from the models' metadata, quoted; values are parameters.
    q = connection.ops.quote_name
    groups = get_user_model()._meta.get_field("groups")
    group_key, group_column = q(Group._meta.pk.column), q(groups.m2m_reverse_name())
    checks = {
        STAFF: f"SELECT 1 FROM {q(groups.m2m_db_table())} ug"  # noqa: S608
        f" INNER JOIN {q(Group._meta.db_table)} g ON g.{group_key} = ug.{group_column}"
        f" WHERE ug.{q(groups.m2m_column_name())} = %(user)s AND g.name = %(group)s"
    }
    mandate = _model("governance.Mandate")
    if mandate is not None:
        start, end = _column(mandate, "start_date"), _column(mandate, "end_date")
        checks[COMMITTEE] = (
            f"SELECT 1 FROM {q(mandate._meta.db_table)}"  # noqa: S608
            f" WHERE {_column(mandate, 'person')} = %(user)s AND {start} <= %(today)s"
            f" AND ({end} IS NULL OR {end} >= %(today)s)"
        )
    membership = _model("directory.Membership")
    if membership is not None:
        checks[APPLICANT] = (
            f"SELECT 1 FROM {q(membership._meta.db_table)}"  # noqa: S608
            f" WHERE {_column(membership, 'user')} = %(user)s"
        )
    sql = "SELECT " + ", ".join(f"EXISTS({check})" for check in checks.values())
    return sql, list(checks)


def _column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def roles_of(user) -> frozenset[str]:
    """The roles of ``user``, read in one query (three ``EXISTS``)."""
    if not user.is_authenticated:
        return frozenset()
    sql, asked = _roles_sql()
    params = {
        "user": user.pk,
        "group": STAFF_GROUP,
        "today": connection.ops.adapt_datefield_value(timezone.localdate()),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    found = {role for role, held in zip(asked, row, strict=True) if held}
    if user.is_superuser:
        found.add(STAFF)
    return frozenset(found)


def has_role(user, role: str) -> bool:
    return user.is_authenticated and role in user.roles


def require_role(user, role: str) -> None:
    """Raise PermissionDenied (403) unless the authenticated user holds the role."""
    if not has_role(user, role):
        raise PermissionDenied
