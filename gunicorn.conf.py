"""gunicorn settings of the web process (docs/deploy.md). Every figure can be set from the
environment; the defaults suit one app server of 2 cores."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Processes × threads = requests served at once by this machine. Each process holds a
# database pool of DB_POOL_MAX_SIZE connections: keep threads <= DB_POOL_MAX_SIZE so a
# request never waits for a connection.
workers = int(os.environ.get("WEB_CONCURRENCY", str(os.cpu_count() or 2)))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", os.environ.get("DB_POOL_MAX_SIZE", "4")))
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle processes now and then (memory of WeasyPrint and openpyxl), not all at once.
max_requests = 2000
max_requests_jitter = 200
# Trust X-Forwarded-* only from the reverse proxy.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The portal logs one line per request itself (with its request id): no access log here.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
limit_request_line = 8190
proc_name = "ess-metro-web"
# No gunicornc control socket: one fixed path per user would clash between instances.
control_socket_disable = True
