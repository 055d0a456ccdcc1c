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
from django.utils.translation import gettext_noop

from briefing.models.organisations import RoleCode, User
from briefing.organisations import notifications
from briefing.platform.mail import render_mail, send_daily_digests, send_once
from proposals.models import (
    Answer,
    Event,
    OverdueDigest,
    PublicSubmission,
    Recommendation,
    SenderNotice,
    Subscription,
    SubscriptionNotice,
)
from proposals.services import public_intake
from proposals.services.publishing import answer_publish, answers_publish_due
from proposals.workflow import (
    ALL_TRANSITIONS,
    NOTIFY_DEPARTMENT,
    NOTIFY_DEPARTMENT_LEADERS,
    NOTIFY_LEADER,
    NOTIFY_OFFICE,
    NOTIFY_SENDER,
    NOTIFY_UNIT,
    SENDER_STAGE,
    SENDER_STEPS,
)

log = logging.getLogger(__name__)


# What each person notified of a transition reads under the bell (translated when shown).
NOTICES = {
    "submit": gettext_noop("%(code)s was sent to the Ministry"),
    "ask_signature": gettext_noop("%(code)s waits for your signature to be sent"),
    "accept": gettext_noop("%(code)s was accepted and assigned to %(unit)s"),
    "return": gettext_noop("%(code)s was returned for clarification"),
    "merge": gettext_noop("%(code)s was marked as a duplicate"),
    "reject": gettext_noop("%(code)s was rejected as out of scope"),
    "send_to_leader": gettext_noop("The answer to %(code)s waits for approval"),
    "approve": gettext_noop("%(code)s was answered: the answer is approved"),
    "publish": gettext_noop("The answer to %(code)s was published"),
    "revise": gettext_noop("The published answer to %(code)s is to be revised"),
    "send_back": gettext_noop("The answer to %(code)s was sent back for rework"),
}
GENERIC_NOTICE = gettext_noop("%(code)s changed")

UNIT_ROLES = (RoleCode.UNIT_OFFICER, RoleCode.UNIT_LEADER)
DEPARTMENT_ROLES = (RoleCode.PROVINCE_OFFICER, RoleCode.PROVINCE_LEADER)


def recipient_users(event: Event) -> list[User]:
    """The people a transition concerns (never the person who took it)."""
    rec = event.recommendation
    people: dict[int, User] = {}
    for target in ALL_TRANSITIONS[event.action].notify:
        if target == NOTIFY_UNIT:
            found = notifications.staff_of(rec.responsible_unit_id, *UNIT_ROLES)
        elif target == NOTIFY_LEADER:
            found = notifications.staff_of(rec.responsible_unit_id, RoleCode.UNIT_LEADER)
        elif target == NOTIFY_OFFICE:
            found = notifications.office_staff()
        elif target == NOTIFY_DEPARTMENT:
            found = notifications.staff_of(rec.submitting_organisation_id, *DEPARTMENT_ROLES)
        elif target == NOTIFY_DEPARTMENT_LEADERS:
            found = notifications.staff_of(rec.submitting_organisation_id, RoleCode.PROVINCE_LEADER)
        elif target == NOTIFY_SENDER:
            found = []  # no account: tell_sender e-mails them
        else:  # NOTIFY_SUBMITTER: the person who sent it
            found = [rec.submitted_by] if rec.submitted_by and rec.submitted_by.is_active else []
        people.update((user.pk, user) for user in found)
    if event.actor_id:
        people.pop(event.actor_id, None)
    return list(people.values())


def recipients_for(event: Event, users: list[User] | None = None) -> set[str]:
    """The addresses e-mailed about a transition: the people it concerns who want an
    e-mail for every event (a citizen who wrote in: tell_sender)."""
    users = recipient_users(event) if users is None else users
    emails = notifications.emails_of_every_event(users)
    # A sender from the public is not e-mailed here: tell_sender writes to them with
    # their status page's link (a staff page's link would be no use to them).
    if event.actor and event.actor.email:
        emails.discard(event.actor.email)  # no mail about what you just did yourself
    return emails


def _link(rec: Recommendation) -> str:
    return settings.PORTAL_BASE_URL + reverse("proposals:detail", args=[rec.pk])


def _notify_in_portal(event: Event, users: list[User]) -> None:
    rec = event.recommendation
    notifications.notify(
        users=users,
        message=NOTICES.get(event.action, GENERIC_NOTICE),
        params={
            "code": rec.code,
            "title": rec.title,
            "unit": rec.responsible_unit.short_name if rec.responsible_unit else "",
        },
        url=reverse("proposals:detail", args=[rec.pk]),
        # A rerun after a failed e-mail writes nothing twice.
        key=f"proposals:event:{event.pk}",
        actor=event.actor,
        mailed_by_caller=True,
    )


@shared_task(name="proposals.notify_event", ignore_result=True)
def notify_event(*, event_id: int) -> int:
    """Tell the people a transition concerns, under the bell and by e-mail as each
    chose. Returns how many addresses were written to."""
    claimed = Event.objects.filter(pk=event_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return 0  # already sent by an earlier run
    event = Event.objects.select_related(
        "recommendation__responsible_unit", "recommendation__submitted_by", "actor"
    ).get(pk=event_id)
    if event.action in SENDER_STEPS:
        tell_sender(event)
    users = recipient_users(event)
    _notify_in_portal(event, users)
    emails = recipients_for(event, users)
    if not emails:
        return 0
    subject, body = render_mail(
        "proposals/email/event",
        {
            "event": event,
            "rec": event.recommendation,
            "label": ALL_TRANSITIONS[event.action].label,
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


def _status_link(submission: PublicSubmission) -> str:
    return settings.PORTAL_BASE_URL + reverse("answers:track", args=[submission.token])


@shared_task(name="proposals.send_submission_confirmation", ignore_result=True)
def send_submission_confirmation(*, submission_id: int) -> bool:
    """The e-mail with the link that confirms a public form; once."""
    submission = (
        PublicSubmission.objects.select_related("recommendation")
        .filter(pk=submission_id, confirmed_at__isnull=True)
        .first()
    )
    if submission is None or not submission.recommendation.submitter_email:
        return False  # confirmed, deleted or erased meanwhile
    link = settings.PORTAL_BASE_URL + reverse("answers:ask_confirm", args=[submission.token])
    return send_once(
        claim_model=SenderNotice,
        claim={"submission": submission, "key": "confirm"},
        template="proposals/email/ask_confirm",
        context={
            "rec": submission.recommendation,
            "link": link,
            "hours": public_intake.UNCONFIRMED_HOURS,
        },
        recipients=[submission.recommendation.submitter_email],
    )


def tell_sender(event: Event) -> bool:
    """E-mail a sender from the public about a step of their recommendation, with the
    status page's link (and the answer, once published)."""
    rec = event.recommendation
    submission = PublicSubmission.objects.filter(recommendation=rec).first()
    if submission is None or not rec.submitter_email or submission.token is None:
        return False  # not from the public, or the sender's data is erased
    answer = Answer.objects.filter(recommendation=rec).first()
    return send_once(
        claim_model=SenderNotice,
        claim={"submission": submission, "key": f"event-{event.pk}"},
        template="proposals/email/sender_step",
        context={
            "rec": rec,
            "event": event,
            "stage": SENDER_STAGE.get(event.to_status, ""),
            "answer": answer,
            "link": _status_link(submission),
            "answer_link": settings.PORTAL_BASE_URL + reverse("answers:detail", args=[rec.code]),
        },
        recipients=[rec.submitter_email],
    )


@shared_task(name="proposals.purge_unconfirmed_submissions", ignore_result=True)
def purge_unconfirmed_submissions() -> int:
    return public_intake.submissions_purge_unconfirmed()


@shared_task(name="proposals.anonymise_closed_submissions", ignore_result=True)
def anonymise_closed_submissions() -> int:
    return public_intake.submissions_anonymise_closed()
