"""Two-factor sign-in: who must have it, enrolling an authenticator app, checking a code
or a recovery code, the lockout after wrong codes, and the reset by an administrator.

The devices are django-otp's: a TOTPDevice (the app) and a StaticDevice holding the
single-use recovery codes. A session counts as verified once `django_otp.login` has put
the device into it (request.user.is_verified(), from OTPMiddleware).
"""

import base64
import re
from dataclasses import dataclass
from datetime import datetime

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from briefing.models.organisations import SecurityEventKind, User
from briefing.organisations import login_sessions, roles, security_log

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"
# The codes of a new enrolment are shown once, on the page after it, from the session.
NEW_CODES_SESSION_KEY = "two_factor_new_codes"
# Whether a department's account (2FA optional) has a device: read once per session.
HAS_DEVICE_SESSION_KEY = "two_factor_has_device"

_APP_CODE = re.compile(r"^\d{6}$")
_RECOVERY_CODE = re.compile(r"^[a-z2-7]{8}$")


def is_required(user) -> bool:
    """Ministry staff and system administrators must sign in with a second factor."""
    return roles.is_ministry_staff(user) or roles.is_system_admin(user)


def app_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_second_factor(user) -> bool:
    return is_required(user) or has_device(user)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# Enrolment -------------------------------------------------------------------------


def enrolment_device(user) -> TOTPDevice:
    """The app device being set up: the same one on every visit of the page until it
    is confirmed, so a reload does not invalidate the QR code already scanned."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code in a data: URI (the CSP allows data:
    images, no inline scripts or styles)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=4)


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new ones."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


# Checking a code -------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    device: TOTPDevice | StaticDevice | None = None
    locked_until: datetime | None = None
    failures: int = 0

    @property
    def ok(self) -> bool:
        return self.device is not None


def normalise_code(code: str) -> str:
    """Apps show "123 456"; recovery codes are printed in lower case."""
    return re.sub(r"[\s-]", "", code or "").lower()


def locked_until(device: TOTPDevice) -> datetime | None:
    """Until when the second step is refused after too many wrong codes, if it is."""
    if device.throttling_failure_count < settings.TWO_FACTOR_FAILURE_LIMIT:
        return None
    until = device.throttling_failure_timestamp + settings.TWO_FACTOR_LOCKOUT
    return until if until > timezone.now() else None


def _match(device: TOTPDevice, code: str, *, recovery: bool):
    if _APP_CODE.match(code):
        # verify_token counts a failure on the device itself.
        return device if device.verify_token(code) else None
    if recovery and _RECOVERY_CODE.match(code):
        # Any of the user's code lists: ours, or one made by `manage.py addstatictoken`.
        token = StaticToken.objects.filter(
            device__user_id=device.user_id, device__confirmed=True, token=code
        ).first()
        static = token.device if token is not None else None
        if static is not None and static.verify_token(code):
            device.throttle_reset()
            return static
    device.throttle_increment()
    return None


def check_code(request, device: TOTPDevice, code: str, *, recovery: bool = True) -> CodeCheck:
    """Check `code` against the app device (and the recovery codes when `recovery`),
    counting failures on the app device: TWO_FACTOR_FAILURE_LIMIT wrong codes lock the
    second step for TWO_FACTOR_LOCKOUT. Every failure and lockout is recorded."""
    code = normalise_code(code)
    with transaction.atomic():
        # Locked row: two guesses sent at once are counted one after the other.
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        until = locked_until(device)
        already_locked = until is not None
        if until is None:
            if device.throttling_failure_count >= settings.TWO_FACTOR_FAILURE_LIMIT:
                device.throttle_reset()  # the lockout has passed: a fresh count
            matched = _match(device, code, recovery=recovery)
            until = None if matched else locked_until(device)
        else:
            matched = None
    subject = request.user  # the person signing in owns the device
    if matched is None:
        failures = device.throttling_failure_count
        _record_failure(request, subject, failures, until, already_locked=already_locked)
        return CodeCheck(locked_until=until, failures=failures)
    if isinstance(matched, StaticDevice):
        security_log.record(
            SecurityEventKind.RECOVERY_CODE_USED,
            request=request,
            actor=subject,
            subject=subject,
            detail=_("%(count)s recovery codes left") % {"count": recovery_codes_left(subject)},
        )
    return CodeCheck(device=matched)


def _record_failure(
    request, user, failures: int, until: datetime | None, *, already_locked: bool
) -> None:
    limit = settings.TWO_FACTOR_FAILURE_LIMIT
    if already_locked:
        detail = _("code not checked: the second step is locked")
    else:
        detail = _("wrong code %(number)s of %(limit)s") % {
            "number": min(failures, limit),
            "limit": limit,
        }
    if until is not None:
        detail += "; " + _("locked until %(time)s") % {
            "time": timezone.localtime(until).strftime("%H:%M")
        }
    security_log.record(
        SecurityEventKind.SECOND_FACTOR_FAILED,
        request=request,
        actor=user,
        subject=user,
        detail=detail,
    )
    if until is not None and not already_locked:
        security_log.record(
            SecurityEventKind.LOCKED_OUT,
            request=request,
            actor=user,
            subject=user,
            detail=_("too many wrong second-factor codes"),
        )


def mark_verified(request, device) -> None:
    """The second factor is given: a new session id (whoever knew the old one, from
    before the second step, is left out), then the device into the session."""
    request.session.cycle_key()
    request.session.pop(HAS_DEVICE_SESSION_KEY, None)
    django_otp.login(request, device)


@transaction.atomic
def enrolment_confirm(request, device: TOTPDevice) -> list[str]:
    """The code from the new app was right: confirm the device, drop any other, make
    the recovery codes and verify this session. Returns the codes, to show once."""
    user = request.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_recovery_codes(user)
    mark_verified(request, device)
    security_log.record(
        SecurityEventKind.SECOND_FACTOR_ENROLLED, request=request, actor=user, subject=user
    )
    return codes


@transaction.atomic
def second_factor_reset(*, request, actor: User, subject: User, reason: str) -> int:
    """Remove every device of `subject` and end all their sessions: their next sign-in
    enrols a new app. Only system administrators may. Returns the sessions ended."""
    if not roles.is_system_admin(actor):
        raise PermissionError("only system administrators reset a second factor")
    TOTPDevice.objects.filter(user=subject).delete()
    StaticDevice.objects.filter(user=subject).delete()
    keep = request.session.session_key if subject.pk == actor.pk else None
    ended = login_sessions.end_sessions_of(subject, keep=keep)
    security_log.record(
        SecurityEventKind.SECOND_FACTOR_RESET,
        request=request,
        actor=actor,
        subject=subject,
        detail=(reason or _("reset by a system administrator"))[:400],
    )
    return ended


@transaction.atomic
def second_factor_turn_off(request) -> None:
    """A department's own choice (2FA is optional for them), from a verified session."""
    user = request.user
    if is_required(user):
        raise PermissionError("two-factor sign-in is required for this account")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    request.session.pop(HAS_DEVICE_SESSION_KEY, None)
    security_log.record(
        SecurityEventKind.SECOND_FACTOR_RESET,
        request=request,
        actor=user,
        subject=user,
        detail=_("turned off by the account holder"),
    )


def demo_device(user, secret: str) -> TOTPDevice:
    """A confirmed app device with a known secret, for the demo accounts (DEBUG only)."""
    key = base64.b32decode(secret).hex()
    TOTPDevice.objects.filter(user=user).exclude(key=key).delete()
    device, _created = TOTPDevice.objects.update_or_create(
        user=user, key=key, defaults={"name": APP_DEVICE_NAME, "confirmed": True}
    )
    return device
