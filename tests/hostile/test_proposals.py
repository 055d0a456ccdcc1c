"""Hostile input to the recommendation forms of the staff pages: write, edit, accept,
mark as duplicate, the note of every workflow action, the answer, the publication
schedule and the worklist's filters."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from briefing.models.organisations import Organisation
from proposals.models import Field, Recommendation, Status
from tests.confirmation import confirmed
from tests.hostile.conftest import (
    FEW,
    HOSTILE,
    NFD_TEXT,
    assert_answered,
    assert_saved_clean,
    assert_unchanged,
    changed,
    get,
    hostile_choice,
    hostile_text,
    mixed,
    post,
    resolved,
    row_counts,
    undone,
)
from tests.proposals.conftest import bring_to, make_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return make_people()


# Made once per test: the body of a test runs once per example.
@pytest.fixture
def draft(people):
    return bring_to(Status.DRAFT, people)


@pytest.fixture
def submitted(people):
    return bring_to(Status.SUBMITTED, people)


@pytest.fixture
def accepted(people):
    return bring_to(Status.ACCEPTED, people)


@pytest.fixture
def approved(people):
    return bring_to(Status.ANSWER_APPROVED, people)


@pytest.fixture
def original_rec(people):
    return bring_to(Status.SUBMITTED, people, title="Kiến nghị gốc về dữ liệu")


def _this_quarter() -> str:
    # Q3/2020: Sở TT&TT Ninh Bình merged into another department in 2025, so it can
    # only send recommendations for quarters before that.
    return "2020-3"


def _field_pk():
    return str(Field.objects.get(code="CNTT").pk)


recommendation_input = mixed(
    {
        "title": NFD_TEXT,
        "content": NFD_TEXT + " " + NFD_TEXT,
        "field": _field_pk,
        "channel": "briefing",
        "quarter": _this_quarter,
        "note": "",
        "submission_key": "",
    },
    {
        "title": hostile_text,
        "content": hostile_text,
        "field": hostile_choice,
        "channel": hostile_choice,
        "quarter": hostile_choice,
        "note": hostile_text,
        "submission_key": hostile_choice,
    },
)


@HOSTILE
@given(data=recommendation_input, submit=st.booleans())
@example(
    data={
        "title": "Tiêu đề\x00 có NUL",
        "content": "Nội dung đủ dài\x00",
        "field": _field_pk,
        "channel": "briefing",
        "quarter": _this_quarter,
        "note": "",
        "submission_key": "",
    },
    submit=False,
)
def test_recommendation_form_takes_hostile_input(client, people, data, submit):
    client.force_login(people["province"])
    with undone():
        data = resolved(data)
        if submit:
            data["submit"] = "1"
        before = row_counts()
        response = post(client, reverse("proposals:create"), data)
        assert_answered(response, sent=data.values())
        if response.status_code == 302:
            rec = Recommendation.objects.latest("pk")
            assert rec.title and len(rec.title) <= 300 and len(rec.content) <= 20000
            assert_saved_clean(before, rec)
        else:
            assert response.status_code == 400
            assert_unchanged(before)


@HOSTILE
@given(data=recommendation_input)
def test_recommendation_edit_takes_hostile_input(client, people, draft, data):
    rec = draft
    client.force_login(people["province"])
    with undone():
        data = resolved(data)
        before = row_counts()
        stored = Recommendation.objects.values().get(pk=rec.pk)
        response = post(client, reverse("proposals:edit", args=[rec.pk]), data)
        assert_answered(response, sent=data.values())
        if response.status_code == 302:
            assert_saved_clean(before, rec)
        else:
            assert_unchanged(before)
            assert Recommendation.objects.values().get(pk=rec.pk) == stored


def _unit_pk(code):
    return str(Organisation.objects.get(code=code).pk)


def _deadline():
    return (timezone.localdate() + datetime.timedelta(days=9)).strftime("%d/%m/%Y")


accept_input = mixed(
    {
        "unit": lambda: _unit_pk("CUC-THH"),
        "cooperating_units": lambda: [_unit_pk("CUC-ATTT")],
        "deadline": _deadline,
        "note": NFD_TEXT,
    },
    {
        "unit": hostile_choice,
        "cooperating_units": st.lists(hostile_choice, max_size=3),
        "deadline": hostile_choice,
        "note": hostile_text,
    },
)


@HOSTILE
@given(data=accept_input)
def test_accept_form_takes_hostile_input(client, people, submitted, data):
    rec = submitted
    client.force_login(people["office"])
    with undone():
        data = resolved(data)
        before = row_counts()
        response = post(client, reverse("proposals:accept", args=[rec.pk]), data)
        assert_answered(response, sent=[data["note"], data["unit"], data["deadline"]])
        rec.refresh_from_db()
        if rec.status == Status.ACCEPTED:
            assert_saved_clean(before, rec)
        else:
            assert rec.status == Status.SUBMITTED
            assert_unchanged(before)


@HOSTILE
@given(original=st.one_of(st.just("ORIGINAL"), hostile_choice, hostile_text), note=hostile_text)
def test_duplicate_form_takes_hostile_input(
    client, people, submitted, original_rec, original, note
):
    rec, first = submitted, original_rec
    client.force_login(people["office"])
    with undone():
        data = {"original": first.code if original == "ORIGINAL" else original, "note": note}
        before = row_counts()
        response = post(client, reverse("proposals:merge", args=[rec.pk]), data)
        assert_answered(response, sent=[note, original, str(original).strip().upper()])
        rec.refresh_from_db()
        if rec.status == Status.MERGED:
            assert_saved_clean(before, rec)
        else:
            assert_unchanged(before)


# (action, state the recommendation is in, who takes it)
NOTE_CASES = [
    ("submit", Status.DRAFT, "province"),
    ("withdraw", Status.SUBMITTED, "province"),
    ("return", Status.SUBMITTED, "office"),
    ("reject", Status.SUBMITTED, "office"),
    ("approve", Status.ANSWER_DRAFTED, "leader"),
    ("send_back", Status.ANSWER_DRAFTED, "leader"),
    ("publish", Status.ANSWER_APPROVED, "office"),
    ("revise", Status.PUBLISHED, "office"),
]


@pytest.mark.parametrize(("action", "state", "actor"), NOTE_CASES)
def test_action_notes_take_hostile_input(client, people, action, state, actor):
    rec = bring_to(state, people)
    client.force_login(people[actor])
    url = reverse("proposals:action", args=[rec.pk, action])

    @FEW
    @given(note=hostile_text)
    @example(note="Lý do\x00")
    def check(note):
        with undone():
            before = row_counts()
            response = post(client, url, confirmed({"note": note}))
            assert_answered(response, sent=[note])
            rec.refresh_from_db()
            if rec.status == state:
                assert_unchanged(before)
            else:
                assert_saved_clean(before, rec)
            rec.status = state

    check()


answer_input = mixed(
    {"text": NFD_TEXT, "version": "0", "note": NFD_TEXT},
    {"text": hostile_text, "version": hostile_choice, "note": hostile_text},
)


@HOSTILE
@given(data=answer_input, send=st.booleans())
# A version from a tampered page while no answer is saved: was a 500 (AnswerConflict,
# then no saved answer to show); now saved, as there is no one's text to protect.
@example(data={"text": NFD_TEXT, "version": "1", "note": ""}, send=False)
def test_answer_form_takes_hostile_input(client, people, accepted, data, send):
    rec = accepted
    client.force_login(people["officer"])
    with undone():
        if send:
            data["send"] = "1"
        before = row_counts()
        response = post(client, reverse("proposals:answer", args=[rec.pk]), data)
        assert_answered(response, sent=data.values())
        if response.status_code == 302:
            rec.refresh_from_db()
            assert_saved_clean(before, rec, rec.answer)
        else:
            assert response.status_code in (400, 409)
            assert_unchanged(before)


@HOSTILE
@given(publish_at=hostile_choice)
@example(publish_at="01/01/2020 25:61")
@example(publish_at="01/01/9999 10:00")
def test_schedule_form_takes_hostile_input(client, people, approved, publish_at):
    rec = approved
    client.force_login(people["office"])
    with undone():
        before = row_counts()
        response = post(
            client, reverse("proposals:schedule", args=[rec.pk]), {"publish_at": publish_at}
        )
        assert_answered(response, sent=[publish_at])
        if response.status_code == 400:  # refused next to the field: nothing saved
            assert_unchanged(before)
        else:
            assert response.status_code == 302
            if changed(before):  # empty, or a valid time: the schedule was saved
                assert_saved_clean(before, rec)


@HOSTILE
@given(
    params=st.fixed_dictionaries(
        {},
        optional={
            name: hostile_choice if name != "q" else hostile_text
            for name in (
                "q",
                "status",
                "field",
                "province",
                "unit",
                "quarter",
                "overdue",
                "mine",
                "sort",
                "page",
            )
        },
    ),
    role=st.sampled_from(["office", "officer", "province"]),
)
def test_worklist_filters_take_hostile_input(client, people, params, role):
    client.force_login(people[role])
    with undone():
        response = get(client, reverse("proposals:list"), params)
        assert_answered(response, sent=params.values())
        assert response.status_code == 200
