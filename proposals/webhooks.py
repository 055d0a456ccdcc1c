"""Webhooks: what an organisation's systems are told, and the writes of their endpoints.

A transition of a recommendation (proposals.workflow.record_transition) calls
`webhooks_for_transition` in its own transaction: one WebhookDelivery per endpoint that
wants the event, with the payload as it is at that moment, and one outbox message each,
so the POST leaves after commit and a rolled-back change sends nothing. The POST itself,
its retries and the disabling of an endpoint that keeps failing are in
proposals.webhook_delivery.

Every request carries the event's id (the same on every retry: the receiver drops
repeats), its type, the time of the attempt and
`X-Giaoban-Signature: sha256=<HMAC-SHA256 of "<timestamp>.<body>" with the secret>`.
"""

import hashlib
import hmac
import uuid

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from briefing.models.organisations import SecurityEventKind
from briefing.organisations import security_log
from briefing.platform.outbox import outbox_enqueue
from proposals.models import (
    Answer,
    DeliveryStatus,
    Event,
    Recommendation,
    Status,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEventType,
)
from proposals.webhook_models import PING, new_webhook_secret

DELIVER_TASK = "proposals.deliver_webhook"
SIGNATURE_HEADER = "X-Giaoban-Signature"
EVENT_ID_HEADER = "X-Giaoban-Event-Id"
EVENT_TYPE_HEADER = "X-Giaoban-Event"
TIMESTAMP_HEADER = "X-Giaoban-Timestamp"

# The event each transition of the submitting department's recommendation sends. The
# steps inside the Ministry (the answer sent to the unit's leader, sent back) are not
# the department's to follow, as on its own pages.
EVENT_OF_ACTION = {
    "submit": WebhookEventType.SUBMITTED,
    "accept": WebhookEventType.ACCEPTED,
    "return": WebhookEventType.RETURNED,
    "merge": WebhookEventType.MERGED,
    "reject": WebhookEventType.REJECTED,
    "withdraw": WebhookEventType.WITHDRAWN,
    "approve": WebhookEventType.ANSWER_APPROVED,
    "revise": WebhookEventType.ANSWER_REVISED,
    "publish": WebhookEventType.ANSWER_PUBLISHED,
}
# The Ministry's words addressed to the department travel with these events.
EVENTS_WITH_NOTE = frozenset({"return", "reject", "merge", "withdraw"})


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """What the receiver computes to check the request came from the portal."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def _absolute(url: str) -> str:
    return settings.PORTAL_BASE_URL + url


def recommendation_data(rec: Recommendation, event: Event, answer: Answer | None = None) -> dict:
    """The state of a recommendation as a department's system reads it. Only a published
    answer's frozen text is sent, never a draft."""
    with translation.override(settings.LANGUAGE_CODE):
        status_label = str(Status(rec.status).label)
    data = {
        "code": rec.code,
        "title": rec.title,
        "status": rec.status,
        "status_label": status_label,
        "quarter": f"{rec.period_year}-Q{rec.period_quarter}",
        "changed_at": event.created_at.isoformat(),
        "url": _absolute(reverse("proposals:detail", args=[rec.pk])),
    }
    if event.action in EVENTS_WITH_NOTE and event.recommendation_id == rec.pk:
        data["note"] = event.note
    if rec.duplicate_of_id:
        data["duplicate_of"] = rec.duplicate_of.code
    if answer is not None and answer.published_at is not None:
        data["answer"] = {
            "text": answer.published_text,
            "published_at": (answer.republished_at or answer.published_at).isoformat(),
            "url": _absolute(reverse("answers:detail", args=[answer.recommendation.code])),
        }
    return data


def _enqueue(endpoint: WebhookEndpoint, event_type: str, data: dict) -> WebhookDelivery:
    event_id = uuid.uuid4()
    now = timezone.now()
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id=event_id,
        event_type=event_type,
        payload={
            "id": str(event_id),
            "type": event_type,
            "created_at": now.isoformat(),
            "data": data,
        },
        next_attempt_at=now,
    )
    outbox_enqueue(task=DELIVER_TASK, delivery_id=delivery.pk)
    return delivery


def webhooks_for_transition(*, rec: Recommendation, event: Event) -> int:
    """Queue the event for the endpoints of the recommendation's department (and, when
    an answer is published, of the departments whose duplicates it answers). Runs in
    the transition's transaction. Returns how many deliveries were queued."""
    event_type = EVENT_OF_ACTION.get(event.action)
    if event_type is None:
        return 0
    recs = [rec]
    answer = None
    if event_type == WebhookEventType.ANSWER_PUBLISHED:
        answer = Answer.objects.select_related("recommendation").get(recommendation=rec)
        recs += list(
            Recommendation.objects.filter(duplicate_of=rec, status=Status.MERGED).select_related(
                "duplicate_of"
            )
        )
    org_ids = {r.submitting_organisation_id for r in recs} - {None}
    if not org_ids:
        return 0
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(organisation_id__in=org_ids, is_active=True)
        if endpoint.wants(event_type)
    ]
    queued = 0
    for each in recs:
        mine = [e for e in endpoints if e.organisation_id == each.submitting_organisation_id]
        if not mine:
            continue
        data = recommendation_data(each, event, answer)
        for endpoint in mine:
            _enqueue(endpoint, event_type, data)
            queued += 1
    return queued


# --- the endpoints' pages call these ------------------------------------------------


def webhook_endpoint_create(
    *, actor, organisation, name: str, url: str, events: list[str], request=None
) -> WebhookEndpoint:
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            organisation=organisation, name=name, url=url, events=events, created_by=actor
        )
        security_log.record(
            SecurityEventKind.WEBHOOK_CREATED,
            request=request,
            actor=actor,
            organisation=organisation,
            detail=f"{name}: {url}"[:300],
        )
    return endpoint


def webhook_endpoint_update(
    *, endpoint: WebhookEndpoint, name: str, url: str, events: list[str]
) -> WebhookEndpoint:
    endpoint.name, endpoint.url, endpoint.events = name, url, events
    endpoint.save(update_fields=["name", "url", "events"])
    return endpoint


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint, actor, request=None) -> None:
    with transaction.atomic():
        security_log.record(
            SecurityEventKind.WEBHOOK_DELETED,
            request=request,
            actor=actor,
            organisation=endpoint.organisation,
            detail=f"{endpoint.name}: {endpoint.url}"[:300],
        )
        endpoint.delete()


def webhook_secret_rotate(*, endpoint: WebhookEndpoint, actor, request=None) -> str:
    """A new secret signs from now on; the old one stops at once."""
    with transaction.atomic():
        endpoint.secret = new_webhook_secret()
        endpoint.secret_rotated_at = timezone.now()
        endpoint.save(update_fields=["secret", "secret_rotated_at"])
        security_log.record(
            SecurityEventKind.WEBHOOK_SECRET_ROTATED,
            request=request,
            actor=actor,
            organisation=endpoint.organisation,
            detail=endpoint.name,
        )
    return endpoint.secret


def webhook_endpoint_enable(*, endpoint: WebhookEndpoint) -> int:
    """Turn a disabled endpoint on again and send what waited meanwhile. Returns how
    many waiting deliveries were queued again."""
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            is_active=True, failures_in_row=0, disabled_at=None
        )
        endpoint.is_active, endpoint.failures_in_row, endpoint.disabled_at = True, 0, None
        waiting = list(
            WebhookDelivery.objects.filter(
                endpoint=endpoint, status=DeliveryStatus.PENDING
            ).values_list("pk", flat=True)[:100]
        )
        WebhookDelivery.objects.filter(pk__in=waiting).update(
            next_attempt_at=timezone.now(), claimed_until=None
        )
        for delivery_id in waiting:
            outbox_enqueue(task=DELIVER_TASK, delivery_id=delivery_id)
    return len(waiting)


def webhook_send_test(*, endpoint: WebhookEndpoint, actor) -> WebhookDelivery:
    """A "ping" event, to check the receiver and its signature check."""
    with transaction.atomic():
        return _enqueue(
            endpoint,
            PING,
            {
                "organisation": endpoint.organisation.code,
                "endpoint": endpoint.name,
                "sent_by": actor.get_username(),
            },
        )
