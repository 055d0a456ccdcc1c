"""A fault under /api/ answers the API's error shape, status 500, in the request's
language and without any detail of the fault; a page elsewhere keeps the HTML page."""

from unittest import mock

import pytest

from proposals import api as proposals_api

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.server_error_urls")]

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


def _server_error(response) -> dict:
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    text = response.content.decode()
    assert "hunter2" not in text and "RuntimeError" not in text and "Traceback" not in text
    body = response.json()
    assert list(body) == ["errors"] and len(body["errors"]) == 1
    error = body["errors"][0]
    assert list(error) == ["field", "code", "message"]
    assert error["field"] is None and error["code"] == "server_error"
    return error


def test_a_fault_under_the_api_answers_json_in_the_requested_language(client):
    english = _server_error(client.get("/api/v1/fail/", **ENGLISH))
    assert english["message"].startswith("Server error")
    vietnamese = _server_error(client.get("/api/v1/fail/"))
    assert vietnamese["message"].startswith("Hệ thống gặp sự cố")


def test_a_fault_in_a_real_endpoint_answers_json(client):
    failing = mock.patch.object(
        proposals_api.AnswerList, "get", side_effect=RuntimeError("hunter2")
    )
    with failing:
        _server_error(client.get("/api/v1/answers/", **ENGLISH))


def test_the_schemas_address_answers_json_too(client):
    _server_error(client.get("/api/schema/fail/", **ENGLISH))


def test_a_page_keeps_the_html_error_page(client):
    response = client.get("/fail/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert "Lỗi hệ thống" in text and "hunter2" not in text
