"""Hostile input to what anyone may send: the public search and filters of answers
(and the open-data exports, which take the same filters), the subscription form and
the rating vote."""

import json

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from proposals.models import AnswerRating, Status, Subscription
from tests.hostile.conftest import (
    HOSTILE,
    NFD_TEXT,
    assert_answered,
    assert_saved_clean,
    assert_unchanged,
    get,
    hostile_choice,
    hostile_text,
    mixed,
    post,
    row_counts,
    undone,
)
from tests.proposals.conftest import bring_to, make_people

pytestmark = pytest.mark.django_db

FILTERS = ("q", "quarter", "field", "province", "unit", "page")
filter_input = st.fixed_dictionaries(
    {},
    optional={name: hostile_text if name == "q" else hostile_choice for name in FILTERS},
)


@pytest.fixture
def published(db):
    return bring_to(Status.PUBLISHED, make_people())


@HOSTILE
@given(params=filter_input)
@example(params={"q": NFD_TEXT})
@example(params={"q": "\x00", "page": "\x00"})
def test_public_search_and_filters_take_hostile_input(client, published, params):
    with undone():
        response = get(client, reverse("answers:list"), params)
        assert_answered(response, sent=params.values())
        assert response.status_code == 200


@HOSTILE
@given(params=filter_input, export=st.sampled_from(["export_csv", "export_json", "export_xlsx"]))
def test_open_data_exports_take_hostile_filters(client, published, params, export):
    with undone():
        response = get(client, reverse(f"answers:{export}"), params)
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if export == "export_json":
            json.loads(body)


subscription_input = mixed(
    {"email": "doc.gia@example.vn", "field": "", "consent": "on"},
    {
        "email": st.one_of(hostile_text, st.emails().map(lambda e: e + "\x00"), st.emails()),
        "field": hostile_choice,
        "consent": hostile_choice,
    },
)


@HOSTILE
@given(data=subscription_input)
@example(data={"email": "ngườ\x00i@ví-dụ.vn", "field": "", "consent": "on"})
def test_subscription_form_takes_hostile_input(client, data):
    with undone():
        before = row_counts()
        response = post(client, reverse("answers:subscribe"), data)
        assert_answered(response, sent=data.values())
        if response.status_code == 302:
            subscription = Subscription.objects.latest("pk")
            assert "@" in subscription.email
            assert_saved_clean(before, subscription)
        else:
            assert response.status_code == 400
            assert_unchanged(before)


@HOSTILE
@given(
    data=mixed(
        {"stars": "4", "voter": "b6f1c2de-8d1f-4c36-9a1e-3f6f0f2b7a10"},
        {"stars": hostile_choice, "voter": st.one_of(hostile_text, hostile_choice)},
    )
)
@example(data={"stars": "4", "voter": "\x00"})
@example(data={"stars": "4", "voter": "voter\x00token"})
def test_rating_vote_takes_hostile_input(client, published, data):
    url = reverse("answers:rate", args=[published.code])
    with undone():
        before = row_counts()
        response = post(client, url, data)
        assert_answered(response, sent=data.values())
        if response.status_code == 200 and json.loads(response.content)["counted"]:
            assert_saved_clean(before, AnswerRating.objects.latest("pk"))
        else:
            assert_unchanged(before)
