"""Attachments: the type is read from the content, never from the name; files are stored
under generated names and only those who may open the recommendation can download them."""

import base64
import io
import re
import struct
import uuid
import zipfile
import zlib
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from briefing.models.organisations import RoleCode
from proposals import attachments
from proposals.attachments import DOC, DOCX, JPEG, PDF, PNG, XLS, XLSX
from proposals.models import Answer, Attachment, CodeSequence, Field, Recommendation, Status
from proposals.services import publishing, recommendations
from tests.conftest import make_user
from tests.proposals.conftest import bring_to, revise_answer

CREATE_URL = reverse("proposals:create")

# --- real, minimal files of each allowed kind -------------------------------------------


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n"
        b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    # A 1x1 JFIF image (`file` reports "JPEG image data, JFIF standard 1.01 ... 1x1").
    return (
        base64.b64decode(
            "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////"
            "////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAA"
            "AAAAAP/aAAgBAQABPxA="
        )
        + b"\xff\xd9"
    )


def _entry(name: str) -> zipfile.ZipInfo:
    # A fixed time stamp and method: the same files give the same bytes whenever built.
    return zipfile.ZipInfo(name, date_time=(2020, 9, 7, 8, 0, 0))


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            _entry("[Content_Types].xml"),
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            _entry("_rels/.rels"),
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>",
        )
        archive.writestr(
            _entry("word/document.xml"),
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Công văn số 2719</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Chỉ tiêu", "Số liệu"])
    workbook.active.append(["Xã có cáp quang", 112])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ole2_bytes(stream: str = "WordDocument") -> bytes:
    """A minimal compound file (the container of Word/Excel 97-2003, and of .msi
    installers) holding one 4 KiB stream named `stream`.

    Layout, 512-byte sectors: header, sector 0 = FAT, sector 1 = directory,
    sectors 2-9 = the stream.
    """
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\x00" * 16,
        0x3E,  # minor version
        3,  # major version: 512-byte sectors
        0xFFFE,  # byte order
        9,  # sector shift
        6,  # mini sector shift
        b"\x00" * 6,
        0,  # directory sectors (0 for version 3)
        1,  # FAT sectors
        1,  # first directory sector
        0,  # transaction signature
        4096,  # mini stream cutoff
        end,  # first mini FAT sector
        0,  # mini FAT sectors
        end,  # first DIFAT sector
        0,  # DIFAT sectors
    )
    header += struct.pack("<109I", 0, *([free] * 108))
    fat = [fat_sector, end, 3, 4, 5, 6, 7, 8, 9, end] + [free] * 118
    fat_bytes = struct.pack("<128I", *fat)

    def entry(name, kind, child, start, size):
        encoded = (name + "\x00").encode("utf-16-le") if name else b""
        return struct.pack(
            "<64sHBBIII16sIQQIQ",
            encoded.ljust(64, b"\x00"),
            len(encoded),
            kind,
            1,  # black
            no_stream,
            no_stream,
            child,
            b"\x00" * 16,
            0,
            0,
            0,
            start,
            size,
        )

    directory = (
        entry("Root Entry", 5, 1, end, 0)
        + entry(stream, 2, no_stream, 2, 4096)
        + entry("", 0, no_stream, 0, 0) * 2
    )
    return header + fat_bytes + directory + b"\x42" * 4096


def zip_of(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(_entry(name), data)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


NOT_ALLOWED = {
    "windows-program": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200,
    "linux-program": b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200,
    "html": b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "shell-script": b"#!/bin/sh\nrm -rf ~\n",
    "plain-zip": zip_of({"bao-cao.txt": "Báo cáo", "setup.exe": b"MZ"}),
    "powerpoint-zip": zip_of(
        {"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p:presentation/>"}
    ),
    "broken-zip": b"PK\x03\x04" + b"\x00" * 100,
    "empty": b"",
    "pdf-later-in-file": b"junk" + pdf_bytes(),
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


# --- sniff and validate_attachment ----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("Báo cáo quý 3.pdf", pdf_bytes, PDF),
        ("anh-chup.png", png_bytes, PNG),
        ("anh-chup.jpg", jpeg_bytes, JPEG),
        ("cong-van.docx", docx_bytes, DOCX),
        ("so-lieu.xlsx", xlsx_bytes, XLSX),
        ("cong-van-cu.doc", ole2_bytes, DOC),
        ("so-lieu-cu.xls", lambda: ole2_bytes("Workbook"), XLS),
        ("SO-LIEU-CU.XLS", lambda: ole2_bytes("Book"), XLS),
    ],
)
def test_it_recognises_each_allowed_kind_by_its_content(name, make, kind):
    content = make()
    uploaded = upload(name, content)

    assert attachments.sniff(uploaded) == kind
    assert attachments.validate_attachment(uploaded) == kind
    # The file is left at its start, ready to be stored whole.
    assert uploaded.read() == content


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("scan.pdf", png_bytes, PNG),
        ("bao-cao.png", pdf_bytes, PDF),
        ("so-lieu.docx", xlsx_bytes, XLSX),
        ("cong-van.xlsx", docx_bytes, DOCX),
        ("anh", jpeg_bytes, JPEG),
    ],
)
def test_the_content_decides_the_kind_not_the_name(name, make, kind):
    assert attachments.validate_attachment(upload(name, make())) == kind


@pytest.mark.parametrize("content", NOT_ALLOWED.values(), ids=NOT_ALLOWED.keys())
def test_it_rejects_content_that_is_not_allowed_even_named_pdf(content):
    uploaded = upload("report.pdf", content, "application/pdf")

    assert attachments.sniff(uploaded) not in attachments.ATTACHMENT_KINDS
    with pytest.raises(ValidationError) as caught:
        attachments.validate_attachment(uploaded)
    [message] = caught.value.messages
    assert "report.pdf" in message
    assert attachments.ALLOWED_DESCRIPTION in message


def test_it_rejects_an_installer_package_in_an_ole2_container():
    # An .msi is a compound file too, but has no Word or Excel stream.
    with pytest.raises(ValidationError):
        attachments.validate_attachment(upload("setup.msi", ole2_bytes("\x05SummaryInformation")))


def test_powerpoint_is_a_presentation_not_an_attachment():
    """Briefing presentations may be PowerPoint; recommendations and answers may not."""
    files = {
        attachments.PPT: ole2_bytes("PowerPoint Document"),
        attachments.PPTX: NOT_ALLOWED["powerpoint-zip"],
    }
    for kind, content in files.items():
        uploaded = upload("tham-luan.bin", content)
        assert attachments.validate_attachment(uploaded, attachments.PRESENTATION_KINDS) == kind
        with pytest.raises(ValidationError):
            attachments.validate_attachment(uploaded)
    with pytest.raises(ValidationError):
        attachments.validate_attachment(
            upload("setup.msi", ole2_bytes("\x05SummaryInformation")),
            attachments.PRESENTATION_KINDS,
        )


def test_it_rejects_a_bare_ole2_header():
    header_only = ole2_bytes()[:512]
    with pytest.raises(ValidationError):
        attachments.validate_attachment(upload("cong-van.doc", header_only))


def test_it_rejects_a_file_over_20_mb():
    uploaded = upload("Ban do so hoa.pdf", pdf_bytes())
    uploaded.size = 20 * 1024 * 1024 + 1

    with pytest.raises(ValidationError) as caught:
        attachments.validate_attachment(uploaded)
    [message] = caught.value.messages
    assert "Ban do so hoa.pdf" in message


def test_a_file_of_exactly_20_mb_is_accepted():
    uploaded = upload("Ban do so hoa.pdf", pdf_bytes())
    uploaded.size = 20 * 1024 * 1024

    assert attachments.validate_attachment(uploaded) == PDF


def test_the_size_limit_comes_before_the_content_check(monkeypatch):
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 10)
    big_pdf = upload("bao-cao.pdf", pdf_bytes())

    with pytest.raises(ValidationError) as caught:
        attachments.validate_attachment(big_pdf)
    assert attachments.ALLOWED_DESCRIPTION not in caught.value.messages[0]


# --- through the create view ----------------------------------------------------------


def post_new(client, files, *, title="Đề nghị hướng dẫn kết nối nền tảng LGSP", submit=True):
    data = {
        "title": title,
        "content": "Sở đề nghị Bộ hướng dẫn kết nối nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh.",
        "field": Field.objects.get(code="CNTT").pk,
        "channel": "briefing",
        "quarter": "2020-3",
        "submission_key": str(uuid.uuid4()),
        "attachments": files,
    }
    if submit:
        data["submit"] = "1"
    return client.post(CREATE_URL, data)


def attachment_errors_html(response) -> list[str]:
    return re.findall(
        r'id="error_\d+_id_attachments"><strong>(.*?)</strong>', response.content.decode(), re.S
    )


def assert_nothing_saved(media_root):
    assert Recommendation.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert not CodeSequence.objects.filter(last__gt=0).exists()
    assert stored_files(media_root) == []


def test_a_good_attachment_is_stored_under_a_generated_name(client, people, media):
    client.force_login(people["province"])
    content = pdf_bytes()

    response = post_new(client, [upload("Công văn số 2719 (bản ký).pdf", content)])

    rec = Recommendation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("proposals:detail", args=[rec.pk])
    attachment = rec.attachments.get()
    assert attachment.original_name == "Công văn số 2719 (bản ký).pdf"
    assert attachment.part == Attachment.Part.RECOMMENDATION
    assert (attachment.extension, attachment.content_type) == (".pdf", "application/pdf")
    assert attachment.size == len(content)
    assert attachment.uploaded_by == people["province"]
    assert re.fullmatch(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", attachment.file.name)
    [on_disk] = stored_files(media)
    assert on_disk == media / attachment.file.name
    assert on_disk.read_bytes() == content
    assert "2719" not in on_disk.name


def test_a_png_named_pdf_is_kept_as_a_png(client, people, media):
    client.force_login(people["province"])

    post_new(client, [upload("scan.pdf", png_bytes(), "application/pdf")])

    attachment = Attachment.objects.get()
    assert attachment.original_name == "scan.pdf"
    assert (attachment.extension, attachment.content_type) == (".png", "image/png")
    assert attachment.file.name.endswith(".png")
    [on_disk] = stored_files(media)
    assert on_disk.suffix == ".png"


def test_several_attachments_are_stored_each_by_its_own_kind(client, people, media):
    client.force_login(people["province"])
    files = [
        upload("a.pdf", pdf_bytes()),
        upload("b.docx", docx_bytes()),
        upload("c.xlsx", xlsx_bytes()),
        upload("d.jpg", jpeg_bytes()),
    ]

    response = post_new(client, files)

    assert response.status_code == 302
    stored = Attachment.objects.order_by("original_name")
    assert [a.extension for a in stored] == [".pdf", ".docx", ".xlsx", ".jpg"]
    assert len({a.file.name for a in stored}) == 4
    assert len(stored_files(media)) == 4


@pytest.mark.parametrize("bad", ["windows-program", "html", "plain-zip"])
def test_a_bad_attachment_saves_nothing_and_keeps_the_form(client, people, media, bad):
    client.force_login(people["province"])
    title = "Kiến nghị có tệp đính kèm sai"

    response = post_new(client, [upload("report.pdf", NOT_ALLOWED[bad])], title=title)

    assert response.status_code == 400
    assert_nothing_saved(media)
    [error] = response.context["form"].errors["attachments"]
    assert "report.pdf" in error
    [shown] = attachment_errors_html(response)
    # As in locale/vi/LC_MESSAGES/django.po: the page speaks Vietnamese.
    assert shown.startswith("Tệp “report.pdf” không thuộc loại được phép.")
    assert attachments.ALLOWED_DESCRIPTION in shown
    html = response.content.decode()
    assert re.search(rf'name="title"[^>]*value="{title}"', html)


def test_one_bad_file_among_good_ones_saves_nothing(client, people, media):
    client.force_login(people["province"])
    files = [
        upload("cong-van.pdf", pdf_bytes()),
        upload("report.pdf", NOT_ALLOWED["windows-program"]),
        upload("anh.png", png_bytes()),
    ]

    response = post_new(client, files)

    assert response.status_code == 400
    assert_nothing_saved(media)
    assert len(response.context["form"].errors["attachments"]) == 1


def test_each_bad_file_is_named_in_its_own_error(client, people, media):
    client.force_login(people["province"])
    files = [upload("mot.pdf", NOT_ALLOWED["html"]), upload("hai.docx", NOT_ALLOWED["plain-zip"])]

    response = post_new(client, files)

    assert_nothing_saved(media)
    errors = response.context["form"].errors["attachments"]
    assert len(errors) == 2
    assert "mot.pdf" in errors[0]
    assert "hai.docx" in errors[1]


def test_a_file_over_the_limit_is_refused_next_to_the_field(client, people, media, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 100)
    client.force_login(people["province"])
    big = pdf_bytes() + b"%" * 200

    response = post_new(client, [upload("ban-do.pdf", big)])

    assert response.status_code == 400
    assert_nothing_saved(media)
    [shown] = attachment_errors_html(response)
    assert "ban-do.pdf" in shown


def test_more_than_ten_attachments_saves_nothing(client, people, media):
    client.force_login(people["province"])
    files = [upload(f"trang-{i}.pdf", pdf_bytes()) for i in range(attachments.MAX_ATTACHMENTS + 1)]

    response = post_new(client, files)

    assert response.status_code == 400
    assert_nothing_saved(media)
    assert response.context["form"].non_field_errors()


# --- downloading ----------------------------------------------------------------------


def pdf_upload(name="Công văn 2719.pdf"):
    return upload(name, pdf_bytes())


def download(client, attachment):
    return client.get(reverse("proposals:attachment", args=[attachment.pk]))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def assert_downloads(response, name, content_type="application/pdf", content=None):
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert (f'filename="{name}"' in disposition) or (
        f"filename*=utf-8''{quote(name)}" in disposition
    )
    assert response["Content-Type"] == content_type
    assert body(response) == (content if content is not None else pdf_bytes())


@pytest.mark.parametrize("who", ["province", "province_leader", "office"])
def test_the_submitters_and_the_office_download_a_submitted_attachment(client, people, who):
    rec = bring_to(Status.SUBMITTED, people, files=[pdf_upload()])
    client.force_login(people[who])

    assert_downloads(download(client, rec.attachments.get()), "Công văn 2719.pdf")


def test_the_original_ascii_name_is_given_plainly(client, people):
    rec = bring_to(Status.SUBMITTED, people, files=[pdf_upload("cong-van-2719.pdf")])
    client.force_login(people["province"])

    response = download(client, rec.attachments.get())

    assert 'filename="cong-van-2719.pdf"' in response["Content-Disposition"]


def test_a_png_named_pdf_downloads_as_an_image(client, people):
    rec = bring_to(Status.SUBMITTED, people, files=[upload("scan.pdf", png_bytes())])
    client.force_login(people["office"])

    assert_downloads(download(client, rec.attachments.get()), "scan.png", "image/png", png_bytes())


@pytest.mark.parametrize("who", ["officer", "leader", "cooperating"])
def test_the_assigned_units_download_after_assignment(client, people, who):
    rec = bring_to(Status.ACCEPTED, people, files=[pdf_upload()])
    user = (
        make_user(RoleCode.UNIT_OFFICER, username="t-cuc-attt", org_code="CUC-ATTT")
        if who == "cooperating"
        else people[who]
    )
    client.force_login(user)

    assert_downloads(download(client, rec.attachments.get()), "Công văn 2719.pdf")


def test_the_unit_cannot_download_before_assignment(client, people):
    rec = bring_to(Status.SUBMITTED, people, files=[pdf_upload()])
    client.force_login(people["officer"])

    assert download(client, rec.attachments.get()).status_code == 404


@pytest.mark.parametrize("who", ["other_province", "other_officer", "other_leader"])
def test_other_organisations_get_404(client, people, who):
    rec = bring_to(Status.ACCEPTED, people, files=[pdf_upload()])
    client.force_login(people[who])

    assert download(client, rec.attachments.get()).status_code == 404


def test_an_unknown_attachment_is_404(client, people):
    client.force_login(people["office"])

    assert client.get(reverse("proposals:attachment", args=[999999])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, people):
    rec = bring_to(Status.SUBMITTED, people, files=[pdf_upload()])

    response = download(client, rec.attachments.get())

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_file_whose_name_disagrees_with_its_content_downloads_with_its_real_extension(
    client, people
):
    polyglot = pdf_bytes() + b"<html><script>alert(document.cookie)</script></html>"
    rec = bring_to(Status.SUBMITTED, people, files=[upload("page.html", polyglot)])
    client.force_login(people["office"])

    response = download(client, rec.attachments.get())

    assert response.status_code == 200
    assert ".html" not in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('.pdf"')


# --- answer attachments ---------------------------------------------------------------


def answer_with_file(people, *, send_to_leader=True) -> Attachment:
    rec = bring_to(Status.ACCEPTED, people, files=[pdf_upload("De nghi cua So.pdf")])
    recommendations.answer_save(
        recommendation_id=rec.pk,
        actor=people["officer"],
        text="Cục Tin học hóa trả lời: Bộ đã ban hành hướng dẫn tại văn bản số 2719.",
        version=0,
        files=[upload("Tra loi cua Cuc.docx", docx_bytes())],
        send_to_leader=send_to_leader,
    )
    return Attachment.objects.get(part=Attachment.Part.ANSWER)


@pytest.mark.parametrize("send_to_leader", [False, True], ids=["draft", "awaiting-leader"])
@pytest.mark.parametrize("who", ["province", "province_leader"])
def test_the_submitters_cannot_download_an_answer_file_before_approval(
    client, people, who, send_to_leader
):
    attachment = answer_with_file(people, send_to_leader=send_to_leader)
    client.force_login(people[who])

    assert download(client, attachment).status_code == 404
    # Their own file on the same recommendation is still theirs to download.
    own = attachment.recommendation.attachments.get(part=Attachment.Part.RECOMMENDATION)
    assert download(client, own).status_code == 200


@pytest.mark.parametrize("who", ["office", "officer", "leader"])
def test_the_ministry_downloads_an_answer_file_before_approval(client, people, who):
    attachment = answer_with_file(people)
    client.force_login(people[who])

    assert_downloads(
        download(client, attachment), "Tra loi cua Cuc.docx", DOCX.content_type, docx_bytes()
    )


def test_the_submitters_download_the_answer_file_once_approved(client, people):
    attachment = answer_with_file(people)
    recommendations.recommendation_act(
        recommendation_id=attachment.recommendation_id, actor=people["leader"], action="approve"
    )
    client.force_login(people["province"])

    assert_downloads(
        download(client, attachment), "Tra loi cua Cuc.docx", DOCX.content_type, docx_bytes()
    )


def test_an_answer_sent_back_hides_its_file_from_the_submitters_again(client, people):
    attachment = answer_with_file(people)
    recommendations.recommendation_act(
        recommendation_id=attachment.recommendation_id,
        actor=people["leader"],
        action="send_back",
        note="Bổ sung căn cứ pháp lý.",
    )
    client.force_login(people["province"])

    assert download(client, attachment).status_code == 404


def test_another_province_never_downloads_an_answer_file(client, people):
    attachment = answer_with_file(people)
    recommendations.recommendation_act(
        recommendation_id=attachment.recommendation_id, actor=people["leader"], action="approve"
    )
    client.force_login(people["other_province"])

    assert download(client, attachment).status_code == 404


def test_the_unit_attaches_a_file_to_its_answer_through_the_form(client, people, media):
    rec = bring_to(Status.ACCEPTED, people)
    client.force_login(people["officer"])

    response = client.post(
        reverse("proposals:answer", args=[rec.pk]),
        {
            "text": "Cục Tin học hóa trả lời: Bộ đã ban hành hướng dẫn tại văn bản số 2719.",
            "version": 0,
            "attachments": [upload("Tra loi.xlsx", xlsx_bytes())],
            "send": "1",
        },
    )

    assert response.status_code == 302
    attachment = rec.attachments.get()
    assert attachment.part == Attachment.Part.ANSWER
    assert attachment.extension == ".xlsx"
    assert attachment.uploaded_by == people["officer"]
    rec.refresh_from_db()
    assert rec.status == Status.ANSWER_DRAFTED


def test_a_bad_answer_file_saves_nothing(client, people, media):
    rec = bring_to(Status.ACCEPTED, people)
    client.force_login(people["officer"])
    text = "Cục Tin học hóa trả lời: Bộ đã ban hành hướng dẫn tại văn bản số 2719."

    response = client.post(
        reverse("proposals:answer", args=[rec.pk]),
        {
            "text": text,
            "version": 0,
            "attachments": [upload("tra-loi.pdf", NOT_ALLOWED["windows-program"])],
            "send": "1",
        },
    )

    assert response.status_code == 400
    assert "tra-loi.pdf" in response.context["form"].errors["attachments"][0]
    assert not Answer.objects.filter(recommendation=rec).exists()
    assert not rec.attachments.exists()
    assert stored_files(media) == []
    rec.refresh_from_db()
    assert rec.status == Status.ACCEPTED
    assert text in response.content.decode()


def test_during_a_revision_the_department_reads_the_published_answer_not_the_draft(client, people):
    attachment = answer_with_file(people)
    rec = attachment.recommendation
    recommendations.recommendation_act(
        recommendation_id=rec.pk, actor=people["leader"], action="approve"
    )
    publishing.answer_publish(recommendation_id=rec.pk)
    revise_answer(
        people,
        rec,
        text="Bản dự thảo sửa đổi chưa được duyệt.",
        files=[pdf_upload("Du thao moi.pdf")],
    )
    draft_file = Attachment.objects.get(original_name="Du thao moi.pdf")
    client.force_login(people["province"])

    html = client.get(reverse("proposals:detail", args=[rec.pk])).content.decode()
    assert "data-published-answer" in html
    assert "văn bản số 2719" in html and "dự thảo sửa đổi" not in html
    assert "Tra loi cua Cuc.docx" in html and "Du thao moi" not in html
    assert download(client, attachment).status_code == 200
    assert download(client, draft_file).status_code == 404
