from django.core.management.base import BaseCommand

from programme.documents import store_published_pdf
from programme.models import AnnualProgramme


class Command(BaseCommand):
    help = (
        "Queue the rendering of every public programme's stored PDF (a nightly job: the "
        "committed and paid amounts that other apps change then show in the next day's PDF)."
    )

    def handle(self, *args, **options):
        programmes = AnnualProgramme.objects.public().values_list("pk", flat=True)
        for programme_id in programmes:
            store_published_pdf.enqueue(programme_id)
        self.stdout.write(f"{len(programmes)} PDF queued.")
