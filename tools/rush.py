"""The deadline rush: N applicants submit in the last second before a call closes.

    python tools/rush.py                 # 200 applicants (make rush)
    python tools/rush.py --applicants 30 # the small rush CI runs (make rush N=30)

It runs the production-like stack on this machine: a fresh PostgreSQL database, gunicorn with
the production settings (gunicorn.conf.py: the portal's threaded worker that stamps each
request's arrival, DEBUG off, a bounded connection pool per process) and the task worker,
which renders the receipts after the commits. The data is prepared directly
in the database (applicants, organisations, complete drafts, a signed-in session each, a call
closing at T) and each draft is saved once by the autosave's service, as the applicant's
browser last saved it; then every applicant sends the real "submit" POST of the edit page, timed to
leave within the last second before T, and a few more send theirs just after T. One applicant
in ten (``--edited``) changed a field after the last autosave: that submit saves it first,
and a file submitted without the change counts as lost.

It prints the on-time files accepted, the files accepted after closing, the files lost, whether
references are unique and gap-free, the response times (p50/p95/max of the on-time applicants,
the target; p95/max of everyone, late ones included), the 500s and the CPU each part used, and
exits 1 when one of the targets is missed. Only 127.0.0.1 is ever contacted; every process it
starts is stopped at the end.
"""

import argparse
import datetime
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
CSRF = secrets.token_hex(16)  # a 32-character CSRF secret, sent as cookie and as form field
EDIT = " Dernière précision."  # typed after the last autosave by the --edited applicants


@dataclass
class Applicant:
    application_id: int
    cookie: str
    body: bytes
    late: bool = False
    edited: bool = False
    send_at: float = 0.0
    sent_at: float = 0.0
    answered_at: float = 0.0
    status: int = 0
    error: str = ""


@dataclass
class Stack:
    port: int
    workdir: Path
    env: dict
    processes: list = field(default_factory=list)

    def start(self, name: str, *command: str, env: dict | None = None, idle=False) -> None:
        log = (self.workdir / f"{name}.log").open("wb")
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=lowest_cpu_priority if idle else None,
            start_new_session=True,
        )
        self.processes.append((name, process))

    def stop(self) -> None:
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _name, process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


# --- The stack -------------------------------------------------------------------------------


def lowest_cpu_priority() -> None:
    """The task worker's unit in docs/deploy.md (CPUWeight=idle, CPUSchedulingPolicy=idle):
    CPU only when the web processes leave some. Linux shares the CPU between sessions first
    (autogroups, as systemd shares it between services), so the worker's session gets the
    lowest weight, and the worker the idle policy inside it."""
    Path("/proc/self/autogroup").write_text("19")
    os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))


def stack_environment(args, workdir: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ess_metro.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "TASK_BACKEND": "database",
        # cache and sessions on Redis, as in production (a database of its own, emptied)
        "REDIS_URL": args.redis_url,
        "DB_POOL_MAX_SIZE": str(args.pool),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "MEDIA_ROOT": str(workdir / "media"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "ess-rush-static"),
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def _postgres(*statements: str) -> list:
    import psycopg

    results = []
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        for statement in statements:
            cursor = db.execute(statement)
            results.append(cursor.fetchall() if statement.startswith("SELECT") else None)
    return results


def empty_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def create_database(name: str, env: dict) -> None:
    """A copy of a migrated template database (migrated again only when migrations changed)."""
    template = f"{name}_template"
    template_env = {**env, "DATABASE_URL": env["DATABASE_URL"].rsplit("/", 1)[0] + f"/{template}"}
    exists = _postgres(f"SELECT 1 FROM pg_database WHERE datname = '{template}'")[0]  # noqa: S608
    check = [PYTHON, "manage.py", "migrate", "--check", "-v", "0"]
    if not exists or subprocess.run(check, cwd=ROOT, env=template_env).returncode:
        _postgres(
            f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)', f'CREATE DATABASE "{template}"'
        )
        manage(template_env, "migrate", "--noinput", "-v", "0")
    _postgres(
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
    )


def collect_static(env: dict) -> None:
    """collectstatic (30 s of CPU) only when a static file changed since the last rush."""
    manifest = Path(env["STATIC_ROOT"]) / "staticfiles.json"
    newest = max(path.stat().st_mtime for path in (ROOT / "static").rglob("*"))
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        manage(env, "collectstatic", "--noinput", "-v", "0")


def drop_database(name: str) -> None:
    _postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict, *command: str) -> None:
    subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)


def start_stack(stack: Stack, args) -> None:
    """The web process as in production (gunicorn.conf.py: the portal's threaded worker,
    which stamps each request's arrival) and the task worker at the lowest CPU priority, as
    docs/deploy.md runs it: receipts give way to the requests on the two shared cores."""
    stack.start(
        "web",
        PYTHON, "-m", "gunicorn", "ess_metro.wsgi",
        env={
            "BIND": f"127.0.0.1:{stack.port}",
            "WEB_CONCURRENCY": str(args.workers),
            "WEB_THREADS": str(args.threads),
        },
    )  # fmt: skip
    stack.start(
        "worker",
        PYTHON,
        "manage.py",
        "worker",
        "--interval",
        "0.2",
        "--no-startup-delay",
        idle=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if request(stack.port, b"GET /compte/connexion/ HTTP/1.1\r\n")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer on port {stack.port}: see {stack.workdir}")


# --- The data --------------------------------------------------------------------------------


def prepare(args, closes_in: float) -> tuple[list[Applicant], int]:
    """A call closing far ahead, N + late complete drafts of as many applicants signed in."""
    import django
    from django.conf import settings

    django.setup()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from demo.factories.calls import ApplicationFactory, CallFactory
    from demo.factories.core import MembershipFactory

    call = CallFactory(year=2026, closes_at=far_future(closes_in))
    applicants = []
    total = args.applicants + args.late
    edited = set(range(0, total, round(1 / args.edited))) if args.edited else set()
    for index in range(total):
        membership = MembershipFactory()
        application = ApplicationFactory(
            call=call,
            organisation=membership.organisation,
            created_by=membership.user,
            complete=True,
        )
        data = autosave(application, membership.user)
        if index in edited:  # typed in the last seconds, after the autosave
            data["summary"] += EDIT
        applicants.append(
            Applicant(
                application_id=application.pk,
                cookie=f"sessionid={session_for(membership.user)}; csrftoken={CSRF}",
                body=urllib.parse.urlencode(data, doseq=True).encode(),
                late=index >= args.applicants,
                edited=index in edited,
            )
        )
    return applicants, call.pk


def autosave(application, user) -> dict:
    """The edit page's last autosave before the rush (the applicant reread the summary): the
    draft and its fingerprint are those of the data the "submit" then posts."""
    from django.http import QueryDict

    from projects.calls import services
    from projects.calls.forms import ApplicationForm, budget_formsets

    data = form_data(application)
    data["summary"] += " (relu)"
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    expense, income = budget_formsets(application, data=query)
    errors = services.application_save_draft(
        application=application,
        form=ApplicationForm(query, instance=application),
        expense_forms=list(expense),
        income_forms=list(income),
        user=user,
    )
    application.refresh_from_db()
    if errors or not application.draft_fingerprint:
        raise SystemExit(f"the autosave of file {application.pk} failed: {errors}")
    return {**data, "lock_version": str(application.lock_version)}


def far_future(seconds: float):
    from django.utils import timezone

    return timezone.now() + datetime.timedelta(seconds=seconds)


def session_for(user) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()  # Redis and the database
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def form_data(application) -> dict:
    """What the edit page posts when the applicant presses "Submit", from the draft's values."""
    from projects.calls.forms import ApplicationForm, budget_formsets

    form = ApplicationForm(instance=application)
    data = {"csrfmiddlewaretoken": CSRF, "submit": "1"}
    for name, form_field in form.fields.items():
        value = form_field.prepare_value(form.initial.get(name, form_field.initial))
        if isinstance(value, list | tuple):
            data[name] = [str(item.pk if hasattr(item, "pk") else item) for item in value]
        elif value is not None and value is not False:
            data[name] = "on" if value is True else str(value)
    for formset in budget_formsets(application):
        management = formset.management_form
        data.update({management.add_prefix(k): str(v) for k, v in management.initial.items()})
        for row in formset.forms:
            for name in row.fields:
                value = row.initial.get(name)
                if value not in (None, False, ""):
                    data[row.add_prefix(name)] = "on" if value is True else str(value)
    return data


def close_call_at(call_id: int, closes_at: float) -> None:
    from projects.models import Call

    moment = datetime.datetime.fromtimestamp(closes_at, tz=datetime.UTC)
    Call.objects.filter(pk=call_id).update(closes_at=moment)


# --- The rush --------------------------------------------------------------------------------


def request(port: int, head: bytes, body: bytes = b"", timeout: float = 120) -> tuple[int, bytes]:
    """One HTTP/1.1 request on a new connection; the status and the Location header."""
    host = f"Host: 127.0.0.1:{port}\r\nConnection: close\r\n".encode()
    length = f"Content-Length: {len(body)}\r\n\r\n".encode() if body else b"\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(head + host + length + body)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    location = next(
        (
            line.split(b":", 1)[1].strip()
            for line in rest.split(b"\r\n")
            if line[:9].lower() == b"location:"
        ),
        b"",
    )
    return int(status_line.split()[1]), location


def submit(port: int, applicant: Applicant) -> None:
    head = (
        f"POST /espace/dossiers/{applicant.application_id}/modifier/ HTTP/1.1\r\n"
        f"Cookie: {applicant.cookie}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
    ).encode()
    time.sleep(max(0.0, applicant.send_at - time.time()))
    applicant.sent_at = time.time()
    try:
        applicant.status, _location = request(port, head, applicant.body)
    except OSError as error:
        applicant.error = repr(error)
    applicant.answered_at = time.time()


def schedule(applicants: list[Applicant], closes_at: float, window: float, margin: float) -> None:
    """On time: spread over [T - window, T - margin]; late: over [T + margin, T + 300 ms].

    The margin is the time a request takes from the applicant's click to the portal's arrival
    stamp (here: loopback, accept, the event loop of a busy 2-core machine): a click closer to
    the deadline than that arrives after it, as it would over any network."""
    on_time = [a for a in applicants if not a.late]
    late = [a for a in applicants if a.late]
    span = window - margin
    for index, applicant in enumerate(on_time):
        applicant.send_at = closes_at - window + span * index / max(1, len(on_time) - 1)
    for index, applicant in enumerate(late):
        applicant.send_at = closes_at + margin + (0.3 - margin) * index / max(1, len(late) - 1)


def fire(port: int, applicants: list[Applicant], stack: Stack) -> dict:
    """Send every submission at its time; the CPU used from the first send to the last answer."""
    threads = [threading.Thread(target=submit, args=(port, a), daemon=True) for a in applicants]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, min(a.send_at for a in applicants) - time.time()))
    before, started = cpu_seconds(stack), time.time()
    for thread in threads:
        thread.join(timeout=180)
    after = cpu_seconds(stack)
    return {"seconds": time.time() - started} | {k: after[k] - before[k] for k in after}


def cpu_seconds(stack: Stack) -> dict:
    """CPU seconds used so far (Linux /proc) by the web processes, the task worker, PostgreSQL
    and this script's clients, and the machine's idle time and time stolen by its host."""
    groups = {process.pid: name for name, process in stack.processes}
    tick = os.sysconf("SC_CLK_TCK")
    used = dict.fromkeys(["web", "worker", "database", "clients"], 0.0)
    for entry in Path("/proc").iterdir():
        try:
            command, fields = (entry / "stat").read_text().rsplit(")", 1)
        except (OSError, ValueError):
            continue
        fields = fields.split()
        name = groups.get(int(fields[2]))  # the process group: one per started process
        if command.endswith("(postgres"):
            name = "database"
        elif entry.name == str(os.getpid()):
            name = "clients"
        if name in used:
            used[name] += (int(fields[11]) + int(fields[12])) / tick
    machine = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    used["idle"] = (int(machine[3]) + int(machine[4])) / tick
    used["stolen"] = int(machine[7]) / tick if len(machine) > 7 else 0.0
    return used


def warm_up(port: int, applicants: list[Applicant], workers: int) -> None:
    """Each server process renders an edit page once, as the applicants did before the rush."""
    for applicant in applicants[: 4 * workers]:
        head = (
            f"GET /espace/dossiers/{applicant.application_id}/modifier/ HTTP/1.1\r\n"
            f"Cookie: {applicant.cookie}\r\n"
        ).encode()
        status, _location = request(port, head)
        if status != 200:
            raise SystemExit(f"warm-up: the edit page answered {status}")


# --- The verdict -----------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def database_facts(call_id: int) -> dict:
    from projects.models import Application, ApplicationStatus, Call

    call = Call.objects.get(pk=call_id)
    rows = Application.objects.filter(call_id=call_id).values_list(
        "pk", "status", "reference", "submitted_at", "receipt", "summary"
    )
    return {
        "closes_at": call.closes_at,
        "submitted": {
            pk: (ref, at, bool(receipt), summary.endswith(EDIT))
            for pk, status, ref, at, receipt, summary in rows
            if status == ApplicationStatus.SUBMITTED
        },
    }


def wait_for_receipts(call_id: int, timeout: float) -> tuple[int, int, float]:
    from projects.models import Application, ApplicationStatus

    started = time.monotonic()
    submitted = Application.objects.filter(call_id=call_id, status=ApplicationStatus.SUBMITTED)
    total = submitted.count()
    while time.monotonic() - started < timeout:
        ready = submitted.exclude(receipt="").count()
        if ready == total:
            break
        time.sleep(0.5)
    return ready, total, time.monotonic() - started


def verdict(applicants: list[Applicant], facts: dict, closes_at: float) -> dict:
    submitted = facts["submitted"]
    on_time = [a for a in applicants if a.sent_at < closes_at]
    late = [a for a in applicants if a.sent_at >= closes_at]
    accepted = [a for a in applicants if a.application_id in submitted]
    lost = [
        a
        for a in applicants
        if (a.status == 302) != (a.application_id in submitted)
        or (a in on_time and a.status not in (302, 422))
        or (a.edited and a.application_id in submitted and not submitted[a.application_id][3])
    ]
    after_closing = {a.application_id for a in late if a.application_id in submitted}
    after_closing |= {pk for pk, (_ref, at, *_) in submitted.items() if at >= facts["closes_at"]}
    numbers = sorted(int(ref.rsplit("-", 1)[1]) for ref, _at, *_ in submitted.values())
    times = [a.answered_at - a.sent_at for a in on_time if a.status]
    every_time = [a.answered_at - a.sent_at for a in applicants if a.status]
    lags = [submitted[a.application_id][1].timestamp() - a.sent_at for a in accepted]
    return {
        "on_time": len(on_time),
        "on_time_accepted": sum(a.application_id in submitted for a in on_time),
        "late": len(late),
        "accepted_after_closing": len(after_closing),
        "lost": len(lost),
        "references_ok": numbers == list(range(1, len(numbers) + 1)),
        "references": len(numbers),
        "p50": percentile(times, 0.50),
        "p95": percentile(times, 0.95),
        "max": max(times, default=0.0),
        "p95_all": percentile(every_time, 0.95),
        "max_all": max(every_time, default=0.0),
        "server_errors": sum(a.status >= 500 for a in applicants),
        "no_answer": sum(not a.status for a in applicants),
        "statuses": dict(sorted(count_statuses(applicants).items())),
        "max_arrival_lag": max(lags, default=0.0),
    }


def count_statuses(applicants: list[Applicant]) -> dict:
    counts: dict = {}
    for applicant in applicants:
        key = applicant.status or applicant.error.split("(", 1)[0] or "none"
        counts[key] = counts.get(key, 0) + 1
    return counts


def report(result: dict, args, receipts: tuple[int, int, float], cpu: dict) -> list[str]:
    """Print the figures; return the targets missed."""
    share = 100 * result["on_time_accepted"] / max(1, result["on_time"])
    lines = [
        f"Rush: {args.applicants} applicants in the last {args.window:g} s before closing, "
        f"{args.late} just after (margin {1000 * args.margin:g} ms), "
        f"{100 * args.edited:g} % with a change made after the last autosave; "
        f"gunicorn {args.workers} processes x {args.threads} threads, "
        f"pool {args.pool}/process",
        f"on-time accepted:        {result['on_time_accepted']}/{result['on_time']} "
        f"({share:.1f} %)",
        f"accepted after closing:  {result['accepted_after_closing']} (of {result['late']} late)",
        f"lost:                    {result['lost']}",
        f"references:              {result['references']}, unique and gap-free: "
        f"{'yes' if result['references_ok'] else 'NO'}",
        f"responses, on time:      p50 {result['p50']:.2f} s, p95 {result['p95']:.2f} s, "
        f"max {result['max']:.2f} s (the target's {result['on_time']} applicants)",
        f"responses, all:          p95 {result['p95_all']:.2f} s, max {result['max_all']:.2f} s "
        f"(with the {result['late']} late ones, answered last)",
        f"HTTP 5xx:                {result['server_errors']} (no answer: {result['no_answer']})",
        f"statuses:                {result['statuses']}",
        f"arrival stamp lag (max): {1000 * result['max_arrival_lag']:.1f} ms after sending",
        f"receipts by the worker:  {receipts[0]}/{receipts[1]}, "
        f"{receipts[2]:.1f} s after the last answer",
        f"CPU, first send to last answer ({cpu['seconds']:.2f} s on {os.cpu_count()} cores): "
        + ", ".join(f"{name} {cpu[name]:.2f} s" for name in cpu if name != "seconds"),
    ]
    print("\n".join(lines))
    checks = {
        "on-time files refused": result["on_time_accepted"] < result["on_time"],
        "files accepted after closing": result["accepted_after_closing"] > 0,
        "files lost": result["lost"] > 0,
        "references not unique and gap-free": not result["references_ok"],
        f"p95 of the on-time answers over {args.p95_limit:g} s": result["p95"] > args.p95_limit,
        "server errors": result["server_errors"] + result["no_answer"] > 0,
        "receipts missing": receipts[0] < receipts[1],
    }
    return [name for name, failed in checks.items() if failed]


def step(message: str, started: float) -> float:
    print(f"{message} ({time.monotonic() - started:.0f} s)", flush=True)
    return time.monotonic()


def run(args, stack: Stack) -> list[str]:
    started = time.monotonic()
    create_database(args.database, stack.env)
    empty_redis(args.redis_url)
    collect_static(stack.env)
    started = step(f"database {args.database} migrated, static files collected", started)
    os.environ.update(stack.env)
    applicants, call_id = prepare(args, closes_in=3600)
    started = step(f"{len(applicants)} applicants, drafts and sessions prepared", started)
    start_stack(stack, args)
    warm_up(stack.port, applicants, args.workers)
    step(f"gunicorn on 127.0.0.1:{stack.port} and the task worker started", started)
    closes_at = time.time() + args.window + 2.0
    close_call_at(call_id, closes_at)
    schedule(applicants, closes_at, args.window, args.margin)
    cpu = fire(stack.port, applicants, stack)
    result = verdict(applicants, database_facts(call_id), closes_at)
    receipts = wait_for_receipts(call_id, timeout=args.receipt_timeout)
    return report(result, args, receipts, cpu)


def database_name(value: str) -> str:
    if not re.fullmatch(r"ess_[a-z0-9_]+", value):
        raise argparse.ArgumentTypeError("a name like ess_rush (lower case, digits, _)")
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applicants", "-n", type=int, default=200)
    parser.add_argument("--late", type=int, default=None, help="sent after T (default N/10)")
    parser.add_argument("--window", type=float, default=1.0, help="seconds before closing")
    parser.add_argument(
        "--margin", type=float, default=0.05, help="click-to-arrival allowance (s) at the deadline"
    )
    parser.add_argument(
        "--edited",
        type=float,
        default=0.1,
        help="share of applicants who change a field after their last autosave",
    )
    parser.add_argument("--port", type=int, default=8200)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn process")
    parser.add_argument("--pool", type=int, default=8, help="database connections per process")
    parser.add_argument("--database", default="ess_rush", type=database_name)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--p95-limit", type=float, default=2.0)
    parser.add_argument("--receipt-timeout", type=float, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs")
    args = parser.parse_args()
    args.late = max(1, args.applicants // 10) if args.late is None else args.late
    workdir = Path(tempfile.mkdtemp(prefix="ess-rush-"))
    stack = Stack(port=args.port, workdir=workdir, env=stack_environment(args, workdir))
    started = time.monotonic()
    try:
        failures = run(args, stack)
    finally:
        stack.stop()
        if not args.keep:
            from django.conf import settings

            if settings.configured:
                from django.db import connections

                connections.close_all()
            drop_database(args.database)
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"({time.monotonic() - started:.0f} s in all; load average {os.getloadavg()[0]:.1f})")
    if failures:
        print("RUSH FAILED: " + ", ".join(failures))
        return 1
    print("RUSH PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
