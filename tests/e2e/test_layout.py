"""The layout as a person uses it: text size, contrast, language, signing in."""

import pytest

from briefing.models.organisations import RoleCode
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]


def root_font_px(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def test_text_size_and_contrast_are_remembered_by_the_browser(live_server, page, screenshot):
    page.goto(live_server.url + "/")
    # An English browser still gets Vietnamese first.
    assert page.locator("html").get_attribute("lang") == "vi"
    normal = root_font_px(page)
    page.get_by_role("button", name="Tăng cỡ chữ").click()
    page.get_by_role("button", name="Tăng cỡ chữ").click()
    assert root_font_px(page) == pytest.approx(normal * 1.25)
    contrast = page.locator("[data-a11y='contrast']")
    contrast.click()
    assert contrast.get_attribute("aria-pressed") == "true"

    page.goto(live_server.url + "/accounts/login/")
    assert root_font_px(page) == pytest.approx(normal * 1.25)
    assert "high-contrast" in page.locator("html").get_attribute("class")
    screenshot("login-large-text-high-contrast")

    page.get_by_role("button", name="Cỡ chữ mặc định").click()
    page.locator("[data-a11y='contrast']").click()
    page.reload()
    assert root_font_px(page) == pytest.approx(normal)
    assert "high-contrast" not in (page.locator("html").get_attribute("class") or "")


def test_language_switch_and_sign_in(live_server, page, screenshot):
    user = make_user(RoleCode.PROVINCE_OFFICER)
    page.goto(live_server.url + "/")
    screenshot("home-vi")
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="State-management briefing portal").is_visible()
    screenshot("home-en")
    page.get_by_role("link", name="Tiếng Việt").click()

    page.get_by_role("link", name="Đăng nhập", exact=True).click()
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/workspace/")
    assert page.locator("h1").inner_text().startswith("Bàn làm việc của Sở TT&TT Ninh Bình")
    screenshot("workspace-province")
