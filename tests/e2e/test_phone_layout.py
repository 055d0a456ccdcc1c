"""Issue #15, phones and the menu: the tables with many columns read at 390 px wide
(each row a card, nothing scrolls sideways or is cut off), and the main menu stays on
one line at 1366 and 1280 px for every role. Every page is photographed at 390 and
1366 px (test-results/e2e/)."""

import pytest

from briefing.demo import q3_2020 as demo_q3_2020
from briefing.models.organisations import RoleCode
from briefing.reports import rollup
from tests.conftest import PASSWORD
from tests.e2e.conftest import SCREENSHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

# page name -> (path, a row of its wide table, what that row must show on a phone)
PUBLIC_PAGES = {
    "answers": ("/answers/", "[data-answer]", ["Sent by", "Answered by", "Answer"]),
    "indicators": ("/indicators/?period=Q3-2020", "[data-national-table] tbody tr", ["Value"]),
    "indicator": (
        "/indicators/DVCTT_MUC34/?period=Q3-2020",
        "[data-ranking-table] tbody tr",
        [],
    ),
    "briefing": ("/briefings/2020-q3/", "[data-report-table=indicators] tbody tr", ["Value"]),
}
STAFF_PAGES = {
    "organisations": ("/organisations/", "[data-organisation-table] tbody tr", ["Code", "Kind"]),
    "indicator-entities": (
        "/indicators/staff/DVCTT_MUC34/?period=Q3-2020",
        "[data-entity-table] tbody tr",
        ["Value", "Status"],
    ),
}

# Nothing wider than the window: the page itself, and no table scrolling inside its
# .table-responsive box either (that is content cut off on a phone).
OVERFLOW = """() => {
  const page = document.scrollingElement.scrollWidth - window.innerWidth;
  const boxes = [...document.querySelectorAll('main .table-responsive, main table')]
    .filter(el => el.offsetParent !== null)
    .map(el => el.scrollWidth - el.clientWidth);
  return Math.max(page, 0, ...boxes);
}"""


def sign_in(page, live_server, user):
    """Signs in (a system administrator lands on the back office, without our menu)."""
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def q3_2020():
    assert demo_q3_2020.load_q3_2020() is True
    rollup.report_rollup(year=2020, quarter=3)


def check_page(page, live_server, screenshot, name, path, row, labels):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + path)
    assert page.evaluate(OVERFLOW) <= 0, f"{name} is wider than a phone"
    first = page.locator(row).first
    assert first.is_visible()
    box = first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    for cell in first.locator("td, th").all():
        if cell.is_visible():
            cell_box = cell.bounding_box()
            assert cell_box["x"] + cell_box["width"] <= PHONE["width"] + 0.5, name
    # Each figure is led by its column's name, since the header row is not shown.
    shown = first.locator("td[data-label]").evaluate_all(
        "cells => cells.filter(c => c.offsetParent !== null).map(c => c.dataset.label)"
    )
    for label in labels:
        assert label in shown, (name, label, shown)
    screenshot(f"phone-{name}-390")
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + path)
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    # Wide: an ordinary table again, its header row visible.
    assert page.locator(row).first.evaluate("tr => getComputedStyle(tr).display") == "table-row"
    screenshot(f"phone-{name}-1366")


def test_wide_tables_read_on_a_phone(live_server, page, screenshot, q3_2020, user_for_role):
    page.context.add_cookies([{"name": "giaoban_language", "value": "en", "url": live_server.url}])
    for name, (path, row, labels) in PUBLIC_PAGES.items():
        check_page(page, live_server, screenshot, name, path, row, labels)
    sign_in(page, live_server, user_for_role(RoleCode.OFFICE_COORDINATOR))
    for name, (path, row, labels) in STAFF_PAGES.items():
        check_page(page, live_server, screenshot, name, path, row, labels)


MENU_ROLES = [
    RoleCode.OFFICE_COORDINATOR,
    RoleCode.SYSTEM_ADMIN,
    RoleCode.UNIT_LEADER,
    RoleCode.PROVINCE_OFFICER,
]


def on_one_line(page) -> bool:
    """The menu's entries (links, groups, the bell) share one horizontal band: every
    entry starts above the point where the first one ends."""
    boxes = page.locator(
        "#main-nav > ul > li > a, #main-nav > ul > li > details > summary, [data-bell]"
    ).evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; })"
    )
    return max(top for top, _ in boxes) < min(bottom for _, bottom in boxes)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_menu_stays_on_one_line_for_every_role(live_server, page, user_for_role, language):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.context.add_cookies(
        [{"name": "giaoban_language", "value": language, "url": live_server.url}]
    )
    for role in MENU_ROLES:
        sign_in(page, live_server, user_for_role(role))
        for width in (1366, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + "/answers/")
            assert on_one_line(page), (role, width)
            navbar = page.locator("header nav.navbar")
            assert navbar.bounding_box()["height"] < 70, (role, width)
            assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
            # Every entry inside the window, none cut off at the right.
            right = page.locator("#main-nav").evaluate(
                "nav => Math.max(...[...nav.querySelectorAll('.nav-link')]"
                ".filter(e => e.offsetParent !== null)"
                ".map(e => e.getBoundingClientRect().right))"
            )
            assert right <= width, (role, width)
            navbar.screenshot(path=str(SCREENSHOTS / f"menu-{role}-{language}-{width}.png"))
        page.context.clear_cookies()
        page.context.add_cookies(
            [{"name": "giaoban_language", "value": language, "url": live_server.url}]
        )


def test_menu_groups_open_with_the_keyboard_and_without_javascript(
    live_server, browser, user_for_role
):
    office = user_for_role(RoleCode.OFFICE_COORDINATOR)
    for javascript in (True, False):
        context = browser.new_context(
            viewport=DESKTOP, locale="en-US", java_script_enabled=javascript
        )
        page = context.new_page()
        page.context.add_cookies(
            [{"name": "giaoban_language", "value": "en", "url": live_server.url}]
        )
        sign_in(page, live_server, office)
        more = page.locator("details[data-nav-group]").filter(has_text="More")
        link = more.get_by_role("link", name="Security log")
        assert not link.is_visible()
        more.locator("summary").focus()
        page.keyboard.press("Enter")
        assert link.is_visible()
        if javascript:  # closed by Escape, focus back on the group's name
            page.keyboard.press("Escape")
            assert not link.is_visible()
        context.close()
