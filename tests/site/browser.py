"""Chromium shows the portal without a live server: each request of the page is answered by
Django's test client, inside the test's transaction (so the demo data seeded once is there)."""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import DEFAULT_DB_ALIAS, connections

BASE_URL = "http://testserver"


def serve_with(page, client) -> None:
    """Answer every request of ``page`` to ``BASE_URL`` with ``client`` (static files from the
    finders, as ``runserver`` does)."""
    # Playwright calls the handler while its event loop runs, where Django would open a second
    # connection (which would not see the test's transaction): lend it the test's one.
    database = connections[DEFAULT_DB_ALIAS]

    def handle(route, request):
        connections[DEFAULT_DB_ALIAS] = database
        parts = urlsplit(request.url)
        if parts.path.startswith(settings.STATIC_URL):
            found = finders.find(parts.path[len(settings.STATIC_URL) :])
            if found:
                route.fulfill(path=Path(found))
            else:
                route.fulfill(status=404, body="")
            return
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        response = _answer(client, request, target)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        response.close()
        headers = dict(response.items())
        route.fulfill(status=response.status_code, headers=headers, body=body)

    page.route(f"{BASE_URL}/**", handle)


def _answer(client, request, target):
    headers = {
        f"HTTP_{key.upper().replace('-', '_')}": value
        for key, value in request.headers.items()
        if key.lower().startswith("hx-") or key.lower() == "x-csrftoken"
    }
    if request.method == "GET":
        return client.get(target, **headers)
    return client.generic(
        request.method,
        target,
        data=request.post_data_buffer or b"",
        content_type=request.headers.get("content-type", ""),
        **headers,
    )
