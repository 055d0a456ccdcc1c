"""Writes of briefings: the session, its documents, the chair's conclusions, their
follow-up tasks and the progress on them."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from briefing.models.sessions import (
    BriefingDocument,
    BriefingSession,
    Conclusion,
    FollowUpTask,
    ProgressUpdate,
    TaskStatus,
)
from briefing.organisations import roles
from proposals.attachments import PRESENTATION_KINDS, validate_attachment


def _office_only(actor) -> None:
    if not roles.is_office_coordinator(actor):
        raise PermissionDenied


@transaction.atomic
def document_add(*, session: BriefingSession, actor, title: str, presenter, uploaded):
    """Store a presentation. Its type is read from its content; on disk it gets a
    generated name with the real extension."""
    _office_only(actor)
    try:
        kind = validate_attachment(uploaded, PRESENTATION_KINDS)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    document = BriefingDocument(
        session=session, title=title.strip(), presenter=presenter, original_name=uploaded.name
    )
    document.file.save(f"upload{kind.extension}", uploaded, save=False)
    document.save()
    return document


@transaction.atomic
def document_delete(*, document: BriefingDocument, actor) -> None:
    _office_only(actor)
    stored = document.file.name
    document.delete()
    if stored:
        storage = document.file.storage
        transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def conclusion_add(*, session: BriefingSession, actor, text: str) -> Conclusion:
    """The next numbered conclusion (numbers follow the chair's order)."""
    _office_only(actor)
    BriefingSession.objects.select_for_update().get(pk=session.pk)
    last = session.conclusions.aggregate(last=Max("number"))["last"] or 0
    return Conclusion.objects.create(session=session, number=last + 1, text=text.strip())


@transaction.atomic
def task_add(*, conclusion: Conclusion, actor, text: str, assignees, deadline) -> FollowUpTask:
    _office_only(actor)
    task = FollowUpTask.objects.create(conclusion=conclusion, text=text.strip(), deadline=deadline)
    task.assignees.set(assignees)
    return task


def may_update_task(user, task: FollowUpTask) -> bool:
    """The assigned organisations follow up their task; the office may record for them."""
    if not user.is_authenticated:
        return False
    if roles.is_office_coordinator(user):
        return True
    return bool(user.organisation_id) and task.assignees.filter(pk=user.organisation_id).exists()


def progress_update_add(
    *, task_id: int, actor, text: str, date: datetime.date, status: str
) -> ProgressUpdate:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Describe the progress.")})
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    with transaction.atomic():
        task = FollowUpTask.objects.select_for_update().get(pk=task_id)
        if not may_update_task(actor, task):
            raise PermissionDenied
        update = ProgressUpdate.objects.create(
            task=task, author=actor, organisation=actor.organisation, text=text, date=date
        )
        if task.status != status:
            task.status = status
            task.save(update_fields=["status", "updated_at"])
    return update
