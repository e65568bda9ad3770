"""Daily digest for the ESS officers: overdue reports, reports to review, payments due.

Run once a day by cron or a task runner: ``python manage.py send_staff_digest``.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ess_metro.accounts import roles
from ess_metro.notifications import notify
from projects.conventions.services import staff_digest_data


class Command(BaseCommand):
    help = "E-mail the staff group what needs doing on conventions (overdue reports, payments due)."

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
        data = staff_digest_data(today)
        has_news = any(
            data[key] for key in ("overdue_reports", "reports_to_review", "payments_due")
        )
        if not has_news and not options["always"]:
            self.stdout.write("Nothing to report; no e-mail sent.")
            return
        recipients = list(
            get_user_model()
            .objects.filter(groups__name=roles.STAFF_GROUP, is_active=True)
            .exclude(email="")
            .order_by("email")
            .values_list("email", flat=True)
            .distinct()
        )
        for email in recipients:
            notify("projects/conventions/staff_digest", to=[email], context=data)
        self.stdout.write(
            f"Digest sent to {len(recipients)} officer(s): {len(data['overdue_reports'])} overdue "
            f"report(s), {len(data['reports_to_review'])} to review, "
            f"{len(data['payments_due'])} payment(s) due."
        )
