"""Running as a service: production settings, health page, request log, errors to ADMINS,
upload limit while streaming, the scheduler and the worker that loses no task."""

import datetime
import json
import logging
import os
import re
import secrets
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import mail
from django.core.files.uploadhandler import FileUploadHandler
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import include, path
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from ess_metro.management.commands.worker import requeue_lost_tasks

BASE = str(settings.BASE_DIR)


def _production_env(**changes) -> dict:
    removed = {"DEBUG", "ALLOW_INSECURE_SECRET_KEY", "TESTING", "DJANGO_SETTINGS_MODULE"}
    removed |= {"SECURE_SSL_REDIRECT", "SECURE_COOKIES", "SECURE_HSTS_SECONDS", "REDIS_URL"}
    removed |= {"DJANGO_ALLOW_ASYNC_UNSAFE"}  # set by the browser tests in this process
    env = {key: value for key, value in os.environ.items() if key not in removed}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="ess.example.org",
        DATABASE_URL="sqlite:////tmp/ess-metro-deploy-check.sqlite3",
    )
    env.update(changes)
    return env


def _settings_in(env: dict, expression: str) -> str:
    code = (
        f"import django; django.setup(); from django.conf import settings as s; print({expression})"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE,
        env={**env, "DJANGO_SETTINGS_MODULE": "ess_metro.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


# --- production settings ---------------------------------------------------------------------


def test_check_deploy_gives_no_warning_in_the_production_configuration():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env=_production_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_postgresql_gets_a_bounded_pool_per_process_and_no_persistent_connections():
    env = _production_env(DATABASE_URL="postgres://ess@db.internal:5432/ess", DB_POOL_MAX_SIZE="6")
    database = _settings_in(env, "s.DATABASES['default']")
    assert "'CONN_MAX_AGE': 0" in database
    assert "'pool': {'min_size': 1, 'max_size': 6, 'timeout': 10.0}" in database
    no_pool = _settings_in(
        {**env, "DB_POOL_MAX_SIZE": "0"}, "'pool' in s.DATABASES['default'].get('OPTIONS', {})"
    )
    assert no_pool == "False"


def test_redis_holds_cache_and_sessions_when_configured():
    env = _production_env(REDIS_URL="redis://127.0.0.1:6379/1")
    assert _settings_in(env, "s.CACHES['default']['BACKEND']") == (
        "django.core.cache.backends.redis.RedisCache"
    )
    assert _settings_in(env, "s.SESSION_ENGINE") == "django.contrib.sessions.backends.cached_db"
    assert _settings_in(_production_env(), "s.CACHES['default']['BACKEND']").endswith("LocMemCache")


def test_s3_settings_put_both_storages_on_buckets_and_admins_come_from_the_environment():
    env = _production_env(
        S3_PRIVATE_BUCKET="private", S3_PUBLIC_BUCKET="public", ADMINS="Ops <ops@example.org>"
    )
    backends = _settings_in(
        env, "s.STORAGES['default']['BACKEND'], s.STORAGES['private']['BACKEND'], s.ADMINS"
    )
    assert backends == (
        "storages.backends.s3.S3Storage storages.backends.s3.S3Storage [('Ops', 'ops@example.org')]"
    )


# --- health ----------------------------------------------------------------------------------


def _queued_task(age_seconds: int) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        task_path="ess_metro.tasks.run_command",
        args_kwargs={"args": [], "kwargs": {"name": "clearsessions", "args": []}},
        backend_name="default",
        run_after=get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(seconds=age_seconds)
    )
    return task


@pytest.mark.parametrize(
    "role", ["anonymous", "applicant", "other_applicant", "committee", "staff"]
)
def test_health_answers_every_role_with_its_checks(role_clients, role):
    response = role_clients[role].get("/sante/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "storage", "queue"}
    assert all(check["ok"] for check in body["checks"].values())
    assert response["Cache-Control"].startswith("max-age=0")


def test_health_fails_when_a_task_waits_too_long_but_not_for_the_load_balancer(db, client):
    _queued_task(age_seconds=settings.HEALTH_QUEUE_MAX_AGE + 60)
    response = client.get("/sante/")
    assert response.status_code == 503
    queue = response.json()["checks"]["queue"]
    assert queue["ok"] is False
    assert queue["waiting"] == 1
    assert queue["oldest_age_seconds"] >= settings.HEALTH_QUEUE_MAX_AGE + 60
    assert client.get("/sante/", {"scope": "web"}).status_code == 200


def test_health_fails_when_the_cache_is_unreachable(db, client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {
        "ok": False,
        "error": "ConnectionError",
        "ms": response.json()["checks"]["cache"]["ms"],
    }


# --- request log and errors ------------------------------------------------------------------


def test_each_request_logs_one_line_with_its_id_echoed_in_the_response(db, client, caplog):
    caplog.set_level(logging.INFO, logger="ess_metro.requests")
    response = client.get("/sante/", HTTP_X_REQUEST_ID="lb-1234")
    assert response["X-Request-ID"] == "lb-1234"
    lines = [r for r in caplog.records if r.name == "ess_metro.requests"]
    assert len(lines) == 1
    assert lines[0].getMessage().startswith("GET /sante/ 200 ")
    assert lines[0].request_id == "lb-1234"
    generated = client.get("/sante/", HTTP_X_REQUEST_ID="bad id\nforged")["X-Request-ID"]
    assert len(generated) == 32 and "\n" not in generated


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answer(connection: socket.socket) -> bytes:
    answer = b""
    while chunk := connection.recv(65536):
        answer += chunk
    return answer


def test_gunicorn_stamps_each_request_when_it_arrives_not_when_a_thread_takes_it(tmp_path):
    """The production web process (gunicorn.conf.py) with one thread: a slow client holds it,
    a second request arrives meanwhile and waits. Both log lines show the wait: the arrival
    stamp that deadlines judge was taken before the thread queue (ess_metro/server.py)."""
    port = _free_port()
    env = _production_env(
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        WEB_THREADS="1",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="INFO",
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "ess_metro.wsgi"],
        cwd=BASE,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    head = b"GET /sante/?scope=web HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=30) as ready:
                    ready.sendall(head + b"X-Request-ID: ready\r\n\r\n")
                    assert _answer(ready).startswith(b"HTTP/1.1 ")
                break
            except ConnectionRefusedError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        with (
            socket.create_connection(("127.0.0.1", port), timeout=30) as slow,
            socket.create_connection(("127.0.0.1", port), timeout=30) as queued,
        ):
            slow.sendall(head + b"X-Request-ID: slow\r\n")  # the headers are not finished
            time.sleep(0.3)  # the only thread now waits for them
            queued.sendall(head + b"X-Request-ID: queued\r\n\r\n")
            time.sleep(0.7)
            slow.sendall(b"\r\n")
            assert _answer(slow).startswith(b"HTTP/1.1 ")
            assert _answer(queued).startswith(b"HTTP/1.1 ")
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    waits = {
        match["id"]: int(match["wait"])
        for match in re.finditer(r"\[(?P<id>ready|slow|queued)\].* wait=(?P<wait>\d+)ms", output)
    }
    assert set(waits) == {"ready", "slow", "queued"}, output
    assert waits["queued"] >= 500, output  # arrived 0.3 s in, taken by the thread at 1.0 s
    assert waits["slow"] >= 800, output  # its first bytes came at 0, its last at 1.0 s


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", login_not_required(_boom)), path("", include("ess_metro.urls"))]


@override_settings(ROOT_URLCONF=__name__, ADMINS=[("Ops", "ops@example.org")], DEBUG=False)
def test_a_server_error_is_mailed_to_the_admins(db, client):
    client.raise_request_exception = False
    response = client.get("/boom/", HTTP_X_REQUEST_ID="req-42")
    assert response.status_code == 500
    assert response["X-Request-ID"] == "req-42"
    (message,) = mail.outbox
    assert message.to == ["ops@example.org"]
    assert "RuntimeError" in message.body
    assert "/boom/" in message.subject


# --- uploads ---------------------------------------------------------------------------------


class RecordingHandler(FileUploadHandler):
    """Stands for the handlers that write to memory or disk: records what reaches them."""

    largest = 0

    def receive_data_chunk(self, raw_data, start):
        RecordingHandler.largest = max(RecordingHandler.largest, start + len(raw_data))
        return raw_data

    def file_complete(self, file_size):
        return None


def test_an_upload_over_the_limit_never_reaches_disk_and_the_form_says_why(staff_client, settings):
    settings.MAX_UPLOAD_SIZE = 100 * 1024
    settings.FILE_UPLOAD_HANDLERS = [
        "ess_metro.uploads.SizeLimitUploadHandler",
        f"{__name__}.RecordingHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
    RecordingHandler.largest = 0
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("stats.csv", b"annee;commune\n" * 80_000, "text/csv")
    response = staff_client.post(
        "/gestion/donnees/importer/",
        {
            "title": "Emploi ESS 2024",
            "format": "observatory",
            "data_date": "2025-01-10",
            "file": big,
        },
    )
    assert response.status_code == 200
    assert "Le fichier est trop volumineux" in response.content.decode()
    assert 'value="Emploi ESS 2024"' in response.content.decode()
    # Over 1 MB was sent; what went past the size check stopped at the limit.
    assert RecordingHandler.largest <= settings.MAX_UPLOAD_SIZE
    assert RecordingHandler.largest > 0


# --- scheduler -------------------------------------------------------------------------------


def test_the_scheduler_queues_the_digest_once_when_its_time_comes(db, capsys):
    call_command("scheduler", once=True, at="2026-03-02T06:59:50")
    assert "send_staff_digest" not in capsys.readouterr().out
    call_command("scheduler", once=True, at="2026-03-02T07:00:20")
    out = capsys.readouterr().out
    assert "queued send_staff_digest" in out
    call_command("scheduler", once=True, at="2026-03-02T07:00:40")
    assert "send_staff_digest" not in capsys.readouterr().out


def test_the_command_task_runs_only_scheduled_commands():
    from ess_metro.tasks import run_command

    with pytest.raises(ValueError, match="not a scheduled command"):
        run_command.call(name="flush", args=["--noinput"])


# --- worker ----------------------------------------------------------------------------------


def _running(worker_id: str, started_minutes_ago: int) -> DBTaskResult:
    task = _queued_task(age_seconds=60 * started_minutes_ago)
    DBTaskResult.objects.filter(pk=task.pk).update(
        status="RUNNING",
        worker_ids=[worker_id],
        started_at=timezone.now() - datetime.timedelta(minutes=started_minutes_ago),
    )
    return task


def test_a_restarted_worker_requeues_its_own_tasks_and_the_stale_ones(db):
    own = _running("web1-worker", started_minutes_ago=1)
    other = _running("web2-worker", started_minutes_ago=1)
    stale = _running("web3-worker", started_minutes_ago=120)
    assert requeue_lost_tasks(worker_id="web1-worker", stale_after=3600) == 2
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses == {own.pk: "READY", other.pk: "RUNNING", stale.pk: "READY"}


def test_the_worker_runs_again_a_task_its_killed_predecessor_had_started(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    task = _running("web1-worker", started_minutes_ago=1)
    call_command(
        "worker",
        worker_id="web1-worker",
        batch=True,
        reload=False,
        startup_delay=False,
        verbosity=0,
    )
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.worker_ids == ["web1-worker", "web1-worker"]


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_task_loses_nothing(tmp_path):
    """A real worker process is killed with SIGKILL while it runs a task; the next one runs it."""
    if connection.vendor != "postgresql":
        pytest.skip("Two processes share the test database only on PostgreSQL.")
    from tests import service_tasks

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        result = service_tasks.slow_task.enqueue(folder=str(tmp_path), seconds=30)
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ess_metro.settings",
        "DEBUG": "1",
        "TASK_BACKEND": "database",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT'] or 5432}"
            f"/{database['NAME']}"
        ),
    }
    command = [
        sys.executable,
        "manage.py",
        "worker",
        "--worker-id",
        "test-worker",
        "--no-startup-delay",
        "--interval",
        "0.2",
        "--no-reload",
    ]
    first = subprocess.Popen(command, cwd=BASE, env=env)
    service_tasks.wait_for(tmp_path / "started-1")
    first.kill()
    first.wait()
    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"
    second = subprocess.run(
        [*command, "--batch"],
        cwd=BASE,
        env={**env},
        capture_output=True,
        text=True,
        timeout=120,
        input=None,
    )
    assert "Requeued 1 task(s)" in second.stderr, second.stderr
    done = DBTaskResult.objects.get(pk=result.id)
    assert done.status == "SUCCESSFUL", done.traceback
    assert json.loads(json.dumps(done.return_value)) == 2
