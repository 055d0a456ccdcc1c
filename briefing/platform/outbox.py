"""The outbox: follow-up work is recorded with the change and handed to Celery after
commit. A broker outage delays it (the sweep retries) but never loses it and never
turns the user's action into an error."""

import datetime
import logging

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from briefing.celery import app
from briefing.models.platform import OutboxMessage

log = logging.getLogger(__name__)

# How long a dispatcher owns a message before another may try it.
CLAIM_SECONDS = 60
# Messages younger than this are left to their own on-commit dispatch.
SWEEP_GRACE = datetime.timedelta(seconds=30)


def outbox_enqueue(*, task: str, **kwargs) -> OutboxMessage:
    """Record `task(**kwargs)` in the current transaction; send it after commit."""
    message = OutboxMessage.objects.create(task=task, kwargs=kwargs)
    transaction.on_commit(lambda: outbox_dispatch(message_id=message.pk, message=message))
    return message


def outbox_dispatch(*, message_id: int, message: OutboxMessage | None = None) -> bool:
    """Hand one message to Celery. Returns whether it was sent by this call. `message`,
    when the caller holds it, saves reading it again (task and kwargs never change)."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        pk=message_id,
        sent_at__isnull=True,
    ).update(
        claimed_until=now + datetime.timedelta(seconds=CLAIM_SECONDS),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return False
    message = message or OutboxMessage.objects.get(pk=message_id)
    try:
        app.tasks[message.task].apply_async(kwargs=message.kwargs)
    except Exception as exc:  # broker down or similar: the sweep will try again
        log.warning("outbox: could not send %s: %s", message, exc)
        OutboxMessage.objects.filter(pk=message_id).update(
            claimed_until=None, last_error=f"{type(exc).__name__}: {exc}"[:1000]
        )
        return False
    OutboxMessage.objects.filter(pk=message_id).update(sent_at=timezone.now(), last_error="")
    return True


def outbox_sweep() -> int:
    """Send every message that is still unsent after the grace period."""
    cutoff = timezone.now() - SWEEP_GRACE
    pending = OutboxMessage.objects.filter(sent_at__isnull=True, created_at__lt=cutoff)
    sent = 0
    for message_id in pending.order_by("created_at").values_list("pk", flat=True)[:500]:
        sent += outbox_dispatch(message_id=message_id)
    return sent
