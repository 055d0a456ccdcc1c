"""A department leader's workspace: what officers asked them to sign and send, with
counts and a link to the filtered list; constant queries whatever the number."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from briefing.models.organisations import Organisation, RoleCode
from briefing.organisations import workspace
from indicators import services as indicator_services
from indicators.models import ReportingPeriod
from proposals.services import recommendations
from tests.conftest import make_user
from tests.indicators.test_views import FULL
from tests.proposals.conftest import new_recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    return {
        "officer": make_user(RoleCode.PROVINCE_OFFICER),
        "leader": make_user(RoleCode.PROVINCE_LEADER),
    }


def ask_signature(officer, n: int, title="Kiến nghị chờ ký"):
    return [new_recommendation(officer, title=f"{title} {i}", submit=True) for i in range(n)]


def entry(client, block: str) -> tuple[int, str]:
    html = client.get("/workspace/").content.decode()
    start = html.index(f'data-block="{block}"')
    part = html[start:]
    at = part.index('data-entry="signature"')
    snippet = part[at : at + 800]
    count = int(snippet.split('data-count="', 1)[1].split('"', 1)[0])
    href = snippet.split('href="', 1)[1].split('"', 1)[0]
    return count, href


def test_the_leader_sees_what_waits_for_their_signature(client, department):
    waiting = ask_signature(department["officer"], 2)
    new_recommendation(department["officer"], title="Bản nháp chưa xin ký")
    period = ReportingPeriod.objects.by_label("Q3/2020")
    indicator_services.report_save(
        actor=department["officer"],
        organisation=department["officer"].organisation,
        period=period,
        owner_unit=Organisation.objects.get(code="CUC-THH"),
        raw_values=FULL,
        submit=True,
    )
    client.cookies["giaoban_language"] = "en"
    client.force_login(department["leader"])
    html = client.get("/workspace/").content.decode()
    assert "Waiting for your signature" in html
    assert entry(client, "recommendations") == (2, "/proposals/?signature=on")
    assert entry(client, "indicator_reports") == (1, "/indicators/report/?period=Q3-2020")
    listed = client.get("/proposals/?signature=on").context["page"].object_list
    assert sorted(r.pk for r in listed) == sorted(r.pk for r in waiting)

    # Once the leader sends one, it no longer waits.
    recommendations.recommendation_act(
        recommendation_id=waiting[0].pk, actor=department["leader"], action="submit"
    )
    assert entry(client, "recommendations") == (1, "/proposals/?signature=on")


def test_the_officer_sees_what_they_sent_for_signature_not_as_urgent(client, department):
    ask_signature(department["officer"], 1)
    client.cookies["giaoban_language"] = "en"
    client.force_login(department["officer"])
    html = client.get("/workspace/").content.decode()
    assert "Sent to the leaders for signature" in html
    assert "Waiting for your signature" not in html
    assert entry(client, "recommendations")[0] == 1


def test_the_entries_read_the_same_number_of_queries_for_few_and_many(department):
    leader = department["leader"]
    blocks = [r for r in workspace.registered() if r.key in ("proposals.department",)] + [
        r for r in workspace.registered() if r.key.startswith("indicators.") and r.applies(leader)
    ]
    assert blocks

    def queries():
        leader.refresh_from_db()
        total = 0
        for registration in blocks:
            with CaptureQueriesContext(connection) as ctx:
                registration.build(leader, timezone.localdate())
            total += len(ctx.captured_queries)
        return total

    ask_signature(department["officer"], 1)
    few = queries()
    ask_signature(department["officer"], 8, title="Thêm")
    assert queries() == few
