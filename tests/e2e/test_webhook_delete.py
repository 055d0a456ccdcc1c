"""Deleting a webhook, in a browser without JavaScript: the button leads to a page that
says what goes (the events, the waiting ones, the delivery log); "cancel" keeps it, and
only "confirm" deletes. The page is photographed at 1366 and 390 pixels wide
(test-results/e2e/)."""

import pytest

from proposals.models import WebhookAttempt, WebhookEndpoint
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_recommendation_flow import sign_in
from tests.proposals.conftest import make_people
from tests.proposals.test_webhook_views import webhook_with_log

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def no_js(browser):
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_leader_deletes_a_webhook_only_after_confirming(live_server, no_js, settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    people = make_people()
    endpoint = webhook_with_log(people["province_leader"])
    page = no_js
    sign_in(page, live_server, people["province_leader"])
    detail = f"{live_server.url}/proposals/webhooks/{endpoint.pk}/"
    page.goto(detail)
    page.locator(f"form[action$='/{endpoint.pk}/delete/'] button").click()
    page.wait_for_url(f"**/proposals/webhooks/{endpoint.pk}/delete/")
    assert page.locator("[data-confirm=delete] [data-happens] li").count() == 4
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(
            path=str(SCREENSHOTS / f"confirm-webhook-delete-{width}.png"), full_page=True
        )
    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("[data-confirm=delete] ~ form a.btn-link").click()
    page.wait_for_url(detail)
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()

    page.locator(f"form[action$='/{endpoint.pk}/delete/'] button").click()
    page.locator("[data-confirm-button]").click()
    page.wait_for_url(f"{live_server.url}/proposals/webhooks/")
    assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    assert not WebhookAttempt.objects.exists()
