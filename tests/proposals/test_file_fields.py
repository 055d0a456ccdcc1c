"""Files on forms: after a validation error the page names the files to choose again
(a browser never keeps them); edit forms list the files attached, each to remove or
replace in the same save, through the services, noted in the history, with the edit's
permission checks; a published answer's file removed in a revision stays public until
the revision is published. Pages are read in English (the language cookie)."""

import datetime
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from briefing.models.sessions import BriefingSession
from proposals import selectors
from proposals.models import Attachment, Field, Recommendation, Status
from proposals.services import publishing, recommendations
from proposals.services.recommendations import attachments_change
from tests.conftest import count_queries
from tests.proposals.conftest import bring_to, revise_answer
from tests.proposals.test_attachments import (
    NOT_ALLOWED,
    docx_bytes,
    pdf_bytes,
    stored_files,
    upload,
)

ANSWER_TEXT = "Cục Tin học hóa trả lời: Bộ đã ban hành hướng dẫn tại văn bản số 2719."


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def en(client):
    client.cookies["giaoban_language"] = "en"
    return client


def listed_files(response) -> list[str]:
    """The files the detail page lists (not the history, which names them too)."""
    html = response.content.decode()
    return re.findall(r"<div[^>]*data-attachment><a [^>]*>(.*?)</a>", html)


def choose_again(response) -> str:
    """The text of the notes naming files to choose again (empty when there is none)."""
    html = response.content.decode()
    notes = re.findall(r"<div[^>]*data-choose-again[^>]*>(.*?)</div>", html, re.S)
    return " ".join(" ".join(note.split()) for note in notes)


def rec_data(**changes) -> dict:
    data = {
        "title": "Đề nghị hướng dẫn kết nối nền tảng LGSP",
        "content": "Sở đề nghị Bộ hướng dẫn kết nối nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh.",
        "field": Field.objects.get(code="CNTT").pk,
        "channel": "briefing",
        "quarter": "2020-3",
        "submission_key": str(uuid.uuid4()),
        "save": "1",
    }
    data.update(changes)
    return data


# --- after an error: the files to choose again -----------------------------------------


def test_the_recommendation_form_names_the_files_to_choose_again(en, people, media):
    en.force_login(people["province"])

    response = en.post(
        reverse("proposals:create"),
        rec_data(
            title="KN",  # too short
            attachments=[upload("Báo cáo quý 3.pdf", pdf_bytes()), upload("b.docx", docx_bytes())],
        ),
    )

    assert response.status_code == 400
    note = choose_again(response)
    assert "Choose these files again: Báo cáo quý 3.pdf, b.docx." in note
    assert "does not keep chosen files" in note
    assert not Recommendation.objects.exists() and stored_files(media) == []


def test_a_refused_file_is_named_in_its_error_not_among_those_to_choose_again(en, people, media):
    en.force_login(people["province"])

    response = en.post(
        reverse("proposals:create"),
        rec_data(
            attachments=[
                upload("good.pdf", pdf_bytes()),
                upload("virus.pdf", NOT_ALLOWED["windows-program"]),
            ]
        ),
    )

    assert response.status_code == 400
    note = choose_again(response)
    assert "Choose this file again: good.pdf." in note and "virus" not in note
    assert "virus.pdf" in response.context["form"].errors["attachments"][0]


def test_no_note_without_an_error_or_without_files(en, people, media):
    en.force_login(people["province"])
    assert choose_again(en.get(reverse("proposals:create"))) == ""
    response = en.post(reverse("proposals:create"), rec_data(title="KN"))
    assert response.status_code == 400 and choose_again(response) == ""


def test_the_answer_form_names_the_files_to_choose_again(en, people, media):
    rec = bring_to(Status.ACCEPTED, people)
    en.force_login(people["officer"])

    response = en.post(
        reverse("proposals:answer", args=[rec.pk]),
        {"text": "", "version": 0, "attachments": [upload("Tra loi.pdf", pdf_bytes())]},
    )

    assert response.status_code == 400
    assert "Choose this file again: Tra loi.pdf." in choose_again(response)


def test_the_public_ask_form_names_the_files_to_choose_again(en, db, media):
    response = en.post(
        reverse("answers:ask"),
        {
            "sender_kind": "citizen",
            "name": "Nguyễn Văn A",
            "email": "not-an-address",
            "field": Field.objects.get(code="VT").pk,
            "title": "Sóng di động yếu ở xã vùng cao",
            "content": "Đề nghị Bộ chỉ đạo doanh nghiệp viễn thông phủ sóng thôn bản vùng cao.",
            "consent": "on",
            "attachments": [upload("anh-chup.pdf", pdf_bytes())],
        },
    )

    assert response.status_code == 400
    assert "Choose this file again: anh-chup.pdf." in choose_again(response)


def test_the_office_intake_form_names_the_files_to_choose_again(en, people, media):
    en.force_login(people["office"])

    response = en.post(
        reverse("proposals:intake"),
        {
            "received_via": "letter",
            "received_on": "",  # required
            "sender_kind": "citizen",
            "name": "Nguyễn Văn A",
            "field": Field.objects.get(code="VT").pk,
            "title": "Sóng di động yếu ở xã vùng cao",
            "content": "Đề nghị Bộ chỉ đạo doanh nghiệp viễn thông phủ sóng thôn bản vùng cao.",
            "attachments": [upload("Thu cua cong dan.pdf", pdf_bytes())],
        },
    )

    assert response.status_code == 400
    assert "Choose this file again: Thu cua cong dan.pdf." in choose_again(response)


def test_the_presentation_form_names_the_file_to_choose_again(en, people, media):
    BriefingSession.objects.create(year=2020, quarter=3, date=datetime.date(2020, 9, 7))
    en.force_login(people["office"])

    response = en.post(
        "/briefings/2020-q3/documents/",
        {"document-title": "", "document-file": upload("tham-luan.pdf", pdf_bytes())},
    )

    assert response.status_code == 400
    assert "Choose this file again: tham-luan.pdf." in choose_again(response)


# --- edit forms: the files attached, to remove or replace -------------------------------


def draft_with_files(people, *names) -> Recommendation:
    return bring_to(Status.DRAFT, people, files=[upload(name, pdf_bytes()) for name in names])


def edit(client, rec, **changes):
    return client.post(reverse("proposals:edit", args=[rec.pk]), rec_data(**changes))


def test_the_edit_form_lists_the_files_with_remove_and_replace(en, people, media):
    rec = draft_with_files(people, "Công văn 2719.pdf", "Phụ lục.pdf")
    first, second = rec.attachments.order_by("pk")
    en.force_login(people["province"])

    html = en.get(reverse("proposals:edit", args=[rec.pk])).content.decode()

    assert "Công văn 2719.pdf" in html and "Phụ lục.pdf" in html
    for attachment in (first, second):
        assert f'name="remove_files" value="{attachment.pk}"' in html
        assert f'type="file" name="replace-{attachment.pk}"' in html


def test_the_edit_form_costs_the_same_queries_for_one_file_or_ten(en, people, media):
    few = draft_with_files(people, "a.pdf")
    many = draft_with_files(people, *[f"{n}.pdf" for n in range(10)])
    en.force_login(people["province"])

    def page(rec):
        return count_queries(en, reverse("proposals:edit", args=[rec.pk]))

    assert page(few) == page(many)


def test_the_submitter_removes_a_file_and_the_history_says_so(
    en, people, media, django_capture_on_commit_callbacks
):
    rec = draft_with_files(people, "Cũ.pdf", "Giữ.pdf")
    old = rec.attachments.get(original_name="Cũ.pdf")
    en.force_login(people["province"])

    with django_capture_on_commit_callbacks(execute=True):
        response = edit(en, rec, remove_files=[old.pk])

    assert response.status_code == 302
    assert list(rec.attachments.values_list("original_name", flat=True)) == ["Giữ.pdf"]
    assert len(stored_files(media)) == 1
    with translation.override("en"):
        changes = [str(row["change"]) for row in selectors.change_history(rec)]
    assert changes[0] == "Files removed: Cũ.pdf"


def test_the_submitter_replaces_a_file_in_one_save(
    en, people, media, django_capture_on_commit_callbacks
):
    rec = draft_with_files(people, "Bản nháp.pdf")
    old = rec.attachments.get()
    en.force_login(people["province"])

    with django_capture_on_commit_callbacks(execute=True):
        response = edit(en, rec, **{f"replace-{old.pk}": upload("Bản ký.docx", docx_bytes())})

    assert response.status_code == 302
    new = rec.attachments.get()
    assert (new.original_name, new.extension) == ("Bản ký.docx", ".docx")
    assert not Attachment.objects.filter(pk=old.pk).exists()
    assert [p.suffix for p in stored_files(media)] == [".docx"]
    history = rec.history.order_by("-history_date").first()
    assert history.history_change_reason == "files|-Bản nháp.pdf|+Bản ký.docx"


def test_a_bad_replacement_changes_nothing_and_keeps_the_ticks(en, people, media):
    rec = draft_with_files(people, "a.pdf", "b.pdf")
    a, b = rec.attachments.order_by("pk")
    en.force_login(people["province"])

    response = edit(
        en,
        rec,
        title="KN",
        remove_files=[a.pk],
        **{f"replace-{b.pk}": upload("c.pdf", pdf_bytes())},
    )

    assert response.status_code == 400
    assert rec.attachments.count() == 2 and len(stored_files(media)) == 2
    html = response.content.decode()
    assert f'value="{a.pk}" id="remove-replace-{a.pk}" checked' in html
    assert "Choose the replacement again: c.pdf." in choose_again(response)

    refused = edit(en, rec, **{f"replace-{b.pk}": upload("x.pdf", NOT_ALLOWED["html"])})
    assert refused.status_code == 400
    assert "x.pdf" in " ".join(refused.context["form"].errors["attachments"])
    assert rec.attachments.count() == 2


def test_a_file_of_another_recommendation_cannot_be_removed_by_id(en, people, media):
    rec = draft_with_files(people, "a.pdf")
    other = draft_with_files(people, "khac.pdf")
    foreign = other.attachments.get()
    en.force_login(people["province"])

    for changes in (
        {"remove_files": [foreign.pk]},
        {f"replace-{foreign.pk}": upload("z.pdf", pdf_bytes())},
    ):
        assert edit(en, rec, **changes).status_code == 404

    assert other.attachments.get() == foreign
    assert rec.attachments.count() == 1 and len(stored_files(media)) == 2


@pytest.mark.parametrize("who", ["office", "other_province", "officer"])
def test_who_may_not_edit_cannot_remove(en, people, media, who):
    rec = bring_to(Status.SUBMITTED, people, files=[upload("a.pdf", pdf_bytes())])
    attachment = rec.attachments.get()
    en.force_login(people[who])

    response = edit(en, rec, remove_files=[attachment.pk])

    assert response.status_code in (403, 404)
    assert rec.attachments.get() == attachment


def test_a_submitted_recommendations_files_are_not_changed_by_the_service(people, media):
    rec = bring_to(Status.SUBMITTED, people, files=[upload("a.pdf", pdf_bytes())])
    with pytest.raises(recommendations.TransitionError):
        recommendations.recommendation_update(
            recommendation_id=rec.pk,
            actor=people["province"],
            title=rec.title,
            content=rec.content,
            field=rec.field,
            channel=rec.channel,
            period_year=2020,
            period_quarter=3,
            remove=[rec.attachments.get().pk],
        )
    assert rec.attachments.count() == 1


# --- the answer's files, and the published-files rule -----------------------------------


def answer_post(client, rec, **changes):
    answer = rec.answer
    answer.refresh_from_db()
    data = {"text": ANSWER_TEXT, "version": answer.version, "save": "1"}
    data.update(changes)
    return client.post(reverse("proposals:answer", args=[rec.pk]), data)


def published_with_file(people) -> Recommendation:
    rec = bring_to(Status.ACCEPTED, people)
    recommendations.answer_save(
        recommendation_id=rec.pk,
        actor=people["officer"],
        text=ANSWER_TEXT,
        version=0,
        files=[upload("Tra loi.pdf", pdf_bytes())],
        send_to_leader=True,
    )
    recommendations.recommendation_act(
        recommendation_id=rec.pk, actor=people["leader"], action="approve"
    )
    publishing.answer_publish(recommendation_id=rec.pk)
    return rec


def public_file_names(client, rec) -> str:
    return client.get(reverse("answers:detail", args=[rec.code])).content.decode()


def test_the_unit_lists_removes_and_replaces_its_answer_files(en, people, media):
    rec = bring_to(Status.ACCEPTED, people)
    recommendations.answer_save(
        recommendation_id=rec.pk,
        actor=people["officer"],
        text=ANSWER_TEXT,
        version=0,
        files=[upload("a.pdf", pdf_bytes()), upload("b.pdf", pdf_bytes())],
    )
    a, b = rec.attachments.order_by("pk")
    en.force_login(people["officer"])
    html = en.get(reverse("proposals:answer", args=[rec.pk])).content.decode()
    assert f'name="replace-{a.pk}"' in html and f'value="{b.pk}"' in html

    response = answer_post(
        en, rec, remove_files=[a.pk], **{f"replace-{b.pk}": upload("c.docx", docx_bytes())}
    )

    assert response.status_code == 302
    assert list(rec.attachments.values_list("original_name", flat=True)) == ["c.docx"]
    assert rec.answer.history.first().history_change_reason == "files|-a.pdf|-b.pdf|+c.docx"


def test_the_province_cannot_remove_an_answer_file(en, people, media):
    rec = published_with_file(people)
    recommendations.recommendation_act(
        recommendation_id=rec.pk, actor=people["office"], action="revise", note="Bổ sung"
    )
    attachment = rec.attachments.get()
    for who in ("province", "other_officer"):
        en.force_login(people[who])
        assert answer_post(en, rec, remove_files=[attachment.pk]).status_code in (403, 404)
    assert Attachment.objects.get(pk=attachment.pk).removed_at is None


def test_a_published_file_removed_in_a_revision_stays_public_until_it_is_published(
    en, people, media, django_capture_on_commit_callbacks
):
    rec = published_with_file(people)
    old = rec.attachments.get()
    recommendations.recommendation_act(
        recommendation_id=rec.pk, actor=people["office"], action="revise", note="Bổ sung"
    )
    en.force_login(people["officer"])

    response = answer_post(en, rec, **{f"replace-{old.pk}": upload("Moi.pdf", pdf_bytes())})

    assert response.status_code == 302
    # The draft has the new file only; the public page keeps the published one.
    form_html = en.get(reverse("proposals:answer", args=[rec.pk])).content.decode()
    assert "Moi.pdf" in form_html and "Tra loi.pdf" not in form_html
    staff = listed_files(en.get(reverse("proposals:detail", args=[rec.pk])))
    assert staff == ["Moi.pdf"]
    en.logout()
    public = public_file_names(en, rec)
    assert "Tra loi.pdf" in public and "Moi.pdf" not in public
    assert en.get(reverse("answers:file", args=[rec.code, old.pk])).status_code == 200
    en.force_login(people["province"])  # the department reads the published version
    province = listed_files(en.get(reverse("proposals:detail", args=[rec.pk])))
    assert province == ["Tra loi.pdf"]

    answer = rec.answer
    answer.refresh_from_db()
    recommendations.answer_save(
        recommendation_id=rec.pk,
        actor=people["officer"],
        text=ANSWER_TEXT,
        version=answer.version,
        send_to_leader=True,
    )
    recommendations.recommendation_act(
        recommendation_id=rec.pk, actor=people["leader"], action="approve"
    )
    with django_capture_on_commit_callbacks(execute=True):
        publishing.answer_publish(recommendation_id=rec.pk)
    en.logout()

    public = public_file_names(en, rec)
    assert "Moi.pdf" in public and "Tra loi.pdf" not in public
    assert not Attachment.objects.filter(pk=old.pk).exists()
    assert [p.name for p in stored_files(media)] == [
        rec.attachments.get().file.name.rsplit("/", 1)[1]
    ]


def test_an_unpublished_file_removed_in_a_revision_is_deleted_at_once(people, media):
    rec = published_with_file(people)
    revise_answer(people, rec, files=[upload("Nhap.pdf", pdf_bytes())])
    draft = rec.attachments.get(original_name="Nhap.pdf")

    with pytest.raises(Attachment.DoesNotExist):
        attachments_change(
            rec=rec, actor=people["officer"], part=Attachment.Part.RECOMMENDATION, remove=[draft.pk]
        )
    attachments_change(
        rec=rec, actor=people["officer"], part=Attachment.Part.ANSWER, remove=[draft.pk]
    )

    assert not Attachment.objects.filter(pk=draft.pk).exists()
    assert rec.attachments.get().removed_at is None  # the published one is untouched


def test_removed_published_files_do_not_count_against_the_limit(people, media):
    rec = published_with_file(people)
    recommendations.recommendation_act(
        recommendation_id=rec.pk, actor=people["office"], action="revise", note="Bổ sung"
    )
    old = rec.attachments.get()
    attachments_change(
        rec=rec,
        actor=people["officer"],
        part=Attachment.Part.ANSWER,
        files=[upload(f"{n}.pdf", pdf_bytes()) for n in range(9)],
        replace={old.pk: upload("moi.pdf", pdf_bytes())},
    )
    assert rec.attachments.filter(removed_at__isnull=True).count() == 10
    assert timezone.now() >= Attachment.objects.get(pk=old.pk).removed_at
