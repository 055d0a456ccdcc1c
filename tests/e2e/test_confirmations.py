"""Issue #15, "nothing irreversible in one click", in a browser without JavaScript: a
department's leader sends a draft to the Ministry through the confirmation page, and a
unit's leader approves an answer (which publishes it) after confirming.

The confirmation pages are photographed at 1366 and 390 pixels wide (test-results/e2e/).
"""

import pytest

from proposals.models import Recommendation, Status
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_recommendation_flow import DETAIL_URL, fields, sign_in
from tests.proposals.conftest import bring_to, make_people, new_recommendation

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data", "fields")]
__all__ = ["fields"]


@pytest.fixture
def no_js(browser):
    """A browser context with JavaScript turned off: forms and links only."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="en-US", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def photograph(page, screenshot_dir, name: str):
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(screenshot_dir / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


@pytest.fixture
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def test_a_leader_sends_and_a_unit_leader_approves_after_confirming(
    live_server, no_js, screenshot_dir
):
    people = make_people()
    page = no_js

    # 1. The department's leader sends the officer's draft: the button leads to a page
    #    that says what sending does; nothing is sent before "confirm".
    draft = new_recommendation(people["province"])
    sign_in(page, live_server, people["province_leader"])
    page.goto(live_server.url + f"/proposals/{draft.pk}/")
    page.fill("#note-submit", "Lãnh đạo Sở đã duyệt, gửi Bộ.")
    page.locator("button[data-action=submit]").click()
    page.wait_for_url(f"**/proposals/{draft.pk}/do/submit/")
    assert page.locator("[data-confirm=submit] [data-happens] li").count() >= 2
    assert page.locator("[data-confirm=submit] [data-audience] li").count() >= 1
    assert page.input_value("#id_note") == "Lãnh đạo Sở đã duyệt, gửi Bộ."
    assert Recommendation.objects.get(pk=draft.pk).status == Status.DRAFT
    photograph(page, screenshot_dir, "confirm-submit")
    page.locator("[data-confirm-button]").click()
    page.wait_for_url(DETAIL_URL)
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert draft.events.get(action="submit").note == "Lãnh đạo Sở đã duyệt, gửi Bộ."

    # 2. The unit's leader approves the drafted answer, after the page that says it is
    #    published for everyone; "cancel" first changes nothing.
    rec = bring_to(Status.ANSWER_DRAFTED, people)
    leader = no_js.context.browser.new_context(
        viewport={"width": 1366, "height": 900}, java_script_enabled=False
    )
    page = leader.new_page()
    sign_in(page, live_server, people["leader"])
    page.goto(live_server.url + f"/proposals/{rec.pk}/")
    page.locator("button[data-action=approve]").click()
    page.wait_for_url(f"**/proposals/{rec.pk}/do/approve/")
    page.locator("[data-confirm=approve] ~ form a.btn-link").click()
    page.wait_for_url(DETAIL_URL)
    assert Recommendation.objects.get(pk=rec.pk).status == Status.ANSWER_DRAFTED
    page.fill("#note-approve", "Đồng ý nội dung trả lời.")
    page.locator("button[data-action=approve]").click()
    page.wait_for_url(f"**/proposals/{rec.pk}/do/approve/")
    photograph(page, screenshot_dir, "confirm-approve")
    page.locator("[data-confirm-button]").click()
    page.wait_for_url(DETAIL_URL)
    rec.refresh_from_db()
    assert rec.status in (Status.ANSWER_APPROVED, Status.PUBLISHED)
    assert rec.events.get(action="approve").note == "Đồng ý nội dung trả lời."
    leader.close()
