"""Celery task of follow-up tasks: the daily e-mail about overdue ones.

Claims each organisation's e-mail of the day with a unique row first, so a second run
of the job sends nothing twice.
"""

from collections import defaultdict

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from briefing.models.organisations import RoleCode, User
from briefing.models.sessions import FollowUpTask, TaskReminder
from briefing.platform.mail import send_once

LEADERS = (RoleCode.PROVINCE_LEADER, RoleCode.UNIT_LEADER)


@shared_task(name="briefing.send_overdue_task_reminders", ignore_result=True)
def send_overdue_task_reminders() -> int:
    """Each morning, one e-mail per assigned organisation to its leaders, listing the
    briefing tasks past their deadline."""
    today = timezone.localdate()
    by_org = defaultdict(list)
    overdue = (
        FollowUpTask.objects.overdue(today)
        .select_related("conclusion__session")
        .prefetch_related("assignees")
        .order_by("deadline", "pk")
    )
    for task in overdue:
        for organisation in task.assignees.all():
            by_org[organisation].append(task)
    if not by_org:
        return 0
    emails = defaultdict(set)
    for org_id, email in (
        User.objects.filter(is_active=True, organisation__in=list(by_org), roles__code__in=LEADERS)
        .exclude(email="")
        .values_list("organisation_id", "email")
        .distinct()
    ):
        emails[org_id].add(email)
    sent = 0
    for organisation, tasks in by_org.items():
        recipients = emails.get(organisation.pk)
        if not recipients:
            continue
        context = {
            "organisation": organisation,
            "tasks": tasks,
            "today": today,
            "base": settings.PORTAL_BASE_URL,
        }
        if not send_once(
            claim_model=TaskReminder,
            claim={"organisation": organisation, "day": today},
            template="briefing/email/tasks",
            context=context,
            recipients=recipients,
        ):
            continue
        sent += 1
    return sent
