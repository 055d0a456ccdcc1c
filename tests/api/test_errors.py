"""Every API error has one shape, {"errors": [{"field", "code", "message"}]}, with the
right status, in Vietnamese by default and in English with Accept-Language: en; and the
schema documents the errors each operation answers."""

import pytest
from django.utils import translation
from rest_framework import serializers
from rest_framework.throttling import AnonRateThrottle

from briefing.platform.api_errors import error_body
from tests.api.contract_data import department_token
from tests.proposals.conftest import make_people

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/indicators/reports/"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def key(db):
    return department_token(make_people())


def _errors(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["errors"] and body["errors"]
    for error in body["errors"]:
        assert list(error) == ["field", "code", "message"]
        assert error["message"]
    return body["errors"]


def _both(call, status):
    """The errors of one request in English and in Vietnamese (the default)."""
    english = _errors(call(ENGLISH), status)
    vietnamese = _errors(call({}), status)
    assert [(e["field"], e["code"]) for e in english] == [
        (e["field"], e["code"]) for e in vietnamese
    ]
    return english, vietnamese


def _vietnamese(english, vietnamese):
    """No English message on a Vietnamese response."""
    for en, vi in zip(english, vietnamese, strict=True):
        assert vi["message"] != en["message"], en["message"]


def test_a_field_error_names_the_field(client, key):
    def call(headers):
        return client.get("/api/v1/answers/", {"field": "999999"}, **headers)

    english, vietnamese = _both(call, 400)
    assert [(e["field"], e["code"]) for e in english] == [("field", "invalid_choice")]
    assert "Select a valid choice" in english[0]["message"]
    assert "Hãy chọn" in vietnamese[0]["message"]


def test_nested_and_several_field_errors(client, key):
    def call(headers):
        body = {"period": "Q9-2020", "values": [1], "submit": "maybe"}
        return client.post(
            REPORTS,
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
            **headers,
        )

    english, vietnamese = _both(call, 400)
    assert {(e["field"], e["code"]) for e in english} == {
        ("period", "invalid"),
        ("unit", "required"),
        ("values", "not_a_dict"),
        ("submit", "invalid"),
    }
    with translation.override("en"):
        period = next(e for e in english if e["field"] == "period")
        assert period["message"] == "Write the period as Q3-2020, T7-2020 or 2020."
    required = next(e for e in vietnamese if e["field"] == "unit")
    assert required["message"] == "Trường này là bắt buộc."


def test_a_body_that_is_no_json(client, key):
    def call(headers):
        return client.post(
            REPORTS,
            b'{"period": ',
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
            **headers,
        )

    english, vietnamese = _both(call, 400)
    assert [(e["field"], e["code"]) for e in english] == [(None, "parse_error")]
    assert english[0]["message"] == "The request body is not valid JSON."
    _vietnamese(english, vietnamese)


def test_no_token_and_a_wrong_token(client, key):
    def call(headers):
        return client.post(REPORTS, {}, content_type="application/json", **headers)

    english, vietnamese = _both(call, 401)
    assert [(e["field"], e["code"]) for e in english] == [(None, "not_authenticated")]
    assert english[0]["message"] == "Authentication credentials were not provided."
    assert "WWW-Authenticate" in call({})
    _vietnamese(english, vietnamese)  # pass after translations merge

    def wrong(headers):
        return client.post(
            REPORTS, {}, content_type="application/json", HTTP_AUTHORIZATION="Bearer x", **headers
        )

    english, vietnamese = _both(wrong, 401)
    assert english[0]["code"] == "authentication_failed"
    _vietnamese(english, vietnamese)


def test_a_token_without_the_scope_is_a_403(client, db):
    key = department_token(make_people(), scopes=["read"])

    def call(headers):
        return client.post(
            REPORTS,
            {},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
            **headers,
        )

    english, vietnamese = _both(call, 403)
    assert [(e["field"], e["code"]) for e in english] == [(None, "permission_denied")]
    _vietnamese(english, vietnamese)


def test_not_found_never_names_a_model(client, db):
    for url in ("/api/v1/indicators/NOPE/figures/", "/api/v1/answers/KN-0000-Q1-0000/"):
        english, vietnamese = _both(lambda headers, url=url: client.get(url, **headers), 404)
        assert [(e["field"], e["code"], e["message"]) for e in english] == [
            (None, "not_found", "Not found.")
        ]
        assert vietnamese[0]["message"] == "Không tìm thấy."
    # An address no endpoint has, under /api/v1/: the same body, not the HTML page.
    english, vietnamese = _both(lambda headers: client.get("/api/v1/nothing/", **headers), 404)
    assert english[0]["message"] == "Not found." and vietnamese[0]["message"] == "Không tìm thấy."
    english, vietnamese = _both(
        lambda headers: client.get("/api/v1/answers/", {"page": 99}, **headers), 404
    )
    assert english[0]["code"] == "not_found"
    _vietnamese(english, vietnamese)  # pass after translations merge


def test_a_method_not_allowed(client, db):
    english, vietnamese = _both(lambda h: client.delete("/api/v1/indicators/", **h), 405)
    assert [(e["field"], e["code"]) for e in english] == [(None, "method_not_allowed")]
    assert english[0]["message"] == 'Method "DELETE" not allowed.'
    assert vietnamese[0]["message"] == "Phương thức “DELETE” không được chấp nhận."


def test_a_body_that_is_not_json_by_type(client, key):
    def call(headers):
        return client.post(
            REPORTS,
            "period=Q3-2020",
            content_type="application/x-www-form-urlencoded",
            HTTP_AUTHORIZATION=f"Bearer {key}",
            **headers,
        )

    english, vietnamese = _both(call, 415)
    assert [(e["field"], e["code"]) for e in english] == [(None, "unsupported_media_type")]
    assert "application/x-www-form-urlencoded" in english[0]["message"]
    _vietnamese(english, vietnamese)  # pass after translations merge


def test_too_many_requests_say_when_to_come_back(client, monkeypatch, db):
    monkeypatch.setattr(
        AnonRateThrottle, "THROTTLE_RATES", {**AnonRateThrottle.THROTTLE_RATES, "anon": "2/minute"}
    )
    client.get("/api/v1/indicators/")
    client.get("/api/v1/indicators/")
    english, vietnamese = _both(lambda h: client.get("/api/v1/indicators/", **h), 429)
    refused = client.get("/api/v1/indicators/")
    assert [(e["field"], e["code"]) for e in english] == [(None, "throttled")]
    wait = int(refused["Retry-After"])
    assert 0 < wait <= 60
    assert english[0]["message"].startswith("Too many requests. Try again in ")
    _vietnamese(english, vietnamese)  # pass after translations merge


def test_the_language_follows_accept_language_only_on_the_api(client, db):
    response = client.get("/api/v1/answers/NOPE/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert response.json()["errors"][0]["message"] == "Not found."
    assert response["Content-Language"] == "en" and "Accept-Language" in response["Vary"]
    vietnamese_first = client.get("/api/v1/answers/NOPE/", HTTP_ACCEPT_LANGUAGE="vi,en;q=0.5")
    assert vietnamese_first["Content-Language"] == "vi"
    # Pages keep ignoring the browser's language.
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "vi"


def test_the_schema_documents_the_errors(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    expected = {
        ("/api/v1/answers/", "get"): {"200", "400", "404", "429"},
        ("/api/v1/answers/{code}/", "get"): {"200", "404", "429"},
        ("/api/v1/indicators/", "get"): {"200", "429"},
        ("/api/v1/indicators/{code}/figures/", "get"): {"200", "400", "404", "429"},
        ("/api/v1/indicators/reports/", "post"): {
            "200",
            "201",
            "400",
            "401",
            "403",
            "409",
            "415",
            "429",
        },
    }
    for (path, method), statuses in expected.items():
        responses = paths[path][method]["responses"]
        assert statuses <= set(responses), (path, method, set(responses))
        for status in statuses - {"200", "201"}:
            ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
            assert ref.split("/")[-1] in {"Error", "ReportRefused"}, (path, status)
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["errors"]
    item = schema["components"]["schemas"]["ErrorItem"]
    assert set(item["properties"]) == {"field", "code", "message"}
    assert item["properties"]["field"]["nullable"] is True
    answers = paths["/api/v1/answers/"]["get"]
    assert {"page", "page_size"} <= {p["name"] for p in answers["parameters"]}
    page = answers["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert set(schema["components"]["schemas"][page.split("/")[-1]]["properties"]) == {
        "count",
        "next",
        "previous",
        "results",
    }


def test_the_items_of_a_list_are_numbered(db):
    class Item(serializers.Serializer):
        title = serializers.CharField()
        tags = serializers.ListField(child=serializers.IntegerField())

    items = Item(data=[{"title": "a", "tags": [1]}, {"tags": [1, "x"]}], many=True)
    assert not items.is_valid()
    with translation.override("en"):
        body = error_body(serializers.ValidationError(items.errors).get_full_details())
    assert [(e["field"], e["code"]) for e in body["errors"]] == [
        ("1.title", "required"),
        ("1.tags.1", "invalid"),
    ]
    assert error_body({"__all__": ["Bad."]})["errors"] == [
        {"field": None, "code": "invalid", "message": "Bad."}
    ]
