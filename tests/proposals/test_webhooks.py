"""Webhooks: events of a department's recommendations POSTed, signed, to a real receiver
on 127.0.0.1; retries with backoff; the endpoint turned off after failures in a row;
the checks against request forgery; nothing sent for a change rolled back."""

import hashlib
import hmac
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone, translation

from briefing.models.organisations import Notification, Organisation
from briefing.models.platform import OutboxMessage
from proposals import webhook_delivery, webhooks
from proposals.models import (
    Answer,
    DeliveryStatus,
    Status,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEventType,
)
from proposals.services import publishing, recommendations
from proposals.webhook_tasks import deliver_webhook
from tests.proposals.conftest import bring_to, merge_duplicate, revise_answer


class Receiver:
    """An HTTP server in a thread that records what it receives and answers as told."""

    def __init__(self):
        self.requests = []
        self.status = 200
        self.sleep = 0.0
        self.location = ""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                if receiver.sleep:
                    time.sleep(receiver.sleep)
                self.send_response(receiver.status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok " * 3000)  # more than the portal reads

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/giaoban"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.close()


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOK_TIMEOUT = 2
    settings.WEBHOOK_RETRY_DELAYS = [60, 300, 1800]
    settings.WEBHOOK_DISABLE_AFTER = 3


@pytest.fixture
def eager(settings):
    """Celery runs the outbox's tasks at once (with a broker configured it would not)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


def make_endpoint(people, url, *, who="province_leader", events=None) -> WebhookEndpoint:
    leader = people[who]
    return webhooks.webhook_endpoint_create(
        actor=leader,
        organisation=leader.organisation,
        name="Hệ thống quản lý văn bản",
        url=url,
        events=list(WebhookEventType.values) if events is None else events,
    )


def verified(request, secret: str) -> dict:
    """The receiver's check: the signature over timestamp + "." + body with the secret."""
    headers = request["headers"]
    timestamp = headers["X-Giaoban-Timestamp"]
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + request["body"], hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(headers["X-Giaoban-Signature"], "sha256=" + expected)
    assert abs(int(timestamp) - time.time()) < 60
    payload = json.loads(request["body"])
    assert headers["X-Giaoban-Event-Id"] == payload["id"]
    assert headers["X-Giaoban-Event"] == payload["type"]
    return payload


def run_pending(endpoint) -> list:
    """Run the delivery task for each of the endpoint's deliveries, as a worker would."""
    ids = WebhookDelivery.objects.filter(endpoint=endpoint).order_by("pk")
    return [
        deliver_webhook.apply(kwargs={"delivery_id": pk}).get()
        for pk in ids.values_list("pk", flat=True)
    ]


@pytest.fixture
def attempt(django_capture_on_commit_callbacks):
    """One attempt by the task, with what it queues after commit run."""

    def run(delivery_id):
        with django_capture_on_commit_callbacks(execute=True):
            return deliver_webhook.apply(kwargs={"delivery_id": delivery_id}).get()

    return run


def due_now(delivery_id):
    WebhookDelivery.objects.filter(pk=delivery_id).update(next_attempt_at=timezone.now())


def test_a_state_change_reaches_the_receiver_signed(
    people, receiver, eager, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(people, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        rec = bring_to(Status.ACCEPTED, people)
    assert [r["headers"]["X-Giaoban-Event"] for r in receiver.requests] == [
        "recommendation.submitted",
        "recommendation.accepted",
    ]
    assert receiver.requests[0]["path"] == "/hooks/giaoban"
    payload = verified(receiver.requests[1], endpoint.secret)
    data = payload["data"]
    assert data["code"] == rec.code
    assert data["status"] == Status.ACCEPTED
    with translation.override("vi"):
        assert data["status_label"] == str(Status.ACCEPTED.label)
    assert data["quarter"] == "2020-Q3"
    assert data["url"].endswith(f"/proposals/{rec.pk}/")
    assert data["changed_at"]
    assert "answer" not in data
    # Each delivery went once, and its attempt is in the log.
    deliveries = WebhookDelivery.objects.filter(endpoint=endpoint)
    assert {d.status for d in deliveries} == {DeliveryStatus.DELIVERED}
    attempt = WebhookAttempt.objects.filter(delivery__endpoint=endpoint).first()
    assert attempt.ok and attempt.status_code == 200 and attempt.number == 1
    assert len(attempt.response_excerpt) <= 500


def test_the_published_answer_is_sent_never_a_draft(
    people, receiver, eager, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(
        people, receiver.url, events=["answer.published", "recommendation.answer_revised"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        rec = bring_to(Status.PUBLISHED, people)
        revise_answer(people, rec, text="Bản nháp mới chưa được duyệt, không được gửi đi.")
    payloads = [verified(r, endpoint.secret) for r in receiver.requests]
    assert [p["type"] for p in payloads] == ["answer.published", "recommendation.answer_revised"]
    published = Answer.objects.get(recommendation=rec).published_text
    assert payloads[0]["data"]["answer"]["text"] == published
    assert payloads[0]["data"]["answer"]["url"].endswith(f"/answers/{rec.code}/")
    assert payloads[0]["data"]["status"] == Status.PUBLISHED
    assert all("Bản nháp mới" not in r["body"].decode() for r in receiver.requests)


def test_another_organisations_change_is_not_sent(people, receiver):
    other = make_endpoint(people, receiver.url, who="other_province")
    only_returns = make_endpoint(people, receiver.url, events=["recommendation.returned"])
    bring_to(Status.ACCEPTED, people)
    assert not WebhookDelivery.objects.filter(endpoint=other).exists()
    assert not WebhookDelivery.objects.filter(endpoint=only_returns).exists()


def test_the_event_goes_through_the_outbox_and_is_delivered_once(people, receiver):
    endpoint = make_endpoint(people, receiver.url, events=["recommendation.submitted"])
    bring_to(Status.SUBMITTED, people)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    message = OutboxMessage.objects.get(task="proposals.deliver_webhook")
    assert message.kwargs == {"delivery_id": delivery.pk}
    assert deliver_webhook.apply(kwargs=message.kwargs).get() is True
    # The task again (a second worker, a redelivered message): nothing more is sent.
    assert deliver_webhook.apply(kwargs=message.kwargs).get() is None
    assert len(receiver.requests) == 1


def test_a_change_rolled_back_sends_nothing(people, receiver):
    endpoint = make_endpoint(people, receiver.url)
    rec = bring_to(Status.SUBMITTED, people)
    before = OutboxMessage.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        recommendations.recommendation_act(
            recommendation_id=rec.pk, actor=people["office"], action="reject", note="Ngoài phạm vi"
        )
        raise RuntimeError("the request failed after the change")
    assert not WebhookDelivery.objects.filter(
        endpoint=endpoint, event_type="recommendation.rejected"
    ).exists()
    assert OutboxMessage.objects.count() == before


def test_errors_are_retried_with_backoff_then_the_endpoint_is_turned_off(people, receiver, attempt):
    receiver.status = 500
    endpoint = make_endpoint(people, receiver.url, events=["recommendation.submitted"])
    bring_to(Status.SUBMITTED, people)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    with mock.patch.object(deliver_webhook, "apply_async") as later:
        started = timezone.now()
        assert attempt(delivery.pk) is False
        delivery.refresh_from_db()
        assert later.call_args.kwargs["countdown"] == 60
        assert 59 <= (delivery.next_attempt_at - started).total_seconds() <= 62
        # Not due yet: a worker that gets it early does nothing.
        assert attempt(delivery.pk) is None
        due_now(delivery.pk)
        assert attempt(delivery.pk) is False
        assert later.call_args.kwargs["countdown"] == 300
        due_now(delivery.pk)
        assert attempt(delivery.pk) is False
    assert len(receiver.requests) == 3
    assert [a.status_code for a in WebhookAttempt.objects.order_by("number")] == [500] * 3
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_at is not None
    # Turned off: the delivery waits, nothing more is sent.
    due_now(delivery.pk)
    assert attempt(delivery.pk) is None
    notice = Notification.objects.get(user=people["province_leader"])
    assert notice.message == webhook_delivery.DISABLED_NOTICE
    assert notice.url == f"/proposals/webhooks/{endpoint.pk}/"
    # Turned on again, the waiting event goes out and succeeds.
    receiver.status = 204
    assert webhooks.webhook_endpoint_enable(endpoint=endpoint) == 1
    assert attempt(delivery.pk) is True
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.failures_in_row == 0


def test_the_last_retry_gives_up(people, receiver, settings, attempt):
    settings.WEBHOOK_DISABLE_AFTER = 99
    receiver.status = 503
    endpoint = make_endpoint(people, receiver.url, events=["recommendation.submitted"])
    bring_to(Status.SUBMITTED, people)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    with mock.patch.object(deliver_webhook, "apply_async") as later:
        for _attempt in range(4):
            due_now(delivery.pk)
            attempt(delivery.pk)
    assert [c.kwargs["countdown"] for c in later.call_args_list] == [60, 300, 1800]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 4


def test_a_timeout_counts_as_a_failure(people, receiver, settings):
    settings.WEBHOOK_TIMEOUT = 0.3
    receiver.sleep = 1.0
    endpoint = make_endpoint(people, receiver.url, events=["recommendation.submitted"])
    bring_to(Status.SUBMITTED, people)
    with mock.patch.object(deliver_webhook, "apply_async"):
        assert run_pending(endpoint) == [False]
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None and "timed out" in attempt.error
    endpoint.refresh_from_db()
    assert endpoint.failures_in_row == 1


def test_a_redirect_is_not_followed(people, receiver):
    receiver.status = 302
    receiver.location = receiver.url + "/elsewhere"
    endpoint = make_endpoint(people, receiver.url, events=["recommendation.submitted"])
    bring_to(Status.SUBMITTED, people)
    with mock.patch.object(deliver_webhook, "apply_async"):
        assert run_pending(endpoint) == [False]
    assert [r["path"] for r in receiver.requests] == ["/hooks/giaoban"]
    assert "not followed" in WebhookAttempt.objects.get().error


def test_a_private_address_is_refused_unless_allowed(people, receiver, settings):
    endpoint = make_endpoint(people, receiver.url, events=["recommendation.submitted"])
    bring_to(Status.SUBMITTED, people)
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    with mock.patch.object(deliver_webhook, "apply_async"):
        assert run_pending(endpoint) == [False]
    assert receiver.requests == []
    assert WebhookAttempt.objects.get().error.startswith("refused")


def test_a_name_resolving_to_a_private_address_is_refused(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    answers = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 443))]
    with mock.patch("socket.getaddrinfo", return_value=answers) as resolver:
        outcome = webhook_delivery.post("https://hooks.example.org/x", b"{}", {})
    resolver.assert_called_once()
    assert not outcome.ok and "10.1.2.3" in outcome.error


@pytest.mark.parametrize(
    ("url", "allow_http"),
    [
        ("http://hooks.example.org/x", False),
        ("https://127.0.0.1/x", True),
        ("https://169.254.169.254/latest/meta-data/", True),
        ("https://[::1]/x", True),
        ("https://localhost/x", True),
        ("https://user:pw@hooks.example.org/x", True),
        ("ftp://hooks.example.org/x", True),
    ],
)
def test_addresses_refused_when_made(settings, url, allow_http):
    settings.WEBHOOK_ALLOW_HTTP = allow_http
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    assert webhook_delivery.url_problem(url)


def test_a_public_https_address_is_accepted(settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    assert webhook_delivery.url_problem("https://lgsp.ninhbinh.gov.vn/hooks/giaoban") is None


def test_duplicates_departments_are_told_of_the_answer(people, receiver):
    """Several provinces send the same question, answered once: each is told."""
    other_leader = people["other_province"]
    other = make_endpoint(people, receiver.url, who="other_province", events=["answer.published"])
    rec = bring_to(Status.ANSWER_APPROVED, people)
    duplicate = merge_duplicate(rec, people, title="Đề nghị hướng dẫn kết nối LGSP")
    assert duplicate.submitted_by == other_leader
    from_org = Organisation.objects.get(code="T63-30")
    assert other.organisation == from_org
    webhooks_published = WebhookDelivery.objects.filter(endpoint=other)
    assert not webhooks_published.exists()
    publishing.answer_publish(recommendation_id=rec.pk)
    delivery = webhooks_published.get()
    assert delivery.payload["data"]["code"] == duplicate.code
    assert delivery.payload["data"]["duplicate_of"] == rec.code
    assert delivery.payload["data"]["answer"]["text"]
