"""Celery tasks of recommendations: e-mail after transitions, the overdue digest,
publication, and the e-mails of readers subscribed to new answers.

Each takes primary keys, claims its work with a conditional UPDATE or a unique row
first, and is safe to run twice.
"""

import logging
import smtplib
from collections import defaultdict

from celery import shared_task
from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from briefing.models.organisations import RoleCode, User
from briefing.platform.mail import render_mail, send_daily_digests, send_once
from proposals.models import (
    Answer,
    Event,
    OverdueDigest,
    Recommendation,
    Subscription,
    SubscriptionNotice,
)
from proposals.services.publishing import answer_publish, answers_publish_due
from proposals.workflow import (
    NOTIFY_LEADER,
    NOTIFY_OFFICE,
    NOTIFY_SUBMITTER,
    NOTIFY_UNIT,
    TRANSITIONS,
)

log = logging.getLogger(__name__)


def _active_emails(users) -> set[str]:
    return {
        email for email in users.filter(is_active=True).values_list("email", flat=True) if email
    }


def recipients_for(event: Event) -> set[str]:
    rec = event.recommendation
    emails: set[str] = set()
    for target in TRANSITIONS[event.action].notify:
        if target == NOTIFY_UNIT and rec.responsible_unit_id:
            emails |= _active_emails(
                User.objects.filter(
                    organisation_id=rec.responsible_unit_id,
                    roles__code__in=[RoleCode.UNIT_OFFICER, RoleCode.UNIT_LEADER],
                )
            )
        elif target == NOTIFY_LEADER and rec.responsible_unit_id:
            emails |= _active_emails(
                User.objects.filter(
                    organisation_id=rec.responsible_unit_id, roles__code=RoleCode.UNIT_LEADER
                )
            )
        elif target == NOTIFY_OFFICE:
            emails |= _active_emails(User.objects.filter(roles__code=RoleCode.OFFICE_COORDINATOR))
        elif target == NOTIFY_SUBMITTER:
            if rec.submitted_by and rec.submitted_by.is_active and rec.submitted_by.email:
                emails.add(rec.submitted_by.email)
            if rec.submitter_email:
                emails.add(rec.submitter_email)
    if event.actor and event.actor.email:
        emails.discard(event.actor.email)  # no mail about what you just did yourself
    return emails


def _link(rec: Recommendation) -> str:
    return settings.PORTAL_BASE_URL + reverse("proposals:detail", args=[rec.pk])


@shared_task(name="proposals.notify_event", ignore_result=True)
def notify_event(*, event_id: int) -> int:
    """E-mail the people a transition concerns. Returns how many were written to."""
    claimed = Event.objects.filter(pk=event_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return 0  # already sent by an earlier run
    event = Event.objects.select_related(
        "recommendation__responsible_unit", "recommendation__submitted_by", "actor"
    ).get(pk=event_id)
    emails = recipients_for(event)
    if not emails:
        return 0
    subject, body = render_mail(
        "proposals/email/event",
        {
            "event": event,
            "rec": event.recommendation,
            "label": TRANSITIONS[event.action].label,
            "link": _link(event.recommendation),
        },
    )
    try:
        send_mail(subject, body, None, sorted(emails))
    except Exception:
        # Let a later run try again rather than lose the notification.
        Event.objects.filter(pk=event_id).update(notified_at=None)
        raise
    return len(emails)


@shared_task(name="proposals.send_overdue_digests", ignore_result=True)
def send_overdue_digests() -> int:
    """Each morning, one e-mail per unit to its leaders listing overdue items."""
    today = timezone.localdate()
    by_unit = defaultdict(list)
    overdue = (
        Recommendation.objects.overdue(today)
        .select_related("responsible_unit")
        .order_by("deadline", "code")
    )
    for rec in overdue:
        by_unit[rec.responsible_unit].append(rec)
    return send_daily_digests(
        items_by_organisation=by_unit,
        readers=User.objects.filter(roles__code=RoleCode.UNIT_LEADER),
        claim_model=OverdueDigest,
        organisation_name="unit",
        items_name="items",
        template="proposals/email/digest",
        day=today,
    )


@shared_task(name="proposals.publish_answer", ignore_result=True)
def publish_answer(*, recommendation_id: int) -> bool:
    return answer_publish(recommendation_id=recommendation_id)


@shared_task(name="proposals.publish_due_answers", ignore_result=True)
def publish_due_answers() -> int:
    return answers_publish_due()


def _subscription_links(subscription: Subscription) -> dict:
    base = settings.PORTAL_BASE_URL
    return {
        "confirm": base + reverse("answers:subscription_confirm", args=[subscription.token]),
        "cancel": base + reverse("answers:subscription_cancel", args=[subscription.token]),
    }


@shared_task(name="proposals.send_subscription_confirmation", ignore_result=True)
def send_subscription_confirmation(*, subscription_id: int) -> bool:
    """The e-mail that asks the reader to confirm; once per request."""
    claimed = (
        Subscription.objects.filter(pk=subscription_id, confirmed_at__isnull=True)
        .exclude(confirmation_mailed_at__gte=F("confirmation_sent_at"))
        .update(confirmation_mailed_at=timezone.now())
    )
    if not claimed:
        return False  # sent by an earlier run, confirmed, or cancelled
    subscription = Subscription.objects.select_related("field").get(pk=subscription_id)
    subject, body = render_mail(
        "proposals/email/subscription_confirm",
        {"subscription": subscription, **_subscription_links(subscription)},
    )
    try:
        send_mail(subject, body, None, [subscription.email])
    except Exception:
        Subscription.objects.filter(pk=subscription_id).update(confirmation_mailed_at=None)
        raise
    return True


# A mail server that is down is retried (later runs skip what was sent: the claims).
@shared_task(
    name="proposals.notify_subscribers",
    ignore_result=True,
    autoretry_for=(OSError, smtplib.SMTPException),
    retry_backoff=60,
    max_retries=6,
)
def notify_subscribers(*, answer_id: int, version: int) -> int:
    """One e-mail per confirmed subscriber of the answer's field (or of every field) for
    this publication; a rerun sends only what was not sent. Returns how many."""
    answer = Answer.objects.select_related("recommendation__field").get(pk=answer_id)
    if answer.published_version != version:
        return 0  # published again since: that publication sends its own
    rec = answer.recommendation
    subscriptions = Subscription.objects.filter(confirmed_at__isnull=False).filter(
        Q(field__isnull=True) | Q(field_id=rec.field_id)
    )
    if not subscriptions.exists():
        return 0  # no mail server to reach
    link = settings.PORTAL_BASE_URL + reverse("answers:detail", args=[rec.code])
    sent = 0
    with get_connection() as connection:  # one SMTP session for every subscriber
        for subscription in subscriptions.order_by("pk").iterator():
            sent += _notify_one(subscription, answer, version, link, connection)
    return sent


def _notify_one(subscription, answer, version: int, link: str, connection) -> bool:
    links = _subscription_links(subscription)
    return send_once(
        claim_model=SubscriptionNotice,
        claim={"subscription": subscription, "answer": answer, "version": version},
        template="proposals/email/new_answer",
        context={
            "answer": answer,
            "rec": answer.recommendation,
            "link": link,
            "updated": answer.republished_at is not None,
            **links,
        },
        recipients=[subscription.email],
        # One-click unsubscribe from the mail program (RFC 8058): it POSTs to the link,
        # which the cancel view accepts without a form.
        headers={
            "List-Unsubscribe": f"<{links['cancel']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        connection=connection,
    )
