from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from demo import calls, communication, conventions, core, governance, programme

# Order follows the dependencies: kernel ← programme ← projects, communication ← governance.
APP_DEMOS = [programme, calls, conventions, communication, governance]


class Command(BaseCommand):
    help = "Create realistic French demo data and accounts for each role (idempotent)."

    def handle(self, *args, **options):
        # Demo data never sends e-mail, whatever the configured backend.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self._seed()

    @transaction.atomic
    def _seed(self):
        context = core.DemoContext()
        core.seed(context)
        for module in APP_DEMOS:
            module.seed(context)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Accounts (e-mail / password):"))
        for line in context.lines:
            self.stdout.write(line)
