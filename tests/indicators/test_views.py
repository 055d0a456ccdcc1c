"""Pages: data entry, review, staff dashboards, the public dashboard and exports; who
may open what; query counts of the list pages."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from briefing.models.organisations import RoleCode
from indicators.models import Indicator, Status, Submission
from tests.confirmation import confirmed
from tests.conftest import count_queries
from tests.indicators.conftest import load, stored

FORM = "/indicators/report/Q3-2020/CUC-THH/"
FULL = {
    "DVC_TONG": "1200",
    "DVC_MUC34": "600",
    "DVC_MUC34_HS": "300",
    "NDXP": "1",
    "LGSP": "1",
    "BLUEZONE": "350000",
    "THUE_BAO": "1000000",
    "CDS_XA": "1",
    "DO_THI_TM": "0",
    "IOC": "0",
}
PROVINCES = [f"T63-{c}" for c in ("01", "02", "04", "06", "08", "10", "11", "12")]


def test_the_report_index_lists_the_owner_units(client, signed_in):
    signed_in(RoleCode.PROVINCE_LEADER)
    response = client.get("/indicators/report/", {"period": "Q3-2020"})
    assert response.status_code == 200
    units = [unit.code for unit, _s in response.context["reports"]]
    assert set(units) == {"CUC-ATTT", "CUC-BC", "CUC-THH", "CUC-TTCS"}


def test_unit_staff_and_the_public_cannot_enter_values(client, signed_in):
    assert client.get("/indicators/report/").status_code == 302
    signed_in(RoleCode.UNIT_OFFICER)
    assert client.get("/indicators/report/").status_code == 403
    assert client.get(FORM).status_code == 403


def test_the_form_shows_the_previous_period_beside_each_field(client, people):
    load(people["office"], "Q2/2020", "CUC-THH", {"T63-37": {"DVC_TONG": 1100, "NDXP": 0}})
    client.force_login(people["province"])
    response = client.get(FORM)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-previous="DVC_TONG">1.100<' in html
    assert 'data-previous="DVC_MUC34">—<' in html


def test_bad_values_are_shown_by_field_and_nothing_is_saved(client, people):
    client.force_login(people["province"])
    response = client.post(FORM, FULL | {"DVC_TONG": "-1", "DVC_MUC34": "abc", "submit": "1"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"DVC_TONG", "DVC_MUC34"}
    assert 'data-error="DVC_TONG"' in response.content.decode()
    assert not Submission.objects.exists()


def test_a_nul_byte_is_refused_in_vietnamese_next_to_the_field(client, people):
    client.force_login(people["province"])
    response = client.post(
        FORM, FULL | {"DVC_TONG": "12\x0000", "comment": "Ghi chú\x00", "submit": "1"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"DVC_TONG", "comment"}
    assert all("Không được chứa ký tự rỗng" in errors[name][0] for name in errors)
    assert not Submission.objects.exists()


def test_save_draft_then_submit(client, people):
    client.force_login(people["province"])
    assert client.post(FORM, {"DVC_TONG": "1200", "save": "1"}).status_code == 302
    assert Submission.objects.get().status == Status.DRAFT
    response = client.post(FORM, confirmed(FULL | {"submit": "1"}))
    assert response.status_code == 302
    assert Submission.objects.get().status == Status.SUBMITTED
    # Sent: the form shows the values, read-only.
    page = client.get(FORM).content.decode()
    assert "data-locked" in page and 'data-value="DVC_TONG">1200<' in page
    before = stored()
    assert client.post(FORM, FULL | {"DVC_TONG": "1300", "submit": "1"}).status_code == 409
    assert stored() == before


def test_a_big_change_asks_for_a_comment(client, people):
    load(people["office"], "Q2/2020", "CUC-THH", {"T63-37": {"BLUEZONE": 100000}})
    client.force_login(people["province"])
    before = stored()
    response = client.post(FORM, FULL | {"submit": "1"})
    assert response.status_code == 400
    assert stored() == before
    assert list(response.context["form"].errors) == ["comment"]
    assert 'data-warning="BLUEZONE"' in response.content.decode()
    assert not Submission.objects.filter(period__number=3).exists()
    response = client.post(FORM, confirmed(FULL | {"submit": "1", "comment": "Chiến dịch tháng 8"}))
    assert response.status_code == 302


def test_the_owner_unit_approves_through_the_page(client, people):
    client.force_login(people["province"])
    client.post(FORM, confirmed(FULL | {"submit": "1"}))
    report = Submission.objects.get()
    client.force_login(people["officer"])
    review = client.get("/indicators/review/")
    assert [s.pk for s in review.context["submissions"]] == [report.pk]
    page = client.get(f"/indicators/reports/{report.pk}/")
    assert 'data-action="approve"' in page.content.decode()
    client.post(f"/indicators/reports/{report.pk}/approve/", confirmed({"note": ""}))
    assert Submission.objects.get().status == Status.APPROVED


def test_a_report_is_404_for_those_who_may_not_see_it(client, people):
    client.force_login(people["province"])
    client.post(FORM, confirmed(FULL | {"submit": "1"}))
    report = Submission.objects.get()
    before = stored()
    for someone in ("other_province", "other_unit"):
        client.force_login(people[someone])
        assert client.get(f"/indicators/reports/{report.pk}/").status_code == 404
        assert client.post(f"/indicators/reports/{report.pk}/approve/").status_code == 404
        assert client.get(f"/indicators/reports/{report.pk}/approve/").status_code == 404
    assert Submission.objects.get().status == Status.SUBMITTED
    assert stored() == before
    client.force_login(people["other_province"])
    assert client.get(f"/indicators/staff/entities/{report.organisation_id}/").status_code == 404


def test_the_public_dashboard_shows_approved_national_figures(client, people):
    load(
        people["office"],
        "Q3/2020",
        "CUC-THH",
        {"T63-01": {"DVC_TONG": 10, "DVC_MUC34": 1}, "T63-02": {"DVC_TONG": 100, "DVC_MUC34": 90}},
    )
    load(people["office"], "Q3/2020", "CUC-BC", {"T63-01": {"QH_BAOCHI": 1}}, approve=False)
    response = client.get("/indicators/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-indicator="DVCTT_MUC34"' in html and "82,73%" in html
    rows = {r.indicator.code: r for r in response.context["rows"]}
    assert rows["QH_BAOCHI"].figure.value is None  # submitted, not approved
    detail = client.get("/indicators/DVCTT_MUC34/", {"period": "Q3-2020"})
    assert detail.status_code == 200
    assert detail.context["chart"]["trend"]["values"][-1] == pytest.approx(82.727272, 1e-5)
    assert 'id="indicator-chart-data"' in detail.content.decode()
    assert "<script>" not in detail.content.decode()


def test_exports_contain_what_is_shown(client, people):
    load(people["office"], "Q3/2020", "CUC-BC", {"T63-01": {"QH_BAOCHI": 1}})
    text = client.get("/indicators/export.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    press = next(r for r in rows if r[0] == "QH_BAOCHI")
    assert press[2] == "Q3/2020" and press[3] == "2" and press[7:9] == ["1", "63"]
    book = load_workbook(io.BytesIO(client.get("/indicators/QH_BAOCHI/export.xlsx").content))
    values = list(book.active.iter_rows(values_only=True))
    assert values[-1][2] == "Sở Thông tin và Truyền thông Hà Nội" and values[-1][5] == 1
    assert client.get("/indicators/export.pdf").status_code == 404


def test_the_public_sees_no_figures_before_any_approval(client, db):
    response = client.get("/indicators/")
    assert response.status_code == 200 and "data-no-figures" in response.content.decode()
    assert client.get("/indicators/DVCTT_MUC34/").status_code == 404


def test_staff_pages_need_a_ministry_role(client, people):
    client.force_login(people["province"])
    assert client.get("/indicators/staff/").status_code == 403
    client.force_login(people["officer"])
    assert client.get("/indicators/staff/", {"period": "Q3-2020"}).status_code == 200


def test_the_staff_table_has_traffic_lights_ranking_and_completeness(client, people):
    load(
        people["office"],
        "Q3/2020",
        "CUC-THH",
        {
            "T63-01": {"BLUEZONE": 40, "THUE_BAO": 100},
            "T63-02": {"BLUEZONE": 10, "THUE_BAO": 100},
        },
        approve=False,
    )
    client.force_login(people["officer"])
    response = client.get("/indicators/staff/BLUEZONE/", {"period": "Q3-2020"})
    rows = [(r.code, r.rank, light) for r, light, _label in response.context["rows"][:3]]
    assert rows == [("T63-01", 1, "green"), ("T63-02", 2, "red"), ("T63-04", 3, "none")]
    assert response.context["complete"]["reported"] == 2
    entity = client.get(f"/indicators/staff/entities/{response.context['rows'][0][0].pk}/")
    assert entity.status_code == 200


def _grow(people, count):
    load(
        people["office"],
        "Q3/2020",
        "CUC-THH",
        {code: {"BLUEZONE": 10 + i, "THUE_BAO": 100} for i, code in enumerate(PROVINCES[:count])},
    )


@pytest.mark.parametrize(
    "url",
    [
        "/indicators/",
        "/indicators/BLUEZONE/",
        "/indicators/staff/",
        "/indicators/staff/BLUEZONE/",
        "/indicators/review/?status=approved",
        "/indicators/report/",
    ],
)
def test_list_pages_take_the_same_queries_with_one_or_many_rows(client, people, url):
    user = people["province"] if "/report/" in url else people["office"]
    client.force_login(user)
    _grow(people, 1)
    one = count_queries(client, url)
    Submission.objects.all().delete()
    _grow(people, len(PROVINCES))
    assert count_queries(client, url) == one


def test_the_public_ranking_shows_each_value_with_its_fraction_and_unit(client, people):
    load(
        people["office"],
        "Q3/2020",
        "CUC-THH",
        {"T63-01": {"BLUEZONE": 35000, "THUE_BAO": 120000}},
    )
    html = client.get("/indicators/BLUEZONE/", {"period": "Q3-2020"}).content.decode()
    # The national figure and the province's row, on every database (29,00 on SQLite).
    assert html.count("29,17%") >= 2
    row = re.search(r'<tr data-entity="T63-01">.*?</tr>', html, re.S).group(0)
    assert "29,17%" in row


def test_a_provisional_figure_is_marked_with_its_coverage_and_no_change_arrow(client, people):
    for label, online in (("Q2/2020", 40), ("Q3/2020", 48)):
        load(
            people["office"],
            label,
            "CUC-THH",
            {"T63-01": {"DVC_TONG": 100, "DVC_MUC34": online, "DVC_MUC34_HS": 0}},
        )
    html = client.get("/indicators/", {"period": "Q3-2020"}).content.decode()
    row = re.search(r'<tr data-indicator="DVCTT_MUC34".*?</tr>', html, re.S).group(0)
    assert "data-provisional" in row and "tạm tính" in row and "▲" not in row
    detail = client.get("/indicators/DVCTT_MUC34/", {"period": "Q3-2020"}).content.decode()
    assert "data-provisional-note" in detail and "1/92 đơn vị đã báo cáo" in detail
    figures = client.get("/api/v1/indicators/DVCTT_MUC34/figures/").json()
    assert figures[-1]["provisional"] is True


def test_the_owner_unit_sets_the_provisional_threshold_and_others_cannot(client, people):
    url = "/indicators/staff/DVCTT_MUC34/?period=Q3-2020"
    client.force_login(people["officer"])  # Cục Tin học hóa owns it
    assert "Tạm tính khi tỷ lệ đơn vị đã báo cáo thấp hơn" in client.get(url).content.decode()
    before = stored()
    bad = client.post(url, {"provisional_below": "150"})
    assert bad.status_code == 400
    assert stored() == before
    assert "provisional_below" in bad.context["threshold_form"].errors
    assert 'value="150"' in bad.content.decode()
    assert Indicator.objects.get(code="DVCTT_MUC34").provisional_below == 80
    assert client.post(url, {"provisional_below": "60"}).status_code == 302
    assert Indicator.objects.get(code="DVCTT_MUC34").provisional_below == 60

    client.force_login(people["other_unit"])  # Cục An toàn thông tin
    assert client.get(url).status_code == 200
    assert "data-threshold-form" not in client.get(url).content.decode()
    before = stored()
    assert client.post(url, {"provisional_below": "1"}).status_code == 403
    assert Indicator.objects.get(code="DVCTT_MUC34").provisional_below == 60
    assert stored() == before
