"""Writes of briefings: conclusions' follow-up tasks and their progress."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from briefing import roles
from briefing.models import FollowUpTask, ProgressUpdate, TaskStatus


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
