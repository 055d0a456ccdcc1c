"""Core models: organisations, roles and users."""

import datetime

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from briefing.collation import Vietnamese


class OrganisationKind(models.TextChoices):
    MINISTRY_UNIT = "ministry_unit", _("Ministry unit")
    PROVINCE = "province", _("Provincial department")
    CENTRAL_AGENCY = "central_agency", _("Ministry or central agency")


class OrganisationQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        """Organisations that existed on `day` (open-ended bounds count as always)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def provinces(self):
        return self.filter(kind=OrganisationKind.PROVINCE)

    def ministry_units(self):
        return self.filter(kind=OrganisationKind.MINISTRY_UNIT)

    def alphabetical(self):
        """By kind, then by name in Vietnamese alphabetical order (briefing.collation)."""
        return self.order_by("kind", Vietnamese("name"), "code")


class Organisation(models.Model):
    """A ministry unit, a provincial department or a central ministry/agency.

    Organisations are data: a merger closes the old rows (valid_to) and links each to
    its successor, so a 2020 quarter still rolls up over the 63 provinces of 2020.
    """

    # The Ministry Office's code: the coordinator role belongs to it.
    MINISTRY_OFFICE_CODE = "VPB"

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    admin_code = models.CharField(
        _("administrative code"),
        max_length=10,
        blank=True,
        help_text=_("Official code of the province in the national list of administrative units."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    source = models.CharField(_("source of the record"), max_length=300, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="organisation_valid_range",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(
                {"valid_to": _("The end date must not be before the start date.")}
            )
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("An organisation cannot succeed itself.")})

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class RoleCode(models.TextChoices):
    OFFICE_COORDINATOR = "office_coordinator", _("Ministry Office coordinator")
    UNIT_OFFICER = "unit_officer", _("Unit officer")
    UNIT_LEADER = "unit_leader", _("Unit leader")
    PROVINCE_OFFICER = "province_officer", _("Provincial officer")
    PROVINCE_LEADER = "province_leader", _("Provincial leader")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class Role(models.Model):
    code = models.CharField(_("code"), max_length=30, primary_key=True, choices=RoleCode.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["code"]

    def __str__(self):
        return str(self.get_code_display())


class User(AbstractUser):
    """A person who signs in. Belongs to one organisation and holds roles."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    roles = models.ManyToManyField(Role, verbose_name=_("roles"), blank=True, related_name="users")
    job_title = models.CharField(_("job title"), max_length=120, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        # Vietnamese order: family and middle names first (Phạm Thị Hoa).
        return f"{self.last_name} {self.first_name}".strip()


class OutboxMessage(models.Model):
    """A Celery task to send once the transaction that wrote it has committed.

    The row is written in the same transaction as the business change, so a committed
    action always has its follow-up recorded; if the broker is down when the commit
    happens, the periodic sweep sends it later.
    """

    task = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_unsent",
                condition=Q(sent_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.task} #{self.pk}"


class VisitDay(models.Model):
    """Page views of one day, moved here from Redis by a periodic job (a page view
    itself never writes to the database)."""

    day = models.DateField(unique=True)
    views = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.day}: {self.views}"


# --- Briefing sessions, conclusions, follow-up tasks and quarterly reports ---------


class BriefingForm(models.TextChoices):
    ONLINE = "online", _("Online, with bridge points")
    IN_PERSON = "in_person", _("In person")


class BriefingSession(models.Model):
    """One quarterly state-management briefing (Hội nghị giao ban QLNN).

    The recommendations sent to it are not stored here: they are the proposals with
    channel "briefing" for the same year and quarter (see `recommendations()`).
    """

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), choices=[(q, str(q)) for q in range(1, 5)]
    )
    date = models.DateField(_("date"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    form = models.CharField(
        _("form"), max_length=20, choices=BriefingForm.choices, default=BriefingForm.ONLINE
    )
    bridge_points = models.PositiveSmallIntegerField(_("bridge points"), default=0)
    chair = models.CharField(_("chair"), max_length=200, blank=True)
    participants = models.ManyToManyField(
        Organisation,
        verbose_name=_("participating organisations"),
        blank=True,
        related_name="briefing_sessions",
    )
    participants_note = models.TextField(_("other participants"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("briefing session")
        verbose_name_plural = _("briefing sessions")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="one_briefing_per_quarter"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="briefing_quarter_1_4"
            ),
        ]

    def __str__(self):
        return self.title or f"Q{self.quarter}/{self.year}"

    @property
    def slug(self) -> str:
        return f"{self.year}-q{self.quarter}"

    @property
    def label(self) -> str:
        return f"Q{self.quarter}/{self.year}"

    def recommendations(self):
        from proposals.models import Channel, Recommendation

        return Recommendation.objects.filter(
            channel=Channel.BRIEFING, period_year=self.year, period_quarter=self.quarter
        )


def briefing_document_path(instance, filename):
    # Generated names: the uploaded name is kept in the database, never on disk.
    import os
    import uuid

    extension = os.path.splitext(filename)[1].lower()[:10]
    return f"briefings/{uuid.uuid4().hex}{extension}"


class BriefingDocument(models.Model):
    """A presentation (tham luận) or other document of a briefing."""

    session = models.ForeignKey(BriefingSession, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    presenter = models.ForeignKey(
        Organisation,
        verbose_name=_("presented by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to=briefing_document_path, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("briefing document")
        verbose_name_plural = _("briefing documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.title


class Conclusion(models.Model):
    """One item of the chair's conclusions."""

    session = models.ForeignKey(
        BriefingSession, on_delete=models.CASCADE, related_name="conclusions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("conclusion"))

    class Meta:
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="one_conclusion_number")
        ]

    def __str__(self):
        return f"{self.session} #{self.number}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class FollowUpTaskQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date | None = None):
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.exclude(status=TaskStatus.DONE).filter(deadline__lt=today)


class FollowUpTask(models.Model):
    """A task given by a conclusion, followed up by the organisations assigned."""

    conclusion = models.ForeignKey(Conclusion, on_delete=models.CASCADE, related_name="tasks")
    text = models.TextField(_("task"))
    assignees = models.ManyToManyField(
        Organisation, verbose_name=_("assigned organisations"), related_name="briefing_tasks"
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = FollowUpTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        ordering = ["conclusion", "deadline", "pk"]

    def __str__(self):
        return self.text[:60]

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        from django.utils import timezone

        today = today or timezone.localdate()
        return bool(self.deadline and self.status != TaskStatus.DONE and self.deadline < today)


class ProgressUpdate(models.Model):
    task = models.ForeignKey(FollowUpTask, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        "briefing.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("progress"), max_length=5000)
    date = models.DateField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.task_id} {self.date}"


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
        return f"Q{self.quarter}/{self.year} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            # Only the status may change once written.
            kwargs["update_fields"] = ["status"]
        super().save(*args, **kwargs)


class TaskReminder(models.Model):
    """One row per organisation and day: the overdue-task e-mail is sent once a day even
    if the job runs again."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "day"], name="one_task_reminder_a_day")
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.day}"
