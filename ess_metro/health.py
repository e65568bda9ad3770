"""``/sante/``: is this app server fit to serve? For load balancers and monitoring.

Checks the database, the cache, the private storage and the age of the oldest task waiting for
the worker. Answers JSON, 200 when every check passes, 503 otherwise. A load balancer should
probe ``/sante/?scope=web``: the queue is still reported but does not fail the probe, so a
stopped worker never takes every app server out of the pool.
"""

import time
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def _cache() -> dict:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    ok = cache.get(key) == "1"
    cache.delete(key)
    return {"ok": ok}


def _storage() -> dict:
    storages["private"].exists(f"health/{uuid.uuid4().hex}")
    return {"ok": True}


def _queue() -> dict:
    from django_tasks_db.models import DBTaskResult

    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").first()
    age = (timezone.now() - oldest.enqueued_at).total_seconds() if oldest else 0
    return {
        "ok": age <= settings.HEALTH_QUEUE_MAX_AGE,
        "waiting": DBTaskResult.objects.ready().count(),
        "oldest_age_seconds": round(age),
    }


CHECKS = {"database": _database, "cache": _cache, "storage": _storage, "queue": _queue}


def _run(check) -> dict:
    started = time.monotonic()
    try:
        result = check()
    except Exception as error:
        result = {"ok": False, "error": type(error).__name__}
    result["ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


@never_cache
@login_not_required
def health(request):
    results = {name: _run(check) for name, check in CHECKS.items()}
    counted = [name for name in results if not (name == "queue" and request.GET.get("scope"))]
    healthy = all(results[name]["ok"] for name in counted)
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results},
        status=200 if healthy else 503,
    )
