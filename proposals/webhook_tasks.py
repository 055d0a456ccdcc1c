"""Celery tasks of webhooks: one attempt of a delivery, and the sweep of attempts that
never reached a worker. Registered by ProposalsConfig.ready()."""

from celery import shared_task

from proposals.webhook_delivery import webhook_deliver, webhooks_retry_due


@shared_task(name="proposals.deliver_webhook", ignore_result=True)
def deliver_webhook(*, delivery_id: int) -> bool | None:
    return webhook_deliver(delivery_id=delivery_id)


@shared_task(name="proposals.retry_due_webhooks", ignore_result=True)
def retry_due_webhooks() -> int:
    return webhooks_retry_due()
