"""The webhook pages: a department's leader (or the system administrator) makes, edits,
rotates, tests and deletes endpoints and reads the delivery log; nobody else may."""

import pytest
from django.utils import timezone, translation

from briefing.models.organisations import Organisation, SecurityEvent, SecurityEventKind
from briefing.models.platform import OutboxMessage
from proposals import webhooks
from proposals.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEventType
from proposals.views.webhooks import delay_text, retry_delays_text
from tests.conftest import count_queries

URL = "https://lgsp.ninhbinh.gov.vn/hooks/giaoban"


@pytest.fixture(autouse=True)
def _https_only(settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False


def make_endpoint(leader, name="Hệ thống quản lý văn bản") -> WebhookEndpoint:
    return webhooks.webhook_endpoint_create(
        actor=leader,
        organisation=leader.organisation,
        name=name,
        url=URL,
        events=list(WebhookEventType.values),
    )


def form_data(**extra) -> dict:
    data = {
        "name": "Nền tảng LGSP tỉnh",
        "url": URL,
        "events": ["recommendation.accepted", "answer.published"],
    }
    data.update(extra)
    return data


def test_a_leader_makes_a_webhook_and_sees_its_secret_once(client, people):
    client.force_login(people["province_leader"])
    response = client.post("/proposals/webhooks/new/", form_data())
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/proposals/webhooks/{endpoint.pk}/"
    assert endpoint.organisation == people["province_leader"].organisation
    assert endpoint.events == ["recommendation.accepted", "answer.published"]
    assert endpoint.created_by == people["province_leader"]
    page = client.get(response["Location"]).content.decode()
    assert f"data-new-secret>{endpoint.secret}</code>" in page
    assert endpoint.secret not in client.get(response["Location"]).content.decode()
    event = SecurityEvent.objects.get(kind=SecurityEventKind.WEBHOOK_CREATED)
    assert event.actor == people["province_leader"] and URL in event.detail


def test_a_bad_address_keeps_the_input_and_says_why_next_to_the_field(client, people):
    client.force_login(people["province_leader"])
    response = client.post(
        "/proposals/webhooks/new/", form_data(url="http://10.0.0.7/hooks", events=[])
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.has_error("url", "unsafe_url")
    assert form.errors["events"]
    assert 'id="error_1_id_url"' in response.content.decode()
    assert 'value="Nền tảng LGSP tỉnh"' in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_an_officer_may_not_open_the_pages(client, people):
    endpoint = make_endpoint(people["province_leader"])
    client.force_login(people["province"])
    assert client.get("/proposals/webhooks/").status_code == 403
    assert client.get("/proposals/webhooks/new/").status_code == 403
    assert client.get(f"/proposals/webhooks/{endpoint.pk}/").status_code == 403


def test_another_organisations_webhook_is_not_found(client, people):
    endpoint = make_endpoint(people["province_leader"])
    client.force_login(people["other_province"])
    assert client.get(f"/proposals/webhooks/{endpoint.pk}/").status_code == 404
    for action in ("rotate", "enable", "test", "delete"):
        assert client.post(f"/proposals/webhooks/{endpoint.pk}/{action}/").status_code == 404
    confirmed = client.post(f"/proposals/webhooks/{endpoint.pk}/delete/", {"confirmed": "1"})
    assert confirmed.status_code == 404
    assert endpoint.pk not in [
        e.pk for e in client.get("/proposals/webhooks/").context["endpoints"]
    ]
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_the_system_administrator_makes_one_for_any_department(client, people):
    client.force_login(people["admin"])
    # A department of today (the 34 since 1 July 2025); a merged one is not offered.
    merged = Organisation.objects.get(code="T63-30")
    response = client.post("/proposals/webhooks/new/", form_data(organisation=merged.pk))
    assert response.status_code == 400 and "organisation" in response.context["form"].errors
    today = Organisation.objects.get(code="T34-37")
    response = client.post("/proposals/webhooks/new/", form_data(organisation=today.pk))
    assert response.status_code == 302
    assert WebhookEndpoint.objects.get().organisation == today


def test_edit_rotate_test_and_delete(client, people):
    endpoint = make_endpoint(people["province_leader"])
    old_secret = endpoint.secret
    client.force_login(people["province_leader"])
    url = f"/proposals/webhooks/{endpoint.pk}/"
    assert client.post(url, form_data(name="Đổi tên")).status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.name == "Đổi tên"

    response = client.post(url + "rotate/")
    endpoint.refresh_from_db()
    assert endpoint.secret != old_secret
    assert endpoint.secret in client.get(response["Location"]).content.decode()
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.WEBHOOK_SECRET_ROTATED).exists()

    client.post(url + "test/")
    ping = WebhookDelivery.objects.get(endpoint=endpoint, event_type="ping")
    assert OutboxMessage.objects.filter(
        task="proposals.deliver_webhook", kwargs={"delivery_id": ping.pk}
    ).exists()

    assert client.get(url + "delete/").status_code == 405
    assert client.post(url + "delete/").status_code == 200  # the confirmation page
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    response = client.post(url + "delete/", {"confirmed": "1"})
    assert response.status_code == 302 and response["Location"] == "/proposals/webhooks/"
    assert not WebhookEndpoint.objects.exists()
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.WEBHOOK_DELETED).exists()


def test_a_turned_off_webhook_can_be_turned_on(client, people):
    endpoint = make_endpoint(people["province_leader"])
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False, failures_in_row=10)
    client.force_login(people["province_leader"])
    page = client.get(f"/proposals/webhooks/{endpoint.pk}/").content.decode()
    assert "data-disabled" in page
    client.post(f"/proposals/webhooks/{endpoint.pk}/enable/")
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.failures_in_row == 0


def test_the_list_costs_the_same_for_one_webhook_or_many(client, people):
    leader = people["province_leader"]
    client.force_login(leader)
    make_endpoint(leader)
    one = count_queries(client, "/proposals/webhooks/")
    for n in range(5):
        make_endpoint(leader, name=f"Hệ thống {n}")
    assert count_queries(client, "/proposals/webhooks/") == one


def _log(endpoint, n):
    for i in range(n):
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint, event_type="ping", payload={"type": "ping"}
        )
        WebhookAttempt.objects.create(
            delivery=delivery, number=1, status_code=500, error="HTTP 500", duration_ms=i
        )


def webhook_with_log(leader) -> WebhookEndpoint:
    """An endpoint turned off after failures, with a delivered test event before them
    (the accessibility test and the screenshots show it)."""
    endpoint = make_endpoint(leader)
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event_type="ping", payload={"type": "ping"}, status="delivered"
    )
    WebhookAttempt.objects.create(
        delivery=delivery, number=1, status_code=200, ok=True, duration_ms=84, response_excerpt="ok"
    )
    _log(endpoint, 3)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        is_active=False, disabled_at=timezone.now(), failures_in_row=3
    )
    endpoint.refresh_from_db()
    return endpoint


def test_the_delivery_log_costs_the_same_for_one_attempt_or_many(client, people):
    leader = people["province_leader"]
    endpoint = make_endpoint(leader)
    client.force_login(leader)
    _log(endpoint, 1)
    url = f"/proposals/webhooks/{endpoint.pk}/"
    one = count_queries(client, url)
    _log(endpoint, 12)
    assert count_queries(client, url) == one
    rows = client.get(url).content.decode().count("data-attempt=")
    assert rows == 13


def test_deleting_asks_first_and_says_the_log_goes_with_it(client, people):
    leader = people["province_leader"]
    endpoint = webhook_with_log(leader)  # 3 failed events wait, 4 attempts in the log
    client.force_login(leader)
    client.cookies["giaoban_language"] = "en"
    url = f"/proposals/webhooks/{endpoint.pk}/delete/"
    response = client.post(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-confirm="delete"' in page and 'name="confirmed" value="1"' in page
    assert f"no event is sent to {URL} any more" in page
    assert "The 3 events waiting to be delivered are dropped." in page
    assert "Its delivery log (4 attempts) is deleted with it." in page
    assert f'href="/proposals/webhooks/{endpoint.pk}/"' in page  # cancel
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    assert WebhookAttempt.objects.count() == 4
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.WEBHOOK_DELETED).exists()
    # Anything but confirmed=1 is not a confirmation.
    assert client.post(url, {"confirmed": "yes"}).status_code == 200
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()

    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert not WebhookEndpoint.objects.exists()
    assert not WebhookDelivery.objects.exists() and not WebhookAttempt.objects.exists()


def test_the_delete_button_leads_to_the_confirmation(client, people):
    endpoint = make_endpoint(people["province_leader"])
    client.force_login(people["province_leader"])
    page = client.get(f"/proposals/webhooks/{endpoint.pk}/").content.decode()
    form = page[page.index(f'action="/proposals/webhooks/{endpoint.pk}/delete/"') :]
    form = form[: form.index("</form>")]
    assert "confirmed" not in form


def test_delays_read_in_the_largest_unit_that_fits():
    with translation.override("en"):
        assert delay_text(60) == "1 minute"
        assert delay_text(300) == "5 minutes"
        assert delay_text(90) == "90 seconds"
        assert delay_text(7200) == "2 hours"
        assert delay_text(5400) == "90 minutes"
        assert delay_text(172800) == "2 days"
        assert retry_delays_text([60, 43200]) == "1 minute and 12 hours"
        assert retry_delays_text([1]) == "1 second"


def test_the_page_says_the_retry_delays_of_the_settings(client, people, settings):
    endpoint = make_endpoint(people["province_leader"])
    client.force_login(people["province_leader"])
    client.cookies["giaoban_language"] = "en"
    url = f"/proposals/webhooks/{endpoint.pk}/"
    page = client.get(url).content.decode()
    assert "sent again after 1 minute, 5 minutes, 30 minutes, 2 hours and 12 hours." in page
    assert "within 5 seconds;" in page
    settings.WEBHOOK_RETRY_DELAYS = [90, 3600, 172800]
    settings.WEBHOOK_TIMEOUT = 10
    page = client.get(url).content.decode()
    assert "sent again after 90 seconds, 1 hour and 2 days." in page
    assert "within 10 seconds;" in page
    del client.cookies["giaoban_language"]
    page = client.get(url).content.decode()
    assert "được gửi lại sau 90 giây, 1 giờ và 2 ngày." in page
    assert "trong vòng 10 giây;" in page
