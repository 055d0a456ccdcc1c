"""Fault tests start their own copies of the services (DESIGN.md): a redis-server on a
port of its own, a Celery worker process; the machine's PostgreSQL and Redis are never
stopped."""

import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.db import connection

from briefing.celery import app
from briefing.platform import visits
from tests.faults.processes import GunicornServer, Relay, WorkerProcess, service_env


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
            "BACKEND": "briefing.platform.cache_backend.PooledRedisCache",
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


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """Every fault test is transactional (other processes and threads must see its
    rows), so it needs the reference data back after the browser tests flushed it."""


@pytest.fixture
def _clean_cache():
    """Overrides the autouse fixture: these tests bring their own Redis."""
    yield


@pytest.fixture
def start_worker_process(own_redis, tmp_path):
    """start_worker_process(name, broker_url=None) -> a `celery worker` process
    (tests/faults/processes.py) on the test database and this test's redis-server, with
    the broker at `broker_url` if given (a Relay); any still running at the end are
    killed. It sees only committed rows: for transactional tests."""
    workers = []

    def start(name: str, broker_url: str | None = None) -> WorkerProcess:
        env = service_env(own_redis.url, broker_url)
        worker = WorkerProcess(name, tmp_path / f"{name}.log").start(env)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.kill()


@pytest.fixture
def broker(own_redis):
    """A plain client of this test's redis-server, to look into the broker's queues."""
    client = redis.Redis.from_url(own_redis.url)
    yield client
    client.close()


@pytest.fixture
def relay(own_redis):
    """A Relay (tests/faults/processes.py) to this test's redis-server."""
    link = Relay(own_redis.port)
    yield link
    link.close()


@pytest.fixture
def worker_cache(own_redis, settings):
    """This process's cache with the key prefix settings.py gives a process with
    REDIS_URL, so that it reads what worker processes write (roll-up progress)."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": "giaoban"}}


@pytest.fixture
def locker(transactional_db):
    """A second connection to the test database, in a transaction of its own: what it
    locks, a worker waits for until the test lets go (rollback)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the other process must see the test database")
    raw = connection.get_new_connection(connection.get_connection_params())
    yield raw
    raw.rollback()
    raw.close()


@pytest.fixture
def gunicorn(own_redis, transactional_db, tmp_path):
    """gunicorn serving the portal (one sync worker) on the test database and this
    test's redis-server; stopped at the end."""
    server = GunicornServer("gunicorn", tmp_path / "gunicorn.log")
    server.start(service_env(own_redis.url), free_port())
    yield server
    server.stop()
