"""Build the volume of `make bench` and time the PDFs; prints one JSON line (tools/bench.py)."""

import json
import time

from django.core.management.base import BaseCommand

from demo import bench_data
from programme import benchmark
from programme.models import AnnualProgramme, ProgrammeStatus


def _best(function, runs: int) -> list[float]:
    """The best wall-clock and CPU seconds of ``runs`` calls (CPU time is what the layout
    costs, whatever else the machine is doing)."""
    walls, cpus = [], []
    for _run in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu_started)
    return [min(walls), min(cpus)]


def measure_pdfs(built: bench_data.Built, lines: int, runs: int) -> dict:
    """Seconds (best of ``runs``) of the draft programme PDF, the same rows as a plain table,
    a receipt and a convention, each laid out from scratch."""
    from ess_metro.pdf import render_pdf
    from projects.calls.selectors import receipt_context
    from projects.conventions.selectors import convention_page
    from projects.models import Application, Convention

    draft = benchmark.build_programme(built.programme_year + 1, lines)
    AnnualProgramme.objects.filter(pk=draft.pk).update(status=ProgrammeStatus.DRAFT)
    draft.refresh_from_db()
    application = Application.objects.get(pk=built.application_pk)
    convention = Convention.objects.get(pk=built.convention_pk)
    benchmark.measure_pdf(benchmark.build_programme(built.programme_year + 2, 3))  # fonts
    return {
        "programme_pdf": _best(lambda: benchmark.measure_pdf(draft), runs),
        "plain_table_pdf": _best(lambda: benchmark.measure_plain_table(draft), runs),
        "receipt_pdf": _best(
            lambda: render_pdf("pdf/projects/calls/receipt.html", receipt_context(application)),
            runs,
        ),
        "convention_pdf": _best(
            lambda: render_pdf(
                "pdf/projects/conventions/convention.html",
                convention_page(convention, staff=False).as_context(),
            ),
            runs,
        ),
    }


class Command(BaseCommand):
    help = "Build the benchmark's volume (a throwaway database only) and time the PDFs."

    def add_arguments(self, parser):
        parser.add_argument("--smoke", action="store_true", help="A small volume, for CI.")
        parser.add_argument("--runs", type=int, default=2)

    def handle(self, *args, smoke, runs, **options):
        volume = bench_data.Volume.smoke() if smoke else bench_data.Volume()
        started = time.perf_counter()
        built = bench_data.build(volume)
        seconds = time.perf_counter() - started
        pdfs = measure_pdfs(built, volume.lines, runs)
        self.stdout.write(
            json.dumps({**built.__dict__, "build_seconds": round(seconds, 1), "pdfs": pdfs})
        )
