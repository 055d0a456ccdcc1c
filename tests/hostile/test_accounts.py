"""Hostile input to the sign-in form and the organisation list's filters."""

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from briefing.models.organisations import RoleCode, User
from tests.conftest import PASSWORD, make_user
from tests.hostile.conftest import (
    FEW,
    HOSTILE,
    NFD_TEXT,
    assert_answered,
    get,
    hostile_choice,
    hostile_text,
    mixed,
    post,
    undone,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(db):
    return make_user(RoleCode.PROVINCE_OFFICER)


@FEW
@given(
    data=mixed(
        {"username": "t-so-ninhbinh", "password": PASSWORD},
        # User names up to the field's 150 characters: a longer one is a 500 today, see
        # test_an_overlong_user_name_is_refused_in_vietnamese.
        {"username": hostile_text.map(lambda name: name[:150]), "password": hostile_text},
    )
)
@example(data={"username": "t-so-ninhbinh\x00", "password": PASSWORD})
@example(data={"username": "t-so-ninhbinh", "password": "\x00"})
def test_login_form_takes_hostile_input(client, user, data):
    with undone():
        users = User.objects.values_list("pk", "username", "password", "is_active")
        stored = sorted(users)
        response = post(client, reverse("login"), data)
        assert_answered(response, sent=data.values())
        # Sign-in writes attempts and the security log, never an account.
        assert sorted(users) == stored
        client.logout()


@HOSTILE
@given(
    params=st.fixed_dictionaries(
        {},
        optional={
            "q": st.one_of(hostile_text, st.just(NFD_TEXT)),
            "kind": hostile_choice,
            "valid_on": hostile_choice,
            "page": hostile_choice,
        },
    )
)
@example(params={"q": "\x00", "valid_on": "\x00"})
def test_organisation_filters_take_hostile_input(client, user, params):
    client.force_login(make_user(RoleCode.OFFICE_COORDINATOR))
    with undone():
        response = get(client, reverse("organisation_list"), params)
        assert_answered(response, sent=params.values())
        assert response.status_code == 200


def test_an_overlong_user_name_is_refused_in_vietnamese(client, user):
    before = sorted(User.objects.values_list("pk", "username", "password"))
    response = post(client, reverse("login"), {"username": "A" * 300, "password": PASSWORD})
    assert_answered(response, sent=["A" * 300])
    assert response.status_code == 200
    assert sorted(User.objects.values_list("pk", "username", "password")) == before
