"""`make bench`: the portal at ten times a real year, side by side with Django itself.

Builds a throwaway PostgreSQL database (10,000 files over 500 organisations and 3 calls, 300
conventions with their payments, a 300-line programme, 1,000 events), serves it with gunicorn
(DEBUG off, 2 workers), and loads each page with wrk (2 threads, 16 connections) next to a
bare Django view and Django admin's changelist of the same model with the same page size.
Prints one table of req/s, p95, the ratio to what the page is compared with, the target and
whether it is met. The database is dropped at the end (--keep to keep it).

    .venv/bin/python tools/bench.py            # the full run (about 10 minutes)
    .venv/bin/python tools/bench.py --smoke    # CI: small volume, 1 s per page

Environment: BENCH_DATABASE_URL (a PostgreSQL server, default postgres://postgres@127.0.0.1:5432),
BENCH_PORT (default 8400), BENCH_REDIS_URL (optional cache server, as in production).
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("BENCH %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(95), bad))
end
"""


@dataclass
class Page:
    label: str
    url: str
    who: str = "anonymous"  # or "staff"
    compare: str = ""  # label of the page it is compared with
    ratio_target: float | None = None
    p95_target_ms: float | None = None
    hidden: bool = False  # measured to compare with, not printed


@dataclass
class Result:
    page: Page
    rps: float
    p95_ms: float
    errors: int


def staff_pages(deep_files: int, deep_small: int) -> list[Page]:
    """Each staff list beside the admin changelist of the same model (same rows and size)."""
    search = urllib.parse.quote_plus("coopératives quartiers")
    admin = "/mesure/admin/"
    pairs = [
        ("files p1", "/gestion/dossiers/", f"{admin}projects/application/"),
        (
            f"files p{deep_files}",
            f"/gestion/dossiers/?page={deep_files}",
            f"{admin}projects/application/?p={deep_files}",
        ),
        (
            "files search",
            f"/gestion/dossiers/?q={search}",
            f"{admin}projects/application/?q={search}",
        ),
        ("conventions p1", "/gestion/conventions/", f"{admin}projects/convention/"),
        (
            f"conventions p{deep_small}",
            f"/gestion/conventions/?page={deep_small}",
            f"{admin}projects/convention/?p={deep_small}",
        ),
        (
            "conventions search",
            "/gestion/conventions/?q=recyclerie",
            f"{admin}projects/convention/?q=recyclerie",
        ),
        ("organisations p1", "/gestion/organisations/", f"{admin}directory/organisation/"),
        (
            f"organisations p{deep_small}",
            f"/gestion/organisations/?page={deep_small}",
            f"{admin}directory/organisation/?p={deep_small}",
        ),
        (
            "organisations search",
            "/gestion/organisations/?q=epicerie",
            f"{admin}directory/organisation/?q=epicerie",
        ),
        ("payments p1", "/gestion/paiements/", f"{admin}projects/payment/"),
        (
            f"payments p{deep_small}",
            f"/gestion/paiements/?page={deep_small}",
            f"{admin}projects/payment/?p={deep_small}",
        ),
    ]
    pages = []
    for label, url, admin_url in pairs:
        pages.append(Page(f"admin {label}", admin_url.replace(" ", "+"), "staff"))
        pages.append(Page(label, url.replace(" ", "+"), "staff", f"admin {label}", 2.0, 100.0))
    return pages


PUBLIC = [
    "/",
    "/appels/",
    "/plan/",
    "/agenda/",
    "/programmation/",
    "/comite/composition/",
    "/donnees/",
]


def all_pages(smoke: bool) -> list[Page]:
    # Each public page right after a bare view of its own: the ratio compares two runs made
    # under the same load of the machine.
    pages = []
    for url in PUBLIC:
        bare = f"bare view before {url}"
        pages.append(Page(bare, "/mesure/nu/", hidden=True))
        pages.append(Page(url, url, compare=bare, ratio_target=0.20))
    pages += staff_pages(deep_files=2 if smoke else 200, deep_small=1 if smoke else 5)
    return pages


# --- the throwaway database and the server ---------------------------------------------------


def bench_env(database_url: str, static_root: str, port: int) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        BENCH="1",
        SECRET_KEY="bench-only-secret-key-not-for-production-0123456789",  # noqa: S106
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=static_root,
        LOG_LEVEL="WARNING",
        CONN_MAX_AGE="600",
        SITE_URL=f"http://127.0.0.1:{port}",
    )
    env.pop("TESTING", None)
    if os.environ.get("BENCH_REDIS_URL"):
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    else:
        env.pop("REDIS_URL", None)
    return env


def manage(env: dict, *args: str, dev: bool = False) -> str:
    run_env = {**env, "DEBUG": "1"} if dev else env
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=run_env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def psql(server: str, sql: str) -> None:
    subprocess.run(["psql", server + "/postgres", "-q", "-c", sql], check=True)


def build(env: dict, smoke: bool) -> dict:
    manage(env, "migrate", "--noinput", dev=True)
    manage(env, "seed_demo", dev=True)
    output = manage(env, "bench_data", *(["--smoke"] if smoke else []), dev=True)
    subprocess.run(["psql", env["DATABASE_URL"], "-q", "-c", "VACUUM ANALYZE"], check=True)
    manage(env, "collectstatic", "--noinput")
    return json.loads(output.strip().splitlines()[-1])


def serve(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "ess_metro.wsgi",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            "--timeout=120",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/mesure/nu/", timeout=60)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    server.wait(timeout=30)
    raise SystemExit("gunicorn did not answer.")


# --- loading the pages -----------------------------------------------------------------------


def check(base: str, page: Page, cookie: str) -> None:
    """One request first: a page that does not answer 200 is a broken bench, not a figure."""
    headers = {"Cookie": cookie} if cookie else {}
    request = urllib.request.Request(base + page.url, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        if response.status != 200:
            raise SystemExit(f"{page.url} answered {response.status}")


def load(base: str, page: Page, cookie: str, seconds: int, script: str) -> Result:
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout=10s", "-s", script]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        [*command, base + page.url], check=True, capture_output=True, text=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    requests, duration_us, p95_us, errors = (int(value) for value in line.split()[1:])
    return Result(page, requests / (duration_us / 1e6), p95_us / 1000, errors)


def run_pages(base: str, pages: list[Page], cookies: dict, seconds: int) -> list[Result]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    results = []
    try:
        for page in pages:
            cookie = cookies.get(page.who, "")
            check(base, page, cookie)
            results.append(load(base, page, cookie, seconds, script.name))
            print(f"  {page.label}: {results[-1].rps:.0f} req/s", file=sys.stderr)
    finally:
        os.unlink(script.name)
    return results


# --- the report ------------------------------------------------------------------------------


def _verdict(met: bool | None) -> str:
    return "—" if met is None else ("yes" if met else "NO")


def page_rows(results: list[Result]) -> list[tuple]:
    by_label = {result.page.label: result for result in results}
    bares = sorted(result.rps for result in results if result.page.hidden)
    rows = [("bare view (median)", f"{bares[len(bares) // 2]:,.0f}", "", "", "", "—")]
    for result in results:
        page = result.page
        if page.hidden:
            continue
        base = by_label.get(page.compare)
        ratio = result.rps / base.rps if base else None
        targets, met = [], None
        if page.ratio_target is not None and ratio is not None:
            targets.append(f"≥ {page.ratio_target:g}×")
            met = ratio >= page.ratio_target
        if page.p95_target_ms is not None:
            targets.append(f"p95 < {page.p95_target_ms:g} ms")
            met = bool(met is not False and result.p95_ms < page.p95_target_ms)
        rows.append(
            (
                page.label,
                f"{result.rps:,.0f}",
                f"{result.p95_ms:.0f} ms",
                f"{ratio:.2f}× {page.compare.split(' before ')[0]}" if ratio is not None else "",
                ", ".join(targets),
                _verdict(met) + (f" ({result.errors} errors)" if result.errors else ""),
            )
        )
    return rows


PDF_TARGETS = {
    "programme_pdf": ("draft programme PDF", 2.0),
    "receipt_pdf": ("receipt PDF", 0.5),
    "convention_pdf": ("convention PDF", 0.5),
}


def pdf_rows(pdfs: dict) -> list[tuple]:
    """Seconds are the best of the runs, wall clock (CPU): the target applies to wall clock;
    on a machine shared with other work, CPU time shows what the layout itself costs."""
    rows = []
    plain_wall, plain_cpu = pdfs["plain_table_pdf"]
    for key, (label, limit) in PDF_TARGETS.items():
        wall, cpu = pdfs[key]
        ratio = ""
        if key == "programme_pdf":
            ratio = f"{cpu / plain_cpu:.2f}× plain table in CPU (aim 1.2×)"
        rows.append(
            (
                label,
                "",
                f"{wall:.2f} s ({cpu:.2f} CPU)",
                ratio,
                f"< {limit:g} s",
                _verdict(wall < limit),
            )
        )
    rows.append(
        ("plain table, same rows", "", f"{plain_wall:.2f} s ({plain_cpu:.2f} CPU)", "", "", "—")
    )
    return rows


def print_table(rows: list[tuple]) -> None:
    header = ("page", "req/s", "p95", "ratio", "target", "met?")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * width for width in widths), *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))


def static_and_304(base: str) -> None:
    """The cache headers of a hashed static file, and a conditional GET of a public page."""
    import re

    with urllib.request.urlopen(base + "/appels/", timeout=60) as response:  # noqa: S310
        html, etag = response.read().decode(), response.headers["ETag"]
    css = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', html)
    if css:
        with urllib.request.urlopen(base + css[1], timeout=60) as response:  # noqa: S310
            print(f"{css[1]}: Cache-Control: {response.headers['Cache-Control']}")
    headers = {"If-None-Match": etag}
    request = urllib.request.Request(base + "/appels/", headers=headers)  # noqa: S310
    try:
        urllib.request.urlopen(request, timeout=60)  # noqa: S310
        print("/appels/ with If-None-Match: 200 (no 304!)")
    except urllib.error.HTTPError as error:
        print(f"/appels/ with If-None-Match: {error.code}")


def exports(env: dict, files: int) -> None:
    """The exports' figures, measured by tools/bench_exports.py when it is there."""
    if not (ROOT / "tools" / "bench_exports.py").exists():
        return
    code = (
        "import django, sys; sys.path.insert(0, 'tools'); django.setup(); "
        f"import bench_exports; result = bench_exports.run({files}); "
        "result is not None and print(result)"
    )
    # The exports are downloaded through Django's test client, whose host is "testserver".
    hosts = f"{env.get('ALLOWED_HOSTS', '')},testserver"
    run_env = {**env, "DJANGO_SETTINGS_MODULE": "ess_metro.settings", "ALLOWED_HOSTS": hosts}
    subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=run_env, check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small volume, 1 s per page (CI)")
    parser.add_argument("--seconds", type=int, default=None, help="wrk duration per page")
    parser.add_argument("--keep", action="store_true", help="keep the database and print its URL")
    arguments = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    seconds = arguments.seconds or (1 if arguments.smoke else 5)
    server_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
    port = int(os.environ.get("BENCH_PORT", "8400"))
    name = f"ess_bench_{os.getpid()}"
    static_root = tempfile.mkdtemp(prefix="ess-bench-static-")
    env = bench_env(f"{server_url}/{name}", static_root, port)
    psql(server_url, f"CREATE DATABASE {name}")
    server = None
    try:
        print(f"Building {name}…", file=sys.stderr)
        built = build(env, arguments.smoke)
        print(f"Built in {built['build_seconds']} s; serving on :{port}.", file=sys.stderr)
        server = serve(env, port)
        cookies = {"staff": f"sessionid={built['staff_session']}"}
        results = run_pages(
            f"http://127.0.0.1:{port}", all_pages(arguments.smoke), cookies, seconds
        )
        print(f"\nwrk -t2 -c16 -d{seconds}s per page; gunicorn 2 workers; load: {os.getloadavg()}")
        print_table(page_rows(results) + pdf_rows(built["pdfs"]))
        static_and_304(f"http://127.0.0.1:{port}")
        exports(env, 200 if arguments.smoke else 10_000)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
        if arguments.keep:
            print(f"Database kept: {env['DATABASE_URL']}")
        else:
            psql(server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
