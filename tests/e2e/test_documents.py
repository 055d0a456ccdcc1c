"""The Ministry Office gives the Q3/2020 report its number, signer and recipients on the
briefing page, then downloads the PDF and the Word file and opens the printable page, as
a clerk preparing the document for signature does."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from briefing.demo import q3_2020 as demo_q3_2020
from briefing.models.organisations import RoleCode
from briefing.models.reports import DocumentKind, DocumentParticulars
from briefing.reports import documents, rollup
from tests.briefing.reports.test_documents import _docx_text, _pdf_text
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import SCREENSHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]

PAGE = "/briefings/2020-q3/"
# The files as downloaded, kept for their page images (pdftoppm) next to the screenshots.
FILES = Path(SCREENSHOTS).parent / "documents"
DECREE_PARTS = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "BỘ THÔNG TIN VÀ TRUYỀN THÔNG",
    "VĂN PHÒNG",
    "Số: 27/BC-VP",
    "Hà Nội, ngày 05 tháng 10 năm 2020",
    "BÁO CÁO",
    "quý III/2020",
    "I. Kết quả tiếp nhận và giải quyết kiến nghị",
    "Nơi nhận:",
    "- Bộ trưởng (để báo cáo); - Các Thứ trưởng; - Văn phòng Chính phủ; - Lưu: VT, VP.",
    "CHÁNH VĂN PHÒNG",
    "Trần Thị Hoa",
    "7.793",
]


def _flat(text: str) -> str:
    text = text.replace(documents.NBSP, " ").replace(documents.WORD_JOINER, "")
    return " ".join(text.split())


@pytest.fixture
def q3_2020():
    assert demo_q3_2020.load_q3_2020() is True
    rollup.report_rollup(year=2020, quarter=3)


def _sign_in(page, url: str, user):
    page.goto(url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_the_office_numbers_the_report_and_gets_its_pdf_word_and_printable_page(
    live_server, page, screenshot, q3_2020
):
    office = make_user(RoleCode.OFFICE_COORDINATOR)
    _sign_in(page, live_server.url, office)
    page.goto(live_server.url + PAGE + "#documents")
    panel = page.locator("#documents")
    report = panel.locator('[data-document="report"]')
    expect(report.locator("[data-document-draft]")).to_be_visible()

    report.locator('[data-particulars-form="report"] summary').click()
    report.locator("#id_report-number").fill("27")
    report.locator("#id_report-issued_on").fill("2020-10-05")
    report.locator("#id_report-signer_name").fill("Trần Thị Hoa")
    report.locator("#id_report-recipients").fill(
        "Bộ trưởng (để báo cáo)\nCác Thứ trưởng\nVăn phòng Chính phủ\nLưu: VT, VP"
    )
    report.get_by_role("button", name="Lưu thông tin văn bản").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    report = page.locator('#documents [data-document="report"]')
    expect(report).to_contain_text("Số: 27/BC-VP")
    expect(report.locator("[data-document-draft]")).to_have_count(0)
    saved = DocumentParticulars.objects.get(kind=DocumentKind.REPORT)
    assert (saved.number, saved.signer_name, saved.snapshot.version) == ("27", "Trần Thị Hoa", 1)
    assert saved.issued_on.isoformat() == "2020-10-05"  # the date input sends ISO

    page.locator("#documents").screenshot(path=str(SCREENSHOTS / "documents-panel-1280.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("#documents").screenshot(path=str(SCREENSHOTS / "documents-panel-390.png"))
    page.set_viewport_size({"width": 1280, "height": 900})

    FILES.mkdir(parents=True, exist_ok=True)
    # The PDF as the link gives it (the browser would show it inline).
    pdf_url = report.get_by_role("link", name="PDF").get_attribute("href")
    pdf = page.request.get(live_server.url + pdf_url)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    (FILES / "report-e2e.pdf").write_bytes(pdf.body())
    pdf_text = _pdf_text(pdf.body())

    # The Word file, downloaded.
    with page.expect_download() as download:
        report.get_by_role("link", name="Word (DOCX)").click()
    path = FILES / "report-e2e.docx"
    download.value.save_as(path)
    assert download.value.suggested_filename == "bao-cao-giao-ban-2020-q3-v1.docx"
    docx_text = _docx_text(path.read_bytes())

    for name, text in (("pdf", pdf_text), ("docx", docx_text)):
        for part in DECREE_PARTS:
            assert part in text, (name, part)

    # The printable page: the same document, with a toolbar the printer leaves out.
    report.get_by_role("link", name="Trang in").click()
    expect(page).to_have_url(re.compile(r"/briefings/2020-q3/report\.html$"))
    expect(page.locator("h1.decree-title")).to_contain_text("quý III/2020")
    printed = _flat(page.locator("body").inner_text())
    for part in DECREE_PARTS:
        assert part.replace("- ", "") in printed.replace("- ", ""), part
    screenshot("document-printable-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("document-printable-390")
    # Nothing wider than the phone's screen but the tables, which scroll.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, overflow
    # The toolbar's way back, which the printed sheet leaves out.
    expect(page.get_by_role("link", name="Quay lại trang giao ban")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".decree-toolbar")).to_be_hidden()
