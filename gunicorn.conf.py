"""gunicorn settings of the web process (docs/deploy.md). Every figure can be set from the
environment; the defaults suit one app server of 2 cores."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Processes × threads = requests served at once by this machine; the others wait in each
# process's queue, first come, first served, stamped with the moment they arrived (the
# portal's worker class, ess_metro/server.py: deadlines are judged by that moment). Two
# threads per core keep the cores busy while a request waits for the database, and few enough
# that a crowd is served in order of arrival instead of all at once and all late (docs/deploy.md,
# "Sizing for a deadline day"). Each process holds a database pool of DB_POOL_MAX_SIZE
# connections: keep threads <= DB_POOL_MAX_SIZE so a request never waits for a connection.
workers = int(os.environ.get("WEB_CONCURRENCY", str(os.cpu_count() or 2)))
worker_class = "ess_metro.server.ArrivalStampingWorker"
threads = int(os.environ.get("WEB_THREADS", "2"))
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
# Connections waiting to be accepted: a deadline crowd arrives within a second.
backlog = 2048
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
