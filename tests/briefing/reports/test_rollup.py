"""The quarterly roll-up over the demo quarter Q3/2020: every figure of DOMAIN.md in the
page, the PDF and the XLSX; re-runs, failure and the empty quarter."""

import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from briefing.demo import q3_2020 as demo_q3_2020
from briefing.models.reports import ReportSnapshot, SnapshotStatus
from briefing.reports import rollup
from briefing.reports import tasks as report_tasks
from proposals.models import Channel, Field, Recommendation, SourceKind, Status
from tests.briefing.conftest import rolled_back

# Figures people read: `make test` runs these on SQLite (make run) as well as PostgreSQL.
pytestmark = pytest.mark.arithmetic

PAGE = "/briefings/2020-q3/"

# Figures of "The figures of Q3/2020" as the Vietnamese page writes them.
FIGURES = [
    "7.793",  # received
    "7.610",  # from citizens, enterprises and organisations
    "7.601",  # of which resolved
    "164",  # sent to the briefing
    "100%",  # of the 19 and of the 164
    "48,55%",  # online services at level 3/4
    "29,81%",  # of which with online dossiers
    "20%",  # up on 12/2019
    "56%",  # up on 12/2019
    "55 ",  # provinces on NDXP
    "21 ",  # ministries on NDXP
    "83,70%",  # ministries, sectors and provinces with an LGSP (77 of 92)
    "77/92",
    "61,45%",  # 4-layer model: (12 + 39) / (20 + 63)
    "51/83",
    "12/20",  # ministries with the 4-layer model
    "39/63",  # provinces with the 4-layer model
    "73%",  # press planning
    "46/63",
    "9.534",  # commune stations
    "89,82%",
    "157",  # IT-telecom stations
    "42",
    "+85",
    "Hải Dương",  # above the Bluezone target
]


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture(scope="module")
def q3_loaded(django_db_setup, django_db_blocker):
    """The demo quarter and its first roll-up, loaded once for this module (5-19 s each
    time) and rolled back after its last test; each test runs in a savepoint of its own,
    so the tests that add a recommendation or a version undo it."""
    with rolled_back(django_db_blocker):
        assert demo_q3_2020.load_q3_2020() is True
        result = report_tasks.rollup_quarter.apply(
            kwargs={"year": 2020, "quarter": 3, "run_id": "t1"}
        )
        assert result.successful(), result.traceback
        # Read now: every test starts from an empty cache.
        yield {"result": result.result, "progress": report_tasks.progress_get("t1")}


@pytest.fixture
def q3(q3_loaded, db):
    return q3_loaded["result"]


def test_loading_the_demo_quarter_twice_does_nothing(q3):
    assert demo_q3_2020.load_q3_2020() is False
    assert Recommendation.objects.filter(period_year=2020, period_quarter=3).count() == 7793


def test_demo_quarter_gives_every_figure_in_page_pdf_and_xlsx(q3, q3_loaded, client):
    assert q3 == {"version": 1, "created": True}
    assert q3_loaded["progress"] == {"state": "done", "percent": 100, "version": 1}
    groups = ReportSnapshot.objects.get().data["recommendations"]["groups"]
    assert {k: groups[k]["total"] for k in groups} == {
        "all": 7793,
        "public": 7610,
        "to_units": 19,
        "to_briefing": 164,
    }
    assert (groups["public"]["resolved"], groups["public"]["in_progress"]) == (7601, 9)
    assert groups["to_units"]["resolved"] == 19
    assert groups["to_briefing"]["answered"] == groups["to_briefing"]["published"] == 164

    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    page = _text(html)
    for figure in FIGURES:
        assert figure in page, figure
    assert 'data-report-version="1"' in html
    # Two SVG charts; their coordinates are never localised ("1.200" would break them).
    assert html.count("data-report-chart") == 2
    widths = re.findall(r'<rect x="260" y="([^"]+)" width="([^"]+)"', html)
    assert len(widths) > 10 and all(re.fullmatch(r"[0-9.]+", v) for pair in widths for v in pair)
    # The "9 in progress" and "19" are table cells.
    assert re.search(r"7\.610\s*</td>\s*<td[^>]*>7\.601</td>\s*<td[^>]*>9</td>", html)
    assert re.search(r">19</td>\s*<td[^>]*>19</td>", html)

    pdf = client.get(PAGE + "report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    pdf_text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for figure in FIGURES:
        assert figure.strip() in pdf_text, figure
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page_ in reader.pages
        for font in page_["/Resources"]["/Font"].values()
    }
    # Only the embedded typeface of the official documents (a subset of it:
    # "ABCDEF+Decree-Serif", Liberation Serif 2 or Noto Serif: document_files.font_faces).
    assert fonts and all("Decree-Serif" in f for f in fonts), fonts

    xlsx = client.get(PAGE + "report.xlsx")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    assert len(book.sheetnames) == 7
    recs = [list(r) for r in book.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert [r[1:7] for r in recs] == [
        [7793, 7784, 9, 6, 7583, 7583],
        [7610, 7601, 9, 6, 7400, 7400],
        [19, 19, 0, 0, 19, 19],
        [164, 164, 0, 0, 164, 164],
    ]
    sheet = book.worksheets[5]
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    # Column 5 (after value and unit) says whether a figure is provisional: none is.
    assert {r[4] for r in rows.values()} == {"không"}
    assert rows["DVCTT_MUC34"][2] == 48.55 and rows["DVCTT_MUC34"][14] == 20.0
    assert rows["DVCTT_CO_HS"][2] == 29.81 and round(rows["DVCTT_CO_HS"][14]) == 56
    assert rows["NDXP"][7:9] == (55, 21)
    assert rows["ATTT_4LOP"][7:9] == (39, 12)
    assert rows["ATTT_4LOP"][2] == 61.45 and rows["LGSP"][2] == 83.7
    assert rows["GIAMSAT_QG"][2] == 39
    assert rows["QH_BAOCHI"][2] == 73 and rows["QH_BAOCHI"][5] == 46
    assert rows["DAI_XA"][2] == 9534
    assert rows["XA_CO_DAI"][2] == 89.82
    assert rows["TINH_DAI_CNTT"][2] == 42
    assert rows["DAI_CNTT"][2] == 157 and rows["DAI_CNTT"][16] == 85
    assert "Hải Dương" in rows["BLUEZONE"][21]
    summary = " ".join(str(c.value) for c in book.worksheets[0]["A"])
    assert "7.793" in summary and "48,55%" in summary


def _one_more():
    Recommendation.objects.create(
        code="KN-2020-Q3-9999",
        title="Đề nghị bổ sung",
        content="Nội dung",
        field=Field.objects.get(code="VT"),
        source_kind=SourceKind.CITIZEN,
        channel=Channel.REGULAR,
        period_year=2020,
        period_quarter=3,
        status=Status.SUBMITTED,
    )


def test_one_more_recommendation_gives_7794_in_version_2(q3, client):
    _one_more()
    result = report_tasks.rollup_quarter.apply(kwargs={"year": 2020, "quarter": 3})
    assert result.result == {"version": 2, "created": True}
    versions = list(ReportSnapshot.objects.order_by("version").values_list("version", "status"))
    assert versions == [(1, SnapshotStatus.SUPERSEDED), (2, SnapshotStatus.CURRENT)]
    page = _text(client.get(PAGE).content.decode())
    assert "7.794" in page and "7.793" not in page
    assert "7.611" in page


def test_a_rerun_without_changes_keeps_the_version(q3):
    result = report_tasks.rollup_quarter.apply(kwargs={"year": 2020, "quarter": 3})
    assert result.result == {"version": 1, "created": False}
    assert ReportSnapshot.objects.count() == 1


def test_a_failure_mid_run_keeps_the_previous_version(q3, monkeypatch, client):
    _one_more()

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(rollup, "_supersede", boom)
    with pytest.raises(RuntimeError):  # eager tasks propagate their errors here
        report_tasks.rollup_quarter.apply(kwargs={"year": 2020, "quarter": 3, "run_id": "t2"})
    assert report_tasks.progress_get("t2")["state"] == "failed"
    assert list(ReportSnapshot.objects.values_list("version", "status")) == [
        (1, SnapshotStatus.CURRENT)
    ]
    assert "7.793" in _text(client.get(PAGE).content.decode())
