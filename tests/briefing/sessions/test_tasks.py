"""The daily e-mail of overdue briefing tasks, and the demo command's quarter."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from briefing.models.organisations import Organisation, RoleCode
from briefing.models.reports import ReportSnapshot
from briefing.models.sessions import BriefingSession, Conclusion, FollowUpTask, TaskStatus
from briefing.sessions.tasks import send_overdue_task_reminders
from tests.conftest import make_user


@pytest.fixture
def overdue(db):
    session = BriefingSession.objects.create(year=2020, quarter=3)
    conclusion = Conclusion.objects.create(session=session, number=1, text="Kết luận")
    late = FollowUpTask.objects.create(
        conclusion=conclusion, text="Ban hành kế hoạch", deadline=datetime.date(2020, 11, 30)
    )
    late.assignees.set(Organisation.objects.filter(code="T63-37"))
    done = FollowUpTask.objects.create(
        conclusion=conclusion,
        text="Đã xong",
        deadline=datetime.date(2020, 11, 30),
        status=TaskStatus.DONE,
    )
    done.assignees.set(Organisation.objects.filter(code="T63-37"))
    leader = make_user(RoleCode.PROVINCE_LEADER)
    leader.email = "giamdoc@example.vn"
    leader.save()
    make_user(RoleCode.PROVINCE_OFFICER)  # officers are not e-mailed
    return late


def test_leaders_get_one_email_a_day_about_overdue_tasks(overdue):
    assert send_overdue_task_reminders.apply().result == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["giamdoc@example.vn"]
    assert "Ban hành kế hoạch" in message.body and "Đã xong" not in message.body
    assert f"/briefings/2020-q3/#task-{overdue.pk}" in message.body
    assert send_overdue_task_reminders.apply().result == 0
    assert len(mail.outbox) == 1


def test_the_demo_command_loads_the_quarter_and_its_report(db, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "/briefings/2020-q3/" in out.getvalue()
    assert ReportSnapshot.objects.get(year=2020, quarter=3).version == 1
    call_command("load_demo", stdout=io.StringIO())
    assert BriefingSession.objects.filter(year=2020, quarter=3).count() == 1
    assert ReportSnapshot.objects.filter(year=2020, quarter=3).count() == 1
