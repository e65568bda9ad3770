from django.core.management.base import BaseCommand

from demo.core import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the second-factor code of the demo staff accounts now (demo only)."

    def handle(self, *args, **options):
        from binascii import unhexlify

        from django_otp.oath import totp

        self.stdout.write(f"{totp(unhexlify(DEMO_TOTP_KEY)):06d}")
