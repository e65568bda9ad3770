import datetime
import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.utils import timezone

# The WSGI environ key where the portal's gunicorn worker (``ess_metro.server``) puts the
# moment a request reached it, as a POSIX timestamp.
ARRIVED_AT_ENVIRON_KEY = "ess_metro.arrived_at"


class ArrivalStampMiddleware:
    """Stamps ``request.arrived_at``: when the request reached the portal, before any lock or
    queue of the application, so that a deadline is judged by the time a request arrived, not
    by the time a busy server got round to it. The stamp is the one the portal's gunicorn
    worker took as the request came in, before it waited for a thread (``ess_metro.server``);
    elsewhere (tests, the development server) it is taken here, first of the middleware. It
    never comes from a header a client could forge."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        stamp = request.META.get(ARRIVED_AT_ENVIRON_KEY)
        request.arrived_at = (
            datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC) if stamp else timezone.now()
        )
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Adds a strict Content-Security-Policy to every page, the Django admin's included (its
    scripts and styles are files served by the portal: no inline code since Django 4.2)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class ServerHeaderMiddleware:
    """The ``Server`` header names the portal, not the Python version that serves it (the
    development server and ``wsgiref`` say ``WSGIServer/0.2 CPython/3.11.x``). Gunicorn writes
    its own header (``gunicorn``, no version), so the portal adds none behind it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.META.get("SERVER_SOFTWARE", "").startswith("gunicorn"):
            response.headers["Server"] = settings.SERVER_HEADER
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


class HostileInputMiddleware:
    """Crafted input is refused before it reaches a view or the database.

    - A NUL character in the address or its query string (PostgreSQL cannot store or compare
      it) gives a 400 page in French. Forms refuse NUL characters field by field (Django's
      ``ProhibitNullCharactersValidator``), so a bad field never loses the good ones.
    - A number in the path larger than any primary key (``/dossiers/99999999999999999999/``)
      is a 404, as any unknown object is, instead of an integer overflow in the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return bad_request(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.http import Http404

        from ess_metro.params import MAX_ID

        numbers = [value for value in [*view_args, *view_kwargs.values()] if type(value) is int]
        if any(abs(number) > MAX_ID for number in numbers):
            raise Http404
        return None


def bad_request(request):
    """The portal's 400 page (a request it cannot read), in the visitor's language."""
    from django.shortcuts import render

    return render(request, "400.html", status=400)


_request_id: ContextVar[str] = ContextVar("request_id", default="-")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
request_logger = logging.getLogger("ess_metro.requests")


class RequestIdLogFilter(logging.Filter):
    """Tags every log record with the id of the request being served ("-" outside one)."""

    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class RequestLogMiddleware:
    """One log line per request, with a request id: the load balancer's ``X-Request-ID`` when
    it sends a sane one, else a new one; echoed in the response for support and tracing. The
    line gives the time the view took and the time the request waited for a thread since it
    arrived (``wait=``: the queue of a rush)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        arrived_at = getattr(request, "arrived_at", None)
        waited = time.time() - arrived_at.timestamp() if arrived_at else 0.0
        started = time.monotonic()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request_id
            return response
        finally:
            user = getattr(request, "user", None)
            request_logger.info(
                "%s %s %s %.0fms wait=%.0fms user=%s",
                request.method,
                request.path[:300],
                status,
                (time.monotonic() - started) * 1000,
                max(0.0, waited) * 1000,
                user.pk if user is not None and user.is_authenticated else "-",
            )
            _request_id.reset(token)
