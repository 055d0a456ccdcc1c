"""The Ministry Office prepares a briefing: session, presentations, conclusions and
their tasks. Everyone else gets 403 (signed in) or the sign-in page."""

import datetime
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from briefing.models.organisations import Organisation, RoleCode
from briefing.models.sessions import BriefingDocument, BriefingSession, Conclusion, FollowUpTask
from proposals import attachments
from proposals.models import Status
from tests.conftest import count_queries
from tests.proposals.conftest import bring_to, make_people

EDIT = "/briefings/2020-q3/edit/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def session(db):
    return BriefingSession.objects.create(year=2020, quarter=3, date=datetime.date(2020, 9, 7))


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def office(signed_in):
    return signed_in(RoleCode.OFFICE_COORDINATOR)


def _pptx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("[Content_Types].xml", "ppt/presentation.xml"):
            archive.writestr(zipfile.ZipInfo(name, (2020, 9, 7, 8, 0, 0)), "<x/>")
    return buffer.getvalue()


def test_the_office_creates_a_briefing_and_a_second_one_for_the_quarter_is_refused(client, office):
    data = {
        "year": "2020",
        "quarter": "3",
        "title": "Giao ban Quý III/2020",
        "date": "2020-09-07",
        "form": "online",
        "bridge_points": "63",
        "chair": "Bộ trưởng",
    }
    response = client.post("/briefings/new/", data)
    assert response.status_code == 302 and response["Location"] == EDIT
    session = BriefingSession.objects.get()
    assert (session.bridge_points, session.chair) == (63, "Bộ trưởng")

    again = client.post("/briefings/new/", data | {"title": "Bản trùng"})
    assert again.status_code == 400
    assert again.context["form"].errors["quarter"] == ["Đã có hội nghị giao ban của quý 3/2020."]
    assert 'value="Bản trùng"' in again.content.decode()
    assert BriefingSession.objects.count() == 1


def test_a_bad_edit_keeps_the_input_and_changes_nothing(client, office, session):
    response = client.post(
        EDIT, {"title": "Tiêu đề mới", "form": "online", "bridge_points": "-1", "date": "x"}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"bridge_points", "date"}
    assert 'value="Tiêu đề mới"' in response.content.decode()
    session.refresh_from_db()
    assert session.title == "" and session.bridge_points == 0


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_date_out_of_any_sensible_range_is_refused_next_to_the_field(
    client, office, session, day
):
    response = client.post(EDIT, {"title": "Giao ban quý III", "form": "online", "date": day})
    assert response.status_code == 400
    assert "Chọn một ngày từ 01/01/2000 đến" in response.context["form"].errors["date"][0]
    session.refresh_from_db()
    assert session.title == "" and session.date == datetime.date(2020, 9, 7)


@pytest.mark.parametrize("deadline", ["2020-12-31", "9999-12-31"], ids=["past", "year-9999"])
def test_a_task_deadline_in_the_past_or_far_future_is_refused(client, office, session, deadline):
    conclusion = Conclusion.objects.create(session=session, number=1, text="Kết luận")
    response = client.post(
        "/briefings/2020-q3/tasks/",
        {
            "task-conclusion": conclusion.pk,
            "task-text": "Báo cáo tiến độ LGSP",
            "task-assignees": [Organisation.objects.get(code="T63-37").pk],
            "task-deadline": deadline,
        },
    )
    assert response.status_code == 400
    assert "Chọn một ngày từ" in response.context["task_form"].errors["deadline"][0]
    assert "Báo cáo tiến độ LGSP" in response.content.decode()
    assert not FollowUpTask.objects.exists()


def test_participants_are_checkboxes_grouped_by_kind_and_a_refusal_keeps_the_ticks(
    client, office, session
):
    html = client.get(EDIT).content.decode()
    groups = re.findall(r"<legend class=\"fs-6 fw-semibold mb-1\">([^<]+?)\s*<button", html)
    assert groups == ["Đơn vị thuộc Bộ", "Sở cấp tỉnh", "Bộ, cơ quan trung ương"]
    # One checkbox per organisation that existed on the day of the session (the ministry
    # itself takes part through its units).
    existing = Organisation.objects.valid_on(session.date).exclude(kind="ministry").count()
    assert html.count('type="checkbox" name="participants"') == existing

    ninh_binh = Organisation.objects.get(code="T63-37")
    gone = Organisation.objects.get(code="T34-37")  # Ninh Bình after 1 July 2025
    response = client.post(
        EDIT,
        {
            "title": "Giao ban",
            "form": "online",
            "bridge_points": "63",
            "date": "2020-09-07",
            "participants": [ninh_binh.pk, gone.pk],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "participants" in response.context["form"].errors
    errors = page.index('id="id_participants_errors"')
    assert "không tồn tại vào ngày họp giao ban" in page[errors : errors + 400]
    assert re.search(rf'value="{ninh_binh.pk}" id="[^"]+" checked', page)
    session.refresh_from_db()
    assert not session.participants.exists() and session.title == ""


@pytest.mark.parametrize("role", [RoleCode.UNIT_OFFICER, RoleCode.PROVINCE_OFFICER])
def test_only_the_office_prepares_briefings(client, signed_in, session, role, media):
    signed_in(role)
    conclusion = Conclusion.objects.create(session=session, number=1, text="Kết luận")
    document = BriefingDocument.objects.create(session=session, title="Tham luận")
    assert client.get("/briefings/new/").status_code == 403
    assert client.get(EDIT).status_code == 403
    posts = {
        "/briefings/2020-q3/documents/": {"document-title": "x"},
        f"/briefings/2020-q3/documents/{document.pk}/delete/": {},
        "/briefings/2020-q3/conclusions/": {"conclusion-text": "x"},
        "/briefings/2020-q3/tasks/": {"task-conclusion": conclusion.pk, "task-text": "x"},
    }
    posts |= {
        "/briefings/new/": {"year": "2020", "quarter": "4", "title": "x", "form": "online"},
        EDIT: {"title": "Tiêu đề mới", "form": "online"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    assert BriefingDocument.objects.count() == 1 and Conclusion.objects.count() == 1
    assert not FollowUpTask.objects.exists() and BriefingSession.objects.count() == 1
    session.refresh_from_db()
    assert session.title == ""
    assert not (media.exists() and any(p.is_file() for p in media.rglob("*")))
    client.logout()
    assert client.get(EDIT)["Location"].startswith("/accounts/login/")


def test_a_presentation_that_unpacks_huge_is_refused_next_to_the_field(
    client, office, session, media, monkeypatch
):
    monkeypatch.setattr(attachments, "MAX_UNPACKED_BYTES", 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("ppt/presentation.xml", "<x/>")
        archive.writestr("ppt/media/image1.bin", b"\0" * (2 * 1024 * 1024))
    assert len(buffer.getvalue()) < 10 * 1024
    response = client.post(
        "/briefings/2020-q3/documents/",
        {
            "document-title": "Tham luận của Sở TT&TT Ninh Bình",
            "document-presenter": Organisation.objects.get(code="T63-37").pk,
            "document-file": SimpleUploadedFile("tham-luan.pptx", buffer.getvalue()),
        },
    )
    assert response.status_code == 400
    [message] = response.context["document_form"].errors["file"]
    assert "“tham-luan.pptx” giải nén ra hơn 1,0" in message
    assert "Tham luận của Sở TT&amp;TT Ninh Bình" in response.content.decode()
    assert not BriefingDocument.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_presentations_are_uploaded_listed_downloaded_and_removed(
    client, office, session, media, django_capture_on_commit_callbacks
):
    response = client.post(
        "/briefings/2020-q3/documents/",
        {
            "document-title": "Tham luận của Sở TT&TT Ninh Bình",
            "document-presenter": Organisation.objects.get(code="T63-37").pk,
            "document-file": SimpleUploadedFile("tham-luan.pptx", _pptx()),
        },
    )
    assert response.status_code == 302
    document = BriefingDocument.objects.get()
    assert document.file.name.endswith(".pptx") and "tham-luan" not in document.file.name

    page = client.get("/briefings/2020-q3/").content.decode()
    link = f"/briefings/2020-q3/documents/{document.pk}/"
    assert link in page and "Sở TT&amp;TT Ninh Bình" in page
    client.logout()  # the briefing page is public, and so are its presentations
    download = client.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == _pptx()
    assert 'filename="tham-luan.pptx"' in download["Content-Disposition"]
    # Another quarter's address does not reach it.
    BriefingSession.objects.create(year=2020, quarter=4)
    assert client.get(f"/briefings/2020-q4/documents/{document.pk}/").status_code == 404

    client.force_login(office)
    stored = media / document.file.name
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/briefings/2020-q3/documents/{document.pk}/delete/")
    assert response.status_code == 302
    assert not BriefingDocument.objects.exists() and not stored.exists()


def test_a_file_that_is_not_a_presentation_is_refused(client, office, session, media):
    response = client.post(
        "/briefings/2020-q3/documents/",
        {
            "document-title": "Tham luận",
            "document-file": SimpleUploadedFile("tham-luan.pptx", b"MZ\x90\x00 not a presentation"),
        },
    )
    assert response.status_code == 400
    errors = response.context["document_form"].errors
    assert "PDF, PPT, PPTX" in errors["file"][0] and "tham-luan.pptx" in errors["file"][0]
    assert 'value="Tham luận"' in response.content.decode()
    assert not BriefingDocument.objects.exists()
    assert not (media.exists() and any(p.is_file() for p in media.rglob("*")))


def test_a_pdf_presentation_downloads_with_its_real_extension(client, office, session, media):
    client.post(
        "/briefings/2020-q3/documents/",
        {"document-title": "Báo cáo", "document-file": SimpleUploadedFile("bao-cao.html", PDF)},
    )
    document = BriefingDocument.objects.get()
    download = client.get(f"/briefings/2020-q3/documents/{document.pk}/")
    assert 'filename="bao-cao.pdf"' in download["Content-Disposition"]


def test_conclusions_are_numbered_and_tasks_assigned(client, office, session):
    for text in ("Các Sở hoàn thành LGSP.", "Đẩy mạnh dịch vụ công trực tuyến."):
        assert (
            client.post("/briefings/2020-q3/conclusions/", {"conclusion-text": text}).status_code
            == 302
        )
    first, second = Conclusion.objects.order_by("number")
    assert (first.number, second.number) == (1, 2)

    ninh_binh, hai_duong = Organisation.objects.filter(code__in=["T63-37", "T63-30"])
    missing = client.post(
        "/briefings/2020-q3/tasks/",
        {
            "task-conclusion": second.pk,
            "task-text": "Báo cáo tiến độ",
            "task-deadline": "2030-12-31",
        },
    )
    assert missing.status_code == 400
    assert "assignees" in missing.context["task_form"].errors
    assert "Báo cáo tiến độ" in missing.content.decode()
    assert not FollowUpTask.objects.exists()

    response = client.post(
        "/briefings/2020-q3/tasks/",
        {
            "task-conclusion": second.pk,
            "task-text": "Báo cáo tiến độ",
            "task-assignees": [ninh_binh.pk, hai_duong.pk],
            "task-deadline": "2030-12-31",
        },
    )
    assert response.status_code == 302
    task = FollowUpTask.objects.get()
    assert task.conclusion == second and task.deadline == datetime.date(2030, 12, 31)
    assert set(task.assignees.all()) == {ninh_binh, hai_duong}
    assert f'data-task="{task.pk}"' in client.get("/briefings/2020-q3/").content.decode()


def test_a_task_cannot_go_to_another_briefings_conclusion(client, office, session):
    other = BriefingSession.objects.create(year=2020, quarter=4)
    foreign = Conclusion.objects.create(session=other, number=1, text="Kết luận quý IV")
    response = client.post(
        "/briefings/2020-q3/tasks/",
        {
            "task-conclusion": foreign.pk,
            "task-text": "Nhiệm vụ",
            "task-assignees": [Organisation.objects.get(code="T63-37").pk],
        },
    )
    assert response.status_code == 400
    assert "conclusion" in response.context["task_form"].errors
    assert not FollowUpTask.objects.exists()


def test_the_edit_page_has_every_form_with_distinct_ids(client, office, session):
    Conclusion.objects.create(session=session, number=1, text="Kết luận")
    html = client.get(EDIT).content.decode()
    assert "Chuẩn bị hội nghị giao ban Quý III/2020" in html
    for name in ("title", "document-title", "conclusion-text", "task-text", "task-assignees"):
        assert f'name="{name}"' in html, name
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_the_edit_page_of_a_missing_briefing_is_404(client, office):
    assert client.get("/briefings/2031-q1/edit/").status_code == 404


def test_the_briefing_page_lists_the_recommendations_sent_to_it(client, people, session):
    published = bring_to(Status.PUBLISHED, people, title="Hướng dẫn kết nối LGSP")
    waiting = bring_to(Status.ACCEPTED, people, title="Đề nghị chưa trả lời")
    draft = bring_to(Status.DRAFT, people, title="Bản nháp của Sở")
    elsewhere = bring_to(Status.PUBLISHED, people, period_quarter=2)

    public = client.get("/briefings/2020-q3/").content.decode()
    assert f'data-sent="{published.code}"' in public
    assert f'href="/answers/{published.code}/"' in public
    for hidden in (waiting, draft, elsewhere):
        assert f'data-sent="{hidden.code}"' not in public

    client.force_login(people["office"])
    office = client.get("/briefings/2020-q3/").content.decode()
    assert f'data-sent="{waiting.code}"' in office
    assert f'href="/proposals/{waiting.pk}/"' in office
    assert (
        f'data-sent="{draft.code}"' not in office and f'data-sent="{elsewhere.code}"' not in office
    )


def test_the_briefing_page_queries_do_not_grow_with_the_recommendations(client, people, session):
    bring_to(Status.PUBLISHED, people)
    few = count_queries(client, "/briefings/2020-q3/")
    for n in range(5):
        bring_to(Status.PUBLISHED, people, title=f"Kiến nghị số {n}")
    assert count_queries(client, "/briefings/2020-q3/") == few
