"""Issue "KPI indicators" in the browser: Sở TT&TT Ninh Bình enters and submits its
Q3/2020 values, Cục Tin học hóa approves them, and the public chart shows the new
national figure. Buttons are found by name or data attribute, not by translated text.
"""

import pytest

from briefing.models.organisations import Organisation, RoleCode
from indicators.catalogue import sync_catalogue, sync_scopes
from indicators.models import DataElement, Indicator, ReportingPeriod, Status, Submission
from tests.conftest import make_user
from tests.e2e.test_recommendation_flow import sign_in, sign_out

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]

VALUES = {
    "DVC_TONG": "1200",
    "DVC_MUC34": "600",
    "DVC_MUC34_HS": "300",
    "BLUEZONE": "350000",
    "THUE_BAO": "1000000",
}
CHOICES = {"NDXP": "1", "LGSP": "1", "CDS_XA": "1", "DO_THI_TM": "0", "IOC": "0"}


@pytest.fixture(autouse=True)
def catalogue(reference_data):
    """The catalogue and periods, which a migration loads and the flush removes."""
    sync_catalogue(DataElement, Indicator, ReportingPeriod, Organisation)
    sync_scopes(Indicator, Organisation)


def test_province_reports_unit_approves_public_chart_shows_it(live_server, page, screenshot):
    # The leader: a department sends to the Ministry with its leader's signature.
    province = make_user(RoleCode.PROVINCE_LEADER, username="so-ninhbinh", org_code="T63-37")
    officer = make_user(RoleCode.UNIT_OFFICER, username="cuc-thh", org_code="CUC-THH")

    # 1. The department opens its reports for Q3/2020 and the form of Cục Tin học hóa.
    sign_in(page, live_server, province)
    page.goto(live_server.url + "/indicators/report/?period=Q3-2020")
    assert page.locator("[data-reports] tr[data-unit]").count() == 4
    page.locator("tr[data-unit=CUC-THH] a[href$='/indicators/report/Q3-2020/CUC-THH/']").click()
    page.wait_for_url("**/indicators/report/Q3-2020/CUC-THH/")
    # A wrong value first: the page names it and nothing is stored.
    page.fill("#id_DVC_TONG", "1200")
    page.fill("#id_DVC_MUC34", "1300")
    page.locator("main form button[name=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-error=DVC_MUC34]").is_visible()
    assert not Submission.objects.exists()
    screenshot("ind-01-form-error")
    for code, value in VALUES.items():
        page.fill(f"#id_{code}", value)
    for code, value in CHOICES.items():
        page.select_option(f"#id_{code}", value=value)
    screenshot("ind-02-form-filled")
    page.locator("main form button[name=submit]").click()
    # The confirmation page says what sending does; nothing is stored before it.
    page.wait_for_selector("[data-confirm=submit]")
    assert not Submission.objects.exists()
    page.locator("[data-confirm-button]").click()
    page.wait_for_url("**/indicators/report/?period=Q3-2020")
    assert page.locator("tr[data-unit=CUC-THH] [data-status]").get_attribute("data-status") == (
        Status.SUBMITTED
    )
    report = Submission.objects.get()
    assert report.status == Status.SUBMITTED and report.submitted_by == province
    sign_out(page)

    # Nothing is public before approval.
    page.goto(live_server.url + "/indicators/")
    assert page.locator("[data-no-figures]").count() == 1

    # 2. Cục Tin học hóa finds it among the reports to review and approves it.
    sign_in(page, live_server, officer)
    page.goto(live_server.url + "/indicators/review/")
    page.locator(f"tr[data-submission='{report.pk}'] a").click()
    page.wait_for_url(f"**/indicators/reports/{report.pk}/")
    assert "1.200" in page.locator("tr[data-element=DVC_TONG] [data-value]").inner_text()
    screenshot("ind-03-review")
    page.locator("button[data-action=approve]").click()
    page.wait_for_url(f"**/indicators/reports/{report.pk}/approve/")
    page.locator("[data-confirm-button]").click()
    page.wait_for_url(f"**/indicators/reports/{report.pk}/")
    assert page.locator("[data-status]").first.get_attribute("data-status") == Status.APPROVED
    page.goto(live_server.url + "/indicators/staff/DVCTT_MUC34/?period=Q3-2020")
    row = page.locator("tr[data-entity=T63-37]")
    assert "50" in row.inner_text()
    screenshot("ind-04-staff-entities")
    page.goto(live_server.url + "/indicators/staff/?period=Q3-2020")
    screenshot("ind-05-staff-dashboard")
    sign_out(page)

    # 3. The public dashboard and chart show the new national figure: 600/1200 = 50%.
    page.goto(live_server.url + "/indicators/")
    row = page.locator("tr[data-indicator=DVCTT_MUC34]")
    assert "50,00%" in row.inner_text()
    screenshot("ind-06-public-dashboard")
    row.locator("a").click()
    page.wait_for_url("**/indicators/DVCTT_MUC34/?period=Q3-2020")
    page.wait_for_selector("canvas[data-chart=trend][data-drawn]")
    chart_values = page.evaluate(
        "() => Chart.getChart(document.querySelector('canvas[data-chart=trend]'))"
        ".data.datasets[0].data"
    )
    assert chart_values[-1] == 50
    assert "50,00" in page.locator("[data-trend-table] tr[data-period='Q3/2020']").inner_text()
    assert page.locator("[data-ranking-table] tr[data-entity=T63-37]").count() == 1
    assert page.locator("canvas[data-chart=ranking][data-drawn]").count() == 1
    screenshot("ind-07-public-chart")
