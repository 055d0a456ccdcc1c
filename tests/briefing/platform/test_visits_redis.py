"""The visit counter's Redis client under gunicorn's threads: one client per process.
Against the machine's Redis through a relay that can hold its answers back."""

import threading
import time
from urllib.parse import urlsplit

import pytest
import redis
from django.conf import settings
from django.test import RequestFactory
from django.utils import timezone

from briefing.platform import visits
from tests.faults.processes import Relay

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis")

THREADS = 8


@pytest.fixture
def relay(settings, monkeypatch):
    parts = urlsplit(settings.REDIS_URL)
    relay = Relay(parts.port or 6379, int(parts.path.strip("/") or 0))
    settings.REDIS_URL = relay.url
    monkeypatch.setattr(visits, "_client", None)
    yield relay
    relay.close()


def _pending_today() -> int:
    key = visits.PENDING + timezone.localdate().isoformat()
    return int(visits._redis().get(key) or 0)


def _views(count: int) -> None:
    """`count` views from each of THREADS threads that start at the same moment."""
    start = threading.Barrier(THREADS)
    request = RequestFactory().get("/")

    def browse():
        start.wait()
        for _ in range(count):
            visits.record_view(request)

    threads = [threading.Thread(target=browse) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_threads_starting_together_share_one_client(relay, monkeypatch, caplog):
    """Each thread that found no client made one, and the one dropped closed the
    connection another thread was reading from: "I/O operation on closed file"."""
    made = []  # counted, not kept: a dropped client must be free to go
    from_url = redis.Redis.from_url

    def slow_to_make(*args, **kwargs):
        client = from_url(*args, **kwargs)
        made.append(1)
        time.sleep(0.05)  # all threads are past the "no client yet" check
        return client

    monkeypatch.setattr(redis.Redis, "from_url", slow_to_make)
    relay.delay = 0.1  # a view takes a while: the others are reading meanwhile
    _views(2)
    assert [r.getMessage() for r in caplog.records if r.name == visits.__name__] == []
    assert len(made) == 1
    relay.delay = 0
    assert _pending_today() == 2 * THREADS
