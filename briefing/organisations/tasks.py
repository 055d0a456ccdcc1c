"""Celery tasks of notifications (the e-mail of each event, and the daily digest) and of
API tokens (expired Idempotency-Keys pruned)."""

from celery import shared_task

from briefing.organisations import api_tokens, notifications


@shared_task(name="briefing.email_notifications", ignore_result=True)
def email_notifications(*, notification_ids: list[int]) -> int:
    return notifications.email_notifications(notification_ids=notification_ids)


@shared_task(name="briefing.send_notification_digests", ignore_result=True)
def send_notification_digests() -> int:
    return notifications.send_digests()


@shared_task(name="briefing.prune_idempotency_keys", ignore_result=True)
def prune_idempotency_keys() -> int:
    return api_tokens.prune_idempotency_keys()
