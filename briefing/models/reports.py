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


class DocumentKind(models.TextChoices):
    REPORT = "report", _("Report")
    CONCLUSIONS = "conclusions", _("Notice of conclusions")


class DocumentParticulars(models.Model):
    """What the Ministry Office gives an official document of a quarter before it is
    signed (Decree 30/2020/NĐ-CP): number and symbol, place and date, the signer and the
    recipients. Never changed once written: each save is a new row, so the rows of a
    quarter are the history of its documents, and a report's row names the snapshot
    version it was given for (the snapshot itself stays immutable)."""

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    snapshot = models.ForeignKey(
        ReportSnapshot,
        verbose_name=_("report version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="particulars",
    )
    number = models.CharField(_("document number"), max_length=10, blank=True)
    symbol = models.CharField(_("symbol"), max_length=30)
    parent_body = models.CharField(_("managing body"), max_length=150, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=150)
    place = models.CharField(_("place"), max_length=60)
    issued_on = models.DateField(_("date of the document"), null=True, blank=True)
    signer_authority = models.CharField(_("signing on behalf of"), max_length=60, blank=True)
    signer_title = models.CharField(_("position of the signer"), max_length=150)
    signer_name = models.CharField(_("name of the signer"), max_length=150, blank=True)
    recipients = models.TextField(_("recipients"))
    created_by = models.ForeignKey(
        "briefing.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("particulars of an official document")
        verbose_name_plural = _("particulars of official documents")
        ordering = ["year", "quarter", "kind", "-created_at", "-pk"]
        indexes = [models.Index(fields=["year", "quarter", "kind", "-created_at"])]

    def __str__(self):
        return f"{quarters.label(self.year, self.quarter)} {self.kind} {self.number}/{self.symbol}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Particulars are never changed: save a new row.")
        super().save(*args, **kwargs)

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]
