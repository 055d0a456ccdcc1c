"""Bulk submission from Excel: the template, and an upload that imports every row or none.

Workbooks are built in memory with openpyxl. Messages are mostly compared with what
gettext gives under Vietnamese (the UI default), so rewording a translation does not
break them; two tests check the Vietnamese wording itself.
"""

import io
import re
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook

from briefing.platform import excel
from proposals import importing
from proposals.models import CodeSequence, Event, Field, Recommendation, Status

IMPORT_URL = reverse("proposals:import")
TEMPLATE_URL = reverse("proposals:import_template")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [header for _name, header in importing.COLUMNS]

GOOD_ROWS = [
    [
        "Đề nghị hướng dẫn kết nối nền tảng LGSP",
        "Sở đề nghị Bộ hướng dẫn kết nối nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh.",
        "CNTT",
        "Giao ban",
        "Q3/2020",
    ],
    [
        "Đề nghị hướng dẫn cấp phép tần số cho đài truyền thanh",
        "Sở đề nghị Cục Tần số hướng dẫn thủ tục cấp phép cho đài truyền thanh cấp xã.",
        "TS",
        "Thường xuyên",
        "Q3/2020",
    ],
    [
        # Lower case and loose spacing, as people type them.
        "Đề nghị hỗ trợ kinh phí chuyển đổi số cấp xã",
        "Sở đề nghị Bộ hỗ trợ kinh phí triển khai chuyển đổi số cho các xã miền núi.",
        "cds",
        "giao ban",
        " q3 / 2020 ",
    ],
]


def vi(message: str) -> str:
    """The message as the Vietnamese page shows it (the msgid while untranslated)."""
    with translation.override("vi"):
        return gettext(message)


def workbook_bytes(rows, *, header=HEADERS, sheet=importing.SHEET, extra_sheets=()) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    if header is not None:
        worksheet.append(header)
    for row in rows:
        worksheet.append(row)
    for name in extra_sheets:
        workbook.create_sheet(name).append(["Ghi chú riêng của Sở"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, name: str = "kien-nghi-quy-3.xlsx", content_type=XLSX_TYPE):
    return client.post(
        IMPORT_URL, {"file": SimpleUploadedFile(name, content, content_type=content_type)}
    )


def row_errors(response) -> list[tuple[int, str]]:
    return [(e.row, e.column) for e in response.context["row_errors"]]


def file_field_errors_html(response) -> list[str]:
    """The errors crispy renders under the file input."""
    return re.findall(
        r'id="error_\d+_id_file"><strong>(.*?)</strong>', response.content.decode(), re.S
    )


def assert_nothing_imported():
    assert Recommendation.objects.count() == 0
    assert Event.objects.count() == 0
    assert not CodeSequence.objects.filter(last__gt=0).exists()


@pytest.fixture
def province(client, people):
    """The department's leader: what they import is sent to the Ministry at once."""
    client.force_login(people["province_leader"])
    return people["province_leader"]


# --- the template -------------------------------------------------------------------


def test_the_template_is_an_xlsx_with_the_import_headers(client, province):
    response = client.get(TEMPLATE_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="mau-kien-nghi.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [importing.SHEET, importing.LIST_SHEET]
    header = next(workbook[importing.SHEET].iter_rows(max_row=1, values_only=True))
    assert list(header) == HEADERS
    assert workbook[importing.SHEET].max_row == 1  # no sample rows that would be imported


def test_the_template_lists_every_field_code_on_the_list_sheet(client, province):
    response = client.get(TEMPLATE_URL)

    lists = load_workbook(io.BytesIO(response.content))[importing.LIST_SHEET]
    rows = list(lists.iter_rows(values_only=True))
    assert rows[0][:2] == ("Mã lĩnh vực", "Lĩnh vực")
    listed = []
    for code, name in (row[:2] for row in rows[1:]):
        if code is None:
            break
        listed.append((code, name))
    assert listed == list(Field.objects.order_by("order").values_list("code", "name"))
    assert ("CNTT", Field.objects.get(code="CNTT").name) in listed
    flat = [cell for row in rows for cell in row if cell]
    assert "Kênh" in flat
    assert "Quý giao ban" in flat


def test_the_downloaded_template_filled_in_imports(client, province):
    template = load_workbook(io.BytesIO(client.get(TEMPLATE_URL).content))
    for row in GOOD_ROWS[:2]:
        template[importing.SHEET].append(row)
    buffer = io.BytesIO()
    template.save(buffer)

    response = upload(client, buffer.getvalue())

    assert response.status_code == 302
    assert Recommendation.objects.count() == 2


# --- a good file --------------------------------------------------------------------


def test_it_imports_and_submits_every_row_of_a_good_file(client, province):
    response = upload(client, workbook_bytes(GOOD_ROWS))

    assert response.status_code == 302
    assert response.url == reverse("proposals:list")
    imported = list(Recommendation.objects.order_by("code"))
    assert [r.code for r in imported] == ["KN-2020-Q3-0001", "KN-2020-Q3-0002", "KN-2020-Q3-0003"]
    assert [r.title for r in imported] == [row[0] for row in GOOD_ROWS]
    assert [r.content for r in imported] == [row[1] for row in GOOD_ROWS]
    assert [r.field.code for r in imported] == ["CNTT", "TS", "CDS"]
    assert [r.channel for r in imported] == ["briefing", "regular", "briefing"]
    for rec in imported:
        assert rec.status == Status.SUBMITTED
        assert rec.submitted_at is not None
        assert (rec.period_year, rec.period_quarter) == (2020, 3)
        assert rec.submitting_organisation == province.organisation
        assert rec.submitted_by == province
        assert list(rec.events.values_list("action", flat=True)) == ["submit"]


def test_it_confirms_the_number_imported(client, province):
    response = client.post(
        IMPORT_URL,
        {"file": SimpleUploadedFile("k.xlsx", workbook_bytes(GOOD_ROWS), XLSX_TYPE)},
        follow=True,
    )

    assert response.status_code == 200
    texts = [str(m) for m in response.context["messages"]]
    expected = vi("%(count)s recommendations were imported and submitted.") % {"count": 3}
    assert texts == [expected]


def test_it_skips_blank_rows_and_ignores_the_list_sheet(client, province):
    content = workbook_bytes(
        [GOOD_ROWS[0], [None] * 5, ["", "  ", None, "", ""], GOOD_ROWS[1]],
        extra_sheets=[importing.LIST_SHEET],
    )

    response = upload(client, content)

    assert response.status_code == 302
    assert Recommendation.objects.count() == 2


# --- one bad row: nothing is imported -------------------------------------------------


def bad(**cells) -> list:
    """A valid row with some cells replaced: bad(field="XYZ")."""
    row = {
        "title": "Tiêu đề hợp lệ",
        "content": "Nội dung đủ dài để hợp lệ.",
        "field": "CNTT",
        "channel": "Giao ban",
        "quarter": "Q3/2020",
    }
    row.update(cells)
    return [row[name] for name, _header in importing.COLUMNS]


@pytest.mark.parametrize(
    ("column", "bad_row", "in_message"),
    [
        ("C (Mã lĩnh vực)", bad(field="XYZ"), "XYZ"),
        ("E (Quý giao ban)", bad(quarter="Quý 3"), "Q3/2020"),
        ("A (Tiêu đề)", bad(title=""), None),
        ("D (Kênh)", bad(channel="Hàng tháng"), "Giao ban"),
        ("B (Nội dung)", bad(content="Ngắn"), None),
        ("A (Tiêu đề)", bad(title="KN"), None),
        ("A (Tiêu đề)", bad(title="T" * 301), None),
        # A well-formed quarter that the form does not offer.
        ("E (Quý giao ban)", bad(quarter="Q3/2019"), None),
        # Sở TT&TT Ninh Bình merged into Sở KH&CN Ninh Bình on 1 July 2025.
        ("E (Quý giao ban)", bad(quarter="Q3/2025"), "Sở KH&CN Ninh Bình"),
    ],
    ids=[
        "unknown-field",
        "quarter-in-words",
        "empty-title",
        "bad-channel",
        "short-content",
        "short-title",
        "long-title",
        "quarter-too-early",
        "department-merged-before-the-quarter",
    ],
)
def test_it_imports_nothing_when_one_row_is_bad(client, province, column, bad_row, in_message):
    content = workbook_bytes([GOOD_ROWS[0], bad_row, GOOD_ROWS[1]])

    response = upload(client, content)

    assert response.status_code == 400
    assert_nothing_imported()
    assert row_errors(response) == [(3, column)]
    if in_message:
        assert in_message in response.context["row_errors"][0].message
    html = response.content.decode()
    assert f"<tr><td>3</td><td>{column}</td>" in html
    assert "data-import-errors" in html


def test_it_names_the_unknown_field_code_and_the_list_sheet(client, province):
    response = upload(client, workbook_bytes([bad(field="XYZ")]))

    [error] = response.context["row_errors"]
    expected = vi("Unknown field code “%(code)s” (see the sheet “%(sheet)s”).") % {
        "code": "XYZ",
        "sheet": importing.LIST_SHEET,
    }
    assert (error.row, error.column, error.message) == (2, "C (Mã lĩnh vực)", expected)
    assert expected in response.content.decode()


def test_it_reports_every_error_of_every_row(client, province):
    rows = [
        GOOD_ROWS[0],
        bad(title="", field="XYZ"),  # row 3
        GOOD_ROWS[1],
        bad(channel="Hàng tháng", quarter="Quý 3"),  # row 5
    ]

    response = upload(client, workbook_bytes(rows))

    assert response.status_code == 400
    assert_nothing_imported()
    assert sorted(row_errors(response)) == [
        (3, "A (Tiêu đề)"),
        (3, "C (Mã lĩnh vực)"),
        (5, "D (Kênh)"),
        (5, "E (Quý giao ban)"),
    ]


def test_row_numbers_are_the_excel_row_numbers_across_blank_rows(client, province):
    rows = [GOOD_ROWS[0], [None] * 5, [None] * 5, bad(field="XYZ")]

    response = upload(client, workbook_bytes(rows))

    assert row_errors(response) == [(5, "C (Mã lĩnh vực)")]


def test_it_refuses_more_rows_than_the_limit(client, province, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 2)

    response = upload(client, workbook_bytes(GOOD_ROWS))

    assert response.status_code == 400
    assert_nothing_imported()
    [error] = response.context["row_errors"]
    assert error.row == 4
    assert error.message == vi("More than %(max)s rows.") % {"max": 2}


# --- the file's shape ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "wrong"),
    [
        (
            ["Title", "Content", "Field code", "Channel", "Quarter"],
            "A (Title), B (Content), C (Field code), D (Channel), E (Quarter)",
        ),
        ([HEADERS[1], HEADERS[0], *HEADERS[2:]], "A (Nội dung), B (Tiêu đề)"),  # swapped
        (HEADERS[:4], "E (—)"),  # a column missing
        ([*HEADERS, "Ghi chú"], "F (Ghi chú)"),  # a column added
    ],
    ids=["english", "swapped", "missing", "extra"],
)
def test_it_refuses_a_wrong_header_row(client, province, header, wrong):
    response = upload(client, workbook_bytes(GOOD_ROWS, header=header))

    assert response.status_code == 400
    assert_nothing_imported()
    [error] = response.context["row_errors"]
    assert (error.row, error.column) == (1, wrong)
    assert error.message == vi("The header row must be exactly: %(expected)s.") % {
        "expected": " | ".join(HEADERS)
    }


def test_it_refuses_a_workbook_with_an_extra_sheet(client, province):
    response = upload(client, workbook_bytes(GOOD_ROWS, extra_sheets=["Sheet2"]))

    assert response.status_code == 400
    assert_nothing_imported()
    [error] = response.context["row_errors"]
    assert error.row == 0
    assert "Sheet2" in error.message
    assert importing.SHEET in error.message
    assert "Sheet2" in response.content.decode()


def test_it_refuses_values_to_the_right_of_the_last_column(client, province):
    response = upload(client, workbook_bytes([GOOD_ROWS[0], [*GOOD_ROWS[1], "Ghi chú"]]))

    assert response.status_code == 400
    assert_nothing_imported()
    [error] = response.context["row_errors"]
    assert (error.row, error.column) == (3, "")
    assert error.message == vi("There are values to the right of the last column.")


def test_it_refuses_a_workbook_without_the_template_sheet(client, province):
    response = upload(client, workbook_bytes(GOOD_ROWS, sheet="Sheet1"))

    assert response.status_code == 400
    assert_nothing_imported()
    [error] = response.context["row_errors"]
    assert error.row == 0
    assert "Sheet1" in error.message


def test_it_refuses_an_empty_sheet(client, province):
    response = upload(client, workbook_bytes([], header=None))

    assert response.status_code == 400
    assert_nothing_imported()
    assert row_errors(response) == [(1, ", ".join(f"{c} (—)" for c in "ABCDE"))]


def test_it_refuses_a_sheet_with_only_the_header(client, province):
    response = upload(client, workbook_bytes([[None] * 5]))

    assert response.status_code == 400
    assert_nothing_imported()
    [error] = response.context["row_errors"]
    assert error.message == vi("The file has no recommendations in it.")


def _minimal_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("kien-nghi.txt", "Tiêu đề\tNội dung\n".encode()),
        ("kien-nghi.xlsx", "Tiêu đề;Nội dung;Mã lĩnh vực\n".encode()),
        ("kien-nghi.xlsx", _minimal_pdf()),
        ("kien-nghi.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504),
    ],
    ids=["txt", "csv-named-xlsx", "pdf-named-xlsx", "excel-97"],
)
def test_it_explains_next_to_the_field_that_the_file_is_not_excel(client, province, name, content):
    response = upload(client, content, name=name, content_type="application/octet-stream")

    assert response.status_code == 400
    assert_nothing_imported()
    expected = vi("This is not an Excel file (.xlsx). Download the template and fill it in.")
    assert response.context["form"].errors["file"] == [expected]
    assert file_field_errors_html(response) == [expected]
    assert response.context["row_errors"] == []


# The wording below is the one in locale/vi/LC_MESSAGES/django.po.


def test_it_explains_a_non_excel_file_in_vietnamese(client, province):
    response = upload(client, b"khong phai excel", name="kien-nghi.txt")

    [shown] = file_field_errors_html(response)
    assert shown.startswith("Đây không phải tệp Excel (.xlsx).")


def test_it_lists_row_errors_in_vietnamese(client, province):
    response = upload(client, workbook_bytes([GOOD_ROWS[0], bad(field="XYZ")]))

    html = response.content.decode()
    assert "1 lỗi: chưa nhập dữ liệu nào." in html
    assert '<th scope="col">Dòng</th><th scope="col">Cột</th><th scope="col">Lỗi</th>' in html
    assert (
        "<tr><td>3</td><td>C (Mã lĩnh vực)</td>"
        "<td>Mã lĩnh vực “XYZ” không tồn tại (xem trang “Danh mục”).</td></tr>"
    ) in html


def test_it_refuses_a_zip_that_is_not_a_workbook(client, province):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")

    response = upload(client, buffer.getvalue())

    assert response.status_code == 400
    assert_nothing_imported()
    [error] = response.context["row_errors"]
    assert error.message == vi("The file cannot be read as an Excel workbook.")


def test_it_refuses_a_workbook_whose_sheet_is_damaged(client, province):
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes(GOOD_ROWS)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # cut off mid-way, as a broken download is
            archive.writestr(name, data)

    response = upload(client, buffer.getvalue())

    assert response.status_code == 400
    assert_nothing_imported()
    [error] = response.context["row_errors"]
    assert error.message == vi("The file cannot be read as an Excel workbook.")


def test_it_refuses_a_file_over_the_size_limit(client, province, monkeypatch):
    monkeypatch.setattr(excel, "MAX_UPLOAD_BYTES", 1000)
    content = workbook_bytes(GOOD_ROWS)
    assert len(content) > 1000

    response = upload(client, content)

    assert response.status_code == 400
    assert_nothing_imported()
    assert response.context["form"].errors["file"] == [vi("The file is larger than 5 MB.")]


def test_it_asks_for_a_file_when_none_is_sent(client, province):
    response = client.post(IMPORT_URL, {"csrfmiddlewaretoken": "x"})

    assert response.status_code == 400
    assert "file" in response.context["form"].errors
    assert_nothing_imported()


# --- who may import -----------------------------------------------------------------


def test_the_import_page_shows_the_form_to_a_provincial_officer(client, province):
    response = client.get(IMPORT_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' in html
    assert 'name="file"' in html
    assert TEMPLATE_URL in html


@pytest.mark.parametrize("who", ["officer", "office"])
@pytest.mark.parametrize("url", [IMPORT_URL, TEMPLATE_URL])
def test_ministry_staff_may_not_import(client, people, who, url):
    client.force_login(people[who])

    assert client.get(url).status_code == 403


@pytest.mark.parametrize("who", ["officer", "office"])
def test_ministry_staff_cannot_post_a_file(client, people, who):
    client.force_login(people[who])

    response = upload(client, workbook_bytes(GOOD_ROWS))

    assert response.status_code == 403
    assert_nothing_imported()


@pytest.mark.parametrize("url", [IMPORT_URL, TEMPLATE_URL])
def test_anonymous_visitors_are_sent_to_sign_in(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "next=" in response.url


def test_anonymous_posts_import_nothing(client, db):
    response = upload(client, workbook_bytes(GOOD_ROWS))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert_nothing_imported()


# --- hostile workbooks: checked before they are parsed, streamed after -----------------


def bomb_bytes(unpacked_mb: int) -> bytes:
    """A valid workbook whose sheet unpacks to `unpacked_mb` MB of rows but weighs a
    few MB, under the upload limit."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes(GOOD_ROWS[:1])))
    out = io.BytesIO()
    row = '<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>kiến nghị</t></is></c></row>'
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(item, source.read(item))
                continue
            with bomb.open(item.filename, "w") as sheet:
                sheet.write(
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main"><sheetData>'
                )
                chunk = "".join(row.format(n=n) for n in range(1, 10001)).encode()
                for _ in range(unpacked_mb * 1024 * 1024 // len(chunk) + 1):
                    sheet.write(chunk)
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def test_a_workbook_that_unpacks_huge_is_refused_before_parsing(client, province):
    content = bomb_bytes(40)
    assert len(content) < excel.MAX_UPLOAD_BYTES  # passes the size check of the upload

    tracemalloc.start()
    response = upload(client, content)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert response.status_code == 400
    [message] = file_field_errors_html(response)
    assert "Tệp giải nén ra" in message
    assert peak < 10 * 1024 * 1024  # the 40 MB sheet was never read
    assert_nothing_imported()


def test_rows_beyond_the_sheet_limit_stop_the_import_while_streaming(client, province, monkeypatch):
    monkeypatch.setattr(excel, "MAX_SHEET_ROWS", 20)
    rows = [GOOD_ROWS[0]] + [[None] * 5] * 30 + [GOOD_ROWS[1]]

    response = upload(client, workbook_bytes(rows))

    assert response.status_code == 400
    [error] = response.context["row_errors"]
    assert error.row == 21
    assert "nhiều hơn 20 dòng" in error.message
    assert_nothing_imported()


def test_a_formula_is_named_as_a_formula_not_as_a_missing_value(client, province):
    rows = [GOOD_ROWS[0], ["=A2", GOOD_ROWS[1][1], "TS", "Giao ban", "Q3/2020"]]

    response = upload(client, workbook_bytes(rows))

    assert response.status_code == 400
    [error] = response.context["row_errors"]
    assert (error.row, error.column) == (3, "A")
    assert "công thức" in error.message and "bắt buộc" not in error.message
    assert_nothing_imported()


def test_an_officer_imports_drafts_and_the_leaders_are_told_once(client, people):
    """The page says before the file is chosen that the rows become drafts; the
    department's leaders get one notification to sign and send them."""
    client.force_login(people["province"])
    page = client.get(reverse("proposals:import"))
    assert b"data-import-drafts" in page.content and b"data-import-sends" not in page.content
    response = upload(client, workbook_bytes(GOOD_ROWS))
    assert response.status_code == 302
    assert set(Recommendation.objects.values_list("status", flat=True)) == {Status.DRAFT}
    [note] = people["province_leader"].notifications.all()
    assert note.params["count"] == len(GOOD_ROWS)
    assert not people["office"].notifications.exists()


def test_the_leader_is_told_before_choosing_that_the_rows_are_sent(client, province):
    page = client.get(reverse("proposals:import"))
    assert b"data-import-sends" in page.content
