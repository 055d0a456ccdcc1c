"""Every transition of the workflow table: allowed, and refused for the wrong role,
the wrong state and the wrong organisation."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from briefing.models.organisations import Organisation
from briefing.organisations import services as organisation_services
from proposals.models import Event, Recommendation, Status
from proposals.services import publishing, recommendations
from proposals.tasks import notify_event
from proposals.workflow import (
    TRANSITIONS,
    TransitionError,
    apply_transition,
    available_transitions,
)
from tests.proposals.conftest import bring_to, new_recommendation

pytestmark = pytest.mark.django_db

# action -> the people (keys of the `people` fixture) allowed to take it
ALLOWED = {
    # The department's leader signs what goes to the Ministry; an officer asks them to.
    "submit": {"province_leader"},
    "ask_signature": {"province"},
    "withdraw": {"province", "province_leader"},
    "accept": {"office"},
    "return": {"office"},
    "merge": {"office"},
    "reject": {"office"},
    "send_to_leader": {"officer", "leader"},
    "approve": {"leader"},
    "send_back": {"leader"},
    "publish": {"office"},
    "revise": {"office", "officer", "leader"},
}
EVERYONE = [
    "province",
    "province_leader",
    "other_province",
    "office",
    "officer",
    "leader",
    "other_officer",
    "other_leader",
    "admin",
]
REACHABLE = list(Status)


def do(action, rec, actor, people):
    """Take `action` through the service a view would call."""
    if action == "accept":
        return recommendations.recommendation_accept(
            recommendation_id=rec.pk,
            actor=actor,
            unit=Organisation.objects.get(code="CUC-THH"),
            cooperating_units=[],
            deadline=timezone.localdate() + datetime.timedelta(days=7),
        )
    if action == "merge":
        original = bring_to(Status.SUBMITTED, people, title="Kiến nghị gốc cùng nội dung")
        return recommendations.recommendation_mark_duplicate(
            recommendation_id=rec.pk, actor=actor, original=original
        )
    if action == "publish":
        return publishing.answer_publish(recommendation_id=rec.pk, actor=actor)
    if action == "send_to_leader":
        return recommendations.answer_save(
            recommendation_id=rec.pk,
            actor=actor,
            text="Nội dung trả lời của đơn vị.",
            version=rec.answer.version if hasattr(rec, "answer") else 0,
            send_to_leader=True,
        )
    return recommendations.recommendation_act(
        recommendation_id=rec.pk, actor=actor, action=action, note="Lý do cụ thể"
    )


def test_the_table_covers_every_action():
    assert set(TRANSITIONS) == set(ALLOWED)


@pytest.mark.parametrize(
    ("action", "source"),
    [(action, source) for action, t in TRANSITIONS.items() for source in sorted(t.sources)],
)
def test_allowed_transition_moves_the_state_and_records_who_when_why(people, action, source):
    rec = bring_to(source, people)
    actor = people[sorted(ALLOWED[action])[0]]
    do(action, rec, actor, people)
    rec.refresh_from_db()
    assert rec.status == (TRANSITIONS[action].target or source)
    event = rec.events.last()
    assert (event.action, event.from_status, event.to_status) == (
        action,
        source,
        rec.status,
    )
    assert event.actor == actor
    assert event.created_at is not None


@pytest.mark.parametrize(
    ("action", "who"),
    [(action, who) for action in TRANSITIONS for who in EVERYONE if who not in ALLOWED[action]],
)
def test_transition_is_refused_to_the_wrong_role_or_organisation(people, action, who):
    source = sorted(TRANSITIONS[action].sources)[0]
    rec = bring_to(source, people)
    events_before = rec.events.count()
    with pytest.raises(TransitionError):
        do(action, rec, people[who], people)
    rec.refresh_from_db()
    assert rec.status == source
    assert rec.events.count() == events_before


@pytest.mark.parametrize(
    ("action", "state"),
    [(a, s) for a, t in TRANSITIONS.items() for s in REACHABLE if s not in t.sources],
)
def test_transition_is_refused_from_the_wrong_state(people, action, state):
    rec = bring_to(state, people)
    actor = people[sorted(ALLOWED[action])[0]]
    events_before = rec.events.count()
    with pytest.raises(TransitionError) as refused:
        do(action, rec, actor, people)
    assert str(rec.get_status_display()) in str(refused.value.message)
    rec.refresh_from_db()
    assert rec.status == state
    assert rec.events.count() == events_before


@pytest.mark.parametrize(
    "action", sorted(action for action, t in TRANSITIONS.items() if not t.system)
)
def test_no_person_behind_an_action_is_refused_unless_the_transition_is_the_systems(people, action):
    source = sorted(TRANSITIONS[action].sources)[0]
    rec = bring_to(source, people)
    events_before = rec.events.count()
    with pytest.raises(TransitionError):
        apply_transition(recommendation_id=rec.pk, action=action, actor=None, note="Lý do")
    rec.refresh_from_db()
    assert rec.status == source
    assert rec.events.count() == events_before


def test_the_publishing_job_takes_the_system_transition_with_no_person(people):
    assert [action for action, t in TRANSITIONS.items() if t.system] == ["publish"]
    rec = bring_to(Status.ANSWER_APPROVED, people)
    apply_transition(recommendation_id=rec.pk, action="publish", actor=None)
    rec.refresh_from_db()
    assert rec.status == Status.PUBLISHED
    assert rec.events.last().actor is None


@pytest.mark.parametrize("action", ["return", "reject", "send_back"])
def test_a_reason_is_required(people, action):
    rec = bring_to(sorted(TRANSITIONS[action].sources)[0], people)
    actor = people[sorted(ALLOWED[action])[0]]
    events_before = rec.events.count()
    with pytest.raises(TransitionError):
        recommendations.recommendation_act(
            recommendation_id=rec.pk, actor=actor, action=action, note=" "
        )
    rec.refresh_from_db()
    assert rec.status in TRANSITIONS[action].sources
    assert rec.events.count() == events_before


def test_available_transitions_follow_the_table(people):
    rec = bring_to(Status.SUBMITTED, people)
    assert {t.action for t in available_transitions(people["office"], rec)} == {
        "accept",
        "return",
        "merge",
        "reject",
    }
    assert {t.action for t in available_transitions(people["province"], rec)} == {"withdraw"}
    assert available_transitions(people["other_province"], rec) == []


def test_double_submit_happens_once(people):
    rec = bring_to(Status.DRAFT, people)
    recommendations.recommendation_act(
        recommendation_id=rec.pk, actor=people["province_leader"], action="submit"
    )
    with pytest.raises(TransitionError):
        recommendations.recommendation_act(
            recommendation_id=rec.pk, actor=people["province_leader"], action="submit"
        )
    assert rec.events.filter(action="submit").count() == 1


def test_the_same_form_posted_twice_creates_one_recommendation(people):
    import uuid

    key = uuid.uuid4()
    first = new_recommendation(people["province"], submission_key=key)
    second = new_recommendation(people["province"], submission_key=key)
    assert first.pk == second.pk
    assert Recommendation.objects.count() == 1


def test_codes_count_up_per_quarter(people):
    first = new_recommendation(people["province"])
    second = new_recommendation(people["other_province"])
    other_quarter = new_recommendation(people["province"], period_quarter=4)
    assert (first.code, second.code, other_quarter.code) == (
        "KN-2020-Q3-0001",
        "KN-2020-Q3-0002",
        "KN-2020-Q4-0001",
    )


def test_accept_refuses_a_deadline_in_the_past(people):
    rec = bring_to(Status.SUBMITTED, people)
    with pytest.raises(ValidationError) as refused:
        recommendations.recommendation_accept(
            recommendation_id=rec.pk,
            actor=people["office"],
            unit=Organisation.objects.get(code="CUC-THH"),
            cooperating_units=[],
            deadline=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert "deadline" in refused.value.error_dict
    rec.refresh_from_db()
    assert rec.status == Status.SUBMITTED and rec.responsible_unit is None
    assert not rec.events.filter(action="accept").exists()


def test_accept_refuses_a_province_as_responsible_unit(people):
    rec = bring_to(Status.SUBMITTED, people)
    with pytest.raises(ValidationError):
        recommendations.recommendation_accept(
            recommendation_id=rec.pk,
            actor=people["office"],
            unit=Organisation.objects.get(code="T63-37"),
            cooperating_units=[],
            deadline=timezone.localdate(),
        )
    rec.refresh_from_db()
    assert rec.status == Status.SUBMITTED and rec.responsible_unit is None
    assert not rec.events.filter(action="accept").exists()


def test_accept_records_unit_cooperating_units_and_deadline(people):
    rec = bring_to(Status.ACCEPTED, people)
    assert rec.responsible_unit.code == "CUC-THH"
    assert [o.code for o in rec.cooperating_units.all()] == ["CUC-ATTT"]
    assert rec.deadline > timezone.localdate()


def test_a_recommendation_cannot_duplicate_itself_or_a_draft(people):
    rec = bring_to(Status.SUBMITTED, people)
    draft = bring_to(Status.DRAFT, people)
    for original in (rec, draft):
        with pytest.raises(ValidationError):
            recommendations.recommendation_mark_duplicate(
                recommendation_id=rec.pk, actor=people["office"], original=original
            )
    rec.refresh_from_db()
    assert rec.status == Status.SUBMITTED and rec.duplicate_of is None
    assert not rec.events.filter(action="merge").exists()


def test_approval_stamps_the_answer(people):
    rec = bring_to(Status.ANSWER_APPROVED, people)
    assert rec.answer.approved_by == people["leader"]
    assert rec.answer.approved_at is not None
    authors = list(
        rec.answer.history.order_by("history_date").values_list("history_user", flat=True)
    )
    assert authors == [people["officer"].pk, people["leader"].pk]


def test_history_records_each_change_with_its_author(people):
    rec = bring_to(Status.ACCEPTED, people)
    authors = list(rec.history.order_by("history_date").values_list("history_user", flat=True))
    # The officer drafts, the department's leader sends, the office accepts.
    assert authors == [people["province"].pk, people["province_leader"].pk, people["office"].pk]


def test_returned_recommendation_is_edited_and_resubmitted_with_the_clarification(people):
    rec = bring_to(Status.RETURNED, people)
    recommendations.recommendation_update(
        recommendation_id=rec.pk,
        actor=people["province_leader"],
        title="Tiêu đề đã làm rõ",
        content=rec.content + " Bổ sung căn cứ pháp lý.",
        field=rec.field,
        channel=rec.channel,
        period_year=2020,
        period_quarter=3,
        submit=True,
        note="Đã bổ sung căn cứ",
    )
    rec.refresh_from_db()
    assert rec.status == Status.SUBMITTED
    assert rec.title == "Tiêu đề đã làm rõ"
    assert rec.events.last().note == "Đã bổ sung căn cứ"


class TestNotifications:
    def test_assignment_mails_the_unit_after_commit(
        self, people, django_capture_on_commit_callbacks, settings
    ):
        settings.CELERY_TASK_ALWAYS_EAGER = True
        for key in ("officer", "leader", "other_officer"):
            people[key].email = f"{key}@bo.gov.vn"
            people[key].save()
        rec = bring_to(Status.SUBMITTED, people)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            do("accept", rec, people["office"], people)
        assert len(mail.outbox) == 1
        assert sorted(mail.outbox[0].to) == ["leader@bo.gov.vn", "officer@bo.gov.vn"]
        assert rec.code in mail.outbox[0].subject

    def test_return_mails_the_submitter_once_even_if_the_task_runs_twice(self, people):
        people["province"].email = "so@ninhbinh.gov.vn"
        people["province"].save()
        rec = bring_to(Status.RETURNED, people)
        event = Event.objects.get(recommendation=rec, action="return")
        mail.outbox.clear()
        assert notify_event.apply(kwargs={"event_id": event.pk}).get() == 1
        assert notify_event.apply(kwargs={"event_id": event.pk}).get() == 0
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["so@ninhbinh.gov.vn"]
        assert "Ghi chú thử nghiệm" in mail.outbox[0].body

    def test_approval_mails_the_submitter(self, people):
        people["province"].email = "so@ninhbinh.gov.vn"
        people["province"].save()
        rec = bring_to(Status.ANSWER_APPROVED, people)
        event = Event.objects.get(recommendation=rec, action="approve")
        mail.outbox.clear()
        notify_event.apply(kwargs={"event_id": event.pk})
        assert "so@ninhbinh.gov.vn" in mail.outbox[0].to


def test_sending_a_recommendation_at_once_takes_at_most_10_statements(people):
    """The service's share of a submission: the double-post check, the code, the row
    and its history, the submit event and the outbox row (savepoints not counted). The
    outbox message is then handed to Celery after commit with two more."""
    new_recommendation(people["province_leader"])  # the quarter's code sequence exists
    with CaptureQueriesContext(connection) as ctx:
        rec = new_recommendation(people["province_leader"], submit=True)
    statements = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"].upper()]
    assert len(statements) <= 10, statements
    assert rec.status == Status.SUBMITTED and rec.submitted_at is not None
    [event] = Event.objects.filter(recommendation=rec)
    assert (event.action, event.from_status, event.to_status) == ("submit", "draft", "submitted")
    assert rec.history.count() == 1


class TestSignOff:
    """The officer drafts, the department's leader signs and sends to the Ministry,
    unless the department lets its officers send (Organisation.officers_may_send)."""

    def test_an_officer_asks_the_leaders_who_are_told_and_the_draft_stays_a_draft(
        self, people, settings, django_capture_on_commit_callbacks
    ):
        settings.CELERY_TASK_ALWAYS_EAGER = True
        people["province_leader"].email = "lanhdao@ninhbinh.gov.vn"
        people["province_leader"].save()
        rec = new_recommendation(people["province"])
        assert [t.action for t in available_transitions(people["province"], rec)] == [
            "ask_signature",
            "withdraw",
        ]
        with django_capture_on_commit_callbacks(execute=True):
            recommendations.recommendation_act(
                recommendation_id=rec.pk,
                actor=people["province"],
                action="ask_signature",
                note="Kính trình lãnh đạo",
            )
        rec.refresh_from_db()
        assert rec.status == Status.DRAFT
        leader_notes = people["province_leader"].notifications.all()
        assert [n.url for n in leader_notes] == [f"/proposals/{rec.pk}/"]
        assert rec.code in leader_notes[0].text
        assert not people["province"].notifications.exists()
        assert not people["office"].notifications.exists()
        assert [m.to for m in mail.outbox] == [["lanhdao@ninhbinh.gov.vn"]]
        # The leader sends it; nothing more to ask.
        assert [t.action for t in available_transitions(people["province_leader"], rec)] == [
            "submit",
            "withdraw",
        ]

    def test_an_officer_may_not_submit_and_a_leader_may_not_ask_himself(self, people):
        rec = new_recommendation(people["province"])
        with pytest.raises(TransitionError):
            do("submit", rec, people["province"], people)
        with pytest.raises(TransitionError):
            do("ask_signature", rec, people["province_leader"], people)
        with pytest.raises(TransitionError):  # another department's leader
            do("submit", rec, people["other_province"], people)
        rec.refresh_from_db()
        assert rec.status == Status.DRAFT and not rec.events.exists()

    def test_the_department_setting_lets_officers_send_and_is_kept_in_history(self, people):
        rec = new_recommendation(people["province"])
        organisation_services.sign_off_set(actor=people["province_leader"], officers_may_send=True)
        people["province"].organisation.refresh_from_db()
        do("submit", rec, people["province"], people)
        rec.refresh_from_db()
        assert rec.status == Status.SUBMITTED
        department = Organisation.objects.get(code="T63-37")
        [change] = department.history.filter(officers_may_send=True)
        assert change.history_user == people["province_leader"]

    def test_an_officer_cannot_change_the_setting(self, people):
        with pytest.raises(ValidationError):
            organisation_services.sign_off_set(actor=people["province"], officers_may_send=True)
        assert not Organisation.objects.get(code="T63-37").officers_may_send
