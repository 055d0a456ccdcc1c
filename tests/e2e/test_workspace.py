"""Issue #15 in the browser: each person's workspace says what waits for them, and the
bell tells them what happened, along a recommendation's life: the department's officer
drafts → the department's leader sends it (after a confirmation) → the Ministry Office
triages it, shown the similar earlier recommendations: it accepts this one and marks
another department's near-identical one as its duplicate by choosing it → the unit
answers → the unit's leader approves (after a confirmation) → the department sees it
answered.

Every workspace is photographed at 1366 and 390 pixels wide (test-results/e2e/).
"""

import datetime
import re

import pytest
from django.utils import timezone

from briefing.celery import app
from briefing.models.organisations import Notification, RoleCode
from proposals.models import Event, Field, Recommendation, Status
from tests.conftest import make_user
from tests.e2e.test_recommendation_flow import (
    ANSWER,
    fields,
    sign_in,
    sign_out,
    write_recommendation,
)
from tests.proposals.conftest import bring_to

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data", "fields")]


@pytest.fixture(autouse=True)
def _follow_up_work_runs_at_once():
    """No Celery worker runs here: with a broker configured (make test), the outbox's
    notifications would wait in Redis; the live server runs them at once instead."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


DETAIL_URL = re.compile(r".*/proposals/(\d+)/$")
TITLE = "Đề nghị hướng dẫn kết nối nền tảng LGSP cấp tỉnh"
EARLIER = "Đề nghị hướng dẫn kết nối nền tảng LGSP cấp tỉnh với hệ thống của Bộ"
TWIN = "Hướng dẫn kết nối nền tảng LGSP cấp tỉnh"
__all__ = ["fields"]


def bell(page) -> int:
    badge = page.locator("[data-bell] [data-unread-count]")
    return int(badge.get_attribute("data-unread-count")) if badge.count() else 0


def workspace(page, live_server, screenshot, name: str):
    """Open the workspace, photograph it wide and narrow, and return to wide."""
    page.goto(live_server.url + "/workspace/")
    assert page.locator("[data-block]").count() >= 2
    both_widths(page, screenshot, f"workspace-{name}")


def both_widths(page, screenshot, name: str):
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot(f"{name}-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(f"{name}-390")
    page.set_viewport_size({"width": 1366, "height": 900})


def entry_count(page, block: str, key: str) -> int:
    return int(
        page.locator(f"[data-block={block}] [data-entry='{key}'] [data-count]").get_attribute(
            "data-count"
        )
    )


def open_first_notification(page, live_server) -> str:
    page.locator("[data-bell]").click()
    page.wait_for_url("**/notifications/")
    first = page.locator("[data-notification][data-unread] a").first
    text = first.inner_text()
    first.click()
    page.wait_for_url(DETAIL_URL)
    return text


def earlier_and_twin() -> tuple[Recommendation, Recommendation]:
    """Hải Dương's earlier recommendation, answered and published, and its new one,
    nearly the same as Ninh Bình's, waiting for triage. Made before this test's people
    exist, so that none of them is told of these."""
    people = {
        "province": make_user(RoleCode.PROVINCE_OFFICER, username="so-hd", org_code="T63-30"),
        "province_leader": make_user(
            RoleCode.PROVINCE_LEADER, username="so-hd-lead", org_code="T63-30"
        ),
        "office": make_user(RoleCode.OFFICE_COORDINATOR, username="vp-truoc", org_code="VPB"),
        "officer": make_user(RoleCode.UNIT_OFFICER, username="cuc-thh-2", org_code="CUC-THH"),
        "leader": make_user(RoleCode.UNIT_LEADER, username="cuc-thh-lead-2", org_code="CUC-THH"),
    }
    text = "Sở đề nghị Bộ hướng dẫn kết nối nền tảng LGSP cấp tỉnh với các hệ thống của Bộ."
    field = Field.objects.get(name="Viễn thông")  # the field of this test's recommendation
    earlier = bring_to(Status.PUBLISHED, people, title=EARLIER, content=text, field=field)
    twin = bring_to(Status.SUBMITTED, people, title=TWIN, content=text, field=field)
    Notification.objects.all().delete()
    return earlier, twin


def test_each_person_sees_what_waits_for_them_and_what_happened(live_server, page, screenshot):
    earlier, twin = earlier_and_twin()
    officer = make_user(RoleCode.PROVINCE_OFFICER, username="so-nb", org_code="T34-37")
    head = make_user(RoleCode.PROVINCE_LEADER, username="so-nb-lead", org_code="T34-37")
    office = make_user(RoleCode.OFFICE_COORDINATOR, username="vanphong", org_code="VPB")
    unit_officer = make_user(RoleCode.UNIT_OFFICER, username="cuc-thh", org_code="CUC-THH")
    unit_leader = make_user(RoleCode.UNIT_LEADER, username="cuc-thh-lead", org_code="CUC-THH")
    today = timezone.localdate()

    # 1. The department's officer writes a draft; the workspace counts it.
    sign_in(page, live_server, officer)
    write_recommendation(page, live_server, TITLE)
    page.locator("main form button[name=save]").click()
    page.wait_for_url(DETAIL_URL)
    pk = int(DETAIL_URL.match(page.url).group(1))
    assert Recommendation.objects.get(pk=pk).status == Status.DRAFT
    workspace(page, live_server, screenshot, "1-department-officer")
    assert entry_count(page, "recommendations", "drafts") == 1
    assert page.locator(f"[data-block=recommendations] a[href='/proposals/{pk}/']").count() == 1
    # The officer may not send to the Ministry (the leader signs): they send the draft to
    # the leader for signature, and it stays a draft.
    page.goto(live_server.url + f"/proposals/{pk}/")
    assert page.locator("button[data-action=submit]").count() == 0
    page.fill("#note-ask_signature", "Kính trình lãnh đạo Sở ký gửi Bộ.")
    page.locator("button[data-action=ask_signature]").click()
    page.wait_for_url(DETAIL_URL)
    assert Recommendation.objects.get(pk=pk).status == Status.DRAFT
    assert Event.objects.filter(recommendation_id=pk, action="ask_signature").count() == 1
    sign_out(page)

    # 2. The department's leader is told under the bell, and sends it.
    sign_in(page, live_server, head)
    assert Notification.objects.filter(user=head, params__code__isnull=False).count() == 1
    workspace(page, live_server, screenshot, "2-department-leader")
    page.locator(f"[data-block=recommendations] a[href='/proposals/{pk}/']").click()
    page.wait_for_url(f"**/proposals/{pk}/")
    page.fill("#note-submit", "Lãnh đạo Sở đã duyệt, gửi Bộ.")
    page.locator("button[data-action=submit]").click()
    page.wait_for_url(f"**/proposals/{pk}/do/submit/")
    assert page.locator("[data-confirm=submit] [data-happens] li").count() >= 1
    assert page.input_value("#id_note") == "Lãnh đạo Sở đã duyệt, gửi Bộ."
    page.locator("[data-confirm-button]").click()
    page.wait_for_url(DETAIL_URL)
    assert Recommendation.objects.get(pk=pk).status == Status.SUBMITTED
    sign_out(page)

    # 3. The Ministry Office: the bell and the triage block say it arrived.
    sign_in(page, live_server, office)
    assert bell(page) == 1
    workspace(page, live_server, screenshot, "3-office")
    assert entry_count(page, "triage", "triage") == 2  # Ninh Bình's and Hải Dương's
    assert page.locator("[data-urgent-entry]").count() >= 1
    text = open_first_notification(page, live_server)
    assert "KN-" in text
    assert bell(page) == 0
    page.locator(f"[data-actions] a[href$='/proposals/{pk}/accept/']").click()
    page.wait_for_url(f"**/proposals/{pk}/accept/")
    # The similar ones: Hải Dương's published answer and its new twin, both openable.
    similar = page.locator("[data-similar-block] [data-similar-item]")
    codes = [similar.nth(i).get_attribute("data-similar-item") for i in range(similar.count())]
    assert earlier.code in codes and twin.code in codes
    published = f"[data-similar-item='{earlier.code}'] a[href$='/answers/{earlier.code}/']"
    assert page.locator(published).count() >= 1
    both_widths(page, screenshot, "triage-accept-similar")
    # Cục THH answered this field's earlier recommendation: it is proposed.
    unit = page.locator("#id_unit option", has_text="Cục Tin học hóa")
    assert page.input_value("#id_unit") == unit.get_attribute("value")
    assert page.locator("[data-proposed-unit]").count() == 1
    deadline = today + datetime.timedelta(days=5)
    page.fill("#id_deadline", deadline.isoformat())
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(DETAIL_URL)
    assert Recommendation.objects.get(pk=pk).status == Status.ACCEPTED

    # Hải Dương's twin: marked a duplicate of Ninh Bình's by choosing it, no code typed.
    page.goto(live_server.url + f"/proposals/{twin.pk}/")
    page.locator(f"[data-actions] a[href$='/proposals/{twin.pk}/duplicate/']").click()
    page.wait_for_url(f"**/proposals/{twin.pk}/duplicate/")
    offered = page.locator("[data-candidates] [data-candidate]")
    assert {offered.nth(i).get_attribute("data-candidate") for i in range(offered.count())} >= {
        Recommendation.objects.get(pk=pk).code,
        earlier.code,
    }
    both_widths(page, screenshot, "triage-duplicate-candidates")
    page.locator(f"#candidate_{pk}").check()
    page.fill("#id_note", "Trùng nội dung với kiến nghị của Sở Ninh Bình.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/proposals/{twin.pk}/")
    twin.refresh_from_db()
    assert (twin.status, twin.duplicate_of_id) == (Status.MERGED, pk)
    page.goto(live_server.url + "/workspace/")
    assert entry_count(page, "triage", "triage") == 0
    sign_out(page)

    # 4. The unit's officer: assigned, due within the week; writes the answer.
    sign_in(page, live_server, unit_officer)
    assert bell(page) == 1
    workspace(page, live_server, screenshot, "4-unit-officer")
    assert entry_count(page, "assigned", "soon") == 1
    assert page.locator("[data-block=assigned] [data-item]").count() == 1
    page.locator(f"[data-block=assigned] a[href='/proposals/{pk}/']").click()
    page.wait_for_url(f"**/proposals/{pk}/")
    page.locator(f"[data-actions] a[href$='/proposals/{pk}/answer/']").click()
    page.wait_for_url(f"**/proposals/{pk}/answer/")
    page.fill("#id_text", ANSWER)
    page.locator("main form button[name=send]").click()
    page.wait_for_url(DETAIL_URL)
    sign_out(page)

    # 5. The unit's leader: one answer waits for approval (urgent for the leader).
    sign_in(page, live_server, unit_leader)
    assert bell(page) >= 1
    workspace(page, live_server, screenshot, "5-unit-leader")
    assert entry_count(page, "assigned", "to_approve") == 1
    assert page.locator("[data-block=assigned] [data-entry=to_approve][data-entry-urgent]").count()
    page.goto(live_server.url + f"/proposals/{pk}/")
    page.fill("#note-approve", "Đồng ý.")
    page.locator("button[data-action=approve]").click()
    page.wait_for_url(f"**/proposals/{pk}/do/approve/")
    assert page.locator("[data-confirm=approve] [data-happens] li").count() >= 1
    assert page.input_value("#id_note") == "Đồng ý."
    both_widths(page, screenshot, "confirm-approve")
    page.locator("[data-confirm-button]").click()
    page.wait_for_url(DETAIL_URL)
    assert Recommendation.objects.get(pk=pk).status in (Status.ANSWER_APPROVED, Status.PUBLISHED)
    sign_out(page)

    # 6. Both people of the department were told: accepted and assigned, then answered.
    sign_in(page, live_server, officer)
    assert bell(page) >= 2
    page.locator("[data-bell]").click()
    page.wait_for_url("**/notifications/")
    listing = page.locator("[data-notifications]").inner_text()
    assert "Cục THH" in listing or "CUC" in listing or "Cục" in listing
    screenshot("notifications-department-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("notifications-department-390")
    page.set_viewport_size({"width": 1366, "height": 900})
    workspace(page, live_server, screenshot, "6-department-answered")
    assert entry_count(page, "recommendations", "answered") == 1
    sign_out(page)

    seen = {
        user.username: sorted(
            Notification.objects.filter(user=user).values_list("params__code", flat=True)
        )
        for user in (officer, head, office, unit_officer, unit_leader)
    }
    code = Recommendation.objects.get(pk=pk).code
    # The department: accepted, answered (and published); the office: sent, approved;
    # the unit: assigned; its leader: assigned, waiting for approval.
    assert len(seen["so-nb"]) >= 2 and len(seen["so-nb-lead"]) >= 2
    assert seen["vanphong"] and set(seen["vanphong"]) == {code}
    assert seen["cuc-thh"] == [code]
    assert len(seen["cuc-thh-lead"]) == 2
