"""Visitor counters of the public pages (online now, today, this year, total).

A page view touches only Redis (or process memory when there is no Redis); a
periodic job moves the day's views into VisitDay. Readers see the database totals
plus what is still waiting in Redis.
"""

import datetime
import hashlib
import logging
import threading
import time
from collections import Counter

import redis
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from briefing.models.platform import VisitDay

log = logging.getLogger(__name__)

ONLINE_SECONDS = 5 * 60
PENDING = "visits:pending:"
ONLINE = "visits:online"

_client = None
_client_lock = threading.Lock()
_memory_lock = threading.Lock()
_memory_pending: Counter = Counter()
_memory_online: dict[str, float] = {}


def _redis() -> redis.Redis:
    """The process's one client, shared by its threads. Made under a lock: two threads
    that each made one would drop one of them, and a dropped client closes its pool,
    connections in use by the other thread included ("I/O operation on closed file").
    A read that times out closes its connection before it goes back to the pool
    (redis-py does), so a slow Redis costs the views it keeps waiting past the timeout
    and no later one."""
    global _client
    if _client is None:
        with _client_lock:
            if _client is None:
                _client = redis.Redis.from_url(
                    settings.REDIS_URL, socket_timeout=0.5, socket_connect_timeout=0.5
                )
    return _client


def _visitor(request) -> str:
    # A one-way hash: the counters never keep an address.
    raw = "{}|{}".format(
        request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_USER_AGENT", "")
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


def record_view(request) -> None:
    now = time.time()
    day = timezone.localdate().isoformat()
    visitor = _visitor(request)
    if not settings.REDIS_URL:
        with _memory_lock:
            _memory_pending[day] += 1
            _memory_online[visitor] = now
        return
    try:
        pipe = _redis().pipeline(transaction=False)
        pipe.incr(PENDING + day)
        pipe.zadd(ONLINE, {visitor: now})
        pipe.execute()
    except Exception as exc:  # counting is not worth failing a page for
        log.warning("visits: not counted: %s", exc)


def _pending() -> dict[str, int]:
    if not settings.REDIS_URL:
        with _memory_lock:
            return dict(_memory_pending)
    client = _redis()
    keys = list(client.scan_iter(match=PENDING + "*", count=100))
    values = client.mget(keys) if keys else []
    return {
        key.decode()[len(PENDING) :]: int(value)
        for key, value in zip(keys, values, strict=True)
        if value
    }


def _online() -> int:
    cutoff = time.time() - ONLINE_SECONDS
    if not settings.REDIS_URL:
        with _memory_lock:
            return sum(1 for seen in _memory_online.values() if seen >= cutoff)
    client = _redis()
    client.zremrangebyscore(ONLINE, 0, cutoff)  # trimmed when read, not on every view
    return client.zcard(ONLINE)


def counters() -> dict:
    today = timezone.localdate()
    stored = VisitDay.objects.aggregate(
        total=Sum("views"),
        year=Sum("views", filter=Q(day__year=today.year)),
        today=Sum("views", filter=Q(day=today)),
    )
    result = {name: stored[name] or 0 for name in ("total", "year", "today")}
    try:
        pending, online = _pending(), _online()
    except Exception as exc:
        log.warning("visits: Redis unavailable, showing stored counts: %s", exc)
        pending, online = {}, 0
    for day, views in pending.items():
        result["total"] += views
        if day.startswith(str(today.year)):
            result["year"] += views
        if day == today.isoformat():
            result["today"] += views
    result["online"] = online
    return result


def _store(day: str, views: int) -> None:
    with transaction.atomic():
        row, _created = VisitDay.objects.get_or_create(day=datetime.date.fromisoformat(day))
        VisitDay.objects.filter(pk=row.pk).update(views=F("views") + views)


def flush() -> int:
    """Move pending views into VisitDay; returns how many were moved."""
    moved = 0
    if not settings.REDIS_URL:
        with _memory_lock:
            pending = dict(_memory_pending)
            _memory_pending.clear()
        for day, views in pending.items():
            _store(day, views)
            moved += views
        return moved
    client = _redis()
    for key in client.scan_iter(match=PENDING + "*", count=100):
        # GETDEL takes the count and resets it in one step: two overlapping flushes
        # never count a view twice.
        value = client.getdel(key)
        if not value:
            continue
        try:
            _store(key.decode()[len(PENDING) :], int(value))
        except Exception:
            client.incrby(key, int(value))  # give the views back for the next flush
            raise
        moved += int(value)
    return moved
