"""Organisation tokens of the API: a department's system calls the API with one; its
key is stored as a digest only. And the answers kept for Idempotency-Key, so a retried
request creates nothing twice (briefing.organisations.api_tokens)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from briefing.models.organisations import Organisation, User


class ApiScope(models.TextChoices):
    READ = "read", _("Read the organisation's recommendations")
    RECOMMENDATIONS = "recommendations", _("Send recommendations")
    INDICATOR_REPORTS = "indicator_reports", _("Send indicator reports")


class ApiToken(models.Model):
    """A key an organisation's system uses. The key itself is shown once, when it is
    made; only its SHA-256 digest and a short prefix (to recognise it) are kept."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("beginning of the key"), max_length=16)
    key_digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("permissions"), default=list)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("made by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    def scope_labels(self) -> list[str]:
        labels = dict(ApiScope.choices)
        return [str(labels.get(scope, scope)) for scope in self.scopes]


class ApiIdempotencyKey(models.Model):
    """The first answer to a request that carried an Idempotency-Key: a retry with the
    same key and body gets it again instead of acting twice."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    # SHA-256 of the method, path and body: the same key with another body is refused.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="one_answer_per_idempotency_key")
        ]

    def __str__(self):
        return f"{self.token_id} {self.key}"
