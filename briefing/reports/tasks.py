"""The roll-up as a Celery task, with the progress the briefing page polls."""

import logging
import uuid

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from briefing.platform import quarters
from briefing.reports import rollup

log = logging.getLogger(__name__)

PROGRESS_TIMEOUT = 60 * 60


def progress_key(run_id: str) -> str:
    return f"briefing:rollup:{run_id}"


def progress_get(run_id: str) -> dict | None:
    try:
        return cache.get(progress_key(run_id))
    except Exception:  # a dead cache shows no progress, never an error
        return None


def progress_set(run_id: str | None, **state) -> None:
    if not run_id:
        return
    try:
        cache.set(progress_key(run_id), state, PROGRESS_TIMEOUT)
    except Exception as exc:
        log.warning("roll-up progress not stored: %s", exc)


def new_run_id() -> str:
    return uuid.uuid4().hex


@shared_task(name="briefing.rollup_quarter", ignore_result=True)
def rollup_quarter(year: int | None = None, quarter: int | None = None, run_id=None) -> dict:
    """Roll up a quarter (the one that has just ended when called without arguments,
    as the beat schedule does)."""
    if year is None or quarter is None:
        year, quarter = quarters.previous_quarter(timezone.localdate())
    progress_set(run_id, state="running", percent=0)
    try:
        snapshot, created = rollup.report_rollup(
            year=year,
            quarter=quarter,
            progress=lambda percent: progress_set(run_id, state="running", percent=percent),
        )
    except Exception:
        progress_set(run_id, state="failed", percent=100)
        raise
    progress_set(run_id, state="done", percent=100, version=snapshot.version)
    return {"version": snapshot.version, "created": created}
