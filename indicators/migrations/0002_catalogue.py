"""The indicators of the Q3/2020 briefing and the reporting periods 2019-2027."""

from django.db import migrations

from indicators.catalogue import sync_catalogue


def load(apps, schema_editor):
    sync_catalogue(
        apps.get_model("indicators", "DataElement"),
        apps.get_model("indicators", "Indicator"),
        apps.get_model("indicators", "ReportingPeriod"),
        apps.get_model("briefing", "Organisation"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("briefing", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
