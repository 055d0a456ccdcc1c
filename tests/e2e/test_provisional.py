"""A provisional national figure as the public sees it, on a desktop and on a phone:
marked, with its coverage, and with no change arrow."""

import pytest
from playwright.sync_api import expect

from briefing.models.organisations import RoleCode
from tests.conftest import make_user
from tests.indicators.conftest import load

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]


@pytest.mark.parametrize(("width", "name"), [(1280, "desktop"), (390, "phone")])
def test_a_provisional_figure_is_marked_on_every_screen(live_server, page, screenshot, width, name):
    office = make_user(RoleCode.OFFICE_COORDINATOR)
    for label, online in (("Q2/2020", 40), ("Q3/2020", 48)):
        load(office, label, "CUC-THH", {"T63-01": {"DVC_TONG": 100, "DVC_MUC34": online}})
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(live_server.url + "/indicators/?period=Q3-2020")
    row = page.locator("tr[data-indicator='DVCTT_MUC34']")
    expect(row.locator("[data-provisional]")).to_be_visible()
    expect(row.locator("[data-provisional]")).to_have_text("tạm tính")
    expect(row.locator("[data-change]")).to_have_count(0)
    screenshot(f"indicators-provisional-{name}")

    page.goto(live_server.url + "/indicators/DVCTT_MUC34/?period=Q3-2020")
    expect(page.locator("[data-provisional-note]")).to_be_visible()
    screenshot(f"indicator-provisional-{name}")
