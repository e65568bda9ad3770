"""Delete what the retention rules say is past its time (RGPD).

Without ``--wet-run`` (or with ``--dry-run``) the command only lists what is due, one line per
object: rule, type, identifier, description. With ``--wet-run`` it deletes the same objects
and logs each one (``privacy.PurgeLog``). Run it daily from the scheduler.
"""

from django.core.management.base import BaseCommand, CommandError

from ess_metro.privacy import retention


class Command(BaseCommand):
    help = "List (default) or delete (--wet-run) the data past its retention period."

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--wet-run", action="store_true", help="Delete and log.")
        mode.add_argument("--dry-run", action="store_true", help="Only list (the default).")

    def handle(self, *args, wet_run=False, dry_run=False, **options):
        if wet_run and dry_run:  # pragma: no cover - argparse forbids it
            raise CommandError("Choose --wet-run or --dry-run.")
        items = retention.purge(wet_run=wet_run)
        for item in items:
            self.stdout.write(str(item))
        verb = "deleted" if wet_run else "due (dry run: nothing deleted)"
        self.stdout.write(f"{len(items)} object(s) {verb}.")
