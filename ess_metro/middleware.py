import datetime

from django.conf import settings
from django.utils import timezone

ARRIVED_AT_SCOPE_KEY = "ess_metro.arrived_at"


class ArrivalStampMiddleware:
    """Stamps ``request.arrived_at``: when the request reached the portal, before any lock or
    queue of the application. It is first in ``MIDDLEWARE`` so that a deadline is judged by the
    time a request arrived, not by the time a busy server got round to it. Under ASGI the stamp
    is the one ``ess_metro.asgi`` put in the scope as the request came in, before Django queued
    it for a thread; it never comes from a header a client could forge."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        stamp = getattr(request, "scope", {}).get(ARRIVED_AT_SCOPE_KEY)
        request.arrived_at = (
            datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC) if stamp else timezone.now()
        )
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Adds a strict Content-Security-Policy: every script and style is served by the portal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY and not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class FrenchFirstLocaleMiddleware:
    """French unless the visitor chose another language (cookie set by the language switcher).

    The browser's Accept-Language header is deliberately ignored: the portal of a French public
    body speaks French first, whatever the visitor's browser settings.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary = response.headers.get("Vary", "")
        if "Cookie" not in patch_vary:
            response.headers["Vary"] = f"{patch_vary}, Cookie" if patch_vary else "Cookie"
        return response
