"""Writes of readers' subscriptions to new answers: ask, confirm, cancel."""

import datetime

from django.db import transaction
from django.utils import timezone

from briefing.platform.outbox import outbox_enqueue
from proposals.models import Field, Subscription

# A reader asking again within this time gets no second confirmation e-mail: nobody can
# flood an address through the subscription form.
CONFIRMATION_INTERVAL = datetime.timedelta(minutes=10)


def subscription_request(*, email: str, field: Field | None) -> Subscription:
    """A reader asks for an e-mail at each new answer (in `field`, or in every field).

    The confirmation goes to the address itself, at most once per interval, and never
    to an address that confirmed already; the reader sees the same page in every case,
    so the form tells nobody who has subscribed.
    """
    # One subscription per mailbox: providers ignore case, so the address is kept in
    # lower case (Doc.Gia@Example.VN and doc.gia@example.vn are one reader).
    email = email.strip().lower()
    now = timezone.now()
    with transaction.atomic():
        subscription, _created = Subscription.objects.get_or_create(email=email, field=field)
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        recent = (
            subscription.confirmation_sent_at
            and now - subscription.confirmation_sent_at < CONFIRMATION_INTERVAL
        )
        if subscription.confirmed_at or recent:
            return subscription
        subscription.confirmation_sent_at = now
        subscription.save(update_fields=["confirmation_sent_at"])
        outbox_enqueue(
            task="proposals.send_subscription_confirmation", subscription_id=subscription.pk
        )
    return subscription


def subscription_confirm(*, subscription: Subscription) -> None:
    Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )


def subscription_cancel(*, subscription: Subscription) -> None:
    """Forget the address (and what was sent to it)."""
    Subscription.objects.filter(pk=subscription.pk).delete()
