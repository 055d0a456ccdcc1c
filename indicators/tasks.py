"""Celery task of indicator reporting: the reminders of reports due soon or overdue."""

from celery import shared_task
from django.utils import timezone

from indicators import notifications


@shared_task(name="indicators.remind_due_reports", ignore_result=True)
def remind_due_reports() -> int:
    return notifications.remind_due_reports(today=timezone.localdate())
