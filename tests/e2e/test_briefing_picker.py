"""The Ministry Office picks the participants of a briefing among ~140 organisations."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from briefing.models.organisations import Organisation, OrganisationKind, RoleCode
from briefing.models.sessions import BriefingSession
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]


def test_the_participants_are_found_without_diacritics_and_ticked_by_group(
    live_server, page, screenshot
):
    office = make_user(RoleCode.OFFICE_COORDINATOR)
    session = BriefingSession.objects.create(
        year=2020, quarter=3, date=datetime.date(2020, 9, 7), title="Giao ban Quý III/2020"
    )
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", office.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(live_server.url + "/briefings/2020-q3/edit/")

    picker = page.locator("#session [data-picker]")
    count = picker.locator("[data-picker-count]")
    # Every organisation of the briefing day but the ministry itself (it holds the briefing).
    total = (
        Organisation.objects.valid_on(session.date).exclude(kind=OrganisationKind.MINISTRY).count()
    )
    expect(count).to_have_text(f"Đã chọn 0/{total}")
    finder = picker.get_by_label("Tìm cơ quan, đơn vị")
    finder.fill("ninh binh")
    shown = picker.locator("[data-picker-option]:visible")
    expect(shown).to_have_count(1)
    expect(shown).to_have_text(re.compile("Ninh Bình"))
    finder.press("Enter")  # does not send the form
    picker.get_by_role("button", name="Chọn tất cả mục đang hiện").click()
    expect(count).to_have_text(f"Đã chọn 1/{total}")

    finder.fill("cuc tin hoc")
    picker.get_by_label("Cục Tin học hóa").check()
    expect(count).to_have_text(f"Đã chọn 2/{total}")
    finder.fill("khong co don vi nay")
    expect(picker.locator("[data-picker-empty]")).to_be_visible()
    finder.fill("")
    expect(picker.locator("[data-picker-option]:visible")).to_have_count(total)
    screenshot("briefing-participants-picker")

    page.locator("#session").get_by_role("button", name="Lưu").click()
    expect(page.locator(".alert-success, .alert-info").first).to_be_visible()
    codes = set(session.participants.values_list("code", flat=True))
    assert codes == {"T63-37", "CUC-THH"}
