"""Processes a fault test starts and ends itself: Celery workers and gunicorn, on the
test database and the test's own redis-server, each with a log file of its own."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the virtual environment running the tests
# Seconds after which Redis hands an unacknowledged task to another worker
# (tests/faults/worker_app.py).
VISIBILITY_TIMEOUT = 1


def database_url() -> str:
    """The test database, as DATABASE_URL for another process. Only PostgreSQL can be
    shared between processes (the SQLite test database lives in memory)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the other process must see the test database")
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = quote(db["HOST"] or "localhost", safe="")  # a socket directory is a path
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


def service_env(redis_url: str, broker_url: str | None = None) -> dict:
    """The portal's environment for a process of its own: the test database, this
    test's redis-server as cache and broker (or the broker through a Relay), e-mail
    written to the log."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(),
        REDIS_URL=redis_url,
        CELERY_BROKER_URL=broker_url or redis_url,
        EMAIL_URL="console://",
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="briefing.settings",
        PYTHONPATH=str(BASE_DIR),
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        PYTHONUNBUFFERED="1",
    )
    return env


def wait_for(condition, timeout: float, what: str, interval: float = 0.02):
    """Poll `condition` until it returns something true; fail the test after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


class Process:
    """A child process whose output goes to a log file."""

    def __init__(self, name: str, log_path: Path):
        self.name = name
        self.log_path = log_path
        self.process = None

    def _spawn(self, args: list[str], env: dict) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                args, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
            )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no shutdown, no acknowledgement, nothing flushed."""
        if self.alive:
            self.process.send_signal(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=10)

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM, as a deployment stops a service; SIGKILL if it does not end."""
        if self.alive:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=timeout)
        self.kill()


class WorkerProcess(Process):
    """`celery worker` with one solo process, as deployed, on the default queue."""

    def start(self, env: dict) -> "WorkerProcess":
        self._spawn(
            [
                str(BIN / "celery"),
                "-A",
                "tests.faults.worker_app",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                "celery",
                "-n",
                f"{self.name}@%h",
                "--loglevel=INFO",
                # Nothing to synchronise with: starts in under two seconds.
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
            ],
            env,
        )
        return self

    def succeeded(self, task_id: str) -> bool:
        return f"[{task_id}] succeeded" in self.log()


class GunicornServer(Process):
    """gunicorn with sync workers, as in production: each worker keeps its database
    connection between requests (CONN_MAX_AGE)."""

    def start(self, env: dict, port: int, workers: int = 1) -> "GunicornServer":
        self.url = f"http://127.0.0.1:{port}"
        self._spawn(
            [
                str(BIN / "gunicorn"),
                "--config",
                str(BASE_DIR / "gunicorn.conf.py"),
                "briefing.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "30",
                # Its control socket would be the machine's (~/.gunicorn): not this test's.
                "--no-control-socket",
            ],
            env,
        )

        def listening():
            if not self.alive:
                pytest.fail(f"gunicorn ended:\n{self.log()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return True
            except OSError:
                return False

        wait_for(listening, 20, "gunicorn to listen")
        return self


class Relay:
    """A TCP relay to the redis-server, for one process's broker connections. Once cut,
    it carries nothing more either way, as a network that drops every packet: what the
    process sends after the cut (an acknowledgement) never reaches Redis, and it waits
    for a reply for ever (kombu sets no socket timeout). With `delay` (seconds), Redis's
    answers arrive that much late, as from a Redis that is busy or far away."""

    def __init__(self, port: int, db: int = 0):
        self.target = ("127.0.0.1", port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}/{db}"
        self.delay = 0.0
        self._cut = threading.Event()
        self._sockets = []
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        self._cut.set()

    def _accept(self) -> None:
        while True:
            try:
                near, _address = self.listener.accept()
                far = socket.create_connection(self.target)
            except OSError:
                return
            self._sockets += [near, far]
            for source, target, answers in ((near, far, False), (far, near, True)):
                threading.Thread(
                    target=self._pump, args=(source, target, answers), daemon=True
                ).start()

    def _pump(self, source, target, answers: bool) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            if not data:
                break
            if self._cut.is_set():
                continue
            if answers and self.delay:
                time.sleep(self.delay)
            try:
                target.sendall(data)
            except OSError:
                break
        for end in (source, target):
            _hang_up(end)

    def close(self) -> None:
        _hang_up(self.listener)
        for end in self._sockets:
            _hang_up(end)


def _hang_up(end: socket.socket) -> None:
    # shutdown() wakes a thread blocked in recv() on it; close() alone does not.
    with contextlib.suppress(OSError):
        end.shutdown(socket.SHUT_RDWR)
    end.close()
