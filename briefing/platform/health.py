"""Checks behind /healthz: database, cache, broker and workers."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from kombu import Connection

from briefing.celery import app

log = logging.getLogger(__name__)

BROKER_TIMEOUT = 1.0
WORKER_PING_TIMEOUT = 1.0


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    key, token = "healthz:probe", uuid.uuid4().hex
    cache.set(key, token, 10)
    if cache.get(key) != token:
        raise RuntimeError("cache did not return what was stored")
    return "ok"


def _broker_connection() -> Connection:
    return Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=BROKER_TIMEOUT,
        transport_options={
            "socket_timeout": BROKER_TIMEOUT,
            "socket_connect_timeout": BROKER_TIMEOUT,
        },
    )


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    with _broker_connection() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0)
    return "ok"


def _check_workers() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    with _broker_connection() as conn:
        replies = app.control.ping(timeout=WORKER_PING_TIMEOUT, connection=conn)
    if not replies:
        raise RuntimeError("no worker answered")
    return f"{len(replies)} answering"


CHECKS = {
    "database": _check_database,
    "cache": _check_cache,
    "broker": _check_broker,
    "workers": _check_workers,
}


def run_checks() -> tuple[bool, dict[str, dict]]:
    """Run every check; return whether all passed and each one's status."""
    results = {}
    for name, check in CHECKS.items():
        if name == "workers" and results.get("broker", {}).get("ok") is False:
            results[name] = {"ok": False, "detail": "broker unreachable"}
            continue
        try:
            results[name] = {"ok": True, "detail": check()}
        except Exception as exc:  # any failure of a dependency is a finding, not a crash
            log.warning("healthz: %s failed: %s", name, exc)
            results[name] = {"ok": False, "detail": f"{type(exc).__name__}: {exc}"[:300]}
    return all(r["ok"] for r in results.values()), results
