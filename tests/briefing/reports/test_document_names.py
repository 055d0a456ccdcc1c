"""The official documents by the names of their quarter (issue #14's names over time):
the ministry that issues them, the symbol, the provincial departments a task or the
recipients name together; and the page that says why a PDF cannot be made."""

import datetime
import sys

import cffi
import pytest

from briefing.models.organisations import Organisation, OrganisationName
from briefing.models.reports import DocumentKind, DocumentParticulars
from briefing.models.sessions import BriefingSession, Conclusion, FollowUpTask
from briefing.organisations.selectors import organisation_names_forget
from briefing.reports import assignees, document_files, particulars, rollup
from tests.briefing.reports.test_documents import _docx_text

pytestmark = pytest.mark.django_db


def _briefing_with_a_task_for_every_department(year: int, quarter: int, day: datetime.date):
    session = BriefingSession.objects.create(
        year=year, quarter=quarter, date=day, chair="Bộ trưởng"
    )
    conclusion = Conclusion.objects.create(session=session, number=1, text="Kết luận.")
    task = FollowUpTask.objects.create(
        conclusion=conclusion, text="Báo cáo chuyển đổi số", deadline=day.replace(day=28)
    )
    provinces = list(Organisation.objects.provinces().valid_on(day))
    task.assignees.set([*provinces, Organisation.objects.get(code="CUC-THH")])
    return len(provinces)


def test_a_2020_document_is_issued_by_the_ministry_of_information_and_communications(client):
    rollup.report_rollup(year=2020, quarter=3, today=datetime.date(2020, 10, 5))
    count = _briefing_with_a_task_for_every_department(2020, 3, datetime.date(2020, 9, 7))
    assert count == 63
    report = _docx_text(client.get("/briefings/2020-q3/report.docx").content)
    assert "BỘ THÔNG TIN VÀ TRUYỀN THÔNG VĂN PHÒNG Số: /BC-VP" in report
    notice = _docx_text(client.get("/briefings/2020-q3/conclusions.docx").content)
    assert "BỘ THÔNG TIN VÀ TRUYỀN THÔNG Số: /TB-BTTTT" in notice
    assert "63 Sở TT&TT, Cục THH" in notice
    assert "- Sở TT&TT các tỉnh, thành phố trực thuộc Trung ương;" in notice
    assert "KH&CN" not in notice + report


@pytest.fixture
def names_forgotten():
    """The cached names over time forgotten after a test that renames."""
    yield
    organisation_names_forget()


def test_a_2026_document_is_issued_by_the_ministry_of_science_and_technology(
    client, names_forgotten
):
    rollup.report_rollup(year=2026, quarter=1, today=datetime.date(2026, 4, 5))
    count = _briefing_with_a_task_for_every_department(2026, 1, datetime.date(2026, 3, 20))
    assert count == 34
    report = _docx_text(client.get("/briefings/2026-q1/report.docx").content)
    assert "BỘ KHOA HỌC VÀ CÔNG NGHỆ VĂN PHÒNG Số: /BC-VP" in report
    notice = _docx_text(client.get("/briefings/2026-q1/conclusions.docx").content)
    assert "BỘ KHOA HỌC VÀ CÔNG NGHỆ Số: /TB-BKHCN" in notice
    # The task names the 34 departments together, and the ministry unit by its name then.
    unit = Organisation.objects.get(code="CUC-THH")
    OrganisationName.objects.create(
        organisation=unit,
        valid_from=datetime.date(2025, 3, 1),
        name="Cục Chuyển đổi số quốc gia",
        short_name="Cục CĐSQG",
    )
    organisation_names_forget()
    notice = _docx_text(client.get("/briefings/2026-q1/conclusions.docx").content)
    assert "34 Sở KH&CN, Cục CĐSQG" in notice
    assert "- Sở KH&CN các tỉnh, thành phố trực thuộc Trung ương;" in notice
    assert "THÔNG TIN VÀ TRUYỀN THÔNG" not in notice + report
    assert "TT&TT" not in notice + report


def test_particulars_carried_over_a_renaming_say_the_new_names():
    DocumentParticulars.objects.create(
        year=2024,
        quarter=4,
        kind=DocumentKind.CONCLUSIONS,
        **particulars.usual(2024, 4, DocumentKind.CONCLUSIONS)
        | {"number": "15", "signer_name": "Nguyễn Văn A"},
    )
    carried = particulars.current(year=2026, quarter=1, kind=DocumentKind.CONCLUSIONS)
    assert (carried.issuing_body, carried.symbol) == ("BỘ KHOA HỌC VÀ CÔNG NGHỆ", "TB-BKHCN")
    assert carried.signer_name == "Nguyễn Văn A" and carried.number == ""
    assert "Sở KH&CN các tỉnh" in carried.recipients and "TT&TT" not in carried.recipients


def test_the_ministry_initials_and_the_departments_name():
    assert particulars.initials("Bộ Thông tin và Truyền thông") == "BTTTT"
    assert particulars.initials("Bộ Khoa học và Công nghệ") == "BKHCN"
    assert assignees.common_name(["Sở KH&CN Hà Nội", "Sở KH&CN Huế"]) == "Sở KH&CN"
    assert assignees.common_name(["Sở KH&CN Hà Nội"]) == ""
    assert assignees.groups_on(datetime.date(2025, 4, 1))["provinces_name"] == "Sở KH&CN"


def test_the_pdf_font_has_the_metrics_of_times_new_roman(tmp_path):
    faces = document_files.font_faces()
    if document_files.LIBERATION.exists():
        assert faces.count("liberation2/LiberationSerif-") == 4
    assert faces.count('font-family: "Decree Serif"') == 4
    # Without fonts-liberation2, the Noto Serif of static/fonts/.
    assert document_files.font_faces(tmp_path).count("NotoSerif-") == 4


@pytest.fixture
def without_pango(monkeypatch):
    """WeasyPrint as on a machine without Pango: importing it fails where it loads the
    library, as the real import does (an OSError from cffi's dlopen)."""
    real = cffi.FFI.dlopen

    def dlopen(self, name, *args, **kwargs):
        if "pango" in str(name):
            raise OSError(f"cannot load library '{name}': cannot open shared object file")
        return real(self, name, *args, **kwargs)

    monkeypatch.setattr(cffi.FFI, "dlopen", dlopen)
    for module in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, module)


def test_without_pango_the_pdf_link_says_why_and_offers_word_and_print(client, without_pango):
    rollup.report_rollup(year=2020, quarter=3, today=datetime.date(2020, 10, 5))
    response = client.get("/briefings/2020-q3/report.pdf")
    assert response.status_code == 503
    html = response.content.decode()
    assert "data-pdf-unavailable" in html
    assert 'href="/briefings/2020-q3/report.docx"' in html
    assert 'href="/briefings/2020-q3/report.html"' in html
    assert 'href="/briefings/2020-q3/#documents"' in html
    # The Word file and the printable page still work.
    assert client.get("/briefings/2020-q3/report.docx").status_code == 200
    assert client.get("/briefings/2020-q3/report.html").status_code == 200
