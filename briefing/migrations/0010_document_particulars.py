# The particulars of a quarter's official documents (issue #16): number and symbol,
# issuing body, place and date, signer, recipients; a new row each save.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("briefing", "0009_notifications"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DocumentParticulars",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                ("quarter", models.PositiveSmallIntegerField(verbose_name="quarter")),
                (
                    "kind",
                    models.CharField(
                        choices=[("report", "Report"), ("conclusions", "Notice of conclusions")],
                        max_length=20,
                        verbose_name="document",
                    ),
                ),
                (
                    "number",
                    models.CharField(blank=True, max_length=10, verbose_name="document number"),
                ),
                ("symbol", models.CharField(max_length=30, verbose_name="symbol")),
                (
                    "parent_body",
                    models.CharField(blank=True, max_length=150, verbose_name="managing body"),
                ),
                ("issuing_body", models.CharField(max_length=150, verbose_name="issuing body")),
                ("place", models.CharField(max_length=60, verbose_name="place")),
                (
                    "issued_on",
                    models.DateField(blank=True, null=True, verbose_name="date of the document"),
                ),
                (
                    "signer_authority",
                    models.CharField(
                        blank=True, max_length=60, verbose_name="signing on behalf of"
                    ),
                ),
                (
                    "signer_title",
                    models.CharField(max_length=150, verbose_name="position of the signer"),
                ),
                (
                    "signer_name",
                    models.CharField(blank=True, max_length=150, verbose_name="name of the signer"),
                ),
                ("recipients", models.TextField(verbose_name="recipients")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="saved")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "snapshot",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="particulars",
                        to="briefing.reportsnapshot",
                        verbose_name="report version",
                    ),
                ),
            ],
            options={
                "verbose_name": "particulars of an official document",
                "verbose_name_plural": "particulars of official documents",
                "ordering": ["year", "quarter", "kind", "-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["year", "quarter", "kind", "-created_at"],
                        name="briefing_do_year_7cdaf8_idx",
                    )
                ],
            },
        ),
    ]
