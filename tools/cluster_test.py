"""`make cluster-test`: two app servers and one worker sharing PostgreSQL, Redis and S3.

Starts gunicorn on two ports (A and B) and the task worker, all in production mode
(DEBUG off) on a fresh PostgreSQL database, Redis (cache, sessions) and S3 (SeaweedFS; the
S3_* settings of the environment, else a SeaweedFS started here), then proves:

1. both servers are healthy (/sante/: database, Redis, S3, queue);
2. a session opened on A works on B;
3. an attachment uploaded through A downloads, byte for byte, through B;
4. work asked for on A (a message, whose e-mail is sent in the background) is done by the
   worker, and what it produced is seen through B;
5. a statistics file sent to A is imported by the worker and its preview is served by B;
6. the worker, killed (SIGKILL) in the middle of a task and restarted, completes it.

Each check is one function in CHECKS: add one to prove more (e.g. a background export asked
on A, built by the worker, downloaded from B). Ports: CLUSTER_PORT_A (8101), CLUSTER_PORT_B
(8102). Database: CLUSTER_DATABASE_URL, else DATABASE_URL with ``_cluster`` appended to its
name, else postgres://postgres@127.0.0.1:5432/ess_metro_cluster. Redis: CLUSTER_REDIS_URL
(redis://127.0.0.1:6379/1).
"""

import http.cookiejar
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
sys.path.insert(0, str(ROOT / "tools"))
import seaweedfs  # noqa: E402

PORT_A = int(os.environ.get("CLUSTER_PORT_A", "8101"))
PORT_B = int(os.environ.get("CLUSTER_PORT_B", "8102"))
A, B = f"http://127.0.0.1:{PORT_A}", f"http://127.0.0.1:{PORT_B}"
PDF = b"%PDF-1.4\n" + secrets.token_bytes(200_000).hex().encode() + b"\n%%EOF\n"
PASSWORD = "un-mot-de-passe-solide-42"  # noqa: S105 - the demo factories' password


def database_url() -> str:
    if os.environ.get("CLUSTER_DATABASE_URL"):
        return os.environ["CLUSTER_DATABASE_URL"]
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgres"):
        return base.rstrip("/") + "_cluster"
    return "postgres://postgres@127.0.0.1:5432/ess_metro_cluster"


def log(message: str) -> None:
    print(f"[cluster {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Cluster:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.processes: dict[str, subprocess.Popen] = {}
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ess_metro.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "TASK_BACKEND": "database",
            "DATABASE_URL": database_url(),
            "REDIS_URL": os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/1"),
            "CACHE_KEY_PREFIX": f"cluster-{os.getpid()}",
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(workdir / "mail"),
            "WEB_CONCURRENCY": "1",
            "WEB_THREADS": "2",
            "DB_POOL_MAX_SIZE": "2",
            # Every export goes through the worker, so that B serves what A asked for.
            "EXPORT_SYNC_MAX_ROWS": "-1",
            "LOG_LEVEL": "WARNING",
        }
        for name in ("TESTING", "ALLOW_INSECURE_SECRET_KEY"):
            self.env.pop(name, None)

    def manage(self, *args: str, debug: bool = False) -> str:
        env = {**self.env, "DEBUG": "1"} if debug else self.env
        result = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def shell(self, code: str, debug: bool = False) -> str:
        """Run Python in the portal (manage.py shell); returns its last line of output."""
        output = self.manage("shell", "--no-imports", "-c", code, debug=debug).strip()
        return output.splitlines()[-1] if output else ""

    def start(self, name: str, command: list[str], **env: str) -> None:
        output = (self.workdir / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env={**self.env, **env}, stdout=output, stderr=output
        )
        output.close()

    def start_web(self, name: str, port: int) -> None:
        self.start(name, [str(ROOT / ".venv/bin/gunicorn"), "ess_metro.wsgi"],
                   BIND=f"127.0.0.1:{port}")  # fmt: skip

    def start_worker(self) -> None:
        options = ["--interval", "0.2", "--no-startup-delay", "--no-reload"]
        self.start("worker", [PYTHON, "manage.py", "worker", "--worker-id", "cluster", *options])

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        process = self.processes.pop(name, None)
        if process and process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)


class Browser:
    """One person's browser: a cookie jar shared by both servers (same host, two ports)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def get(self, url: str):
        return self._open(urllib.request.Request(url))  # noqa: S310 - http://127.0.0.1 only

    def post(self, url: str, fields: dict, files: dict | None = None):
        fields = {"csrfmiddlewaretoken": self.csrf(), **fields}
        body, content_type = encode_form(fields, files or {})
        request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310
        request.add_header("Content-Type", content_type)
        request.add_header("Referer", url)
        return self._open(request)

    def csrf(self) -> str:
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, dict(error.headers), error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def encode_form(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in fields.items():
        header = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{header}{value}\r\n".encode())
    for name, (filename, content, mime) in files.items():
        header = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'
        )
        parts.append(header.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def wait_until(predicate, what: str, timeout: float = 60) -> float:
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"Timed out waiting for {what}")
        time.sleep(0.2)
    return time.monotonic() - started


def answers(browser, url: str) -> bool:
    try:
        return browser.get(url)[0] == 200
    except OSError:
        return False


SETUP = """
import json
from demo.factories import core
from demo.factories.calls import ApplicationFactory, CallFactory
from ess_metro.directory.models import Membership
applicant = core.make_applicant(user__email="cluster@exemple.fr")
core.make_staff(email="agent@exemple.fr")
organisation = Membership.objects.get(user=applicant).organisation
draft = ApplicationFactory(call=CallFactory(), organisation=organisation, created_by=applicant,
                           complete=True)
document = draft.call.required_documents.get(title="RIB")
print(json.dumps({"application": draft.pk, "document": document.pk}))
"""

TASK_STATE = """
from django_tasks_db.models import DBTaskResult
task = DBTaskResult.objects.filter(task_path__endswith="{path}").order_by("-enqueued_at").first()
print(task.status if task else "NONE", len(task.worker_ids) if task else 0)
"""


def drop_database(cluster: Cluster, *, create: bool = False) -> str:
    url = urllib.parse.urlparse(cluster.env["DATABASE_URL"])
    name, where = url.path.lstrip("/"), ["-h", url.hostname, "-p", str(url.port or 5432)]
    where += ["-U", url.username or "postgres"]
    subprocess.run(["dropdb", *where, "--if-exists", "--force", name], check=True)
    if create:
        subprocess.run(["createdb", *where, name], check=True)
    return name


def prepare(cluster: Cluster) -> dict:
    name = drop_database(cluster, create=True)
    started = time.monotonic()
    cluster.manage("migrate", "--noinput")
    log(f"database {name} migrated in {time.monotonic() - started:.1f} s")
    return json.loads(cluster.shell(SETUP, debug=True))


def check_health(cluster, browser, data) -> str:
    for server in (A, B):
        status, _headers, body = browser.get(f"{server}/sante/")
        checks = json.loads(body)["checks"]
        assert status == 200, body
        assert all(check["ok"] for check in checks.values()), body
    return "A and B healthy: " + ", ".join(
        f"{name} {check['ms']} ms" for name, check in checks.items()
    )


def check_session(cluster, browser, data) -> str:
    browser.get(f"{A}/compte/connexion/")
    status, _headers, _ = browser.post(
        f"{A}/compte/connexion/", {"username": "cluster@exemple.fr", "password": PASSWORD}
    )
    assert status == 302, f"login on A answered {status}"
    status, _headers, body = browser.get(f"{B}/compte/")
    assert status == 200 and b"cluster@exemple.fr" in body, f"B answered {status}"
    return "signed in on A, recognised on B"


def check_attachment(cluster, browser, data) -> str:
    application = data["application"]
    status, _headers, _ = browser.post(
        f"{A}/espace/dossiers/{application}/pieces/",
        {"required_document": data["document"]},
        {"file": ("rib-cluster.pdf", PDF, "application/pdf")},
    )
    assert status == 302, f"upload on A answered {status}"
    _status, _headers, page = browser.get(f"{B}/espace/dossiers/{application}/")
    links = re.findall(rb'href="/espace/dossiers/\d+/pieces/(\d+)/"', page)
    assert links, "B does not list the attachment"
    newest = max(int(number) for number in links)
    status, _headers, body = browser.get(f"{B}/espace/dossiers/{application}/pieces/{newest}/")
    assert status == 200 and body == PDF, f"download from B: {status}, {len(body)} bytes"
    return f"{len(PDF)} bytes uploaded on A, identical from B"


def check_background_work(cluster, browser, data) -> str:
    mail = Path(cluster.env["EMAIL_FILE_PATH"])
    status, _headers, _ = browser.post(
        f"{A}/espace/dossiers/{data['application']}/messages/",
        {"body": "Message envoyé par le serveur A."},
    )
    assert status == 302, f"message on A answered {status}"
    waited = wait_until(lambda: mail.exists() and any(mail.iterdir()), "the worker's e-mail")
    state = cluster.shell(TASK_STATE.format(path="send_email_task"))
    assert state.startswith("SUCCESSFUL"), state
    _status, _headers, page = browser.get(f"{B}/espace/dossiers/{data['application']}/")
    assert "Message envoyé par le serveur A." in page.decode()
    return f"message posted on A, its e-mail sent by the worker {waited:.1f} s later, seen on B"


STATISTICS = "annee;commune;famille;secteur;etablissements;emplois\n" + "".join(
    f"{year};Grenoble;association;Action sociale;{400 + year % 10};{5000 + year % 10}\n"
    for year in range(2015, 2025)
)


STAFF_CODE = """
from demo.factories.core import totp_code
from ess_metro.accounts.models import User
print(totp_code(User.objects.get(email="agent@exemple.fr")))
"""


def staff_browser(cluster, data: dict) -> "Browser":
    """Staff signed in on A: the password, then the code of their authenticator app (once: a
    code is accepted only once, so the checks share the signed-in browser)."""
    if "staff" in data:
        return data["staff"]
    staff = data["staff"] = Browser()
    staff.get(f"{A}/compte/connexion/")
    login = {"username": "agent@exemple.fr", "password": PASSWORD}
    status, headers, _ = staff.post(f"{A}/compte/connexion/", login)
    assert status == 302 and "/connexion/code/" in headers["Location"], "staff password on A"
    staff.get(f"{A}/compte/connexion/code/")
    code = {"code": cluster.shell(STAFF_CODE, debug=True)}
    assert staff.post(f"{A}/compte/connexion/code/", code)[0] == 302, "staff code on A"
    return staff


def check_export(cluster, browser, data) -> str:
    staff = staff_browser(cluster, data)
    status, headers, _ = staff.get(f"{A}/gestion/dossiers/?export=csv")
    assert status == 302 and "/mes-exports/" in headers["Location"], f"export on A: {status}"
    job = headers["Location"].rstrip("/").split("/")[-1]
    download = f"{B}/mes-exports/{job}/telecharger/"
    waited = wait_until(lambda: staff.get(download)[0] == 200, "the worker to build the export")
    status, _headers, body = staff.get(download)
    text = body.decode("utf-8-sig")
    assert status == 200 and "Référence" in text.splitlines()[0], f"download on B: {status}"
    return f"CSV export asked on A, built by the worker ({waited:.1f} s), downloaded from B"


def check_import(cluster, browser, data) -> str:
    staff = staff_browser(cluster, data)
    staff.get(f"{A}/gestion/donnees/importer/")
    fields = {"title": "Emploi ESS", "description": "", "format": "aggregate", "source": "Obs",
              "source_url": "", "licence": "Licence Ouverte", "data_date": "2025-01-10",
              "year": ""}  # fmt: skip
    csv = ("emploi.csv", STATISTICS.encode(), "text/csv")
    status, headers, _ = staff.post(f"{A}/gestion/donnees/importer/", fields, {"file": csv})
    assert status == 302, f"import on A answered {status}"
    follow = B + headers["Location"]
    waited = wait_until(lambda: staff.get(follow)[0] == 302, "the worker to import the file")
    status, _headers, page = staff.get(B + staff.get(follow)[1]["Location"])
    assert status == 200 and "10 lignes" in page.decode(), f"preview on B: {status}"
    return f"CSV sent to A, imported by the worker ({waited:.1f} s), its preview served by B"


SLOW_TASK = """
from tests import service_tasks
print(service_tasks.slow_task.enqueue(folder="{folder}", seconds=600).id)
"""


def check_worker_killed(cluster, browser, data) -> str:
    folder = cluster.workdir / "slow-task"
    folder.mkdir()
    cluster.shell(SLOW_TASK.format(folder=folder))
    wait_until(lambda: (folder / "started-1").exists(), "the worker to start the task")
    cluster.stop("worker", signal.SIGKILL)
    state = cluster.shell(TASK_STATE.format(path="slow_task"))
    assert state.startswith("RUNNING"), state
    started = time.monotonic()
    cluster.start_worker()
    wait_until(
        lambda: cluster.shell(TASK_STATE.format(path="slow_task")).startswith("SUCCESSFUL"),
        "the restarted worker to finish the task",
    )
    return (
        f"worker SIGKILLed mid-task (left RUNNING); restarted, it ran the task again and "
        f"finished it in {time.monotonic() - started:.1f} s"
    )


CHECKS = [check_health, check_session, check_attachment, check_background_work, check_import,
          check_export, check_worker_killed]  # fmt: skip


def main() -> int:
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="ess-metro-cluster-"))
    weed = None
    if not os.environ.get("S3_PRIVATE_BUCKET"):
        weed = seaweedfs.start(workdir / "weed")
        os.environ.update(seaweedfs.settings_env(seaweedfs.ports()["s3"]))
    cluster = Cluster(workdir)
    failures = 0
    try:
        data = prepare(cluster)
        cluster.start_web("web-a", PORT_A)
        cluster.start_web("web-b", PORT_B)
        cluster.start_worker()
        browser = Browser()
        for server in (A, B):
            wait_until(lambda s=server: answers(browser, f"{s}/sante/"), f"{server} to start")
        for check in CHECKS:
            try:
                log(f"PASS {check.__name__}: {check(cluster, browser, data)}")
            except Exception as error:
                failures += 1
                log(f"FAIL {check.__name__}: {error}")
    finally:
        cluster.stop_all()
        if not os.environ.get("CLUSTER_KEEP"):
            drop_database(cluster)
        if weed:
            weed.kill()
            weed.wait()
    for name in ("web-a", "web-b", "worker"):
        path = workdir / f"{name}.log"
        if failures and path.exists():
            print(f"--- {name} log (end) ---\n{path.read_text(errors='replace')[-3000:]}")
    log(f"{len(CHECKS) - failures} passed, {failures} failed in {time.monotonic() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
