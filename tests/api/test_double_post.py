"""The same POST with one Idempotency-Key sent twice at the same moment to the live
server creates one set of recommendations, and both answers are that set."""

import json
import urllib.error
import urllib.request

import pytest
from django.db import connection

from briefing.models.organisations import RoleCode
from proposals.models import Recommendation
from tests.api.conftest import make_key
from tests.api.test_recommendations import NEXT_QUARTER, item
from tests.conftest import make_user
from tests.faults.test_double_post import at_once

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _database_server(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("two requests writing at once need PostgreSQL")


def _post(url: str, key: str, idempotency_key: str, body: list) -> tuple[int, list]:
    request = urllib.request.Request(  # noqa: S310 - the live server's http URL
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {key}",
            "Idempotency-Key": idempotency_key,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - http
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_two_identical_posts_at_once_create_one_set(live_server):
    key = make_key(make_user(RoleCode.PROVINCE_LEADER, org_code="T34-01"))
    url = f"{live_server.url}/api/v1/recommendations/"
    for number in range(3):
        body = [item(title=f"Đề nghị kết nối LGSP, lần {number}"), item(quarter=NEXT_QUARTER)]
        call = lambda: _post(url, key, f"lan-{number}", body)  # noqa: E731, B023
        first, second = at_once(call, call)
        assert first[0] == second[0] == 201, (first, second)
        assert first[1] == second[1]
        codes = sorted(row["code"] for row in first[1])
        assert codes == sorted(
            Recommendation.objects.filter(title__endswith=f"lần {number}")
            .values_list("code", flat=True)
            .union(Recommendation.objects.filter(code__in=codes).values_list("code", flat=True))
        )
    assert Recommendation.objects.count() == 6
