"""The indicators API: catalogue and national figures for everyone (approved reports
only), and report submission with a token through the shared validation."""

import pytest

from briefing.models.api_tokens import ApiToken
from briefing.organisations import api_tokens
from indicators import services
from indicators.models import Status, Submission, Value
from tests.indicators.conftest import load, period
from tests.indicators.test_views import FULL

REPORTS = "/api/v1/indicators/reports/"


def make_key(user, scopes=("indicator_reports",)) -> str:
    return api_tokens.token_create(
        actor=user, organisation=user.organisation, name="Hệ thống báo cáo", scopes=list(scopes)
    )[1]


@pytest.fixture
def token_client(client, people):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {make_key(people['province'])}"
    return client


def _report(**values):
    return {"period": "Q3-2020", "unit": "CUC-THH", "values": values}


def test_the_catalogue_lists_public_indicators(client, db):
    body = client.get("/api/v1/indicators/").json()
    codes = [row["code"] for row in body]
    assert "DVCTT_MUC34" in codes and "ATTT_4LOP" in codes
    four_layer = next(row for row in body if row["code"] == "ATTT_4LOP")
    assert four_layer["entity_kinds"] == ["province", "central_agency"]
    assert four_layer["owner_unit"] == "CUC-ATTT"


def test_figures_count_approved_reports_only(client, people):
    load(people["office"], "Q3/2020", "CUC-BC", {"T63-01": {"QH_BAOCHI": 1}})
    load(people["office"], "Q3/2020", "CUC-BC", {"T63-02": {"QH_BAOCHI": 1}}, approve=False)
    points = client.get("/api/v1/indicators/QH_BAOCHI/figures/", {"period": "Q3-2020"}).json()
    # Up to eight quarters: the catalogue's periods begin with Q1/2019.
    assert [p["period"] for p in points][:1] == ["Q1-2019"] and len(points) == 7
    assert points[-1]["period"] == "Q3-2020"
    assert points[-1]["reported"] == 1 and points[-1]["applicable"] == 63
    assert points[-1]["value"] == pytest.approx(100 / 63)
    assert client.get("/api/v1/indicators/NOPE/figures/").status_code == 404
    for malformed in ("Q9-2020", "Q3/2020", "", "2020-Q3"):
        refused = client.get("/api/v1/indicators/QH_BAOCHI/figures/", {"period": malformed})
        assert refused.status_code == 400, malformed
        assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [
            ("period", "invalid")
        ]
    unknown = client.get("/api/v1/indicators/QH_BAOCHI/figures/", {"period": "Q1-1990"})
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["field"] == "period"
    assert unknown.json()["errors"][0]["code"] == "does_not_exist"


def test_a_report_needs_a_token_and_a_reporting_organisation(client, people):
    assert (
        client.post(REPORTS, _report(DVC_TONG=1), content_type="application/json").status_code
        == 401
    )
    # A token that may only read.
    key = make_key(people["province"], scopes=["read"])
    refused = client.post(
        REPORTS,
        _report(DVC_TONG=1),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert refused.status_code == 403
    assert not Submission.objects.exists() and not Value.objects.exists()


def test_bad_values_come_back_by_element_and_nothing_is_saved(token_client):
    response = token_client.post(
        REPORTS, _report(DVC_TONG=-1, DVC_MUC34="abc"), content_type="application/json"
    )
    assert response.status_code == 400
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(errors) == {"values.DVC_TONG", "values.DVC_MUC34"}
    assert errors["values.DVC_TONG"].endswith("không được là số âm.")
    assert errors["values.DVC_MUC34"].endswith("vui lòng nhập số nguyên, ví dụ 125.")
    assert not Submission.objects.exists() and not Value.objects.exists()


def test_a_draft_then_a_submission_through_the_api(token_client):
    draft = token_client.post(REPORTS, _report(DVC_TONG=1200), content_type="application/json")
    assert draft.status_code == 201
    assert draft.json()["status"] == Status.DRAFT and draft.json()["values"]["DVC_TONG"] == 1200
    full = {k: v for k, v in FULL.items() if k not in ("comment",)}
    sent = token_client.post(
        REPORTS, {**_report(**full), "submit": True}, content_type="application/json"
    )
    assert sent.status_code == 200, sent.json()
    assert Submission.objects.get().status == Status.SUBMITTED


def test_unknown_period_or_unit_and_a_locked_period(token_client, people):
    bad_period = token_client.post(
        REPORTS, {**_report(DVC_TONG=1), "period": "Q9-2020"}, content_type="application/json"
    )
    assert bad_period.status_code == 400
    assert [e["field"] for e in bad_period.json()["errors"]] == ["period"]
    bad_unit = token_client.post(
        REPORTS, {**_report(DVC_TONG=1), "unit": "CUC-ATTT-X"}, content_type="application/json"
    )
    assert bad_unit.status_code == 400
    assert [e["field"] for e in bad_unit.json()["errors"]] == ["unit"]
    services.period_lock(period_id=period("Q3/2020").pk, actor=people["office"])
    locked = token_client.post(REPORTS, _report(DVC_TONG=1), content_type="application/json")
    assert locked.status_code == 409
    [error] = locked.json()["errors"]
    assert error["code"] == "conflict" and "Q3/2020" in error["message"]
    assert not Submission.objects.exists() and not Value.objects.exists()


def _post_report(client, key):
    return client.post(
        REPORTS,
        _report(DVC_TONG=1200),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )


def test_an_organisation_token_reports_until_it_is_revoked(client, people):
    key = make_key(people["province"])
    assert _post_report(client, key).status_code == 201
    api_tokens.token_revoke(actor=people["province"], token=ApiToken.objects.get())
    refused = _post_report(client, key)
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["code"] == "authentication_failed"


def test_only_leaders_have_a_token_page(client, people):
    client.force_login(people["officer"])
    assert client.get("/accounts/api-token/").status_code == 403
    assert 'href="/accounts/api-token/"' not in client.get("/workspace/").content.decode()
    client.logout()
    assert client.get("/accounts/api-token/")["Location"].startswith("/accounts/login/")
