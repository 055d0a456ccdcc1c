"""The security log: who signed in wrongly, who was refused, whose roles changed, who
made or revoked a token, what was published and which period was locked or reopened.

`record` is the only writer. It never raises: a log line that cannot be written must
not turn the user's action into an error (it goes to the server log instead).
"""

import ipaddress
import logging
from contextvars import ContextVar

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_save, pre_save

from briefing.models.organisations import (
    Organisation,
    Role,
    SecurityEvent,
    SecurityEventKind,
    User,
)
from briefing.platform.clients import client_address

log = logging.getLogger("giaoban.security")


def _address(request) -> str | None:
    if request is None:
        return None
    try:
        return str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        return None


def record(
    kind: SecurityEventKind,
    *,
    request=None,
    actor=None,
    subject=None,
    organisation=None,
    username: str = "",
    detail: str = "",
    by_system: bool = False,
) -> SecurityEvent | None:
    """Write one event. The actor defaults to the request's signed-in user (unless
    `by_system`: a job acted, whatever request runs it), the organisation to the
    subject's (or the actor's)."""
    if not by_system:
        request = request or current_request()
    user = getattr(request, "user", None)
    if actor is None and user is not None and user.is_authenticated:
        actor = user
    if organisation is None:
        organisation = getattr(subject or actor, "organisation", None)
    fields = {
        "kind": kind,
        "actor": actor,
        "username": (username or getattr(actor, "username", ""))[:150],
        "subject": subject,
        "organisation": organisation,
        "ip": _address(request),
        "path": request.path[:300] if request is not None else "",
        "detail": str(detail)[:500],
    }
    log.info("%s %s %s %s", kind, fields["username"], fields["path"], fields["detail"])
    try:
        with transaction.atomic():  # a savepoint: a failure leaves the caller's work intact
            return SecurityEvent.objects.create(**fields)
    except Exception:  # the database refused: keep the line in the server log
        log.exception("security log: could not record %s", kind)
        return None


# --- Who is acting: the request of the current thread or task --------------------------

_current_request: ContextVar = ContextVar("security_log_request", default=None)


def remember_request(get_response):
    """Middleware: lets the model signals below know who made a change (roles changed
    in the back office, a token made on its page) without passing the request down."""

    def middleware(request):
        token = _current_request.set(request)
        try:
            return get_response(request)
        finally:
            _current_request.reset(token)

    return middleware


def current_request():
    return _current_request.get()


# --- Reading the log ------------------------------------------------------------------


def events(*, person: str = "", organisation=None, kind: str = "", start=None, end=None):
    """The log, newest first, filtered; the people and organisation come in the query."""
    rows = SecurityEvent.objects.select_related("actor", "subject", "organisation")
    if person:
        rows = rows.filter(
            Q(username__icontains=person)
            | Q(subject__username__icontains=person)
            | Q(actor__last_name__icontains=person)
        )
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    if kind:
        rows = rows.filter(kind=kind)
    if start:
        rows = rows.filter(at__date__gte=start)
    if end:
        rows = rows.filter(at__date__lte=end)
    return rows.order_by("-at", "-pk")


# --- What is recorded by itself ----------------------------------------------------------


def _sign_in_failed(sender, credentials, request=None, **kwargs):
    record(
        SecurityEventKind.SIGN_IN_FAILED,
        request=request,
        username=str(credentials.get("username") or ""),
    )


def _locked_out(sender, request, username, ip_address, **kwargs):
    record(SecurityEventKind.LOCKED_OUT, request=request, username=str(username or ""))


def _roles_changed(sender, instance, action, pk_set, **kwargs):
    if action not in ("post_add", "post_remove") or not pk_set or not isinstance(instance, User):
        return
    codes = sorted(Role.objects.filter(pk__in=pk_set).values_list("code", flat=True))
    sign = "+" if action == "post_add" else "-"
    record(
        SecurityEventKind.ROLES_CHANGED,
        subject=instance,
        detail=" ".join(f"{sign}{code}" for code in codes),
    )


def _remember_account(sender, instance, **kwargs):
    if instance.pk is None:
        instance._security_before = None
        return
    instance._security_before = (
        User.objects.filter(pk=instance.pk).values("organisation_id", "is_active").first()
    )


def _account_saved(sender, instance, created, **kwargs):
    before = getattr(instance, "_security_before", None)
    if created or not before:
        return
    if before["organisation_id"] != instance.organisation_id:
        old = Organisation.objects.filter(pk=before["organisation_id"]).first()
        record(
            SecurityEventKind.ORGANISATION_CHANGED,
            subject=instance,
            detail=f"{old.code if old else '—'} → "
            f"{instance.organisation.code if instance.organisation else '—'}",
        )
    if before["is_active"] != instance.is_active:
        record(
            SecurityEventKind.ACCOUNT_CHANGED,
            subject=instance,
            detail="active" if instance.is_active else "inactive",
        )


def connect_signals() -> None:
    """Called once by the app's ready()."""
    user_login_failed.connect(_sign_in_failed, dispatch_uid="security_sign_in_failed")
    user_locked_out.connect(_locked_out, dispatch_uid="security_locked_out")
    m2m_changed.connect(_roles_changed, sender=User.roles.through, dispatch_uid="security_roles")
    pre_save.connect(_remember_account, sender=User, dispatch_uid="security_account_before")
    post_save.connect(_account_saved, sender=User, dispatch_uid="security_account")
