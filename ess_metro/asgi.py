"""The ASGI entry point (``gunicorn ess_metro.asgi:application -k asgi``).

It stamps each HTTP request with the moment it reached this process, in the event loop and
before Django hands it to a thread or waits for a database connection: a deadline is judged by
that moment (``ess_metro.middleware.ArrivalStampMiddleware``), however busy the server is.
"""

import os
import sys
import time

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ess_metro.settings")
django_application = get_asgi_application()

from ess_metro.middleware import ARRIVED_AT_SCOPE_KEY  # noqa: E402 (needs the settings)

# Views run in threads: hand the interpreter back to the event loop every millisecond (not 5)
# so that it accepts and stamps new requests promptly while the threads work.
sys.setswitchinterval(0.001)


async def application(scope, receive, send):
    if scope["type"] == "http":
        scope = {**scope, ARRIVED_AT_SCOPE_KEY: time.time()}
    await django_application(scope, receive, send)
