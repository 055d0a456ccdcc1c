from django.core.management.base import BaseCommand
from django.db import transaction

from briefing.models.organisations import Organisation
from briefing.organisations.reference_data import sync_organisations


class Command(BaseCommand):
    help = (
        "Create or update the reference organisations from briefing/organisations/data/ "
        "(safe to re-run)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            count = sync_organisations(Organisation)
        self.stdout.write(f"{count} reference organisations are up to date.")
