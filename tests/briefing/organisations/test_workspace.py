"""The workspace: each role sees what waits for it, with counts and links, the overdue
first; every block reads a fixed number of queries whatever the number of items."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from briefing.models.organisations import Organisation, RoleCode
from briefing.models.sessions import BriefingSession, Conclusion, FollowUpTask, TaskStatus
from briefing.organisations import workspace
from indicators.models import ReportingPeriod, Submission
from indicators.models import Status as ReportStatus
from proposals.models import Field, Recommendation, Status
from tests.conftest import count_queries, make_user

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
_codes = itertools.count(1)


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def recommendations(n: int, *, status: str, deadline=None, **extra) -> list[Recommendation]:
    """`n` recommendations of Sở Ninh Bình assigned to Cục THH, in `status`."""
    field = Field.objects.get(code="CNTT")
    rows = [
        Recommendation(
            code=f"KN-T-{next(_codes)}",
            title=f"Kiến nghị thử {i}",
            content="Nội dung",
            field=field,
            period_year=TODAY.year,
            period_quarter=(TODAY.month - 1) // 3 + 1,
            status=status,
            submitting_organisation=org("T63-37"),
            responsible_unit=org("CUC-THH") if status not in (Status.DRAFT,) else None,
            deadline=deadline,
            submitted_at=timezone.now(),
            **extra,
        )
        for i in range(n)
    ]
    return Recommendation.objects.bulk_create(rows)


def every_kind_of_item(n: int) -> None:
    """`n` more of every thing a workspace block counts or lists."""
    for status in Status.values:
        recommendations(n, status=status, deadline=TODAY - 3 * DAY)
        recommendations(n, status=status, deadline=TODAY + 3 * DAY)
    quarter = ReportingPeriod.objects.filter(period_type="quarter", start__lte=TODAY).latest(
        "start"
    )
    provinces = list(
        Organisation.objects.provinces()
        .exclude(code="T63-37")
        .exclude(indicator_submissions__period=quarter)[: n * 2]
    )
    Submission.objects.bulk_create(
        Submission(
            organisation=province,
            period=quarter,
            owner_unit=org("CUC-THH"),
            status=[ReportStatus.SUBMITTED, ReportStatus.RETURNED][i % 2],
            submitted_at=timezone.now(),
        )
        for i, province in enumerate(provinces)
    )
    session, _ = BriefingSession.objects.get_or_create(
        year=TODAY.year, quarter=(TODAY.month - 1) // 3 + 1, defaults={"date": TODAY + 20 * DAY}
    )
    conclusion = Conclusion.objects.create(
        session=session, number=session.conclusions.count() + 1, text="Kết luận"
    )
    for i in range(n):
        task = FollowUpTask.objects.create(
            conclusion=conclusion, text=f"Nhiệm vụ {i}", deadline=TODAY + (i - 1) * DAY
        )
        task.assignees.set([org("T63-37"), org("CUC-THH")])


ROLES = [
    RoleCode.PROVINCE_OFFICER,
    RoleCode.PROVINCE_LEADER,
    RoleCode.OFFICE_COORDINATOR,
    RoleCode.UNIT_OFFICER,
    RoleCode.UNIT_LEADER,
]


def _blocks_of(role):
    user = make_user(role)
    return user, [r for r in workspace.registered() if r.applies(user)]


@pytest.mark.parametrize("role", ROLES)
def test_every_block_reads_the_same_number_of_queries_for_few_and_many_items(db, role):
    user, registrations = _blocks_of(role)
    assert registrations, "every staff role has blocks"
    every_kind_of_item(1)

    def queries_of(registration):
        user.refresh_from_db()
        with CaptureQueriesContext(connection) as ctx:
            block = registration.build(user, TODAY)
        return len(ctx.captured_queries), block

    few = {r.key: queries_of(r)[0] for r in registrations}
    every_kind_of_item(12)
    filled = []
    for registration in registrations:
        many, block = queries_of(registration)
        assert many == few[registration.key], registration.key
        filled.append(not block.is_empty)
    assert sum(filled) >= 2


@pytest.mark.parametrize("role", ROLES)
def test_the_page_reads_the_same_number_of_queries_for_few_and_many_items(
    client, db, role, django_assert_num_queries
):
    user = make_user(role)
    client.force_login(user)
    every_kind_of_item(1)
    few = count_queries(client, "/workspace/")
    every_kind_of_item(10)
    with django_assert_num_queries(few):
        response = client.get("/workspace/")
    assert response.context["blocks"]


def test_department_sees_what_was_returned_first_with_a_link(client, db):
    client.force_login(make_user(RoleCode.PROVINCE_OFFICER))
    [returned] = recommendations(1, status=Status.RETURNED)
    recommendations(3, status=Status.DRAFT)
    recommendations(2, status=Status.SUBMITTED)
    response = client.get("/workspace/")
    [block] = [b for b in response.context["blocks"] if b.key == "recommendations"]
    counts = {e.key: e.count for e in block.entries}
    assert counts["returned"] == 1
    assert counts["drafts"] == 3
    assert counts["submitted"] == 2
    # Overdue and waiting-for-you entries come first, and are summed up at the top.
    assert block.entries[0].key == "returned"
    assert block.entries[0].url == "/proposals/?status=returned"
    assert block.items[0].url == f"/proposals/{returned.pk}/"
    assert response.context["urgent"][0].key == "returned"
    body = response.content.decode()
    assert 'href="/proposals/?status=returned"' in body
    assert f'href="/proposals/{returned.pk}/"' in body


def test_unit_sees_assigned_items_overdue_first_and_the_leader_what_to_approve(client, db):
    later = recommendations(1, status=Status.ACCEPTED, deadline=TODAY + 5 * DAY)[0]
    late = recommendations(1, status=Status.ACCEPTED, deadline=TODAY - 2 * DAY)[0]
    recommendations(2, status=Status.ANSWER_DRAFTED, deadline=TODAY + 9 * DAY)
    recommendations(4, status=Status.ACCEPTED, deadline=TODAY - DAY)
    leader = make_user(RoleCode.UNIT_LEADER)
    client.force_login(leader)
    [block] = [b for b in client.get("/workspace/").context["blocks"] if b.key == "assigned"]
    counts = {e.key: e.count for e in block.entries}
    assert counts["overdue"] == 5
    assert counts["soon"] == 1
    assert counts["to_approve"] == 2
    assert block.items[0].overdue and block.items[0].url == f"/proposals/{late.pk}/"
    assert not block.items[-1].overdue
    assert [i.url for i in block.items].index(f"/proposals/{later.pk}/") == 5
    urgent = [e for e in block.entries if e.urgent and e.count]
    assert block.entries[: len(urgent)] == urgent
    assert all(e.key for b in client.get("/workspace/").context["blocks"] for e in b.entries)

    officer = make_user(RoleCode.UNIT_OFFICER)
    client.force_login(officer)
    [block] = [b for b in client.get("/workspace/").context["blocks"] if b.key == "assigned"]
    waiting = [e for e in block.entries if e.key == "to_approve"]
    assert waiting and not waiting[0].urgent


def test_other_units_work_is_not_shown(client, db):
    recommendations(3, status=Status.ACCEPTED, deadline=TODAY - DAY)
    client.force_login(make_user(RoleCode.UNIT_OFFICER, username="vt", org_code="CUC-VT"))
    [block] = [b for b in client.get("/workspace/").context["blocks"] if b.key == "assigned"]
    assert all(e.count == 0 for e in block.entries) and block.items == []


def test_office_sees_triage_oldest_first_and_overdue_by_unit(client, db):
    first = recommendations(1, status=Status.SUBMITTED)[0]
    Recommendation.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - 9 * DAY)
    recommendations(2, status=Status.SUBMITTED)
    recommendations(3, status=Status.ACCEPTED, deadline=TODAY - DAY)
    client.force_login(make_user(RoleCode.OFFICE_COORDINATOR))
    response = client.get("/workspace/")
    blocks = {b.key: b for b in response.context["blocks"]}
    triage = blocks["triage"]
    assert {e.key: e.count for e in triage.entries}["triage"] == 3
    assert triage.items[0].url == f"/proposals/{first.pk}/"
    [unit] = blocks["overdue_by_unit"].entries
    assert unit.count == 3
    assert unit.url == f"/proposals/?overdue=on&unit={org('CUC-THH').pk}&sort=deadline"
    assert "next_briefing" in blocks and "indicator_missing" in blocks


def test_follow_up_tasks_overdue_first(client, db):
    every_kind_of_item(3)  # tasks due yesterday, today and tomorrow
    client.force_login(make_user(RoleCode.PROVINCE_LEADER))
    [block] = [b for b in client.get("/workspace/").context["blocks"] if b.key == "tasks"]
    assert {e.key: e.count for e in block.entries}["overdue"] == 1
    assert block.items[0].overdue and not block.items[1].overdue
    assert block.items[0].url.startswith("/briefings/") and "#task-" in block.items[0].url


def test_done_tasks_are_not_listed(client, db):
    every_kind_of_item(2)
    FollowUpTask.objects.update(status=TaskStatus.DONE)
    client.force_login(make_user(RoleCode.UNIT_OFFICER))
    [block] = [b for b in client.get("/workspace/").context["blocks"] if b.key == "tasks"]
    assert block.items == [] and all(e.count == 0 for e in block.entries)


def test_indicator_reports_department_due_and_unit_to_review(client, db):
    every_kind_of_item(2)
    client.force_login(make_user(RoleCode.PROVINCE_OFFICER))
    [block] = [
        b for b in client.get("/workspace/").context["blocks"] if b.key == "indicator_reports"
    ]
    assert any(e.count for e in block.entries if e.key.startswith("unsent-"))
    assert block.items and block.items[0].url.startswith("/indicators/report/")

    client.force_login(make_user(RoleCode.UNIT_OFFICER))
    [block] = [
        b for b in client.get("/workspace/").context["blocks"] if b.key == "indicator_review"
    ]
    counts = {e.key: e.count for e in block.entries}
    assert counts["to_review"] == 2
    assert counts["returned"] == 2
    assert block.items[0].url.startswith("/indicators/reports/")


def test_a_person_without_role_sees_no_block(client, db):
    user = make_user(RoleCode.PROVINCE_OFFICER, username="no-role")
    user.roles.clear()
    client.force_login(user)
    response = client.get("/workspace/")
    assert response.status_code == 200 and response.context["blocks"] == []
