"""The portal's gunicorn worker (``worker_class`` in ``gunicorn.conf.py``).

gunicorn's threaded worker accepts connections in its main thread and hands each request to a
small pool of threads, first come, first served. This worker notes the moment a request is
handed over, before it waits for a free thread, a database connection or a lock, and gives it
to Django in the WSGI environ (``ARRIVED_AT_ENVIRON_KEY``): a deadline is judged by the moment
a request reached the portal, however long the queue behind a rush (``ArrivalStampMiddleware``).

Behind the reverse proxy (nginx buffers each request whole before passing it on, see
docs/deploy.md) that moment is when the complete request reached the app server.

It overrides three methods of gunicorn's ``ThreadWorker`` (pinned in the lock files);
``tests/test_service.py`` proves the stamp against a real gunicorn with one busy thread.
"""

import sys
import threading
import time

from gunicorn.workers.gthread import ThreadWorker

from ess_metro.middleware import ARRIVED_AT_ENVIRON_KEY

# Python hands the interpreter from a busy thread to another every 5 ms by default; 1 ms lets
# the main thread accept and stamp new connections promptly while the pool works.
SWITCH_INTERVAL = 0.001

_current = threading.local()


class ArrivalStampingWorker(ThreadWorker):
    def init_process(self):
        sys.setswitchinterval(SWITCH_INTERVAL)
        super().init_process()

    def enqueue_req(self, conn):
        """Runs in the main thread when a request is there to read (a new connection, or a
        kept-alive one that became readable), before the request queues for a thread."""
        conn.arrived_at = time.time()
        super().enqueue_req(conn)

    def handle(self, conn):
        _current.arrived_at = getattr(conn, "arrived_at", None)
        return super().handle(conn)

    def load_wsgi(self):
        super().load_wsgi()
        application = self.wsgi

        def stamped(environ, start_response):
            environ[ARRIVED_AT_ENVIRON_KEY] = getattr(_current, "arrived_at", None)
            return application(environ, start_response)

        self.wsgi = stamped
