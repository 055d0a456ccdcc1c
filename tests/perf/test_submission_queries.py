"""SQL queries of a whole submission request (session, user, roles, organisation, the
form's lookups, savepoints and the writes), as bench/load.py sends them: the
departments' forms and the API of their systems. The target of issue #11: at most 10
queries a submission."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from briefing.models.api_tokens import ApiScope
from briefing.models.organisations import RoleCode
from briefing.organisations.api_tokens import token_create
from briefing.platform import quarters
from indicators.models import Status as ReportStatus
from indicators.models import Submission
from proposals.models import Event, Field, Recommendation, Status
from tests.conftest import make_user
from tests.indicators.test_views import FORM, FULL

pytestmark = pytest.mark.django_db

SUBMISSION_QUERIES = 10
DEPARTMENT = "T34-01"  # one of today's departments: it sends to this quarter's briefing


def recommendation(**overrides) -> dict:
    return {
        "title": "Đề nghị hướng dẫn triển khai chuyển đổi số cấp xã",
        "content": "Sở đề nghị Bộ ban hành hướng dẫn chi tiết cho các xã thí điểm.",
        "field": Field.objects.get(code="CDS").pk,
        "channel": "briefing",
        "quarter": "-".join(map(str, quarters.quarter_of(timezone.localdate()))),
        "submission_key": str(uuid.uuid4()),
        **overrides,
    }


def captured(call) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    return response, [q["sql"] for q in queries.captured_queries]


def statements(queries: list[str]) -> list[str]:
    """The queries without the savepoints (of the test's transaction, and of the
    nested atomic blocks, which cost no round trip of their own in the database's work)."""
    return [q for q in queries if not q.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


@pytest.fixture
def leader(client):
    user = make_user(RoleCode.PROVINCE_LEADER, org_code=DEPARTMENT)
    client.force_login(user)
    client.post("/proposals/new/", recommendation(save="1"))  # warm: content types, sites
    return user


def test_the_recommendation_form_stores_in_at_most_10_queries(client, leader):
    data = recommendation(submit="1")
    response, queries = captured(lambda: client.post("/proposals/new/", data))
    assert response.status_code == 302, response.context["form"].errors
    assert len(queries) <= SUBMISSION_QUERIES, "\n".join(queries)
    rec = Recommendation.objects.get(submission_key=data["submission_key"])
    assert rec.title == data["title"] and rec.submitted_by == leader
    # One statement takes the quarter's next number; the user, organisation and roles
    # come in one query.
    assert sum("proposals_codesequence" in q for q in queries) == 1
    assert not any("briefing_role" in q and "briefing_user" not in q for q in queries)


def test_sending_it_after_the_confirmation_takes_at_most_11_queries(client, leader):
    client.post("/proposals/new/", recommendation(save="1"))
    rec = Recommendation.objects.latest("pk")
    url = f"/proposals/{rec.pk}/do/submit/"
    response, queries = captured(
        lambda: client.post(url, {"note": "", "confirmed": "1", "confirm": "1"})
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.status == Status.SUBMITTED
    # Session, user (with organisation and roles), the recommendation (with its
    # organisation), the row lock, the update, its history, the event, the outbox row,
    # the organisation's webhooks (proposals/webhooks.py) and the test's savepoint and
    # its release (none outside a test: the view's transaction is the outermost).
    assert len(queries) <= SUBMISSION_QUERIES + 1, "\n".join(queries)


def test_the_same_form_posted_twice_stores_one_recommendation(client, leader):
    data = recommendation(submit="1")
    first = client.post("/proposals/new/", data)
    second = client.post("/proposals/new/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    rec = Recommendation.objects.get(submission_key=data["submission_key"])
    assert rec.events.count() == Event.objects.filter(recommendation=rec).count() <= 1
    # The second post's number went back: the next one follows without a gap.
    client.post("/proposals/new/", recommendation(save="1"))
    codes = sorted(Recommendation.objects.values_list("code", flat=True))
    numbers = [int(code.rsplit("-", 1)[1]) for code in codes]
    assert numbers == list(range(1, len(numbers) + 1))


def test_an_indicator_report_is_sent_in_a_bounded_number_of_queries(client):
    client.force_login(make_user(RoleCode.PROVINCE_LEADER))  # Ninh Bình, Q3/2020
    client.get(FORM)
    response, queries = captured(
        lambda: client.post(FORM, FULL | {"submit": "1", "confirmed": "1"})
    )
    assert response.status_code == 302
    assert Submission.objects.get().status == ReportStatus.SUBMITTED
    # Session, user, period, unit, the catalogue and its scope, the report, the
    # previous period's values (for the warnings, the period before found in the same
    # query), then the period's shared lock, the report's lock, the report locked for
    # the update, the report, its values in one insert, the event and the reviewers to
    # notify: 15 (22 before the service took what the page had read), and constant in
    # the number of values.
    queries = statements(queries)
    assert len(queries) <= 15, "\n".join(queries)
    assert sum(q.startswith('SELECT "indicators_indicator"') for q in queries) == 1
    assert sum('FROM "indicators_value"' in q for q in queries) == 1


@pytest.fixture
def system_key(db):
    leader = make_user(RoleCode.PROVINCE_LEADER, org_code=DEPARTMENT)
    _token, key = token_create(
        actor=leader,
        organisation=leader.organisation,
        name="Hệ thống một cửa",
        scopes=[ApiScope.RECOMMENDATIONS, ApiScope.INDICATOR_REPORTS],
    )
    return key


def test_a_recommendation_through_the_api_takes_a_bounded_number_of_queries(client, system_key):
    def send(number):
        return client.post(
            "/api/v1/recommendations/",
            {
                "title": f"Đề nghị hướng dẫn số {number}",
                "content": "Sở đề nghị Bộ ban hành hướng dẫn chi tiết cho các xã.",
                "field": "CDS",
                "channel": "briefing",
                "quarter": "-Q".join(map(str, quarters.quarter_of(timezone.localdate()))),
                "send": True,
            },
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {system_key}",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )

    assert send(0).status_code == 201
    response, queries = captured(lambda: send(1))
    assert response.status_code == 201, response.content
    assert Recommendation.objects.get(code=response.json()["code"]).status == Status.SUBMITTED
    # The token with its organisation, maker and the maker's roles; the idempotency
    # key (insert, and update with the answer); the fields; then the recommendation as
    # the form stores it (number, row, history, event, outbox, webhooks). The answer
    # is made from what was stored, not read again.
    queries = statements(queries)
    assert len(queries) <= SUBMISSION_QUERIES, "\n".join(queries)
    assert sum("proposals_field" in q for q in queries) == 1


def test_a_batch_through_the_api_reads_the_token_and_fields_once(client, system_key):
    quarter = "-Q".join(map(str, quarters.quarter_of(timezone.localdate())))
    batch = [
        {
            "title": f"Đề nghị hướng dẫn số {number}",
            "content": "Sở đề nghị Bộ ban hành hướng dẫn chi tiết cho các xã.",
            "field": "CDS",
            "channel": "briefing",
            "quarter": quarter,
        }
        for number in range(5)
    ]
    response, queries = captured(
        lambda: client.post(
            "/api/v1/recommendations/",
            batch,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {system_key}",
        )
    )
    assert response.status_code == 201, response.content
    assert [row["title"] for row in response.json()] == [item["title"] for item in batch]
    assert all(row["status"] == Status.DRAFT for row in response.json())
    queries = statements(queries)
    # Per recommendation: its number, row, history and webhooks (no event when kept as
    # a draft); the token, roles, organisation and fields once for the call.
    assert len(queries) <= 4 + 4 * len(batch), "\n".join(queries)
    assert sum("proposals_field" in q for q in queries) == 1
    assert sum("briefing_user_roles" in q for q in queries) == 1
