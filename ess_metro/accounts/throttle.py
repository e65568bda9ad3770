"""Throttles of the doors an attacker knocks at first.

- Logins: django-axes (settings ``AXES_*``) locks an account, and separately an address,
  after too many wrong passwords. The second factor is throttled by django-otp itself (each
  wrong code doubles the wait of the device).
- E-mails sent on demand (password reset, sign-up): ``email_rate_limited`` counts them per
  address and per client address in the cache (django-ratelimit), so nobody can flood a
  person's mailbox. The page answers the same either way: the limit reveals nothing.
"""

from django.conf import settings
from django_ratelimit.core import is_ratelimited


def client_ip(request) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or behind ``TRUSTED_PROXY_COUNT`` proxies the
    address the outermost trusted proxy saw (never a value the client itself can choose)."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def login_username(request, credentials) -> str:
    """The account a login names, as the portal stores it (an e-mail in lower case): the
    per-account lock cannot be dodged by changing the case."""
    credentials = credentials or {}
    value = credentials.get("username") or credentials.get("email")
    if value is None and request is not None:
        value = getattr(request, "POST", {}).get("username")
    return (value or "").strip().lower()


def _ip_key(group, request) -> str:
    return client_ip(request) or "unknown"


def email_rate_limited(request, *, group: str, email: str) -> bool:
    """Count one e-mail of kind ``group`` to ``email``; True when the address or the client
    has already had its share this hour (the e-mail must then not leave)."""
    address = (email or "").strip().lower()
    by_address = is_ratelimited(
        request,
        group=f"{group}:address",
        key=lambda _group, _request: address,
        rate=settings.EMAIL_RATE_PER_ADDRESS,
        increment=True,
    )
    by_client = is_ratelimited(
        request,
        group=f"{group}:ip",
        key=_ip_key,
        rate=settings.EMAIL_RATE_PER_IP,
        increment=True,
    )
    return by_address or by_client
