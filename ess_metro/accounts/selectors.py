"""The staff's security page: logins (successes, failures, lockouts), locks in force, changes
of bank details, and the sessions open per account."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db.models import Exists, Max, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ess_metro.views import optional_queryset

from . import roles
from .models import User, UserSession

TRAIL_SIZE = 50


@dataclass(frozen=True)
class LoginEvent:
    at: datetime
    kind: str  # "success", "failure" or "lockout"
    label: str
    username: str
    ip_address: str
    user_agent: str


@dataclass(frozen=True)
class Lock:
    value: str  # the account (an e-mail) or the address
    failures: int
    last_attempt: datetime


@dataclass(frozen=True)
class SecurityPage:
    locked_accounts: list[Lock]
    locked_addresses: list[Lock]
    logins: list[LoginEvent]
    bank_changes: list
    sessions: list[UserSession]
    second_factors: list[User]

    def as_context(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def _locks(field: str) -> list[Lock]:
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=since, **{f"{field}__isnull": False})
        .values(field)
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    return [
        Lock(value=row[field], failures=row["failures"], last_attempt=row["last"]) for row in rows
    ]


def login_trail(*, size: int = TRAIL_SIZE) -> list[LoginEvent]:
    """The latest successes and failures (a failure that locked is a lockout), newest first."""
    events = [
        LoginEvent(
            row.attempt_time,
            "success",
            _("Success"),
            row.username or "",
            row.ip_address or "",
            row.user_agent,
        )
        for row in AccessLog.objects.order_by("-attempt_time")[:size]
    ]
    events += [
        LoginEvent(
            row.attempt_time,
            "lockout" if row.locked_out else "failure",
            _("Lockout") if row.locked_out else _("Failure"),
            row.username or "",
            row.ip_address or "",
            row.user_agent,
        )
        for row in AccessFailureLog.objects.order_by("-attempt_time")[:size]
    ]
    return sorted(events, key=lambda event: event.at, reverse=True)[:size]


def _bank_changes() -> list:
    """Who changed bank details and when (the projects app's record, read by name)."""
    changes = optional_queryset("projects.BankDetailsChange", "all")
    if changes is None:
        return []
    return list(changes.select_related("convention", "changed_by", "confirmed_by")[:TRAIL_SIZE])


def _alive(keys: list[str]) -> set[str]:
    """The session keys still in the session store, in one query whatever their number."""
    engine = settings.SESSION_ENGINE
    if engine.endswith((".db", ".cached_db")):
        found = Session.objects.filter(session_key__in=keys, expire_date__gt=timezone.now())
        return set(found.values_list("session_key", flat=True))
    if engine.endswith(".cache"):
        prefix = import_module(engine).SessionStore.cache_key_prefix
        found = caches[settings.SESSION_CACHE_ALIAS].get_many([prefix + key for key in keys])
        return {key[len(prefix) :] for key in found}
    store = import_module(engine).SessionStore
    return {key for key in keys if store().exists(key)}


def open_sessions() -> list[UserSession]:
    """Sessions opened by logging in, not ended, still in the store; by account."""
    since = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    rows = list(
        UserSession.objects.filter(ended_at=None, created_at__gte=since)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id", "-created_at")
    )
    alive = _alive([row.session_key for row in rows]) if rows else set()
    return [row for row in rows if row.session_key in alive]


def staff_second_factors() -> list[User]:
    """Staff and admin users, each with ``has_device``: whether an authenticator is set up."""
    devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return list(
        User.objects.filter(
            Q(groups__name=roles.STAFF_GROUP) | Q(is_staff=True) | Q(is_superuser=True),
            is_active=True,
        )
        .annotate(has_device=Exists(devices))
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def security_page() -> SecurityPage:
    return SecurityPage(
        locked_accounts=_locks("username"),
        locked_addresses=_locks("ip_address"),
        logins=login_trail(),
        bank_changes=_bank_changes(),
        sessions=open_sessions(),
        second_factors=staff_second_factors(),
    )
