"""When a follow-up task is overdue: after its deadline, not on the day itself."""

import datetime

import pytest

from briefing.models.sessions import BriefingSession, Conclusion, FollowUpTask, TaskStatus

TODAY = datetime.date(2021, 4, 16)
YESTERDAY = TODAY - datetime.timedelta(days=1)

# Overdue tasks are flagged on the briefing page and counted in its report.
pytestmark = pytest.mark.arithmetic


@pytest.fixture
def tasks(db):
    conclusion = Conclusion.objects.create(
        session=BriefingSession.objects.create(year=2021, quarter=1), number=1, text="Kết luận"
    )
    rows = {
        "today": (TODAY, TaskStatus.IN_PROGRESS),
        "yesterday": (YESTERDAY, TaskStatus.IN_PROGRESS),
        "yesterday, done": (YESTERDAY, TaskStatus.DONE),
        "tomorrow": (TODAY + datetime.timedelta(days=1), TaskStatus.OPEN),
        "no deadline": (None, TaskStatus.OPEN),
    }
    return {
        text: FollowUpTask.objects.create(
            conclusion=conclusion, text=text, deadline=deadline, status=status
        )
        for text, (deadline, status) in rows.items()
    }


def test_a_task_due_today_is_not_overdue_one_due_yesterday_is(tasks):
    overdue = {text for text, task in tasks.items() if task.is_overdue(TODAY)}
    assert overdue == {"yesterday"}


def test_the_overdue_query_agrees(tasks):
    overdue = set(FollowUpTask.objects.overdue(TODAY).values_list("text", flat=True))
    assert overdue == {"yesterday"}
