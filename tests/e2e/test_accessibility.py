"""Accessibility: axe-core's WCAG 2.1 A and AA rules and best practices, run in the
browser on the portal's key pages, public and staff, and on public pages again in the
high-contrast mode. A page passes with no violation."""

import datetime
from pathlib import Path

import pytest

from briefing.models.sessions import BriefingSession
from proposals.models import Status
from tests.conftest import PASSWORD
from tests.proposals.conftest import bring_to, make_people, new_recommendation
from tests.proposals.test_webhook_views import webhook_with_log

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]

AXE = Path(__file__).resolve().parents[2] / ".cache/axe/node_modules/axe-core/axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
RUN = """tags => axe.run(document, {runOnly: {type: "tag", values: tags}}).then(result =>
    result.violations.map(v => v.id + " (" + v.impact + "): " +
        v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")))"""


def test_key_pages_have_no_accessibility_violation(live_server, browser):
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing (make test installs axe-core with npm)")
    axe = AXE.read_text()
    people = make_people()
    answered = bring_to(Status.PUBLISHED, people, title="Hướng dẫn kết nối LGSP")
    bring_to(Status.ANSWER_DRAFTED, people, title="Kiến nghị đang xử lý")
    # Confirmation pages (issue #15): rejecting, sending, locking a period.
    submitted = bring_to(Status.SUBMITTED, people, title="Kiến nghị chờ phân loại")
    draft = new_recommendation(people["province"], title="Kiến nghị chờ lãnh đạo ký")
    BriefingSession.objects.create(year=2020, quarter=3, date=datetime.date(2020, 9, 7))
    # Our CSP allows no script but ours: the test's own copy of axe needs this context.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    found = {}

    def check(path, mode=""):
        page.goto(live_server.url + path)
        page.evaluate(axe)
        problems = page.evaluate(RUN, RULES)
        if problems:
            found[mode + path] = problems

    try:
        for path in (
            "/",
            "/answers/",
            "/answers/?q=lgsp",
            f"/answers/{answered.code}/",
            "/answers/subscribe/",
            "/answers/ask/",
            "/indicators/",
            "/briefings/",
            "/briefings/2020-q3/",
            "/api/docs/",
            "/accounts/login/",
        ):
            check(path)
        # The high-contrast mode (remembered by the browser) on pages with lists and links.
        page.locator("[data-a11y='contrast']").click()
        for path in ("/", "/answers/", f"/answers/{answered.code}/", "/briefings/2020-q3/"):
            check(path, "high contrast: ")
        page.locator("[data-a11y='contrast']").click()
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", people["office"].username)
        page.fill("#id_password", PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        for path in (
            "/workspace/",
            "/proposals/",
            "/proposals/new/",
            "/proposals/intake/",
            "/proposals/intake/import/",
            f"/proposals/{answered.pk}/",
            "/briefings/2020-q3/edit/",
            "/indicators/periods/",
            f"/proposals/{submitted.pk}/do/reject/",
            "/indicators/periods/Q3-2020/lock/",
            "/accounts/",
            "/security-log/",
        ):
            check(path)
        # A department's own account: turning on the second factor (optional for them).
        context.clear_cookies()
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", people["province"].username)
        page.fill("#id_password", PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        check("/accounts/two-factor/setup/")
        # A department's leader: its organisation's API tokens.
        context.clear_cookies()
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", people["province_leader"].username)
        page.fill("#id_password", PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        check(f"/organisations/{people['province_leader'].organisation_id}/api-tokens/")
        check(f"/proposals/{draft.pk}/do/submit/")
        # Its webhooks: the list, the form, one with its delivery log (issue #17).
        endpoint = webhook_with_log(people["province_leader"])
        for path in ("/proposals/webhooks/", "/proposals/webhooks/new/"):
            check(path)
        check(f"/proposals/webhooks/{endpoint.pk}/")
    finally:
        context.close()
    assert not found, found
