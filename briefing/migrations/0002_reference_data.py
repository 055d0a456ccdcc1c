"""Load the fixed roles and the reference organisations (ministry units, 63 and 34
provinces with the 2025 mapping, central agencies) from briefing/data/."""

from django.db import migrations

ROLE_CODES = [
    "office_coordinator",
    "unit_officer",
    "unit_leader",
    "province_officer",
    "province_leader",
    "system_admin",
]


def load(apps, schema_editor):
    from briefing.reference_data import sync_organisations

    Role = apps.get_model("briefing", "Role")
    for code in ROLE_CODES:
        Role.objects.get_or_create(code=code)
    sync_organisations(apps.get_model("briefing", "Organisation"))


class Migration(migrations.Migration):
    dependencies = [("briefing", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
