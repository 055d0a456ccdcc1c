"""Data and tokens of the API error and contract tests: the reference data (loaded by
the migrations), a few published answers, an approved indicator period, and an
organisation token of Sở TT&TT Ninh Bình."""

from briefing.organisations import api_tokens
from proposals.models import Status
from tests.indicators.conftest import load
from tests.proposals.conftest import bring_to, make_people

ALL_SCOPES = ["read", "recommendations", "indicator_reports"]


def department_token(people: dict, scopes=ALL_SCOPES) -> str:
    """The key of a token of the department (Ninh Bình), made by its leader."""
    leader = people["province_leader"]
    _token, key = api_tokens.token_create(
        actor=leader, organisation=leader.organisation, name="Hệ thống một cửa", scopes=scopes
    )
    return key


def api_data() -> dict:
    """People, three published answers and one approved indicator period."""
    people = make_people()
    for n in range(3):
        bring_to(Status.PUBLISHED, people, title=f"Kiến nghị đã trả lời {n}")
    load(people["office"], "Q3/2020", "CUC-BC", {"T63-01": {"QH_BAOCHI": 1}})
    return people
