"""The quarterly report: each roll-up is kept as an immutable snapshot."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from briefing.models.sessions import BriefingSession
from briefing.platform import quarters


class SnapshotStatus(models.TextChoices):
    CURRENT = "current", _("Current")
    SUPERSEDED = "superseded", _("Superseded")


class ReportSnapshot(models.Model):
    """One version of a quarter's roll-up report. Immutable: the figures are written
    once; only `status` changes (superseded by a newer version)."""

    session = models.ForeignKey(
        BriefingSession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="snapshots",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    version = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    fingerprint = models.CharField(max_length=64)
    data = models.JSONField()
    status = models.CharField(
        max_length=20, choices=SnapshotStatus.choices, default=SnapshotStatus.CURRENT
    )

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["year", "quarter", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter", "version"], name="one_report_version"
            )
        ]

    def __str__(self):
        return f"{quarters.label(self.year, self.quarter)} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            # Only the status may change once written.
            kwargs["update_fields"] = ["status"]
        super().save(*args, **kwargs)
