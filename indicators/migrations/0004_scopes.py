"""The 4-layer security indicator applies to 20 ministries (catalogue.SCOPES)."""

from django.db import migrations

from indicators.catalogue import sync_scopes


def load(apps, schema_editor):
    sync_scopes(apps.get_model("indicators", "Indicator"), apps.get_model("briefing", "Organisation"))


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_indicator_scope"),
        ("briefing", "0007_government_agencies"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
