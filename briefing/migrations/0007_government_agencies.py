"""Add the seven government agencies of Decree 10/2016/ND-CP (Vietnam News Agency,
VOV, VTV, ...) to the central agencies: with them the ministries and sectors number
29, as the LGSP figure counts them (77 of 92 with the 63 provinces)."""

from django.db import migrations


def load(apps, schema_editor):
    from briefing.organisations.reference_data import sync_organisations

    sync_organisations(apps.get_model("briefing", "Organisation"))


class Migration(migrations.Migration):
    dependencies = [("briefing", "0006_task_reminder")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
