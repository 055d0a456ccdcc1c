"""The outbox: follow-up work is sent after commit, survives a broker outage, and is
sent once."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from briefing.celery import app
from briefing.models.platform import OutboxMessage
from briefing.platform.outbox import outbox_dispatch, outbox_enqueue, outbox_sweep
from briefing.platform.tasks import sweep_outbox

pytestmark = pytest.mark.django_db

TASK = "proposals.notify_event"


@pytest.fixture
def sent(monkeypatch):
    """Record what reaches the broker instead of publishing it."""
    calls = []
    monkeypatch.setattr(
        app.tasks[TASK], "apply_async", lambda kwargs=None, **_: calls.append(kwargs)
    )
    return calls


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(app.tasks[TASK], "apply_async", refuse)


def age(message, seconds=120):
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - datetime.timedelta(seconds=seconds)
    )


def test_nothing_is_sent_before_commit_and_once_after(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = outbox_enqueue(task=TASK, event_id=7)
        assert sent == []
    assert sent == [{"event_id": 7}]
    message.refresh_from_db()
    assert message.sent_at is not None


def test_a_rolled_back_transaction_sends_nothing(sent, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox_enqueue(task=TASK, event_id=8)
        raise RuntimeError("the business action failed")
    assert sent == []
    assert not OutboxMessage.objects.exists()


def test_broker_down_keeps_the_message_and_the_sweep_sends_it_later(
    broker_down, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue(task=TASK, event_id=9)
    message.refresh_from_db()
    assert message.sent_at is None
    assert "Connection refused" in message.last_error

    calls = []
    monkeypatch.setattr(
        app.tasks[TASK], "apply_async", lambda kwargs=None, **_: calls.append(kwargs)
    )
    assert outbox_sweep() == 0  # too young: its own dispatch may still be under way
    age(message)
    assert sweep_outbox.apply().get() == 1
    assert calls == [{"event_id": 9}]
    message.refresh_from_db()
    assert message.sent_at is not None and message.last_error == ""
    assert outbox_sweep() == 0


def test_a_message_is_sent_once_even_if_dispatched_twice(sent):
    message = OutboxMessage.objects.create(task=TASK, kwargs={"event_id": 10})
    assert outbox_dispatch(message_id=message.pk) is True
    assert outbox_dispatch(message_id=message.pk) is False
    assert sent == [{"event_id": 10}]


def test_a_claimed_message_is_left_to_its_claimer(sent):
    message = OutboxMessage.objects.create(
        task=TASK,
        kwargs={"event_id": 11},
        claimed_until=timezone.now() + datetime.timedelta(seconds=30),
    )
    assert outbox_dispatch(message_id=message.pk) is False
    assert sent == []


def test_tasks_are_registered_in_a_web_process_not_only_in_workers():
    """The outbox sends tasks by name from the web process; an unregistered name
    would leave every notification waiting for the sweep."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import django; django.setup(); from briefing.celery import app; "
        "print(sorted(n for n in app.tasks if not n.startswith('celery.')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        check=True,
        env={"DJANGO_SETTINGS_MODULE": "briefing.settings", "PATH": "/usr/bin:/bin"},
    )
    for name in ("proposals.notify_event", "proposals.send_overdue_digests", TASK):
        assert name in result.stdout
    assert "briefing.outbox_sweep" in result.stdout


def test_workers_know_every_scheduled_task():
    """Beat sends tasks by name to workers, which import <app>.tasks: every name in
    the schedule must be registered by those modules alone."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='briefing.settings'; "
        "from briefing.celery import app; app.loader.import_default_modules(); "
        "from django.conf import settings; "
        "missing = [e['task'] for e in settings.CELERY_BEAT_SCHEDULE.values() "
        "if e['task'] not in app.tasks]; print('MISSING', missing)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert "MISSING []" in result.stdout, result.stdout + result.stderr
