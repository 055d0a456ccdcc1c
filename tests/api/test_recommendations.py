"""POST/GET /api/v1/recommendations/ with an organisation token: one or a list in one
atomic request through the form's validation, the department's own only, idempotent
retries, and every bad input a 4xx naming the problem with nothing stored."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from briefing.models.api_tokens import ApiToken
from briefing.models.organisations import RoleCode
from briefing.organisations import api_tokens
from briefing.platform import quarters
from proposals.models import Event, Recommendation, Status
from proposals.services import publishing
from tests.api.conftest import auth, make_key
from tests.conftest import make_user
from tests.proposals.conftest import bring_to, make_people, revise_answer

URL = "/api/v1/recommendations/"
# The form offers the quarter of today, the one before and the one after.
NOW = quarters.quarter_of(timezone.localdate())
NEXT = quarters.shift(*NOW, 1)
THIS_QUARTER, NEXT_QUARTER = f"{NOW[0]}-Q{NOW[1]}", f"{NEXT[0]}-Q{NEXT[1]}"


def item(**extra):
    return {
        "title": "Đề nghị hướng dẫn kết nối LGSP",
        "content": "Sở đề nghị Bộ hướng dẫn kết nối nền tảng tích hợp cấp tỉnh với NDXP.",
        "field": "CNTT",
        "channel": "briefing",
        "quarter": THIS_QUARTER,
        **extra,
    }


def post(client, body, key, **headers):
    return client.post(URL, body, content_type="application/json", **auth(key), **headers)


def errors(response) -> dict:
    return {e["field"]: e["code"] for e in response.json()["errors"]}


def test_one_recommendation_sent_by_a_leaders_token(client, key, leader):
    response = post(client, item(send=True), key)
    assert response.status_code == 201, response.json()
    body = response.json()
    rec = Recommendation.objects.get()
    assert body["code"] == rec.code and body["status"] == Status.SUBMITTED
    assert body["quarter"] == THIS_QUARTER and body["field"] == "CNTT"
    assert rec.submitted_by == leader and rec.submitting_organisation == leader.organisation
    assert Event.objects.get(recommendation=rec).actor == leader


def test_a_list_is_created_at_once_as_drafts(client, key):
    plain = f"{NEXT[0]}-{NEXT[1]}"  # the other way to write it
    response = post(client, [item(), item(quarter=plain, channel="regular")], key)
    assert response.status_code == 201
    assert [r["status"] for r in response.json()] == ["draft", "draft"]
    assert [r["quarter"] for r in response.json()] == [THIS_QUARTER, NEXT_QUARTER]
    assert Recommendation.objects.count() == 2


def test_a_token_of_a_leader_now_an_officer_asks_for_signature(client, key, leader):
    leader.roles.set([RoleCode.PROVINCE_OFFICER])
    response = post(client, item(send=True), key)
    assert response.status_code == 201
    assert response.json()["status"] == Status.DRAFT
    assert Event.objects.get().action == "ask_signature"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ([item(), item(title=5)], {"1.title": "invalid"}),
        (item(send="yes"), {"send": "invalid"}),
        (item(colour="red"), {"colour": "unknown_field"}),
        (item(field="KHONG-CO"), {"field": "not_found"}),
        (item(quarter="2020-7"), {"quarter": "invalid"}),
        # Not a quarter the form offers now (and before the department began).
        (item(quarter="2020-3"), {"quarter": ("invalid", "invalid_choice")}),
        (item(title="Ngắn"), {"title": "invalid"}),
        ({k: v for k, v in item().items() if k != "content"}, {"content": "required"}),
        ([], {None: "invalid"}),
        ([item()] * 101, {None: "invalid"}),
        ('"text"', {None: "invalid"}),
        ("42", {None: "invalid"}),
    ],
)
def test_bad_input_names_the_problem_and_stores_nothing(client, key, body, expected):
    response = post(client, body, key)
    assert response.status_code == 400, response.json()
    found = errors(response)
    assert set(found) == set(expected)
    assert all(
        found[name] in (code if isinstance(code, tuple) else (code,))
        for name, code in expected.items()
    )
    assert not Recommendation.objects.exists()


def test_a_quarter_in_which_the_department_did_not_exist(client, db):
    # Ninh Bình's department of 2020 merged into the new one on 1 July 2025.
    old = make_user(RoleCode.PROVINCE_LEADER, username="t-so-ninhbinh-lead", org_code="T63-37")
    response = post(client, item(), make_key(old))
    assert response.status_code == 400 and errors(response) == {"quarter": "invalid"}
    assert "no longer existed" in response.json()["errors"][0]["message"] or response.json()
    assert not Recommendation.objects.exists()


def test_malformed_json_too_large_and_wrong_media_type(client, key):
    broken = client.post(URL, b'{"title": ', content_type="application/json", **auth(key))
    assert broken.status_code == 400 and broken.json()["errors"][0]["code"] == "parse_error"
    huge = post(client, item(content="x" * (api_tokens.MAX_BODY_BYTES + 10)), key)
    assert huge.status_code == 413 and huge.json()["errors"][0]["code"] == "payload_too_large"
    form = client.post(URL, {"title": "x"}, **auth(key))
    assert form.status_code == 415
    assert not Recommendation.objects.exists()


def test_tokens_revoked_expired_unknown_or_without_the_scope(client, leader):
    revoked = make_key(leader)
    api_tokens.token_revoke(actor=leader, token=ApiToken.objects.get())
    expired = make_key(leader)
    ApiToken.objects.filter(revoked_at__isnull=True).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    reader = make_key(leader, scopes=["read"])
    assert client.post(URL, item(), content_type="application/json").status_code == 401
    for bad in (revoked, expired, "gb_khong-co"):
        response = post(client, item(), bad)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert post(client, item(), reader).status_code == 403
    assert client.get(URL, **auth(reader)).status_code == 200
    assert not Recommendation.objects.exists()


def test_a_retry_with_the_same_key_replays_the_first_answer(client, key):
    first = post(client, [item(), item()], key, HTTP_IDEMPOTENCY_KEY="lan-gui-1")
    again = post(client, [item(), item()], key, HTTP_IDEMPOTENCY_KEY="lan-gui-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Recommendation.objects.count() == 2
    other = post(
        client, [item(title="Một đề nghị khác hẳn")], key, HTTP_IDEMPOTENCY_KEY="lan-gui-1"
    )
    assert other.status_code == 409 and errors(other) == {None: "idempotency_key_reused"}
    assert Recommendation.objects.count() == 2
    # A refused request keeps no answer: corrected, the same key goes through.
    assert post(client, item(field="X"), key, HTTP_IDEMPOTENCY_KEY="k2").status_code == 400
    assert post(client, item(), key, HTTP_IDEMPOTENCY_KEY="k2").status_code == 201


def test_reading_the_own_organisations_recommendations_only(client, key, other_leader):
    mine = post(client, item(send=True), key).json()["code"]
    theirs = post(client, item(send=True), make_key(other_leader)).json()["code"]
    listed = client.get(URL, **auth(key)).json()
    assert [r["code"] for r in listed["results"]] == [mine] and listed["count"] == 1
    assert client.get(f"{URL}{theirs}/", **auth(key)).status_code == 404
    detail = client.get(f"{URL}{mine}/", **auth(key)).json()
    assert detail["status"] == "submitted" and detail["answer"] is None
    assert [h["to_status"] for h in detail["history"]] == ["submitted"]


def test_list_filters_and_their_errors(client, key):
    post(client, [item(send=True), item(quarter=NEXT_QUARTER)], key)
    assert client.get(URL, {"status": "draft"}, **auth(key)).json()["count"] == 1
    plain = f"{NOW[0]}-{NOW[1]}"
    assert client.get(URL, {"quarter": plain}, **auth(key)).json()["count"] == 1
    later = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    assert client.get(URL, {"updated_since": later}, **auth(key)).json()["count"] == 0
    bad = client.get(URL, {"status": "x", "quarter": "Q9", "updated_since": "hôm qua"}, **auth(key))
    assert bad.status_code == 400
    assert set(errors(bad)) == {"status", "quarter", "updated_since"}


def test_the_published_answer_never_a_draft(client, db):
    people = make_people()
    key = make_key(people["province_leader"])
    rec = bring_to(Status.ANSWER_APPROVED, people)
    detail = client.get(f"{URL}{rec.code}/", **auth(key)).json()
    assert detail["answer"] is None  # approved, not yet published
    publishing.answer_publish(recommendation_id=rec.pk)
    published = client.get(f"{URL}{rec.code}/", **auth(key)).json()
    assert published["status"] == "published" and published["answer_published"] is True
    assert published["answer"]["text"].startswith("Cục Tin học hóa trả lời")
    revise_answer(people, rec, text="Bản sửa chưa được duyệt")
    revising = client.get(f"{URL}{rec.code}/", **auth(key)).json()
    assert revising["answer"] == published["answer"]
    assert "Bản sửa" not in str(revising)


def test_the_list_costs_the_same_queries_for_more_rows(client, key):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, **auth(key)).status_code == 200
        return len(ctx)

    post(client, item(), key)
    one = queries()
    post(client, [item()] * 5, key)
    assert queries() == one
