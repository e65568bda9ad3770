"""Small helpers shared by the tests."""

from django.core import signals
from django.db import close_old_connections


def close_response(response) -> None:
    """Close a file download without closing the test's database connection.

    ``HttpResponse.close()`` sends ``request_finished``, whose ``close_old_connections``
    handler would close the connection in the middle of the test's transaction (PostgreSQL).
    The test client detaches that handler during a request; do the same here.
    """
    signals.request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        signals.request_finished.connect(close_old_connections)
