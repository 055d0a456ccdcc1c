"""Organisations over time, the roles people hold in them, and users."""

import datetime

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.db.models.query import ModelIterable
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from briefing.platform.collation import Vietnamese


class OrganisationKind(models.TextChoices):
    # The ministry that runs the portal: one row whose names change over time.
    MINISTRY = "ministry", _("The ministry")
    MINISTRY_UNIT = "ministry_unit", _("Ministry unit")
    PROVINCE = "province", _("Provincial department")
    CENTRAL_AGENCY = "central_agency", _("Ministry or central agency")


class OrganisationQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        """Organisations that existed on `day` (open-ended bounds count as always)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def provinces(self):
        return self.filter(kind=OrganisationKind.PROVINCE)

    def ministry_units(self):
        return self.filter(kind=OrganisationKind.MINISTRY_UNIT)

    def alphabetical(self):
        """By kind, then by name in Vietnamese alphabetical order (briefing.collation)."""
        return self.order_by("kind", Vietnamese("name"), "code")

    def named_on(self, day: datetime.date):
        """The organisations as they were called on `day`: each object's name and
        short_name are those in force then (OrganisationName), in the same query.
        Objects read this way are for showing, not for saving."""
        names = OrganisationName.objects.filter(
            organisation=OuterRef("pk"), valid_from__lte=day
        ).order_by("-valid_from")
        queryset = self.annotate(
            name_then=Subquery(names.values("name")[:1]),
            short_name_then=Subquery(names.values("short_name")[:1]),
        )
        queryset._iterable_class = _NamedOnIterable
        return queryset


class _NamedOnIterable(ModelIterable):
    def __iter__(self):
        for organisation in super().__iter__():
            organisation.name = organisation.name_then or organisation.name
            organisation.short_name = organisation.short_name_then or organisation.short_name
            yield organisation


class Organisation(models.Model):
    """A ministry unit, a provincial department or a central ministry/agency.

    Organisations are data: a merger closes the old rows (valid_to) and links each to
    its successor, so a 2020 quarter still rolls up over the 63 provinces of 2020.
    """

    # The Ministry Office's code: the coordinator role belongs to it.
    MINISTRY_OFFICE_CODE = "VPB"
    # The ministry itself (Bộ TT&TT until 28 February 2025, Bộ KH&CN since).
    MINISTRY_CODE = "BO"

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60)
    name_en = models.CharField(
        _("name in English"),
        max_length=200,
        blank=True,
        help_text=_("Shown on the English pages; the Vietnamese name when empty."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    admin_code = models.CharField(
        _("administrative code"),
        max_length=10,
        blank=True,
        help_text=_("Official code of the province in the national list of administrative units."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    source = models.CharField(_("source of the record"), max_length=300, blank=True)
    # Sign-off inside a department: its leader signs what goes to the Ministry
    # (recommendations, indicator reports) unless the department lets its officers send.
    officers_may_send = models.BooleanField(
        _("officers may send to the Ministry"),
        default=False,
        help_text=_(
            "When off, officers prepare recommendations and indicator reports and only "
            "the department's leaders send them to the Ministry."
        ),
    )

    objects = OrganisationQuerySet.as_manager()
    # Who changed the sign-off setting (or a name, a date) and when.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="organisation_valid_range",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(
                {"valid_to": _("The end date must not be before the start date.")}
            )
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("An organisation cannot succeed itself.")})

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class OrganisationName(models.Model):
    """A new name of an organisation from a date on (a merger of departments, the
    ministry's own change in 2025). Until its first new name an organisation is called
    by its own name; from `valid_from` on, by the latest of these that has begun."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="names",
    )
    valid_from = models.DateField(_("called so from"))
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    source = models.CharField(_("source of the record"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("name from a date")
        verbose_name_plural = _("names over time")
        ordering = ["organisation", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "valid_from"], name="organisation_name_once_a_day"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.valid_from:%d/%m/%Y})"


class RoleCode(models.TextChoices):
    OFFICE_COORDINATOR = "office_coordinator", _("Ministry Office coordinator")
    UNIT_OFFICER = "unit_officer", _("Unit officer")
    UNIT_LEADER = "unit_leader", _("Unit leader")
    PROVINCE_OFFICER = "province_officer", _("Provincial officer")
    PROVINCE_LEADER = "province_leader", _("Provincial leader")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class Role(models.Model):
    code = models.CharField(_("code"), max_length=30, primary_key=True, choices=RoleCode.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["code"]

    def __str__(self):
        return str(self.get_code_display())


class EmailPreference(models.TextChoices):
    EVERY = "every", _("An e-mail for every event")
    DIGEST = "digest", _("One e-mail a day listing the day's events")
    NONE = "none", _("No e-mail: I read them in the portal")


class User(AbstractUser):
    """A person who signs in. Belongs to one organisation and holds roles."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    roles = models.ManyToManyField(Role, verbose_name=_("roles"), blank=True, related_name="users")
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    # What of the portal's notifications also reaches the person by e-mail.
    email_preference = models.CharField(
        _("e-mail notifications"),
        max_length=10,
        choices=EmailPreference.choices,
        default=EmailPreference.EVERY,
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        # Vietnamese order: family and middle names first (Phạm Thị Hoa).
        return f"{self.last_name} {self.first_name}".strip()


class SecurityEventKind(models.TextChoices):
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    LOCKED_OUT = "locked_out", _("Locked out after failed sign-ins")
    SECOND_FACTOR_FAILED = "otp_failed", _("Wrong second-factor code")
    SECOND_FACTOR_ENROLLED = "otp_enrolled", _("Second factor set up")
    RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
    SECOND_FACTOR_RESET = "otp_reset", _("Second factor reset")
    SIGNED_OUT_ELSEWHERE = "signed_out_elsewhere", _("Signed out of other devices")
    PERMISSION_DENIED = "permission_denied", _("Access refused")
    ROLES_CHANGED = "roles_changed", _("Roles changed")
    ORGANISATION_CHANGED = "organisation_changed", _("Organisation changed")
    ACCOUNT_CHANGED = "account_changed", _("Account activated or deactivated")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    ANSWER_PUBLISHED = "answer_published", _("Answer published")
    PERIOD_LOCKED = "period_locked", _("Reporting period locked")
    PERIOD_REOPENED = "period_reopened", _("Reporting period reopened")
    PERSONAL_DATA_ERASED = "personal_data_erased", _("Personal data of a sender erased")
    WEBHOOK_CREATED = "webhook_created", _("Webhook created")
    WEBHOOK_DELETED = "webhook_deleted", _("Webhook deleted")
    WEBHOOK_SECRET_ROTATED = "webhook_secret_rotated", _("Webhook secret changed")


class SecurityEvent(models.Model):
    """One line of the security log. Written by the portal only: no page, form or admin
    edits or deletes it (briefing.organisations.security_log)."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=40, choices=SecurityEventKind.choices)
    actor = models.ForeignKey(
        User,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The name typed at a failed sign-in, or the actor's user name when it was written.
    username = models.CharField(_("user name"), max_length=150, blank=True)
    subject = models.ForeignKey(
        User,
        verbose_name=_("person concerned"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("address"), max_length=300, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["kind", "at"], name="security_kind_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.username}"

    @property
    def detail_display(self) -> str:
        """The detail as people read it: role codes ("+unit_leader") by their names, an
        account's new state in the reader's language."""
        if self.kind == SecurityEventKind.ACCOUNT_CHANGED:
            states = {"active": _("activated"), "inactive": _("deactivated")}
            return str(states.get(self.detail, self.detail))
        if self.kind != SecurityEventKind.ROLES_CHANGED:
            return self.detail
        labels = dict(RoleCode.choices)
        return ", ".join(
            f"{word[0]}{labels.get(word[1:], word[1:])}" for word in self.detail.split()
        )


class Notification(models.Model):
    """Something that happened which concerns one person: shown under the bell of every
    page, and e-mailed as the person chose (briefing.organisations.notifications).

    `message` is the English msgid with %(name)s placeholders filled from `params` when
    it is shown, so each reader sees it in their own language."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(max_length=300)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    # Reminders name what they remind of, so a job that runs twice writes them once.
    key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Sent by e-mail, on its own or in a daily digest.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="one_notification_per_key"
            )
        ]

    def __str__(self):
        return f"{self.user_id}: {self.message}"

    @property
    def text(self) -> str:
        """The message in the reader's language, its placeholders filled in."""
        try:
            return gettext(self.message) % self.params
        except (KeyError, TypeError, ValueError):
            return gettext(self.message)


class NotificationDigest(models.Model):
    """One row per person and day: the daily digest is sent once even if the job reruns."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="one_notification_digest_a_day")
        ]

    def __str__(self):
        return f"{self.user_id} {self.day}"
