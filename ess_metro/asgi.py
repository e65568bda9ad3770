"""Django's ASGI entry point. The portal is served by gunicorn's threaded worker
(``ess_metro.server``, through ``ess_metro.wsgi``), which stamps each request's arrival for the
deadlines; under an ASGI server the arrival is the moment Django starts on the request."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ess_metro.settings")
application = get_asgi_application()
