"""Organisation tokens of the API: making and revoking them, who may, and what a call
with one is: `Authorization: Bearer <key>` (or `Token <key>`) names the organisation and
the person who made the token, who is recorded as the actor of what the call writes.

Also the request machinery every token endpoint shares: the scope a view needs, a rate
per token, a body size limit, and Idempotency-Key (a retried request gets the first
answer and acts once)."""

import datetime
import hashlib
import io
import json
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from briefing.models.api_tokens import ApiIdempotencyKey, ApiScope, ApiToken
from briefing.models.organisations import Organisation, SecurityEventKind
from briefing.organisations import roles, security_log
from briefing.organisations.backends import remember_annotated_roles, with_role_codes
from briefing.platform.api_input import TextJSONParser

KEY_PREFIX = "gb_"
PREFIX_LENGTH = len(KEY_PREFIX) + 8
# last_used_at is written at most this often per token: a busy system costs no write
# per call.
LAST_USE_PRECISION = datetime.timedelta(minutes=1)
# Writes a token can hold only when its maker sends for the organisation.
WRITE_SCOPES = {ApiScope.RECOMMENDATIONS, ApiScope.INDICATOR_REPORTS}
# The largest JSON body a token endpoint reads: 100 recommendations of some length.
MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_IDEMPOTENCY_KEY = 200


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


# --- Who may, and making and revoking ------------------------------------------------------


def may_manage(user, organisation: Organisation) -> bool:
    """The organisation's leaders manage its tokens; a system administrator any's."""
    return roles.may_manage_api_tokens(user, organisation)


def allowed_scopes(maker, organisation: Organisation) -> set[str]:
    """A token writes as the person who made it: only someone who sends for the
    organisation (its provincial staff) makes tokens that send; others read."""
    if roles.is_province_staff(maker) and maker.organisation_id == organisation.pk:
        return set(ApiScope.values)
    return {ApiScope.READ}


def tokens_of(organisation: Organisation):
    return ApiToken.objects.filter(organisation=organisation).select_related(
        "created_by", "revoked_by"
    )


@transaction.atomic
def token_create(
    *,
    actor,
    organisation: Organisation,
    name: str,
    scopes: list[str],
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token and its key (the only time the key exists outside the caller)."""
    if not may_manage(actor, organisation):
        raise exceptions.PermissionDenied
    if not set(scopes) <= allowed_scopes(actor, organisation):
        raise ValueError("a scope the maker cannot give")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        prefix=key[:PREFIX_LENGTH],
        key_digest=digest(key),
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
        created_by=actor,
    )
    security_log.record(
        SecurityEventKind.TOKEN_CREATED,
        actor=actor,
        organisation=organisation,
        detail=f"{token.name} ({token.prefix}…): {', '.join(token.scopes)}",
    )
    return token, key


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if not may_manage(actor, token.organisation):
        raise exceptions.PermissionDenied
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        security_log.record(
            SecurityEventKind.TOKEN_REVOKED,
            actor=actor,
            organisation=token.organisation,
            detail=f"{token.name} ({token.prefix}…)",
        )
    return token


# --- A call with a token -------------------------------------------------------------------


class OrganisationTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <key>` or `Token <key>`: request.auth is the ApiToken,
    request.user the person who made it."""

    keywords = (b"bearer", b"token")

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() not in self.keywords:
            return None
        if len(words) != 2:
            raise exceptions.AuthenticationFailed(
                _("Write the header as “Authorization: Bearer <key>”.")
            )
        # The token, its organisation, its maker and the maker's roles in one query.
        token = (
            with_role_codes(
                ApiToken.objects.select_related("organisation", "created_by"), "created_by__"
            )
            .filter(key_digest=digest(words[1].decode("latin-1")))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token does not exist."))
        maker = token.created_by
        remember_annotated_roles(token, maker)
        if maker is not None and maker.organisation_id == token.organisation_id:
            maker.organisation = token.organisation  # the one acting_person requires
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token was revoked."))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USE_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.created_by, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class OrganisationTokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI schema."""

    target_class = OrganisationTokenAuthentication
    name = "organisationToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An organisation's API token: Authorization: Bearer <key>",
        }


def token_of(request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


class ScopeRequired(BasePermission):
    """The view's `required_scopes` ({"GET": "read", "POST": ...}) by method."""

    def has_permission(self, request, view):
        token = token_of(request)
        if token is None:
            return False
        scope = view.required_scopes.get(request.method, ApiScope.READ)
        if scope not in token.scopes:
            self.message = _("This token does not have the permission “%(scope)s”.") % {
                "scope": ApiScope(scope).label
            }
            return False
        return True


def acting_person(token: ApiToken):
    """Who a token's writes are made as: its maker, while they still act for the
    organisation (an active member with a provincial role)."""
    maker = token.created_by
    if (
        maker is None
        or not maker.is_active
        or maker.organisation_id != token.organisation_id
        or not roles.is_province_staff(maker)
    ):
        raise exceptions.PermissionDenied(
            _(
                "The person who made this token no longer acts for %(organisation)s: "
                "ask its leader for a new token."
            )
            % {"organisation": token.organisation.short_name}
        )
    return maker


class TokenRateThrottle(SimpleRateThrottle):
    """REST_FRAMEWORK rate "token", counted per token (per address without one)."""

    scope = "token"

    def get_cache_key(self, request, view):
        token = token_of(request)
        ident = f"t{token.pk}" if token else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "payload_too_large"


class LimitedJSONParser(TextJSONParser):
    """TextJSONParser that reads at most MAX_BODY_BYTES."""

    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read(MAX_BODY_BYTES + 1) if stream is not None else b""
        if len(body) > MAX_BODY_BYTES:
            raise PayloadTooLarge(
                _("The request body is larger than %(size)s MB.")
                % {"size": MAX_BODY_BYTES // (1024 * 1024)}
            )
        return super().parse(io.BytesIO(body), media_type, parser_context)


class IdempotencyConflict(exceptions.APIException):
    status_code = 409
    default_detail = gettext_lazy("This Idempotency-Key was already used with a different request.")
    default_code = "idempotency_key_reused"


def _fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def idempotent(request, act) -> Response:
    """Run `act()` (which returns a Response) in one transaction. With an
    Idempotency-Key header, its first answer is kept: a retry with the same key and body
    gets it again (header Idempotent-Replayed: true) and acts not; the same key with
    another body is a 409. Two requests with one key at once: the second waits for the
    first (the unique key), then replays it. An error answer is not kept: nothing was
    stored, and the client may correct the request and retry with the same key. A key
    older than settings.API_IDEMPOTENCY_DAYS is forgotten: its retry acts anew."""
    key = request.headers.get("Idempotency-Key", "")
    token = token_of(request)
    if not key or token is None:
        with transaction.atomic():
            return act()
    if len(key) > MAX_IDEMPOTENCY_KEY or not key.isprintable():
        raise exceptions.ValidationError(
            {
                "Idempotency-Key": _("At most %(count)s printable characters.")
                % {"count": MAX_IDEMPOTENCY_KEY}
            }
        )
    fingerprint = _fingerprint(request)
    with transaction.atomic():
        record = _claim(token, key, fingerprint)
        if record is None:
            return _replay(token, key, fingerprint)
        response = act()
        record.status_code = response.status_code
        record.response = response.data
        record.save(update_fields=["status_code", "response"])
        return response


def idempotency_cutoff() -> datetime.datetime:
    """Keys stored before this are expired: never replayed, and pruned."""
    return timezone.now() - datetime.timedelta(days=settings.API_IDEMPOTENCY_DAYS)


def _claim(token: ApiToken, key: str, fingerprint: str) -> ApiIdempotencyKey | None:
    """A new record for the key, or None when a live one already holds it. An expired
    record the prune has not reached yet is deleted here, and the key claimed anew."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return ApiIdempotencyKey.objects.create(
                    token=token, key=key, fingerprint=fingerprint
                )
        except IntegrityError:
            expired = ApiIdempotencyKey.objects.filter(
                token=token, key=key, created_at__lt=idempotency_cutoff()
            )
            if not expired.delete()[0]:
                return None
    return None


def _replay(token: ApiToken, key: str, fingerprint: str) -> Response:
    record = ApiIdempotencyKey.objects.get(token=token, key=key)
    if record.fingerprint != fingerprint:
        raise IdempotencyConflict
    return Response(
        record.response, status=record.status_code, headers={"Idempotent-Replayed": "true"}
    )


def prune_idempotency_keys(batch_size: int = 1000) -> int:
    """Delete the expired keys, a batch per statement (each its own short transaction,
    so no long lock on the table); returns how many."""
    cutoff = idempotency_cutoff()
    expired = ApiIdempotencyKey.objects.filter(created_at__lt=cutoff)
    deleted = 0
    while batch := list(expired.values_list("pk", flat=True)[:batch_size]):
        deleted += ApiIdempotencyKey.objects.filter(pk__in=batch).delete()[0]
    return deleted
