"""Fault tests start their own copies of the services (DESIGN.md): a redis-server on a
port of its own, a Celery worker process; the machine's PostgreSQL and Redis are never
stopped."""

import shutil
import socket
import subprocess
import time

import pytest

from briefing import visits
from briefing.celery import app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A throwaway redis-server that a test can stop and start again on the same port."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def use_broker(url: str) -> None:
    """Point the Celery app (already configured at import) at another broker."""
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@pytest.fixture
def own_redis(settings, monkeypatch):
    """Cache, broker and visit counters on a redis-server of this test's own."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(free_port())
    server.start()
    old_broker, old_eager = app.conf.broker_url, app.conf.task_always_eager
    settings.CACHES = {
        "default": {
            "BACKEND": "briefing.cache_backend.PooledRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.REDIS_URL = settings.CELERY_BROKER_URL = server.url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(visits, "_client", None)
    use_broker(server.url)
    yield server
    server.stop()
    app.conf.task_always_eager = old_eager
    use_broker(old_broker)
    app.conf.task_always_eager = old_eager


@pytest.fixture
def _clean_cache():
    """Overrides the autouse fixture: these tests bring their own Redis."""
    yield
