"""The briefing page's conclusions, follow-up tasks, progress updates and the office's
on-demand roll-up."""

import datetime

import pytest

from briefing.models.organisations import Organisation, RoleCode
from briefing.models.platform import OutboxMessage
from briefing.models.reports import ReportSnapshot
from briefing.models.sessions import (
    BriefingSession,
    Conclusion,
    FollowUpTask,
    ProgressUpdate,
    TaskStatus,
)
from briefing.reports import tasks as report_tasks
from tests.conftest import count_queries

PAGE = "/briefings/2020-q3/"


@pytest.fixture
def session(db):
    return BriefingSession.objects.create(
        year=2020, quarter=3, date=datetime.date(2020, 9, 7), chair="Bộ trưởng"
    )


def _task(session, number, deadline, org_codes, status=TaskStatus.IN_PROGRESS):
    conclusion = Conclusion.objects.create(
        session=session, number=number, text=f"Kết luận {number}"
    )
    task = FollowUpTask.objects.create(
        conclusion=conclusion, text=f"Nhiệm vụ {number}", deadline=deadline, status=status
    )
    task.assignees.set(Organisation.objects.filter(code__in=org_codes))
    return task


def test_overdue_tasks_are_highlighted(session, client):
    late = _task(session, 1, datetime.date(2020, 12, 31), ["T63-37"])
    done = _task(session, 2, datetime.date(2020, 12, 31), ["CUC-VT"], status=TaskStatus.DONE)
    html = client.get(PAGE).content.decode()
    assert f'data-task="{late.pk}" data-overdue' in html
    assert f'data-task="{done.pk}">' in html


def test_the_page_queries_do_not_grow_with_tasks(session, client):
    _task(session, 1, None, ["T63-37", "T63-30"])
    few = count_queries(client, PAGE)
    for n in range(2, 12):
        task = _task(session, n, datetime.date(2030, 1, 1), ["T63-37", "CUC-VT"])
        ProgressUpdate.objects.create(task=task, text="Đang làm", date=datetime.date(2020, 10, 1))
    assert count_queries(client, PAGE) == few


def test_an_assignee_records_progress(session, client, signed_in):
    task = _task(session, 1, datetime.date(2030, 1, 1), ["T63-37"])
    signed_in(RoleCode.PROVINCE_OFFICER)  # Sở TT&TT Ninh Bình
    assert f'action="/briefings/tasks/{task.pk}/progress/"' in client.get(PAGE).content.decode()
    response = client.post(
        f"/briefings/tasks/{task.pk}/progress/",
        {"text": "Đã trình UBND tỉnh", "status": "done", "date": "15/10/2020"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    update = task.updates.get()
    assert update.text == "Đã trình UBND tỉnh" and update.date == datetime.date(2020, 10, 15)


def test_others_cannot_record_progress_and_bad_input_saves_nothing(session, client, signed_in):
    task = _task(session, 1, datetime.date(2030, 1, 1), ["T63-30"])
    signed_in(RoleCode.PROVINCE_OFFICER)  # Ninh Bình, not assigned
    url = f"/briefings/tasks/{task.pk}/progress/"
    assert (
        client.post(url, {"text": "x", "status": "done", "date": "15/10/2020"}).status_code == 404
    )
    client.logout()
    signed_in(RoleCode.OFFICE_COORDINATOR)
    blank = client.post(url, {"text": " ", "status": "done", "date": "15/10/2020"})
    assert blank.status_code == 400
    assert "text" in blank.context["form"].errors
    bad_status = client.post(
        url, {"text": "Đã gửi dự thảo", "status": "nope", "date": "15/10/2020"}
    )
    assert bad_status.status_code == 400
    assert "status" in bad_status.context["form"].errors
    assert "Đã gửi dự thảo" in bad_status.content.decode()  # what was typed is kept
    for day in ("01/01/0001", "31/12/9999", "31/12/2099"):
        odd = client.post(url, {"text": "Đã gửi dự thảo", "status": "done", "date": day})
        assert odd.status_code == 400, day
        assert "Chọn một ngày từ 01/01/2000 đến" in odd.context["form"].errors["date"][0]
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and not ProgressUpdate.objects.exists()


def test_the_office_runs_the_roll_up_on_demand(session, client, signed_in):
    signed_in(RoleCode.OFFICE_COORDINATOR)
    assert 'action="/briefings/2020-q3/rollup/"' in client.get(PAGE).content.decode()
    response = client.post(PAGE + "rollup/", HTTP_ACCEPT="application/json")
    assert response.status_code == 202
    body = response.json()
    message = OutboxMessage.objects.get(task="briefing.rollup_quarter")
    assert message.kwargs == {"year": 2020, "quarter": 3, "run_id": body["run_id"]}
    assert client.get(body["progress"]).json() == {"state": "queued", "percent": 0}
    # What the worker does with the message:
    report_tasks.rollup_quarter.apply(kwargs=message.kwargs)
    assert client.get(body["progress"]).json()["state"] == "done"
    page = client.get(PAGE + f"?run={body['run_id']}").content.decode()
    assert 'data-report-version="1"' in page
    assert f'data-rollup-progress="/briefings/rollup/{body["run_id"]}/"' in page
    assert "<script>" not in page and "style=" not in page


def test_only_the_office_may_run_the_roll_up(session, client, signed_in):
    assert client.post(PAGE + "rollup/").status_code == 302  # to sign in
    signed_in(RoleCode.PROVINCE_OFFICER)
    assert client.post(PAGE + "rollup/").status_code == 403
    assert not OutboxMessage.objects.exists() and not ReportSnapshot.objects.exists()
    assert client.get("/briefings/rollup/unknown/").status_code == 404


def test_ids_in_attributes_are_never_localised(session, client):
    """An id of 12345 must stay "12345" in attributes (Vietnamese formats write 12.345)."""
    conclusion = Conclusion.objects.create(session=session, number=1, text="Kết luận")
    FollowUpTask.objects.create(id=12345, conclusion=conclusion, text="Nhiệm vụ")
    html = client.get(PAGE).content.decode()
    assert 'id="task-12345" data-task="12345"' in html
