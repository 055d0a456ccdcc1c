"""Organisations over time, the roles people hold in them, and users."""

import datetime

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from briefing.platform.collation import Vietnamese


class OrganisationKind(models.TextChoices):
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


class Organisation(models.Model):
    """A ministry unit, a provincial department or a central ministry/agency.

    Organisations are data: a merger closes the old rows (valid_to) and links each to
    its successor, so a 2020 quarter still rolls up over the 63 provinces of 2020.
    """

    # The Ministry Office's code: the coordinator role belongs to it.
    MINISTRY_OFFICE_CODE = "VPB"

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60)
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

    objects = OrganisationQuerySet.as_manager()

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
        """The detail as people read it: role codes ("+unit_leader") by their names."""
        if self.kind != SecurityEventKind.ROLES_CHANGED:
            return self.detail
        labels = dict(RoleCode.choices)
        return ", ".join(
            f"{word[0]}{labels.get(word[1:], word[1:])}" for word in self.detail.split()
        )
