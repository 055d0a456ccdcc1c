"""The current second-factor code of the demo accounts, for `make run` without a phone.
Refused when DEBUG is off: production accounts have secrets of their own."""

import base64
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP


class Command(BaseCommand):
    help = "Print the current two-step verification code of the demo accounts (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo code is never printed when DEBUG is off.")
        totp = TOTP(base64.b32decode(settings.DEMO_TOTP_SECRET))
        now = time.time()
        totp.time = now
        left = totp.step - int(now - totp.t0) % totp.step
        self.stdout.write(f"{totp.token():06d}")
        self.stderr.write(f"valid for {left} more seconds; a code signs in once per account")
