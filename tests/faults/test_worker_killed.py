"""A Celery worker process killed with SIGKILL in the middle of the quarterly roll-up
or of publishing an answer; a new worker starts: the task is delivered again (late
acknowledgement, the broker's visibility timeout) and its work is done exactly once.

Where the kill lands is set with locks, not with timing. The test holds the lock the
task takes first (the roll-up's per-quarter advisory lock, the recommendation's row
lock), so the worker waits inside the task's transaction: killed there, nothing is
committed. For a kill after the commit, the first worker reaches the broker through a
relay that the test cuts before letting the task go on: the worker commits, then waits
for ever on its next call to the broker, before its acknowledgement reaches Redis;
killed there, the task is delivered again although its work is done.
"""

import datetime
import json

import pytest
from django.db import connection
from django.utils import timezone

from briefing.models.platform import OutboxMessage
from briefing.models.reports import ReportSnapshot, SnapshotStatus
from briefing.platform.outbox import outbox_sweep
from proposals.models import (
    Answer,
    Event,
    Field,
    Status,
    Subscription,
    SubscriptionNotice,
)
from proposals.services import recommendations
from tests.faults.processes import wait_for
from tests.proposals.conftest import bring_to, make_people

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE_COMMIT, AFTER_COMMIT = "killed before its commit", "killed after its commit"
QUEUE = "celery"
ROLLUP_LOCK = (7301, 2020 * 10 + 3)  # briefing.reports.rollup._lock for Q3/2020


def unacked(broker) -> dict[str, str]:
    """Tasks handed to a worker and not acknowledged yet: {task id: task name}."""
    tasks = {}
    for raw in broker.hvals("unacked"):
        headers = json.loads(raw)[0]["headers"]
        tasks[headers["id"]] = headers["task"]
    return tasks


def waiting_for(locker) -> int:
    """How many database sessions wait for a lock the test's `locker` holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
            [locker.get_backend_pid()],
        )
        return cursor.fetchone()[0]


def kill_inside(*, worker, locker, relay, broker, moment, task_name, committed):
    """Kill `worker` while it runs `task_name`, which waits for the locker's lock:
    before the task's commit, or after it (with the worker's relay to the broker cut).
    Returns the task's id, which the broker still holds as unacknowledged."""

    def blocked():
        if not worker.alive:
            pytest.fail(f"the worker ended:\n{worker.log()}")
        return waiting_for(locker)

    wait_for(blocked, 30, f"{task_name} to wait for the lock")
    in_flight = [i for i, name in unacked(broker).items() if name == task_name]
    assert len(in_flight) == 1, unacked(broker)
    if moment == BEFORE_COMMIT:
        worker.kill()
        locker.rollback()  # the dead worker's session, still queued for the lock, ends
        assert not committed()
    else:
        relay.cut()
        locker.rollback()
        wait_for(committed, 30, f"{task_name} to commit")
        worker.kill()
    assert in_flight[0] in unacked(broker), "the kill came after the acknowledgement"
    return in_flight[0]


def wait_until_done(worker, task_id: str, broker) -> None:
    def done():
        if not worker.alive:
            pytest.fail(f"the worker ended:\n{worker.log()}")
        return worker.succeeded(task_id)

    wait_for(done, 30, f"the new worker to run task {task_id} again")
    wait_for(
        lambda: not unacked(broker) and not broker.llen(QUEUE),
        10,
        "the broker's queue to empty",
    )


@pytest.mark.parametrize("moment", [BEFORE_COMMIT, AFTER_COMMIT])
def test_a_roll_up_whose_worker_is_killed_is_stored_once_by_the_next_worker(
    moment, relay, broker, worker_cache, locker, start_worker_process, client
):
    people = make_people()
    for number, status in enumerate(
        [Status.SUBMITTED, Status.ACCEPTED, Status.PUBLISHED, Status.REJECTED]
    ):
        bring_to(status, people, title=f"Kiến nghị số {number} về chuyển đổi số")
    broker.delete(QUEUE)  # the e-mails of the set-up are not this test's
    client.force_login(people["office"])
    with locker.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", ROLLUP_LOCK)

    # The Ministry Office asks for the report, as the briefing page does.
    response = client.post("/briefings/2020-q3/rollup/", HTTP_ACCEPT="application/json")
    assert response.status_code == 202
    progress = response.json()["progress"]
    snapshots = ReportSnapshot.objects.filter(year=2020, quarter=3)

    first = start_worker_process("first", broker_url=relay.url)
    task_id = kill_inside(
        worker=first,
        locker=locker,
        relay=relay,
        broker=broker,
        moment=moment,
        task_name="briefing.rollup_quarter",
        committed=snapshots.exists,
    )
    stored = list(snapshots.values_list("pk", "created_at"))

    second = start_worker_process("second")
    wait_until_done(second, task_id, broker)

    snapshot = snapshots.get()
    assert (snapshot.version, snapshot.status) == (1, SnapshotStatus.CURRENT)
    if moment == AFTER_COMMIT:
        assert [(snapshot.pk, snapshot.created_at)] == stored  # found, not made again
    figures = snapshot.data["recommendations"]["groups"]["all"]
    assert (figures["total"], figures["resolved"], figures["in_progress"]) == (4, 2, 2)
    state = client.get(progress).json()
    assert (state["state"], state["version"]) == ("done", 1)
    assert client.get("/briefings/2020-q3/").status_code == 200


def subscribers() -> dict[str, bool]:
    """Readers subscribed to new answers: {address: whether this answer concerns them}."""
    cntt = Field.objects.get(code="CNTT")
    other = Field.objects.exclude(pk=cntt.pk).first()
    now = timezone.now()
    readers = {
        "doc-gia-cntt@example.vn": (cntt, now, True),
        "doc-gia-moi-linh-vuc@example.vn": (None, now, True),
        "doc-gia-chua-xac-nhan@example.vn": (cntt, None, False),
        "doc-gia-linh-vuc-khac@example.vn": (other, now, False),
    }
    for email, (field, confirmed_at, _concerned) in readers.items():
        Subscription.objects.create(email=email, field=field, confirmed_at=confirmed_at)
    return {email: concerned for email, (_f, _c, concerned) in readers.items()}


@pytest.mark.parametrize("moment", [BEFORE_COMMIT, AFTER_COMMIT])
def test_an_answer_whose_publishing_worker_is_killed_is_published_once(
    moment, relay, broker, locker, start_worker_process
):
    people = make_people()
    rec = bring_to(Status.ANSWER_DRAFTED, people)
    readers = subscribers()
    broker.delete(QUEUE)
    # The leader approves: after commit the outbox queues the e-mail and the publishing.
    recommendations.recommendation_act(
        recommendation_id=rec.pk, actor=people["leader"], action="approve"
    )
    with locker.cursor() as cursor:
        cursor.execute("SELECT id FROM proposals_recommendation WHERE id = %s FOR UPDATE", [rec.pk])
    answer = Answer.objects.filter(recommendation=rec)

    first = start_worker_process("first", broker_url=relay.url)
    task_id = kill_inside(
        worker=first,
        locker=locker,
        relay=relay,
        broker=broker,
        moment=moment,
        task_name="proposals.publish_answer",
        committed=answer.filter(published_at__isnull=False).exists,
    )
    published_at = answer.get().published_at

    second = start_worker_process("second")
    wait_until_done(second, task_id, broker)
    if moment == AFTER_COMMIT:
        # The first worker died before handing the outbox's messages to the broker;
        # they wait, claimed by it for a minute, until the periodic sweep sends them.
        waiting = OutboxMessage.objects.filter(sent_at__isnull=True)
        assert waiting.count() == 2  # the submitter's e-mail and the subscribers'
        an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
        waiting.update(created_at=an_hour_ago, claimed_until=an_hour_ago)
        assert outbox_sweep() == 2
    published = Event.objects.filter(recommendation=rec, action="publish")
    wait_for(
        lambda: (
            SubscriptionNotice.objects.count() >= 2
            and published.filter(notified_at__isnull=False).exists()
            and not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
            and not unacked(broker)
            and not broker.llen(QUEUE)
        ),
        30,
        "the e-mails of the publication",
    )

    rec.refresh_from_db()
    answer = answer.get()
    assert rec.status == Status.PUBLISHED
    assert published.count() == 1
    assert answer.republished_at is None
    if moment == AFTER_COMMIT:
        assert answer.published_at == published_at  # the first worker's, kept
    assert answer.history.filter(history_change_reason="publish").count() == 1
    noticed = sorted(SubscriptionNotice.objects.values_list("subscription__email", flat=True))
    assert noticed == sorted(email for email, concerned in readers.items() if concerned)
    mail = first.log() + second.log()
    for email, concerned in readers.items():
        assert mail.count(f"To: {email}") == int(concerned), email
