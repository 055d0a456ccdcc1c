"""The security log: who signed in wrongly, who was refused, whose roles changed, who
made or revoked a token, what was published and which period was locked or reopened.

`record` is the only writer. It never raises: a log line that cannot be written must
not turn the user's action into an error (it goes to the server log instead).
"""

import ipaddress
import logging

from django.db import transaction

from briefing.models.organisations import SecurityEvent, SecurityEventKind
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
) -> SecurityEvent | None:
    """Write one event. The actor defaults to the request's signed-in user, the
    organisation to the subject's (or the actor's)."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
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
