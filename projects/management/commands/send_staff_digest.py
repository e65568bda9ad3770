"""Daily digest for the ESS officers: overdue reports, reports to review, payments overdue and
due soon, files waiting for instruction, event proposals and meetings to prepare.

Run once a day by cron or a task runner: ``python manage.py send_staff_digest``.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from projects.conventions import notifications
from projects.conventions.selectors import staff_digest_data


class Command(BaseCommand):
    help = (
        "E-mail the staff what needs doing (reports, payments, files to instruct, event "
        "proposals, meetings to prepare)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Pretend today is this date (YYYY-MM-DD), for checks and replays."
        )
        parser.add_argument(
            "--always",
            action="store_true",
            help="Send the digest even when there is nothing to do.",
        )

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"Invalid date: {options['date']}") from error
        data = staff_digest_data(today, beyond_conventions=True)
        if not data.has_news and not options["always"]:
            self.stdout.write("Nothing to report; no e-mail sent.")
            return
        recipients = notifications.staff_digest(
            {
                **data.as_context(),
                "overdue_payments": data.overdue_payments,
                "payments_soon": data.payments_soon,
            }
        )
        self.stdout.write(
            f"Digest sent to {len(recipients)} officer(s): {len(data.overdue_reports)} overdue "
            f"report(s), {len(data.reports_to_review)} to review, "
            f"{len(data.payments_due)} payment(s) due."
        )
