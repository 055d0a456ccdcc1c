"""Celery task of follow-up tasks: the daily e-mail about overdue ones.

Claims each organisation's e-mail of the day with a unique row first, so a second run
of the job sends nothing twice.
"""

from collections import defaultdict

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from briefing.models import FollowUpTask, RoleCode, TaskReminder, User

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
        try:
            with transaction.atomic():
                TaskReminder.objects.create(organisation=organisation, day=today)
        except IntegrityError:
            continue  # already sent today
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "organisation": organisation,
                "tasks": tasks,
                "today": today,
                "base": settings.PORTAL_BASE_URL,
            }
            subject = render_to_string("briefing/email/tasks_subject.txt", context).strip()
            body = render_to_string("briefing/email/tasks_body.txt", context)
        try:
            send_mail(subject, body, None, sorted(recipients))
        except Exception:
            TaskReminder.objects.filter(organisation=organisation, day=today).delete()
            raise
        sent += 1
    return sent
