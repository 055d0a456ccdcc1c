"""The API against its own OpenAPI schema (schemathesis): every operation, with data
built from the schema (valid and invalid), anonymously and with an organisation token.
No 5xx, no response outside the schema, no undocumented status or content type.

On a database with the reference data, a few published answers, an approved indicator
period and a department's token; the throttles are lifted (429 is tested in
test_errors.py) so that every call reaches the view."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.contract_data import api_data, department_token

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
UNLIMITED = dict.fromkeys(("anon", "user", "token"), "100000/minute")


@pytest.fixture
def contract_key(db):
    return department_token(api_data())


@pytest.fixture(autouse=True)
def _in_the_test_transaction(monkeypatch):
    """Calls go through the WSGI handler, which closes the database connection when a
    request ends (outside autocommit, as inside a test's transaction): Django's test
    client turns that off the same way."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", UNLIMITED)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loaded when the module is collected, from the app's own /api/schema/ (no database
# needed); schemathesis.pytest.from_fixture would wait for the database but does not
# work with pytest 9.2 (it sets Node._nodeid, now Node._id).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@schema.parametrize()
# About a minute for the whole API; no example database (.hypothesis/) in the checkout.
@settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_contract(case, contract_key):
    case.call_and_validate(checks=CHECKS)
    case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Bearer {contract_key}"})
