"""Public pages served from the cache, fresh at once after any change of the data.

Every write to the database (INSERT, UPDATE, DELETE, whatever made it: a form, a service,
``QuerySet.update()``, a bulk import) moves a *generation* number on, after its transaction
commits; a cached page belongs to one generation, so a change shows on the next request. The
clock also changes what a page says (a call opens, an event passes): a cached page lives at
most ``PUBLIC_PAGE_CACHE_SECONDS`` (60 s by default).

Only anonymous visitors without a session are served from the cache: the page is stored with
its CSRF token replaced by a placeholder, and each visitor gets their own token back. The
ETag names the stored page (not the token), so a browser's conditional GET is answered 304.
With several server processes, the cache must be shared (``REDIS_URL``) for the generation to
be seen by all of them.
"""

import functools
import hashlib
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.backends.signals import connection_created
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_etags

GENERATION_KEY = "pagecache:generation"
PLACEHOLDER = "__CSRF_TOKEN__"
WRITES = ("INSERT", "UPDATE", "DELETE")
# Tables written on every visit or by the worker, which no public page shows.
IGNORED_TABLES = ("django_session", "django_tasks")
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def generation() -> tuple[int, float]:
    """The current generation and when it started (Unix time)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = (time.time_ns(), time.time())
        cache.add(GENERATION_KEY, value, None)
        value = cache.get(GENERATION_KEY, value)
    return value


def bump() -> None:
    """The data changed: every cached page is out of date (one write to the cache)."""
    cache.set(GENERATION_KEY, (time.time_ns(), time.time()), None)


def _is_write(sql: str) -> bool:
    head = sql.lstrip()[:6].upper()
    return head in WRITES and not any(table in sql[:200] for table in IGNORED_TABLES)


def _after_write(connection) -> None:
    """Bump now (what this transaction sees is new), and once more when it commits (pages
    cached meanwhile by other requests were read before the commit)."""
    bump()
    if connection.in_atomic_block and not any(
        function is bump for _savepoints, function, _robust in connection.run_on_commit
    ):
        connection.on_commit(bump)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many)
    if isinstance(sql, str) and _is_write(sql):
        _after_write(context["connection"])
    return result


def watch(sender, connection, **kwargs):
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def install() -> None:
    """Watch the writes of every database connection (called by the kernel's AppConfig)."""
    connection_created.connect(watch, dispatch_uid="pagecache-watch")
    for connection in connections.all(initialized_only=True):
        watch(None, connection)


def _cacheable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _key(request) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    htmx = "1" if request.headers.get("HX-Request") else "0"
    return f"pagecache:{request.LANGUAGE_CODE}:{htmx}:{path}"


def _lookup(key: str) -> tuple[tuple[int, float], dict | None]:
    """The generation and the stored page, in one round trip to the cache; a page stored
    under an older generation is out of date."""
    found = cache.get_many([GENERATION_KEY, key])
    current = found.get(GENERATION_KEY) or generation()
    entry = found.get(key)
    if entry is not None and entry["generation"] != current[0]:
        entry = None
    return current, entry


def _store(response) -> dict | None:
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if not getattr(response, "is_rendered", True):
        response.render()  # a TemplateResponse (class-based views)
    html = response.content.decode(response.charset)
    token = _TOKEN.search(html)
    if token:
        html = html.replace(token.group(1), PLACEHOLDER)
    etag = '"' + hashlib.sha256(html.encode()).hexdigest()[:32] + '"'
    return {"html": html, "etag": etag, "type": response["Content-Type"]}


def _serve(request, entry: dict, modified: float) -> HttpResponse:
    if entry["etag"] in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        html = entry["html"]
        if PLACEHOLDER in html:
            html = html.replace(PLACEHOLDER, get_token(request))
        response = HttpResponse(html, content_type=entry["type"])
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(modified)
    patch_cache_control(response, no_cache=True)
    return response


def public_page(view):
    """Serve ``view`` from the cache to anonymous visitors (see the module's docstring)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 60)
        if not seconds or not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        (number, modified), entry = _lookup(key)
        if entry is None:
            response = view(request, *args, **kwargs)
            entry = _store(response)
            if entry is None:
                return response
            entry["generation"] = number
            cache.set(key, entry, seconds)
        return _serve(request, entry, modified)

    return wrapper


def fragment_key(request, *, ignore=("page",)) -> str:
    """A key for a fragment of a page that shows the data as of now and the request's
    parameters (a list's filter form): any write to the database changes it."""
    params = sorted((k, v) for k, v in request.GET.lists() if k not in ignore)
    digest = hashlib.sha256(repr(params).encode()).hexdigest()[:32]
    return f"{generation()[0]}:{request.LANGUAGE_CODE}:{digest}"
