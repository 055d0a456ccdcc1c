"""The roll-up without data, at the same time twice, the snapshot's immutability, and
what counts as overdue and as resolved."""

import datetime
import io
import threading
import time

import pytest
from django.db import connection
from openpyxl import load_workbook

from briefing.models.organisations import Organisation
from briefing.models.reports import ReportSnapshot
from briefing.models.sessions import BriefingSession, Conclusion, FollowUpTask
from briefing.reports import rollup
from proposals.models import Channel, Field, Recommendation, SourceKind, Status

# Figures people read: `make test` runs these on SQLite (make run) as well as PostgreSQL.
pytestmark = pytest.mark.arithmetic


def _recommendation(code: str, status=Status.PUBLISHED, channel=Channel.BRIEFING, deadline=None):
    return Recommendation.objects.create(
        code=code,
        title="Kiến nghị",
        content="Nội dung",
        field=Field.objects.get(code="CNTT"),
        source_kind=SourceKind.PROVINCE,
        channel=channel,
        period_year=2021,
        period_quarter=1,
        status=status,
        deadline=deadline,
    )


def test_a_quarter_without_data_gives_a_report_that_says_so(db, client):
    snapshot, created = rollup.report_rollup(year=2019, quarter=1)
    assert created and snapshot.data["empty"] is True
    response = client.get("/briefings/2019-q1/")
    assert response.status_code == 200
    assert "data-report-narrative" in response.content.decode()
    assert "nothing to report" in response.content.decode() or "chưa có" in (
        response.content.decode().lower()
    )


def test_a_quarter_without_a_briefing_or_report_is_not_found(db, client):
    assert client.get("/briefings/2019-q2/").status_code == 404
    assert client.get("/briefings/2019-q5/").status_code == 404
    assert client.get("/briefings/2019-q2/report.pdf").status_code == 404


def test_snapshot_figures_cannot_be_changed(db):
    snapshot, _ = rollup.report_rollup(year=2019, quarter=1)
    snapshot.data = {"forged": True}
    snapshot.status = "superseded"
    snapshot.save()
    snapshot.refresh_from_db()
    assert snapshot.data["empty"] is True and snapshot.status == "superseded"


def test_groups_are_disjoint_and_counted_by_status(db):
    _recommendation("A-1")
    _recommendation("A-2", status=Status.ACCEPTED)
    _recommendation("A-3", status=Status.DRAFT)
    _recommendation("A-4", channel=Channel.REGULAR)
    snapshot, _ = rollup.report_rollup(year=2021, quarter=1)
    groups = snapshot.data["recommendations"]["groups"]
    assert groups["all"]["total"] == 3  # drafts are not received
    assert groups["to_briefing"] | {} == {
        "total": 2,
        "resolved": 1,
        "in_progress": 1,
        "overdue": 0,
        "answered": 1,
        "published": 1,
    }
    assert groups["to_units"]["total"] == 1 and groups["public"]["total"] == 0


def test_roll_up_queries_do_not_grow_with_rows(db, django_assert_max_num_queries):
    for i in range(30):
        _recommendation(f"B-{i}")
    with django_assert_max_num_queries(60):
        rollup.report_rollup(year=2021, quarter=1)


def _waiting_for_the_quarter_lock(year: int, quarter: int) -> bool:
    """Whether a session waits for rollup._lock's advisory lock of this quarter."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            " AND classid = %s AND objid = %s",
            [7301, year * 10 + quarter],
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the roll-up lock is a PostgreSQL advisory lock; SQLite has one writer anyway",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_roll_ups_at_once_make_one_version(monkeypatch):
    """The first run holds the quarter's lock inside the roll-up until the second run is
    seen waiting for it in pg_locks: both are in the roll-up at the same time."""
    _recommendation("C-1")
    real = rollup.report_data
    first = threading.Lock()
    inside, go_on = threading.Event(), threading.Event()

    def held(**kwargs):
        data = real(**kwargs)
        if first.acquire(blocking=False):  # only the run that got the lock first waits
            inside.set()
            assert go_on.wait(timeout=30), "the second run never queued for the lock"
        return data

    monkeypatch.setattr(rollup, "report_data", held)
    results, errors = [], []

    def run():
        try:
            results.append(rollup.report_rollup(year=2021, quarter=1)[1])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    threads[0].start()
    try:
        assert inside.wait(timeout=30), "the first run never reached the roll-up"
        threads[1].start()
        deadline = time.monotonic() + 30
        while not _waiting_for_the_quarter_lock(2021, 1):
            assert time.monotonic() < deadline, "the second run never queued for the lock"
    finally:
        go_on.set()
        for t in threads:
            if t.ident is not None:  # started
                t.join()
    assert not errors
    assert sorted(results) == [False, True]
    assert list(ReportSnapshot.objects.values_list("version", flat=True)) == [1]


def test_the_report_lists_the_previous_briefings_tasks(db, client):
    before = BriefingSession.objects.create(year=2020, quarter=4)
    conclusion = Conclusion.objects.create(session=before, number=1, text="Kết luận")
    task = FollowUpTask.objects.create(
        conclusion=conclusion, text="Kế hoạch hạ tầng số 2021", deadline=datetime.date(2021, 1, 31)
    )
    task.assignees.set(Organisation.objects.filter(code="CUC-VT"))
    _recommendation("D-1")
    snapshot, _ = rollup.report_rollup(year=2021, quarter=1)
    [listed] = snapshot.data["previous_tasks"]
    assert listed["text"] == "Kế hoạch hạ tầng số 2021" and listed["overdue"] is True
    html = client.get("/briefings/2021-q1/").content.decode()
    assert 'data-report-table="previous-tasks"' in html and "Kế hoạch hạ tầng số 2021" in html
    # A Vietnamese date on the page, a date cell in the spreadsheet (was "2021-01-31").
    assert "31/01/2021" in html and "2021-01-31" not in html
    sheets = load_workbook(io.BytesIO(client.get("/briefings/2021-q1/report.xlsx").content))
    deadline = list(sheets.worksheets[-1].iter_rows(min_row=2, values_only=True))[0][3]
    assert deadline == datetime.datetime(2021, 1, 31)
    assert sheets.worksheets[-1]["D2"].number_format == "DD/MM/YYYY"


def test_a_rerun_on_a_later_day_with_the_same_figures_keeps_the_version(db):
    _recommendation("E-1")
    first, _ = rollup.report_rollup(year=2021, quarter=1, today=datetime.date(2021, 4, 16))
    again, created = rollup.report_rollup(year=2021, quarter=1, today=datetime.date(2021, 4, 17))
    assert not created and again.pk == first.pk


def test_a_deadline_of_today_is_not_overdue_yesterday_is(db):
    today = datetime.date(2021, 4, 16)
    for code, deadline, status in [
        ("F-1", today, Status.ACCEPTED),
        ("F-2", today, Status.ANSWER_DRAFTED),
        ("F-3", today - datetime.timedelta(days=1), Status.ACCEPTED),
        ("F-4", today + datetime.timedelta(days=1), Status.ANSWER_DRAFTED),
    ]:
        _recommendation(code, status=status, deadline=deadline)
    snapshot, _ = rollup.report_rollup(year=2021, quarter=1, today=today)
    recommendations = snapshot.data["recommendations"]
    assert recommendations["groups"]["all"]["overdue"] == 1  # only F-3
    assert recommendations["groups"]["to_briefing"]["overdue"] == 1
    [by_field] = recommendations["by_field"]
    assert by_field["overdue"] == 1


def test_the_previous_briefings_task_due_today_is_not_overdue(db):
    today = datetime.date(2021, 4, 16)
    conclusion = Conclusion.objects.create(
        session=BriefingSession.objects.create(year=2020, quarter=4), number=1, text="Kết luận"
    )
    for text, deadline in [("hôm nay", today), ("hôm qua", today - datetime.timedelta(days=1))]:
        FollowUpTask.objects.create(conclusion=conclusion, text=text, deadline=deadline)
    _recommendation("G-1")
    snapshot, _ = rollup.report_rollup(year=2021, quarter=1, today=today)
    overdue = {t["text"]: t["overdue"] for t in snapshot.data["previous_tasks"]}
    assert overdue == {"hôm nay": False, "hôm qua": True}


def test_a_withdrawn_recommendation_counts_as_resolved(db):
    _recommendation("H-1", status=Status.WITHDRAWN)
    _recommendation("H-2", status=Status.WITHDRAWN, channel=Channel.REGULAR)
    snapshot, _ = rollup.report_rollup(year=2021, quarter=1)
    groups = snapshot.data["recommendations"]["groups"]
    assert (groups["all"]["total"], groups["all"]["resolved"]) == (2, 2)
    assert groups["all"]["in_progress"] == 0
    assert groups["to_briefing"]["resolved"] == groups["to_units"]["resolved"] == 1
