"""The official documents of Q3/2020 (Decree 30/2020/NĐ-CP): the report and the notice
of conclusions as PDF, Word and printable page, read back as a reader would: the
decree's parts, the eleven figures, the recipients and the collapsed assignee lists."""

import datetime
import io
import re
from html import unescape

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook
from pypdf import PdfReader

from briefing.demo import q3_2020 as demo_q3_2020
from briefing.models.organisations import Organisation, RoleCode
from briefing.models.reports import DocumentKind, DocumentParticulars
from briefing.models.sessions import BriefingSession, Conclusion, FollowUpTask
from briefing.reports import documents, rollup
from tests.briefing.conftest import rolled_back
from tests.briefing.reports.test_rollup import FIGURES

pytestmark = pytest.mark.arithmetic

PAGE = "/briefings/2020-q3/"
DECREE_PARTS = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Nơi nhận:",
]
REPORT_PARTICULARS = {
    "report-number": "7",
    "report-symbol": "bc-vp",
    "report-parent_body": "Bộ Thông tin và Truyền thông",
    "report-issuing_body": "Văn phòng",
    "report-place": "Hà Nội",
    "report-issued_on": "05/09/2020",
    "report-signer_authority": "",
    "report-signer_title": "Chánh Văn phòng",
    "report-signer_name": "Nguyễn Văn Bình",
    "report-recipients": "Bộ trưởng (để báo cáo);\n- Các Thứ trưởng\n\nLưu: VT, VP",
}


@pytest.fixture(scope="module")
def q3_loaded(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        assert demo_q3_2020.load_q3_2020() is True
        rollup.report_rollup(year=2020, quarter=3)
        yield


@pytest.fixture
def office(q3_loaded, db, signed_in):
    return signed_in(RoleCode.OFFICE_COORDINATOR)


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _docx_text(content: bytes) -> str:
    word = WordDocument(io.BytesIO(content))
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    # No-break spaces and the word joiner keep "quý III/2020" on one line.
    text = " ".join(parts).replace(documents.NBSP, " ").replace(documents.WORD_JOINER, "")
    return " ".join(text.split())


def _files(client, kind: str) -> dict[str, str]:
    pdf = client.get(f"{PAGE}{kind}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    docx = client.get(f"{PAGE}{kind}.docx")
    assert docx.status_code == 200
    assert docx["Content-Type"] == documents_docx_type()
    html = client.get(f"{PAGE}{kind}.html")
    assert html.status_code == 200
    page = " ".join(unescape(re.sub(r"<[^>]+>", " ", html.content.decode())).split())
    return {
        "pdf": _pdf_text(pdf.content),
        "docx": _docx_text(docx.content),
        "html": page,
        "pdf_bytes": pdf.content,
    }


def documents_docx_type() -> str:
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_the_report_has_the_decree_parts_and_the_figures_in_pdf_word_and_print(office, client):
    response = client.post(f"{PAGE}particulars/report/", REPORT_PARTICULARS)
    assert response.status_code == 302
    saved = DocumentParticulars.objects.get(kind=DocumentKind.REPORT)
    assert saved.snapshot.version == 1 and saved.symbol == "BC-VP"

    files = _files(client, "report")
    for name in ("pdf", "docx", "html"):
        text = files[name]
        for part in DECREE_PARTS:
            assert part in text, (name, part)
        assert "BỘ THÔNG TIN VÀ TRUYỀN THÔNG" in text and "VĂN PHÒNG" in text, name
        assert "Số: 07/BC-VP" in text, name
        assert "Hà Nội, ngày 05 tháng 9 năm 2020" in text, name
        assert "BÁO CÁO" in text, name
        assert "quý III/2020" in text, name
        # The recipients, each after a dash, a semicolon between, a full stop last.
        assert "- Bộ trưởng (để báo cáo); - Các Thứ trưởng; - Lưu: VT, VP." in text, name
        assert "CHÁNH VĂN PHÒNG" in text and "Nguyễn Văn Bình" in text, name
        assert "./." in text, name
        for figure in FIGURES:
            assert figure.strip() in text, (name, figure)


def test_the_report_pdf_is_tagged_for_screen_readers(q3_loaded, db, client):
    content = client.get(f"{PAGE}report.pdf").content
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).startswith("vi")
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()
    assert reader.metadata.title.startswith("Báo cáo")


def test_a_draft_report_leaves_number_and_date_blank(q3_loaded, db, client):
    text = _files(client, "report")["docx"]
    assert "Số: /BC-VP" in text
    assert "Hà Nội, ngày tháng năm 2020" in text


def test_the_notice_of_conclusions_collapses_whole_groups(office, client):
    session = BriefingSession.objects.get(year=2020, quarter=3)
    conclusion = Conclusion.objects.create(session=session, number=9, text="Kết luận chung.")
    everyone = FollowUpTask.objects.create(
        conclusion=conclusion, text="Báo cáo tổng kết năm", deadline=datetime.date(2020, 12, 15)
    )
    units = list(Organisation.objects.ministry_units().valid_on(session.date))
    everyone.assignees.set([*units, Organisation.objects.get(code="T63-37")])

    files = _files(client, "conclusions")
    for name in ("pdf", "docx", "html"):
        text = files[name]
        for part in DECREE_PARTS:
            assert part in text, (name, part)
        assert "THÔNG BÁO" in text and "Số: /TB-BTTTT" in text, name
        assert "TL. BỘ TRƯỞNG" in text and "CHÁNH VĂN PHÒNG" in text, name
        assert "Kết luận của Bộ trưởng Bộ Thông tin và Truyền thông Nguyễn Mạnh Hùng" in text
        assert "63 Sở TT&TT" in text, name
        assert "các đơn vị thuộc Bộ, Sở TT&TT Ninh Bình" in text, name
        assert "31/12/2020" in text and "15/12/2020" in text, name
        assert "- Cổng Thông tin điện tử của Bộ; - Lưu: VT, VP." in text, name
        # No department is named one by one.
        assert "Sở TT&TT Hà Giang" not in text, name
    page = client.get(PAGE).content.decode()
    assert "63 Sở TT&amp;TT" in page and "các đơn vị thuộc Bộ" in page


def test_a_refused_form_keeps_what_was_typed_and_saves_nothing(office, client):
    data = REPORT_PARTICULARS | {"report-number": "7a", "report-recipients": " \n "}
    response = client.post(f"{PAGE}particulars/report/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nguyễn Văn Bình" in html
    assert 'id="error_1_id_report-number"' in html or "report-number" in html
    assert response.context["official"][0]["form"].errors.keys() == {"number", "recipients"}
    assert not DocumentParticulars.objects.exists()


def test_the_history_keeps_every_save(office, client):
    client.post(f"{PAGE}particulars/report/", REPORT_PARTICULARS)
    client.post(f"{PAGE}particulars/report/", REPORT_PARTICULARS | {"report-number": "12"})
    assert list(DocumentParticulars.objects.values_list("number", flat=True)) == ["12", "7"]
    files = _files(client, "report")
    assert "Số: 12/BC-VP" in files["pdf"]
    html = client.get(PAGE).content.decode()
    assert html.count("BC-VP ·") >= 2 or html.count("/BC-VP") >= 2


def test_only_the_office_gives_particulars(q3_loaded, db, client, signed_in):
    signed_in(RoleCode.PROVINCE_OFFICER)
    response = client.post(f"{PAGE}particulars/report/", REPORT_PARTICULARS)
    assert response.status_code == 403
    assert not DocumentParticulars.objects.exists()


def test_an_unknown_quarter_or_document_is_404(q3_loaded, db, client, signed_in):
    assert client.get("/briefings/2021-q1/report.docx").status_code == 404
    assert client.get("/briefings/2021-q1/conclusions.pdf").status_code == 404
    signed_in(RoleCode.OFFICE_COORDINATOR)
    assert client.post(f"{PAGE}particulars/memo/", REPORT_PARTICULARS).status_code == 404


def test_the_next_report_collapses_the_previous_tasks(q3_loaded, db, client):
    rollup.report_rollup(year=2020, quarter=4)
    text = _files_of(client, "/briefings/2020-q4/report.docx")
    assert "63 Sở TT&TT" in text
    assert "Sở TT&TT Hà Giang" not in text


def _files_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return _docx_text(response.content)


def test_vietnamese_dates():
    assert documents.vietnamese_date(datetime.date(2020, 2, 3), 2020) == "ngày 03 tháng 02 năm 2020"
    assert documents.vietnamese_date(datetime.date(2020, 12, 25), 2020) == (
        "ngày 25 tháng 12 năm 2020"
    )


def test_the_report_spreadsheet_prints_on_a4_and_shows_whole_paragraphs(q3_loaded, db, client):
    workbook = load_workbook(io.BytesIO(client.get(f"{PAGE}report.xlsx").content))
    summary = workbook.worksheets[0]
    assert "UTC+7" in summary["A2"].value
    assert summary["A3"].alignment.wrap_text and summary.row_dimensions[3].height > 30
    assert summary.page_setup.fitToWidth == 1 and summary.print_area
    for sheet in workbook.worksheets[1:]:
        assert sheet.title != "Sheet" and sheet.print_title_rows in ("1:1", "$1:$1")
        assert sheet.column_dimensions["B"].width >= 10
        assert "UTC+7" in sheet.oddFooter.left.text
    groups = workbook.worksheets[1]
    assert groups["B2"].value == 7793 and groups["B2"].number_format == "#,##0"
