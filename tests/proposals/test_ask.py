"""Recommendations from the public: the form at /answers/ask/ with its consent and abuse
checks, the confirmation by e-mail link, the status page behind a long random token,
the e-mails at each step, withdrawal, erasure and the two jobs (unconfirmed forms,
retention). Pages are read in English (the language cookie) so the checks do not depend
on the catalogue."""

import datetime
import io
import re
import time
import uuid

import pytest
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.formats import date_format
from openpyxl import load_workbook

from briefing.models.organisations import Organisation, SecurityEvent
from briefing.models.platform import OutboxMessage
from proposals.models import (
    Attachment,
    Event,
    Field,
    PublicSubmission,
    Recommendation,
    Status,
)
from proposals.services import public_intake, publishing, recommendations
from proposals.tasks import (
    anonymise_closed_submissions,
    notify_event,
    purge_unconfirmed_submissions,
    send_submission_confirmation,
)

pytestmark = pytest.mark.django_db

NAME = "Nguyễn Thị Riêngtư"
EMAIL = "rieng.tu@example.vn"
PHONE = "0912 345 678"
ADDRESS = "12 Ngõ Bí Mật, Hà Nội"
PERSONAL = (NAME, "Riêngtư", EMAIL, "0912 345 678", "Ngõ Bí Mật")


@pytest.fixture
def en(client):
    client.cookies["giaoban_language"] = "en"
    return client


def started(seconds_ago=60):
    return signing.dumps(time.time() - seconds_ago, salt="proposals.ask.started")


def form_data(**changes):
    data = {
        "sender_kind": "citizen",
        "name": NAME,
        "email": EMAIL,
        "phone": PHONE,
        "address": ADDRESS,
        "field": Field.objects.get(code="VT").pk,
        "title": "Sóng di động yếu ở xã vùng cao",
        "content": "Đề nghị Bộ chỉ đạo doanh nghiệp viễn thông phủ sóng thôn bản vùng cao.",
        "consent": "on",
        "website": "",
        "started": started(),
        "submission_key": str(uuid.uuid4()),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def errors(response, field=None) -> str:
    """The form's errors as the English page showed them (they are lazy texts)."""
    form = response.context["form"]
    with translation.override("en"):
        found = form.non_field_errors() if field is None else form.errors[field]
        return " ".join(str(error) for error in found)


def send(client, **changes):
    return client.post("/answers/ask/", form_data(**changes), REMOTE_ADDR="203.0.113.7")


def run_outbox(task):
    """Run every queued `task` as the worker would, in order."""
    results = []
    for message in OutboxMessage.objects.filter(task=task).order_by("pk"):
        results.append(_TASKS[task].apply(kwargs=message.kwargs).get())
    return results


_TASKS = {
    "proposals.send_submission_confirmation": send_submission_confirmation,
    "proposals.notify_event": notify_event,
}


def confirm_link(body: str) -> str:
    return re.search(r"http://[^\s]+(/answers/ask/[^/\s]+/confirm/)", body).group(1)


def sent_and_confirmed(client) -> PublicSubmission:
    assert send(client).status_code == 302
    run_outbox("proposals.send_submission_confirmation")
    client.post(confirm_link(mail.outbox[-1].body))
    return PublicSubmission.objects.select_related("recommendation").get()


class TestTheForm:
    def test_it_states_purpose_retention_and_asks_consent(self, en):
        html = en.get("/answers/ask/").content.decode()
        assert "Decree 13/2023/NĐ-CP" in html
        assert "Purpose: to receive, handle and answer your recommendation" in html
        assert "erased 24 months after your recommendation is closed" in html
        assert 'name="consent"' in html and 'name="website"' in html
        assert en.get("/answers/ask/")["Cache-Control"].startswith("max-age=0")

    def test_sending_stores_a_draft_the_office_does_not_see_and_mails_a_link(self, en, people):
        response = send(en)
        assert response.status_code == 302 and response["Location"] == "/answers/ask/sent/"
        submission = PublicSubmission.objects.select_related("recommendation").get()
        rec = submission.recommendation
        assert rec.status == Status.DRAFT and rec.code.startswith("CHO-")
        assert (rec.source_kind, rec.submitter_name, rec.submitter_email) == (
            "citizen",
            NAME,
            EMAIL,
        )
        assert submission.client and submission.confirmed_at is None
        en.force_login(people["office"])
        assert rec.code not in en.get("/proposals/").content.decode()
        assert en.get(f"/proposals/{rec.pk}/").status_code == 404
        en.logout()

        assert run_outbox("proposals.send_submission_confirmation") == [True]
        assert (
            send_submission_confirmation.apply(kwargs={"submission_id": submission.pk}).get()
            is False
        )  # once
        assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]
        assert f"/answers/ask/{submission.token}/confirm/" in mail.outbox[0].body
        assert len(submission.token) >= 43

    def test_the_link_shows_a_button_and_the_button_confirms(self, en, people):
        send(en)
        submission = PublicSubmission.objects.get()
        link = f"/answers/ask/{submission.token}/confirm/"
        assert en.get(link).status_code == 200
        submission.refresh_from_db()
        assert submission.confirmed_at is None  # a mail scanner opening it changes nothing
        response = en.post(link)
        assert response["Location"] == f"/answers/track/{submission.token}/"
        rec = Recommendation.objects.get()
        assert rec.status == Status.SUBMITTED and re.match(r"KN-\d{4}-Q\d-0001$", rec.code)
        assert rec.events.get().action == "confirm"
        en.post(link)  # twice: nothing more
        assert Event.objects.count() == 1
        en.force_login(people["office"])
        assert en.get(f"/proposals/{rec.pk}/").status_code == 200

    def test_a_double_submit_makes_one_record(self, en):
        data = form_data()
        assert en.post("/answers/ask/", data).status_code == 302
        assert en.post("/answers/ask/", data).status_code == 302
        assert PublicSubmission.objects.count() == 1
        assert OutboxMessage.objects.count() == 1

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"name": ""}, "name", "This field is required."),
            ({"name": "x" * 201}, "name", "at most 200 characters"),
            ({"name": "<script>alert(1)</script>"}, "name", "cannot contain the characters"),
            ({"email": "rieng.tu@"}, "email", "Enter a valid email address."),
            ({"email": ""}, "email", "This field is required."),
            ({"phone": "call me maybe"}, "phone", "8 to 20 digits"),
            ({"address": "a" * 301}, "address", "at most 300 characters"),
            ({"address": "<b>x</b>"}, "address", "cannot contain the characters"),
            ({"title": ""}, "title", "This field is required."),
            ({"title": "t" * 301}, "title", "at most 300 characters"),
            ({"content": "ngắn"}, "content", "too short"),
            ({"content": "c" * 20001}, "content", "at most 20000 characters"),
            ({"field": "999999"}, "field", "Select a valid choice"),
            ({"sender_kind": "province"}, "sender_kind", "Select a valid choice"),
            ({"consent": None}, "consent", "Tick this box"),
        ],
    )
    def test_bad_input_is_refused_next_to_the_field_keeping_the_text(
        self, en, changes, field, message
    ):
        response = send(en, **changes)
        assert response.status_code == 400
        assert message in errors(response, field)
        html = response.content.decode()
        if field != "title":
            assert "Sóng di động yếu ở xã vùng cao" in html  # what was typed stays
        assert not Recommendation.objects.exists() and not OutboxMessage.objects.exists()

    def test_script_in_the_question_is_stored_as_text_and_shown_escaped(self, en, people):
        send(en, title="<script>alert('x')</script> Sóng yếu")
        run_outbox("proposals.send_submission_confirmation")
        en.post(confirm_link(mail.outbox[-1].body))
        token = PublicSubmission.objects.get().token
        html = en.get(f"/answers/track/{token}/").content.decode()
        assert "<script>alert('x')" not in html and "&lt;script&gt;" in html

    def test_a_bad_attachment_is_refused_and_nothing_is_saved(self, en):
        fake = SimpleUploadedFile("thu.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
        response = send(en, attachments=fake)
        assert response.status_code == 400
        assert "not an allowed file type" in " ".join(
            response.context["form"].errors["attachments"]
        )
        assert not Recommendation.objects.exists() and not Attachment.objects.exists()

    def test_the_honeypot_refuses_and_keeps_the_text(self, en):
        response = send(en, website="http://spam.example")
        assert response.status_code == 400
        assert "could not be sent" in errors(response)
        assert "Sóng di động yếu" in response.content.decode()
        assert not Recommendation.objects.exists()

    @pytest.mark.parametrize("stamp", ["now", "forged", ""])
    def test_a_form_sent_too_fast_or_without_a_true_start_is_refused(self, en, stamp):
        stamp = started(0) if stamp == "now" else stamp
        response = send(en, started=stamp)
        assert response.status_code == 400
        assert "too quickly" in errors(response)
        assert not Recommendation.objects.exists()
        # A new stamp is in the page: the person sends it again after checking.
        assert response.context["form"].data["started"] != stamp

    def test_a_flood_from_one_client_is_429_with_the_text_kept(self, en):
        for i in range(public_intake.PER_CLIENT_PER_HOUR):
            assert send(en, email=f"nguoi{i}@example.vn").status_code == 302
        response = send(en, email="them.nua@example.vn", title="Câu hỏi bị chặn lại")
        assert response.status_code == 429
        assert "Too many recommendations from your connection" in response.content.decode()
        assert 'value="Câu hỏi bị chặn lại"' in response.content.decode()
        assert Recommendation.objects.count() == public_intake.PER_CLIENT_PER_HOUR

    def test_one_address_is_limited_from_any_client(self, en):
        for i in range(public_intake.PER_ADDRESS_PER_DAY):
            en.post("/answers/ask/", form_data(), REMOTE_ADDR=f"198.51.100.{i}")
        response = en.post("/answers/ask/", form_data(), REMOTE_ADDR="198.51.100.99")
        assert response.status_code == 429
        assert "from this e-mail address today" in response.content.decode()


class TestFollowing:
    def test_each_step_is_mailed_and_the_answer_arrives_when_published(self, en, people):
        submission = sent_and_confirmed(en)
        rec = submission.recommendation
        track = f"/answers/track/{submission.token}/"
        page = en.get(track)
        assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex, nofollow"
        assert page["Referrer-Policy"] == "same-origin"
        html = page.content.decode()
        assert rec.code in html and 'data-stage="received"' in html
        mail.outbox.clear()
        run_outbox("proposals.notify_event")
        received = [m for m in mail.outbox if m.to == [EMAIL]]
        assert len(received) == 1 and rec.code in received[0].body and track in received[0].body

        deadline = timezone.localdate() + datetime.timedelta(days=15)
        recommendations.recommendation_accept(
            recommendation_id=rec.pk,
            actor=people["office"],
            unit=Organisation.objects.get(code="CUC-VT"),
            cooperating_units=[],
            deadline=deadline,
        )
        html = en.get(track).content.decode()
        assert 'data-stage="handling"' in html and "Cục Viễn thông" in html
        with translation.override("en"):
            assert date_format(deadline, "SHORT_DATE_FORMAT") in html
        assert "data-withdraw" not in html  # triaged: too late to withdraw

        answer = recommendations.answer_save(
            recommendation_id=rec.pk,
            actor=people["other_officer"],
            text="Bộ đã chỉ đạo doanh nghiệp phủ sóng trong quý tới.",
            version=0,
            send_to_leader=True,
        )
        recommendations.recommendation_act(
            recommendation_id=rec.pk, actor=people["other_leader"], action="approve"
        )
        publishing.answer_publish(recommendation_id=rec.pk)
        mail.outbox.clear()
        run_outbox("proposals.notify_event")
        to_sender = [m for m in mail.outbox if m.to == [EMAIL]]
        bodies = "\n".join(m.body for m in to_sender)
        assert "Cục Viễn thông" in bodies  # assigned
        assert answer.text in bodies and f"/answers/{rec.code}/" in bodies  # answered
        assert len(to_sender) == 2  # no mail for the internal approval
        for m in mail.outbox:
            assert "/proposals/" not in m.body or m.to != [EMAIL]
        html = en.get(track).content.decode()
        assert 'data-stage="answered"' in html and answer.text in html
        # A rerun sends nothing twice.
        mail.outbox.clear()
        for event in rec.events.all():
            Event.objects.filter(pk=event.pk).update(notified_at=None)
            notify_event.apply(kwargs={"event_id": event.pk})
        assert not [m for m in mail.outbox if m.to == [EMAIL]]

    def test_the_sender_withdraws_before_triage_only(self, en, people):
        submission = sent_and_confirmed(en)
        track = f"/answers/track/{submission.token}/"
        assert "data-withdraw" in en.get(track).content.decode()
        response = en.post(track + "withdraw/")
        assert response["Location"] == track + "?done=withdrawn"
        submission.recommendation.refresh_from_db()
        assert submission.recommendation.status == Status.WITHDRAWN
        assert submission.recommendation.events.last().action == "sender_withdraw"
        en.post(track + "withdraw/")
        assert submission.recommendation.events.filter(action="sender_withdraw").count() == 1

    def test_withdrawing_after_triage_changes_nothing(self, en, people):
        submission = sent_and_confirmed(en)
        recommendations.recommendation_act(
            recommendation_id=submission.recommendation_id,
            actor=people["office"],
            action="reject",
            note="Ngoài phạm vi quản lý của Bộ.",
        )
        en.post(f"/answers/track/{submission.token}/withdraw/")
        submission.recommendation.refresh_from_db()
        assert submission.recommendation.status == Status.REJECTED
        html = en.get(f"/answers/track/{submission.token}/").content.decode()
        assert "Ngoài phạm vi quản lý của Bộ." in html

    @pytest.mark.parametrize("suffix", ["", "withdraw/", "erase/"])
    def test_an_unknown_or_expired_token_is_a_plain_404(self, en, suffix):
        send(en)
        submission = PublicSubmission.objects.get()
        PublicSubmission.objects.filter(pk=submission.pk).update(
            created_at=timezone.now() - datetime.timedelta(hours=49)
        )
        for url in (
            f"/answers/track/{'x' * 43}/{suffix}",
            f"/answers/track/{submission.token}/{suffix}",
            f"/answers/ask/{submission.token}/confirm/",
        ):
            response = en.post(url) if suffix else en.get(url)
            assert response.status_code == 404, url
            assert "Sóng di động" not in response.content.decode()
        assert Recommendation.objects.get().status == Status.DRAFT


class TestPersonalData:
    def test_the_sender_appears_on_no_public_page_feed_export_or_api(self, client, en, people):
        submission = sent_and_confirmed(en)
        rec = submission.recommendation
        recommendations.recommendation_accept(
            recommendation_id=rec.pk,
            actor=people["office"],
            unit=Organisation.objects.get(code="CUC-THH"),
            cooperating_units=[],
            deadline=timezone.localdate() + datetime.timedelta(days=5),
        )
        recommendations.answer_save(
            recommendation_id=rec.pk,
            actor=people["officer"],
            text="Trả lời công khai.",
            version=0,
            send_to_leader=True,
        )
        recommendations.recommendation_act(
            recommendation_id=rec.pk, actor=people["leader"], action="approve"
        )
        publishing.answer_publish(recommendation_id=rec.pk)
        outputs = []
        for url in (
            "/",
            "/answers/",
            f"/answers/{rec.code}/",
            "/answers/feed/",
            "/sitemap-answers.xml",
            "/api/v1/answers/",
            f"/api/v1/answers/{rec.code}/",
            f"/answers/track/{submission.token}/",
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            outputs.append(response.content.decode())
        assert "Người dân" in outputs[2] or "Citizen" in outputs[2]
        for url in ("/answers/export.csv", "/answers/export.json"):
            outputs.append(b"".join(client.get(url).streaming_content).decode())
        xlsx = b"".join(client.get("/answers/export.xlsx").streaming_content)
        sheet = load_workbook(io.BytesIO(xlsx)).active
        outputs.append(
            " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
        )
        assert any(rec.code in output for output in outputs)
        for output in outputs:
            for secret in PERSONAL:
                assert secret not in output

    def test_staff_see_the_contact_only_where_their_role_needs_it(self, en, people):
        submission = sent_and_confirmed(en)
        rec = submission.recommendation
        en.force_login(people["office"])
        html = en.get(f"/proposals/{rec.pk}/").content.decode()
        assert NAME in html and EMAIL in html and PHONE in html
        recommendations.recommendation_accept(
            recommendation_id=rec.pk,
            actor=people["office"],
            unit=Organisation.objects.get(code="CUC-THH"),
            cooperating_units=[],
            deadline=timezone.localdate() + datetime.timedelta(days=5),
        )
        for who in ("officer", "leader"):
            en.force_login(people[who])
            html = en.get(f"/proposals/{rec.pk}/").content.decode()
            assert rec.code in html
            for secret in PERSONAL:
                assert secret not in html, who
            export = en.get("/proposals/export.xlsx")
            book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
            cells = " ".join(
                str(v) for row in book.active.iter_rows(values_only=True) for v in row if v
            )
            assert NAME not in cells and EMAIL not in cells

    def test_erasure_on_request_keeps_the_question_and_the_answer(self, en, people):
        submission = sent_and_confirmed(en)
        rec = submission.recommendation
        track = f"/answers/track/{submission.token}/"
        response = en.post(track + "erase/")
        assert response["Location"] == track + "?done=erased"
        rec.refresh_from_db()
        assert (rec.submitter_name, rec.submitter_email, rec.submitter_phone) == ("", "", "")
        assert rec.submitter_address == "" and rec.title and rec.content
        for version in rec.history.all():
            assert version.submitter_name == "" and version.submitter_email == ""
        assert SecurityEvent.objects.filter(kind="personal_data_erased").count() == 1
        assert "data-erased" in en.get(track).content.decode()
        # No address left: no more e-mail.
        mail.outbox.clear()
        recommendations.recommendation_act(
            recommendation_id=rec.pk, actor=people["office"], action="reject", note="Lý do."
        )
        run_outbox("proposals.notify_event")
        assert not [m for m in mail.outbox if EMAIL in m.to]


class TestJobs:
    def test_unconfirmed_forms_are_deleted_after_48_hours(
        self, en, django_capture_on_commit_callbacks
    ):
        send(en, attachments=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64))
        send(en, email="con.moi@example.vn", submission_key=str(uuid.uuid4()))
        old, new = PublicSubmission.objects.order_by("pk")
        stored = Attachment.objects.get().file.name
        PublicSubmission.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - datetime.timedelta(hours=49)
        )
        with django_capture_on_commit_callbacks(execute=True):
            assert purge_unconfirmed_submissions.apply().get() == 1
        assert list(PublicSubmission.objects.all()) == [new]
        assert not Attachment.objects.exists()
        assert not Attachment._meta.get_field("file").storage.exists(stored)
        assert purge_unconfirmed_submissions.apply().get() == 0

    def test_retention_erases_closed_items_and_logs_it(self, en, people, settings):
        settings.PUBLIC_SENDER_RETENTION_DAYS = 30
        submission = sent_and_confirmed(en)
        rec = submission.recommendation
        recommendations.recommendation_act(
            recommendation_id=rec.pk, actor=people["office"], action="reject", note="Lý do."
        )
        assert anonymise_closed_submissions.apply().get() == 0  # closed only just now
        Recommendation.objects.filter(pk=rec.pk).update(
            updated_at=timezone.now() - datetime.timedelta(days=31)
        )
        assert anonymise_closed_submissions.apply().get() == 1
        rec.refresh_from_db()
        assert rec.submitter_name == "" and rec.submitter_email == "" and rec.title
        assert SecurityEvent.objects.filter(kind="personal_data_erased", detail__contains=rec.code)
        assert en.get(f"/answers/track/{submission.token}/").status_code == 404  # link expired
        assert anonymise_closed_submissions.apply().get() == 0
