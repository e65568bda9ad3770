from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from ess_metro import demo

# Order follows the dependencies: kernel ← programme ← projects, communication ← governance.
APP_DEMOS = [
    "programme.demo",
    "projects.demo",
    "projects.demo_conventions",
    "communication.demo",
    "governance.demo",
]


class Command(BaseCommand):
    help = "Create realistic French demo data and accounts for each role (idempotent)."

    def handle(self, *args, **options):
        # Demo data never sends e-mail, whatever the configured backend.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self._seed()

    @transaction.atomic
    def _seed(self):
        context = demo.DemoContext()
        demo.seed(context)
        for name in APP_DEMOS:
            try:
                module = import_module(name)
            except ModuleNotFoundError as error:
                if error.name != name:
                    raise
                continue
            module.seed(context)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Accounts (e-mail / password):"))
        for line in context.lines:
            self.stdout.write(line)
