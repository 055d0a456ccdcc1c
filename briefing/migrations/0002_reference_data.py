"""Load the fixed roles and the reference organisations (ministry units, 63 and 34
provinces with the 2025 mapping, central agencies) from briefing/data/."""

from django.db import migrations


def load(apps, schema_editor):
    from briefing.organisations.reference_data import sync_organisations, sync_roles

    sync_roles(apps.get_model("briefing", "Role"))
    sync_organisations(apps.get_model("briefing", "Organisation"))


class Migration(migrations.Migration):
    dependencies = [("briefing", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
