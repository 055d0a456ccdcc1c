"""Webhooks: the addresses an organisation's systems give to be told, by a signed POST,
when its recommendations change state or an answer is published (proposals.webhooks).
Imported by proposals.models, so the models keep the app's label."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from briefing.models.organisations import Organisation


class WebhookEventType(models.TextChoices):
    SUBMITTED = "recommendation.submitted", _("Recommendation sent to the Ministry")
    ACCEPTED = "recommendation.accepted", _("Accepted and assigned to a unit")
    RETURNED = "recommendation.returned", _("Returned for clarification")
    MERGED = "recommendation.merged", _("Marked as a duplicate")
    REJECTED = "recommendation.rejected", _("Rejected as out of scope")
    WITHDRAWN = "recommendation.withdrawn", _("Withdrawn")
    ANSWER_APPROVED = "recommendation.answer_approved", _("Answer approved")
    ANSWER_REVISED = "recommendation.answer_revised", _("Published answer being revised")
    ANSWER_PUBLISHED = "answer.published", _("Answer published")


# The event of the "send a test event" button: every endpoint receives it.
PING = "ping"


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """An address of an organisation's system. The secret signs every delivery, so it is
    kept as written (a hash could not sign); it is shown once, when made or rotated."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("address (URL)"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=80, default=new_webhook_secret, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    # Failed attempts in a row, of any delivery: at WEBHOOK_DISABLE_AFTER it stops.
    failures_in_row = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    secret_rotated_at = models.DateTimeField(_("secret changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["organisation_id", "name", "pk"]

    def __str__(self):
        return self.name

    def wants(self, event_type: str) -> bool:
        return event_type == PING or event_type in self.events

    def event_labels(self) -> list[str]:
        labels = dict(WebhookEventType.choices)
        return [str(labels[e]) for e in self.events if e in labels]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event for one endpoint, with its payload as it was when the event happened.
    Its id goes with every attempt, so the receiver can drop a repeat."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_type = models.CharField(_("event"), max_length=40)
    payload = models.JSONField()
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # A worker owns the delivery until then (claimed with a conditional UPDATE).
    claimed_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["endpoint", "-created_at"]),
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="webhook_pending",
            ),
        ]

    def __str__(self):
        return f"{self.event_type} {self.event_id}"


class WebhookAttempt(models.Model):
    """One POST of a delivery: what the receiver answered, or why it could not."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    at = models.DateTimeField(_("time"), auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    response_excerpt = models.CharField(_("response"), max_length=500, blank=True)
    ok = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.delivery_id} #{self.number}"
