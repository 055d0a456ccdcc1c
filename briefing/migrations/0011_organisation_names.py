# Names over time (issue #14): the ministry as an organisation with its two names, and
# the 63 departments' names from 1 March 2025.

import django.db.models.deletion
from django.db import migrations, models

from briefing.organisations.reference_data import sync_organisations


def load(apps, schema_editor):
    sync_organisations(apps.get_model("briefing", "Organisation"))


class Migration(migrations.Migration):
    dependencies = [
        ("briefing", "0010_document_particulars"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="name_en",
            field=models.CharField(
                blank=True,
                help_text="Shown on the English pages; the Vietnamese name when empty.",
                max_length=200,
                verbose_name="name in English",
            ),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="kind",
            field=models.CharField(
                choices=[
                    ("ministry", "The ministry"),
                    ("ministry_unit", "Ministry unit"),
                    ("province", "Provincial department"),
                    ("central_agency", "Ministry or central agency"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.CreateModel(
            name="OrganisationName",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("valid_from", models.DateField(verbose_name="called so from")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("short_name", models.CharField(max_length=60, verbose_name="short name")),
                (
                    "name_en",
                    models.CharField(blank=True, max_length=200, verbose_name="name in English"),
                ),
                (
                    "source",
                    models.CharField(
                        blank=True, max_length=300, verbose_name="source of the record"
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="names",
                        to="briefing.organisation",
                        verbose_name="organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "name from a date",
                "verbose_name_plural": "names over time",
                "ordering": ["organisation", "valid_from"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organisation", "valid_from"), name="organisation_name_once_a_day"
                    )
                ],
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
