"""Signed-in sessions: ending a person's other sessions, and the idle timeout.

Sessions are in the database (SESSION_ENGINE), so ending one is deleting its row: the
next request with that cookie is anonymous.
"""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.translation import gettext as _

from briefing.models.organisations import SecurityEventKind
from briefing.organisations import security_log

# Unix time of the session's last request, written at most once a minute.
LAST_ACTIVITY_KEY = "last_activity"
TOUCH_EVERY_SECONDS = 60


def idle_seconds() -> int:
    return settings.STAFF_IDLE_MINUTES * 60


def end_sessions_of(user, *, keep: str | None = None) -> int:
    """Delete every live session of `user` except the one keyed `keep`.

    Sessions do not name their user in a column, so each live one is decoded: the
    portal has a few thousand accounts and this runs on a person's request, not per
    page; the nightly clearsessions job keeps the table to live sessions.
    """
    wanted = str(user.pk)
    ended = []
    live = Session.objects.filter(expire_date__gt=timezone.now())
    if keep:
        live = live.exclude(session_key=keep)
    for session in live.iterator(chunk_size=500):
        if session.get_decoded().get(SESSION_KEY) == wanted:
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


def sign_out_other_devices(request) -> int:
    ended = end_sessions_of(request.user, keep=request.session.session_key)
    security_log.record(
        SecurityEventKind.SIGNED_OUT_ELSEWHERE,
        request=request,
        subject=request.user,
        detail=_("%(count)s other sessions ended") % {"count": ended},
    )
    return ended


def seconds_left(session, now: float | None = None) -> int:
    """How long the session has before it ends for inactivity."""
    last = session.get(LAST_ACTIVITY_KEY)
    if last is None:
        return idle_seconds()
    now = time.time() if now is None else now
    return max(0, int(last + idle_seconds() - now))


def touch(session, *, force: bool = False) -> None:
    """Record activity, but write the session at most once a minute."""
    now = int(time.time())
    last = session.get(LAST_ACTIVITY_KEY)
    if force or last is None or now - last >= TOUCH_EVERY_SECONDS:
        session[LAST_ACTIVITY_KEY] = now
