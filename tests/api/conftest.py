"""Organisation tokens for the API tests."""

import pytest

from briefing.models.organisations import RoleCode
from briefing.organisations import api_tokens
from tests.conftest import make_user

ALL_SCOPES = ["read", "recommendations", "indicator_reports"]


def make_key(user, scopes=ALL_SCOPES, **kwargs) -> str:
    return api_tokens.token_create(
        actor=user, organisation=user.organisation, name="Hệ thống iOffice", scopes=scopes, **kwargs
    )[1]


def auth(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def leader(db):
    """The leader of a department of today (Hà Nội): the form offers the quarters around
    today, and the 63 departments of 2020 ended on 30 June 2025."""
    return make_user(RoleCode.PROVINCE_LEADER, username="t-so-hanoi-lead", org_code="T34-01")


@pytest.fixture
def other_leader(db):
    return make_user(RoleCode.PROVINCE_LEADER, username="t-so-caobang-lead", org_code="T34-04")


@pytest.fixture
def key(leader):
    return make_key(leader)
