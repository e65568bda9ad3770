"""Time the staff exports of submitted files (CSV, XLSX) and measure the memory they take.

Standalone: ``.venv/bin/python tools/bench_exports.py --n 10000`` builds a throwaway SQLite
database (or uses ``DATABASE_URL``), fills it with N submitted files over N/20 organisations,
then exports them through the staff list's real view, as a staff member, and prints the
seconds and the memory growth of each export.

From another script (``make bench``), with Django set up on a migrated database::

    from tools.bench_exports import run
    figures = run(10_000)      # adds files until N are submitted, then measures
    # {"csv": {"seconds": …, "peak_mb": …, "rss_growth_mb": …, "rows": …}, "xlsx": {…}}
    print(report(figures))
    run(100_000, kinds=("csv-job", "xlsx-job"))   # the same exports as background jobs

``peak_mb`` is the peak of Python allocations during the export (tracemalloc), measured in a
second pass so that it does not slow down the timed one; ``rss_growth_mb`` is the growth of
the process's resident memory during the timed pass, sampled every 5 ms. ``cpu_seconds`` is
the CPU time of this process during the timed pass: on a machine shared with other work, it
says what the export costs when the wall-clock ``seconds`` include waiting for a core.
"""

import argparse
import os
import sys
import tempfile
import threading
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"csv": 1.0, "xlsx": 5.0}
MEMORY_TARGET_MB = 50


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ess_metro.settings_test")
    if "DATABASE_URL" not in os.environ:
        path = Path(tempfile.mkdtemp(prefix="ess-bench-exports-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class _RssSampler(threading.Thread):
    """The highest resident memory of this process while an export runs."""

    def __init__(self):
        super().__init__(daemon=True)
        self.start_mb = self.peak_mb = _rss_mb()
        self.running = True

    def run(self):
        while self.running:
            self.peak_mb = max(self.peak_mb, _rss_mb())
            time.sleep(0.005)

    def stop(self) -> float:
        self.running = False
        self.join()
        return self.peak_mb - self.start_mb


def _make_organisations(count: int) -> list:
    from demo.factories.core import siret_with_checksum
    from ess_metro.directory.models import Commune, LegalForm, Organisation

    grenoble = Commune.objects.get(name="Grenoble")
    start = Organisation.objects.count()
    return Organisation.objects.bulk_create(
        Organisation(
            name=f"Association bench n°{start + index}",
            legal_form=LegalForm.ASSOCIATION,
            siret=siret_with_checksum(900_000 + start + index),
            commune=grenoble,
        )
        for index in range(count)
    )


def _make_calls(count: int = 3) -> list:
    from demo.factories.calls import CallFactory

    return [CallFactory(year=2020 + index, rules=False) for index in range(count)]


def build(n: int) -> int:
    """Add submitted files until at least ``n`` exist; returns how many were added."""
    from django.utils import timezone

    from demo.factories.core import UserFactory
    from ess_metro.directory.models import Commune
    from projects.models import Application, ApplicationStatus

    missing = n - Application.objects.submitted().count()
    if missing <= 0:
        return 0
    organisations = _make_organisations(max(1, missing // 20))
    calls = _make_calls()
    author = UserFactory()
    now = timezone.now()
    statuses = [ApplicationStatus.SUBMITTED, ApplicationStatus.GRANTED, ApplicationStatus.REFUSED]
    start = Application.objects.count()
    applications = Application.objects.bulk_create(
        (
            Application(
                call=calls[index % len(calls)],
                organisation=organisations[index % len(organisations)],
                created_by=author,
                reference=f"BENCH-{start + index:07d}",
                status=statuses[index % len(statuses)],
                title=f"Projet solidaire n°{start + index}",
                partners="Régie de quartier — logistique",
                requested_amount=Decimal("10000.00"),
                granted_amount=Decimal("8000.00") if index % 3 == 1 else None,
                submitted_at=now,
            )
            for index in range(missing)
        ),
        batch_size=1000,
    )
    communes = list(Commune.objects.order_by("pk")[:2])
    through = Application.communes.through
    through.objects.bulk_create(
        (
            through(application_id=application.pk, commune_id=commune.pk)
            for application in applications
            for commune in communes
        ),
        batch_size=2000,
    )
    return missing


def _staff_client():
    from django.test import Client

    from demo.factories.core import make_staff, verify_session

    client = Client()
    staff = make_staff()
    client.force_login(staff)
    verify_session(client, staff)  # staff pass the second factor, as at the login
    return client


def _download(client, kind: str) -> tuple[int, int]:
    """Fetch the export in the request, as a browser would, reading a streamed body chunk by
    chunk (the background threshold is lifted: this measures the web process)."""
    from django.test import override_settings
    from django.urls import reverse

    with override_settings(EXPORT_SYNC_MAX_ROWS=10**9):
        response = client.get(reverse("projects:staff_application_list"), {"export": kind})
    assert response.status_code == 200, response.status_code
    size = 0
    if response.streaming:
        for chunk in response.streaming_content:
            size += len(chunk)
    else:
        size = len(response.content)
    response.close()
    return response.status_code, size


def measure(kind: str, client=None) -> dict:
    """Seconds and memory of one export of every submitted file, inside the request."""
    from projects.models import Application

    client = client or _staff_client()
    sampler = _RssSampler()
    sampler.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    _status, size = _download(client, kind)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    rss_growth = sampler.stop()
    tracemalloc.start()
    _download(client, kind)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        "peak_mb": round(peak / 2**20, 1),
        "rss_growth_mb": round(rss_growth, 1),
        "bytes": size,
        "rows": Application.objects.submitted().count(),
    }


def measure_job(kind: str, client=None) -> dict:
    """The same export as a background job (``ExportJob``): with the immediate task backend
    the task runs when the request's transaction commits, so the request's time is the
    worker's time to build the file."""
    from django.test import override_settings
    from django.urls import reverse

    from ess_metro.models import ExportJob

    client = client or _staff_client()
    sampler = _RssSampler()
    sampler.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    with override_settings(EXPORT_SYNC_MAX_ROWS=0):
        response = client.get(reverse("projects:staff_application_list"), {"export": kind})
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    rss_growth = sampler.stop()
    assert response.status_code == 302, response.status_code
    job = ExportJob.objects.latest("pk")
    assert job.state == ExportJob.READY, job.state
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        "peak_mb": 0.0,
        "rss_growth_mb": round(rss_growth, 1),
        "bytes": job.file.size,
        "rows": job.rows_done,
    }


def run(n: int = 10_000, kinds: tuple[str, ...] = ("csv", "xlsx")) -> dict:
    """Make sure ``n`` submitted files exist, then measure each export of them.

    ``kinds``: "csv" and "xlsx" are exported inside the request (the web process's figures);
    "csv-job" and "xlsx-job" are built as background jobs (``ess_metro.export_jobs``)."""
    from django.db import transaction

    with transaction.atomic():
        build(n)
    client = _staff_client()
    _download(client, "csv")  # warm up: imports, translations, first queries
    return {
        kind: (
            measure_job(kind.removesuffix("-job"), client)
            if kind.endswith("-job")
            else measure(kind, client)
        )
        for kind in kinds
    }


def report(figures: dict) -> str:
    lines = []
    for kind, values in figures.items():
        target = TARGETS.get(kind, "-")
        lines.append(
            f"{kind.upper():8} {values['rows']:>7} rows  {values['seconds']:7.3f} s "
            f"(target < {target} s, CPU {values['cpu_seconds']:.3f} s)  "
            f"python peak {values['peak_mb']:6.1f} MB  "
            f"RSS growth {values['rss_growth_mb']:6.1f} MB (target < {MEMORY_TARGET_MB} MB)  "
            f"{values['bytes'] / 2**20:.1f} MB written"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="submitted files to export")
    parser.add_argument(
        "--kinds", default="csv,xlsx", help="comma-separated: csv,xlsx,csv-job,xlsx-job"
    )
    args = parser.parse_args()
    _setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    print(report(run(args.n, tuple(args.kinds.split(",")))))


if __name__ == "__main__":
    main()
