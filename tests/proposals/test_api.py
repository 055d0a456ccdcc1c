"""The answers API: the open-data columns, filters, pagination, 404 for what is not
published, errors in Vietnamese, and a fixed number of queries."""

import re

import pytest

from proposals.models import Field, Status
from proposals.views.public import EXPORT_COLUMNS
from tests.conftest import count_queries
from tests.proposals.conftest import bring_to

pytestmark = pytest.mark.django_db


def test_the_list_has_the_export_columns_and_filters_apply(client, people):
    telecom = bring_to(
        Status.PUBLISHED, people, title="Hạ tầng viễn thông", field=Field.objects.get(code="VT")
    )
    digital = bring_to(Status.PUBLISHED, people, title="Chuyển đổi số cấp xã")
    bring_to(Status.ANSWER_APPROVED, people, title="Chưa đăng tải")

    body = client.get("/api/v1/answers/").json()
    assert body["count"] == 2 and body["next"] is None
    assert {row["code"] for row in body["results"]} == {telecom.code, digital.code}
    assert list(body["results"][0]) == EXPORT_COLUMNS

    only = client.get("/api/v1/answers/", {"field": Field.objects.get(code="VT").pk}).json()
    assert [row["code"] for row in only["results"]] == [telecom.code]
    found = client.get("/api/v1/answers/", {"q": "chuyen doi so"}).json()
    assert [row["code"] for row in found["results"]] == [digital.code]


def test_pages_follow_page_size(client, people):
    for n in range(3):
        bring_to(Status.PUBLISHED, people, title=f"Kiến nghị {n}")
    first = client.get("/api/v1/answers/", {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"].endswith("page=2&page_size=2")
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1


def test_a_bad_filter_is_a_400_in_vietnamese(client, people):
    response = client.get("/api/v1/answers/", {"field": "999999"})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "field" and error["code"] == "invalid_choice"
    assert "Hãy chọn" in error["message"]


def test_one_answer_and_404_when_not_published(client, people):
    rec = bring_to(Status.PUBLISHED, people)
    waiting = bring_to(Status.ANSWER_APPROVED, people)
    assert client.get(f"/api/v1/answers/{rec.code}/").json()["code"] == rec.code
    assert client.get(f"/api/v1/answers/{waiting.code}/").status_code == 404
    assert client.get("/api/v1/answers/KN-0000-Q1-0000/").status_code == 404


def test_the_list_queries_do_not_grow_with_rows(client, people):
    bring_to(Status.PUBLISHED, people)
    few = count_queries(client, "/api/v1/answers/")
    for n in range(6):
        bring_to(Status.PUBLISHED, people, title=f"Kiến nghị thêm {n}")
    assert count_queries(client, "/api/v1/answers/") == few


def test_the_schema_and_the_docs_page_describe_every_endpoint(client):
    schema = client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = set(schema.json()["paths"])
    assert paths >= {
        "/api/v1/answers/",
        "/api/v1/answers/{code}/",
        "/api/v1/indicators/",
        "/api/v1/indicators/{code}/figures/",
        "/api/v1/indicators/reports/",
        "/api/v1/recommendations/",
        "/api/v1/recommendations/{code}/",
        "/api/v1/briefings/{quarter}/",
    }
    docs = client.get("/api/docs/").content.decode()
    for path in paths:
        pattern = re.escape(path).replace(r"\{code\}", "[A-Z0-9_-]+")
        pattern = pattern.replace(r"\{quarter\}", r"\d{4}-q[1-4]")
        assert re.search(f"<code>(GET|POST) {pattern}</code>", docs), path


def test_an_anonymous_caller_is_throttled_per_minute(client, db):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    rate = AnonRateThrottle().get_rate()
    allowed = int(rate.split("/")[0])
    assert rate == api_settings.DEFAULT_THROTTLE_RATES["anon"]
    for _ in range(allowed):
        assert client.get("/api/v1/indicators/").status_code == 200
    refused = client.get("/api/v1/indicators/")
    assert refused.status_code == 429 and "Retry-After" in refused
    # With no proxy configured, a made-up X-Forwarded-For is no new client.
    forged = client.get("/api/v1/indicators/", HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert forged.status_code == 429
    # Another address still gets through.
    assert client.get("/api/v1/indicators/", REMOTE_ADDR="10.0.0.2").status_code == 200
