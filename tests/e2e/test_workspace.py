"""Issue #15 in the browser: each person's workspace says what waits for them, and the
bell tells them what happened, along a recommendation's life: the department's officer
drafts → the department's leader sends it → the Ministry Office triages it → the unit
answers → the unit's leader approves → the department sees it answered.

Every workspace is photographed at 1366 and 390 pixels wide (test-results/e2e/).
"""

import datetime
import re

import pytest
from django.utils import timezone

from briefing.celery import app
from briefing.models.organisations import Notification, RoleCode
from proposals.models import Event, Recommendation, Status
from tests.conftest import make_user
from tests.e2e.test_recommendation_flow import ANSWER, CONTENT, fields, sign_in, sign_out

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
__all__ = ["fields"]


def bell(page) -> int:
    badge = page.locator("[data-bell] [data-unread-count]")
    return int(badge.get_attribute("data-unread-count")) if badge.count() else 0


def workspace(page, live_server, screenshot, name: str):
    """Open the workspace, photograph it wide and narrow, and return to wide."""
    page.goto(live_server.url + "/workspace/")
    assert page.locator("[data-block]").count() >= 2
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot(f"workspace-{name}-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(f"workspace-{name}-390")
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


def test_each_person_sees_what_waits_for_them_and_what_happened(live_server, page, screenshot):
    officer = make_user(RoleCode.PROVINCE_OFFICER, username="so-nb", org_code="T34-37")
    head = make_user(RoleCode.PROVINCE_LEADER, username="so-nb-lead", org_code="T34-37")
    office = make_user(RoleCode.OFFICE_COORDINATOR, username="vanphong", org_code="VPB")
    unit_officer = make_user(RoleCode.UNIT_OFFICER, username="cuc-thh", org_code="CUC-THH")
    unit_leader = make_user(RoleCode.UNIT_LEADER, username="cuc-thh-lead", org_code="CUC-THH")
    today = timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1

    # 1. The department's officer writes a draft; the workspace counts it.
    sign_in(page, live_server, officer)
    page.goto(live_server.url + "/proposals/new/")
    page.fill("#id_title", TITLE)
    page.fill("#id_content", CONTENT)
    page.select_option("#id_field", label="Viễn thông")
    page.select_option("#id_channel", value="briefing")
    page.select_option("#id_quarter", value=f"{year}-{quarter}")
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
    page.wait_for_url(DETAIL_URL)
    assert Recommendation.objects.get(pk=pk).status == Status.SUBMITTED
    sign_out(page)

    # 3. The Ministry Office: the bell and the triage block say it arrived.
    sign_in(page, live_server, office)
    assert bell(page) == 1
    workspace(page, live_server, screenshot, "3-office")
    assert entry_count(page, "triage", "triage") == 1
    assert page.locator("[data-urgent-entry]").count() >= 1
    text = open_first_notification(page, live_server)
    assert "KN-" in text
    assert bell(page) == 0
    page.locator(f"[data-actions] a[href$='/proposals/{pk}/accept/']").click()
    page.wait_for_url(f"**/proposals/{pk}/accept/")
    unit = page.locator("#id_unit option", has_text="Cục Tin học hóa")
    page.select_option("#id_unit", value=unit.get_attribute("value"))
    deadline = today + datetime.timedelta(days=5)
    page.fill("#id_deadline", deadline.strftime("%d/%m/%Y"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(DETAIL_URL)
    assert Recommendation.objects.get(pk=pk).status == Status.ACCEPTED
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
