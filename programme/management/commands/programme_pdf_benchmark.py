from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Max

from ess_metro.directory.models import Organisation
from programme.benchmark import build_programme, measure_pdf


class Command(BaseCommand):
    help = (
        "Time the PDF of an annual programme of N lines (300 by default). The programme is "
        "built in a transaction that is rolled back: the database is left unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("--lines", type=int, default=300)
        parser.add_argument("--runs", type=int, default=3)

    def handle(self, *args, lines, runs, **options):
        with transaction.atomic():
            year = self._free_year()
            programme = build_programme(year, lines, operator=Organisation.objects.first())
            measure_pdf(build_programme(year + 1, 3))  # warm WeasyPrint's fonts up
            small = measure_pdf(build_programme(year + 2, 3))
            results = [measure_pdf(programme) for _run in range(runs)]
            transaction.set_rollback(True)
        best = min(results, key=lambda measure: measure.seconds)
        self.stdout.write(
            f"PDF of {lines} lines: best {best.seconds:.2f} s of {runs} "
            f"({best.cpu_seconds:.2f} s CPU), {best.queries} queries "
            f"(3 lines: {small.queries}), {best.size // 1024} KB"
        )

    @staticmethod
    def _free_year():
        from programme.models import AnnualProgramme

        latest = AnnualProgramme.objects.aggregate(Max("year"))["year__max"] or 2000
        return max(latest, 2000) + 1000
