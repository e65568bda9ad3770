"""The sessions a person opened by logging in, and ending them.

A ``UserSession`` row is written on every login and stamped on logout. Ending a session
deletes it from the configured session store (``SESSION_ENGINE``: database, cache or
cached database alike), so the person is logged out at their next request.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from .models import User, UserSession
from .throttle import client_ip


def _store(session_key: str):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


@receiver(user_logged_in, dispatch_uid="ess_metro.accounts.sessions.record_login")
def record_login(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return
    UserSession.objects.create(
        user=user,
        session_key=session.session_key,
        ip_address=client_ip(request) or None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
    )


@receiver(user_logged_out, dispatch_uid="ess_metro.accounts.sessions.record_logout")
def record_logout(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if user is None or session is None or not session.session_key:
        return
    UserSession.objects.filter(user=user, session_key=session.session_key, ended_at=None).update(
        ended_at=timezone.now(), ended_by=user
    )


@transaction.atomic
def end_session(*, user_session: UserSession, by: User | None = None) -> None:
    """Log the person out of this session, wherever sessions are stored."""
    _store(user_session.session_key).delete(user_session.session_key)
    user_session.ended_at = timezone.now()
    user_session.ended_by = by
    user_session.save(update_fields=["ended_at", "ended_by"])


def end_sessions(*, user: User, by: User | None = None, keep: str | None = None) -> int:
    """End every open session of ``user`` but ``keep`` (the current one); how many."""
    rows = UserSession.objects.filter(user=user, ended_at=None).exclude(session_key=keep or "")
    count = 0
    for row in rows:
        end_session(user_session=row, by=by)
        count += 1
    return count
