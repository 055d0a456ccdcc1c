"""Briefing sessions: their documents, the chair's conclusions, the follow-up tasks
those give and the progress reported on them, and the daily reminder of overdue tasks."""

import datetime
import os
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from briefing.models.organisations import Organisation
from briefing.platform import quarters


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
        return self.title or self.label

    @property
    def slug(self) -> str:
        return f"{self.year}-q{self.quarter}"

    @property
    def label(self) -> str:
        return quarters.label(self.year, self.quarter)


def briefing_document_path(instance, filename):
    # Generated names: the uploaded name is kept in the database, never on disk.
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
