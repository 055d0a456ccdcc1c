"""Recommendations (kiến nghị), their answers, attachments and workflow events."""

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from briefing.models.organisations import Organisation
from briefing.platform import quarters
from proposals.webhook_models import (  # noqa: F401 (the app's models, in their own module)
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEventType,
)


class Field(models.Model):
    """A field of state management (lĩnh vực): postal, telecoms, press, ..."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for clarification")
    ACCEPTED = "accepted", _("Assigned to a unit")
    ANSWER_DRAFTED = "answer_drafted", _("Answer awaiting approval")
    ANSWER_APPROVED = "answer_approved", _("Answer approved")
    PUBLISHED = "published", _("Published")
    MERGED = "merged", _("Merged as a duplicate")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses in which the responsible unit still owes an answer (overdue counts these).
OPEN_FOR_UNIT = (Status.ACCEPTED, Status.ANSWER_DRAFTED)


class SourceKind(models.TextChoices):
    PROVINCE = "province", _("Provincial department")
    AGENCY = "agency", _("Ministry or agency")
    CITIZEN = "citizen", _("Citizen")
    ENTERPRISE = "enterprise", _("Enterprise")
    ORGANISATION = "organisation", _("Organisation")


class Channel(models.TextChoices):
    BRIEFING = "briefing", _("To the quarterly briefing")
    REGULAR = "regular", _("Regular (any time)")


class RecommendationQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.filter(status__in=OPEN_FOR_UNIT, deadline__lt=today)


class Recommendation(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=300)
    content = models.TextField(_("content"), max_length=20000)
    field = models.ForeignKey(Field, verbose_name=_("field"), on_delete=models.PROTECT)
    source_kind = models.CharField(
        _("source"), max_length=20, choices=SourceKind.choices, default=SourceKind.PROVINCE
    )
    submitting_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("submitting organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submitted_recommendations",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Personal data of a citizen who writes in; never shown on public pages.
    submitter_name = models.CharField(_("submitter's name"), max_length=200, blank=True)
    submitter_email = models.EmailField(_("submitter's e-mail"), blank=True)
    submitter_phone = models.CharField(_("submitter's phone"), max_length=30, blank=True)
    submitter_address = models.CharField(_("submitter's address"), max_length=300, blank=True)

    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.BRIEFING
    )
    period_year = models.PositiveSmallIntegerField(_("year"))
    period_quarter = models.PositiveSmallIntegerField(
        _("quarter"), choices=[(q, str(q)) for q in range(1, 5)]
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    responsible_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_recommendations",
    )
    cooperating_units = models.ManyToManyField(
        Organisation,
        verbose_name=_("cooperating units"),
        blank=True,
        related_name="cooperating_recommendations",
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_("Set by the Ministry Office to publish the approved answer later."),
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    # Set by the form that created it: a double-clicked "save" creates one row, not two.
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["submission_key", "updated_at"])
    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["period_year", "period_quarter"]),
            models.Index(fields=["responsible_unit", "status"]),
            models.Index(fields=["submitting_organisation", "status"]),
            # The public list sorts every published answer by field and code: with
            # these columns in an index it never reads the wide rows (texts, search).
            models.Index(fields=["id"], include=["field", "code"], name="rec_list_order_idx"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def period_end(self):
        """The last day of the recommendation's quarter: the date its sender is named
        for (a department sending for Q2/2025 was already "Sở KH&CN")."""
        return quarters.quarter_bounds(self.period_year, self.period_quarter)[1]

    @property
    def quarter_label(self) -> str:
        return quarters.label(self.period_year, self.period_quarter)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.deadline and self.status in OPEN_FOR_UNIT and self.deadline < today)


class Answer(models.Model):
    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.CASCADE, related_name="answer"
    )
    text = models.TextField(_("answer"), max_length=50000, blank=True)
    # Optimistic lock: a save must name the version it was edited from.
    version = models.PositiveIntegerField(default=0)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    drafted_at = models.DateTimeField(_("drafted"), null=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True)
    # What the public reads: frozen at publication, changed only by a new publication.
    published_text = models.TextField(_("published answer"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    republished_at = models.DateTimeField(_("updated"), null=True, blank=True)
    published_version = models.PositiveIntegerField(null=True, blank=True)
    # Lower-case, without diacritics: the public search matches "chuyen doi so" to
    # "chuyển đổi số" on every database (PostgreSQL indexes it for full-text search).
    search_text = models.TextField(blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            # The public list and its count: published answers without their texts.
            models.Index(
                fields=["recommendation"],
                include=["id"],
                condition=models.Q(published_at__isnull=False),
                name="answer_published_idx",
            )
        ]

    def __str__(self):
        return f"{self.recommendation.code}"


def attachment_path(instance, filename):
    # Generated names: the uploaded name is kept in the database, never on disk.
    today = timezone.localdate()
    return f"attachments/{today:%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class Attachment(models.Model):
    class Part(models.TextChoices):
        RECOMMENDATION = "recommendation", _("Recommendation")
        ANSWER = "answer", _("Answer")

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="attachments"
    )
    part = models.CharField(max_length=20, choices=Part.choices, default=Part.RECOMMENDATION)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # An answer's file is public from the publication that included it: a file added
    # while a published answer is being revised stays private until the revision is
    # published too.
    published_at = models.DateTimeField(null=True, blank=True)
    # A published answer's file removed (or replaced) in a revision: gone from the
    # draft, still public until the revision is published, deleted then.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class Event(models.Model):
    """One workflow transition: who did what, when, with which note."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.recommendation_id} {self.action}"


class CodeSequence(models.Model):
    """The last number used per code prefix (KN-2020-Q3), taken under a row lock."""

    prefix = models.CharField(max_length=30, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.prefix}: {self.last}"


class OverdueDigest(models.Model):
    """One row per unit and day: the daily digest is sent once even if the job reruns."""

    unit = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="one_digest_a_day")]

    def __str__(self):
        return f"{self.unit_id} {self.day}"


class AnswerRating(models.Model):
    """One reader's stars for a published answer; one vote per browser."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="ratings")
    voter = models.CharField(max_length=64)
    # A one-way hash of the client's address: made-up voter tokens from one address
    # count only up to a limit (services.VOTES_PER_CLIENT).
    client = models.CharField(max_length=32, blank=True, db_index=True)
    stars = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "voter"], name="one_rating_per_browser"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="stars_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.answer_id}: {self.stars}"


def _subscription_token() -> str:
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    """A reader who asked for an e-mail when an answer is published, in one field or in
    all. Confirmed from the address itself (double opt-in). The address is personal
    data: no public page, feed, export or API shows it."""

    email = models.EmailField(_("e-mail"))
    field = models.ForeignKey(
        Field, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("field")
    )
    token = models.CharField(max_length=64, unique=True, default=_subscription_token)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)  # asked for
    confirmation_mailed_at = models.DateTimeField(null=True, blank=True)  # claimed by the job
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail subscription")
        verbose_name_plural = _("e-mail subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "field"],
                condition=models.Q(field__isnull=False),
                name="one_subscription_per_field",
            ),
            models.UniqueConstraint(
                fields=["email"],
                condition=models.Q(field__isnull=True),
                name="one_subscription_to_all_fields",
            ),
        ]

    def __str__(self):
        return self.email


class SubscriptionNotice(models.Model):
    """Claim of one e-mail: this publication (answer, version) to this subscriber."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE)
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE)
    version = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "answer", "version"], name="one_notice_per_publication"
            )
        ]

    def __str__(self):
        return f"{self.subscription_id}: {self.answer_id} v{self.version}"


class ReceivedVia(models.TextChoices):
    """How a recommendation from the public reached the Ministry."""

    WEB = "web", _("The portal's form")
    LETTER = "letter", _("Letter")
    HOTLINE = "hotline", _("Hotline")
    EMAIL = "email", _("E-mail")
    NATIONAL_PORTAL = "national_portal", _("National public service portal")


PUBLIC_SOURCE_KINDS = (SourceKind.CITIZEN, SourceKind.ENTERPRISE, SourceKind.ORGANISATION)


def _tracking_token() -> str:
    return secrets.token_urlsafe(32)


class PublicSubmission(models.Model):
    """How a citizen's, enterprise's or organisation's recommendation arrived, and the
    link its sender follows it by. The sender's name and contact stay on the
    recommendation (submitter_*), which only the Ministry Office reads; both are blanked
    on request or after the retention period (`anonymised_at`)."""

    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.CASCADE, related_name="public_submission"
    )
    received_via = models.CharField(
        _("received via"), max_length=20, choices=ReceivedVia.choices, default=ReceivedVia.WEB
    )
    received_on = models.DateField(_("received on"))
    # The status page's link (43 random characters); null once the link has expired.
    token = models.CharField(max_length=64, unique=True, null=True, default=_tracking_token)
    # A one-way hash of the sender's network address, for the per-client limit.
    client = models.CharField(max_length=32, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    confirmation_mailed_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("recommendation from the public")
        verbose_name_plural = _("recommendations from the public")

    def __str__(self):
        return f"{self.recommendation_id} ({self.received_via})"


class SenderNotice(models.Model):
    """Claim of one e-mail to a public sender (`key`: "confirm", "received" or the
    event's id), so a rerun of a job never sends it twice."""

    submission = models.ForeignKey(PublicSubmission, on_delete=models.CASCADE)
    key = models.CharField(max_length=30)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "key"], name="one_notice_per_step")
        ]

    def __str__(self):
        return f"{self.submission_id}: {self.key}"
