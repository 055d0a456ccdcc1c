"""Celery task of follow-up tasks: the daily e-mail about overdue ones.

Claims each organisation's e-mail of the day with a unique row first (the daily-digest
mailer of briefing.platform.mail), so a second run of the job sends nothing twice.
"""

from collections import defaultdict

from celery import shared_task
from django.utils import timezone

from briefing.models.organisations import RoleCode, User
from briefing.models.sessions import FollowUpTask, TaskReminder
from briefing.platform.mail import send_daily_digests

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
    return send_daily_digests(
        items_by_organisation=by_org,
        readers=User.objects.filter(roles__code__in=LEADERS),
        claim_model=TaskReminder,
        organisation_name="organisation",
        items_name="tasks",
        template="briefing/email/tasks",
        day=today,
    )
