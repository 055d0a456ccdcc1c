"""E-mail subscriptions to new answers: asked on a public form, confirmed from the
address (double opt-in), one e-mail per subscriber and publication, unsubscribed
with the link of any e-mail. The address never appears in public."""

import pytest
from django.core import mail

from briefing.models.platform import OutboxMessage
from proposals.models import Field, Status, Subscription, SubscriptionNotice
from proposals.tasks import notify_subscribers, send_subscription_confirmation
from tests.proposals.conftest import bring_to

pytestmark = pytest.mark.django_db


def _field(code):
    return Field.objects.get(code=code)


def subscribe(client, email, field=None, consent=True):
    data = {"email": email, "field": field.pk if field else ""}
    if consent:
        data["consent"] = "on"
    return client.post("/answers/subscribe/", data)


def confirmed(email, field=None):
    from django.utils import timezone

    return Subscription.objects.create(email=email, field=field, confirmed_at=timezone.now())


def test_a_bad_address_or_no_consent_is_refused_next_to_the_field_and_nothing_is_saved(client):
    response = subscribe(client, "doc-gia-at-example.vn", consent=False)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["email"] == ["Nhập một địa chỉ email hợp lệ."]
    assert errors["consent"] == ["Hãy đánh dấu ô này để nhận thư."]
    html = response.content.decode()
    assert 'value="doc-gia-at-example.vn"' in html
    assert html.index("Nhập một địa chỉ email hợp lệ.") > html.index('name="email"')
    assert not Subscription.objects.exists() and not OutboxMessage.objects.exists()


def test_subscribing_sends_one_confirmation_and_asking_again_sends_none(client):
    response = subscribe(client, "Doc.Gia@Example.VN", _field("VT"))
    assert response.status_code == 302 and response["Location"] == "/answers/subscribe/sent/"
    subscription = Subscription.objects.get()
    assert subscription.email == "doc.gia@example.vn" and subscription.confirmed_at is None
    message = OutboxMessage.objects.get(task="proposals.send_subscription_confirmation")

    assert send_subscription_confirmation.apply(kwargs=message.kwargs).get() is True
    assert send_subscription_confirmation.apply(kwargs=message.kwargs).get() is False
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["doc.gia@example.vn"]
    assert f"/answers/subscribe/{subscription.token}/confirm/" in sent.body
    assert "Viễn thông" in sent.body

    # Asking again at once writes nothing more to the address, and looks the same.
    again = subscribe(client, "doc.gia@example.vn", _field("VT"))
    assert again["Location"] == "/answers/subscribe/sent/"
    assert Subscription.objects.count() == 1
    assert OutboxMessage.objects.filter(task=message.task).count() == 1
    page = client.get("/answers/subscribe/sent/").content.decode()
    assert "mở đường liên kết trong thư để xác nhận" in page


def test_opening_a_link_changes_nothing_until_the_button_is_pressed(client):
    subscription = Subscription.objects.create(email="a@example.vn", field=_field("VT"))
    confirm = f"/answers/subscribe/{subscription.token}/confirm/"
    page = client.get(confirm)
    assert page.status_code == 200 and "Viễn thông" in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    client.post(confirm)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    cancel = f"/answers/subscribe/{subscription.token}/cancel/"
    assert client.get(cancel).status_code == 200
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    done = client.post(cancel)
    assert "địa chỉ đã được xóa" in done.content.decode()
    assert not Subscription.objects.exists()
    assert client.get(confirm).status_code == 404
    assert client.get("/answers/subscribe/khong-co-ma-nay/cancel/").status_code == 404


def test_the_mail_programs_one_click_unsubscribe_needs_no_form():
    from django.test import Client

    subscription = confirmed("a@example.vn")
    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(
        f"/answers/subscribe/{subscription.token}/cancel/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_a_publication_emails_each_confirmed_subscriber_of_its_field_once():
    from tests.proposals.conftest import make_people

    people = make_people()
    in_field = confirmed("vt@example.vn", _field("VT"))
    everything = confirmed("all@example.vn")
    confirmed("bc@example.vn", _field("BC"))
    Subscription.objects.create(email="pending@example.vn", field=_field("VT"))

    rec = bring_to(Status.PUBLISHED, people, field=_field("VT"), title="Phủ sóng 4G")
    message = OutboxMessage.objects.get(task="proposals.notify_subscribers")
    mail.outbox.clear()
    assert notify_subscribers.apply(kwargs=message.kwargs).get() == 2
    assert notify_subscribers.apply(kwargs=message.kwargs).get() == 0  # a rerun
    assert sorted(m.to[0] for m in mail.outbox) == ["all@example.vn", "vt@example.vn"]
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    sent = next(m for m in mail.outbox if m.to == ["vt@example.vn"])
    assert "Phủ sóng 4G" in sent.body and f"/answers/{rec.code}/" in sent.body
    assert f"/answers/subscribe/{in_field.token}/cancel/" in sent.body
    assert f"/answers/subscribe/{everything.token}/" not in sent.body
    assert sent.extra_headers["List-Unsubscribe"].endswith(f"/{in_field.token}/cancel/>")
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert SubscriptionNotice.objects.count() == 2

    # A notice for a version published over since is left to the newer publication.
    stale = {**message.kwargs, "version": message.kwargs["version"] + 1}
    assert notify_subscribers.apply(kwargs=stale).get() == 0


def test_subscribers_addresses_appear_on_no_public_output(client):
    from tests.proposals.conftest import make_people

    confirmed("bi-mat@example.vn")
    rec = bring_to(Status.PUBLISHED, make_people())
    for url in (
        "/",
        "/answers/",
        f"/answers/{rec.code}/",
        "/answers/feed/",
        "/answers/export.json",
        "/api/v1/answers/",
    ):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"bi-mat@example.vn" not in body, url
    csv = b"".join(client.get("/answers/export.csv").streaming_content)
    assert rec.code.encode() in csv and b"bi-mat" not in csv


def test_the_link_on_an_answer_proposes_its_field(client):
    from tests.proposals.conftest import make_people

    rec = bring_to(Status.PUBLISHED, make_people(), field=_field("VT"))
    detail = client.get(f"/answers/{rec.code}/").content.decode()
    link = f'href="/answers/subscribe/?field={rec.field_id}"'
    assert link in detail
    form = client.get(f"/answers/subscribe/?field={rec.field_id}").content.decode()
    assert f'<option value="{rec.field_id}" selected>' in form


def test_one_connection_cannot_turn_the_form_into_a_mailer(client, monkeypatch):
    monkeypatch.setattr("proposals.views.subscriptions.SUBSCRIBE_LIMIT", 2)
    for n in range(2):
        assert subscribe(client, f"nguoi{n}@example.vn").status_code == 302
    refused = subscribe(client, "nguoi2@example.vn")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Có quá nhiều đăng ký từ kết nối của bạn" in html
    assert 'value="nguoi2@example.vn"' in html
    assert Subscription.objects.count() == 2
    assert OutboxMessage.objects.count() == 2
    data = {"email": "nguoi3@example.vn", "field": "", "consent": "on"}
    # With no proxy configured (NUM_PROXIES unset), X-Forwarded-For is the client's own
    # writing: changing it does not make a new client.
    forged = client.post("/answers/subscribe/", data, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert forged.status_code == 429
    # Another address is not held back.
    other = client.post("/answers/subscribe/", data, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


def test_behind_the_proxy_a_forged_forwarded_for_does_not_escape_the_limit(
    client, monkeypatch, settings
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    monkeypatch.setattr("proposals.views.subscriptions.SUBSCRIBE_LIMIT", 1)
    data = {"field": "", "consent": "on"}
    # The proxy appends the address it sees; what the client wrote before it is ignored.
    first = client.post(
        "/answers/subscribe/",
        data | {"email": "a@example.vn"},
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7",
    )
    forged = client.post(
        "/answers/subscribe/",
        data | {"email": "b@example.vn"},
        HTTP_X_FORWARDED_FOR="198.51.100.2, 203.0.113.7",
    )
    assert (first.status_code, forged.status_code) == (302, 429)


class CountingBackend:
    """A mail backend that counts the SMTP sessions it would open."""

    opened = 0
    sent: list = []

    def __init__(self, fail_silently=False, **kwargs):
        self.is_open = False

    def open(self):
        type(self).opened += 1
        self.is_open = True
        return True

    def close(self):
        self.is_open = False

    def __enter__(self):
        self.open()
        return self

    def __exit__(self, *exc):
        self.close()

    def send_messages(self, messages):
        if not self.is_open:  # as the SMTP backend: a session per call when not open
            type(self).opened += 1
        type(self).sent.extend(messages)
        return len(messages)


def test_all_subscribers_are_written_to_in_one_smtp_session(settings, monkeypatch):
    from tests.proposals.conftest import make_people

    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    monkeypatch.setattr(CountingBackend, "opened", 0)
    monkeypatch.setattr(CountingBackend, "sent", [])
    for n in range(3):
        confirmed(f"doc-gia-{n}@example.vn")
    bring_to(Status.PUBLISHED, make_people())
    message = OutboxMessage.objects.get(task="proposals.notify_subscribers")
    assert notify_subscribers.apply(kwargs=message.kwargs).get() == 3
    assert len(CountingBackend.sent) == 3 and CountingBackend.opened == 1


def test_with_no_subscriber_no_mail_server_is_needed(settings):
    from tests.proposals.conftest import make_people

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    Subscription.objects.create(email="chua-xac-nhan@example.vn")  # not confirmed
    bring_to(Status.PUBLISHED, make_people())
    message = OutboxMessage.objects.get(task="proposals.notify_subscribers")
    assert notify_subscribers.apply(kwargs=message.kwargs).get() == 0
