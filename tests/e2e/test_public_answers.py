"""The public answers as a citizen uses them: search without diacritics, open an
answer, rate it once, and see the visitor counters filled in."""

import importlib

import pytest
from playwright.sync_api import expect

from briefing.models.organisations import RoleCode
from proposals.models import Field, Status
from tests.conftest import make_user
from tests.proposals.conftest import bring_to

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]

FIELDS = importlib.import_module("proposals.migrations.0002_fields").FIELDS


@pytest.fixture
def answer(reference_data):
    for order, (code, name) in enumerate(FIELDS, start=1):
        Field.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    people = {
        "province": make_user(RoleCode.PROVINCE_OFFICER),
        "office": make_user(RoleCode.OFFICE_COORDINATOR),
        "officer": make_user(RoleCode.UNIT_OFFICER),
        "leader": make_user(RoleCode.UNIT_LEADER),
    }
    bring_to(Status.PUBLISHED, people, title="Đánh giá mức độ chuyển đổi số cấp xã")
    return bring_to(Status.PUBLISHED, people, title="Quy hoạch mạng bưu chính công cộng")


def test_search_open_rate_once(live_server, page, screenshot, answer):
    page.goto(live_server.url + "/answers/")
    page.fill("#id_q", "chuyen doi so")
    page.get_by_role("button", name="Tìm kiếm").click()
    rows = page.locator("tr[data-answer]")
    assert rows.count() == 1
    assert "chuyển đổi số" in rows.first.inner_text()
    screenshot("answers-search-without-diacritics")

    page.goto(live_server.url + f"/answers/{answer.code}/")
    summary = page.locator("[data-rating-summary]")
    assert summary.inner_text() == "Chưa có đánh giá."
    page.locator("[data-stars='4']").click()
    # Locator assertions wait without eval(), which the page's CSP forbids (a string
    # given to wait_for_function is evaluated that way once it has to poll).
    expect(summary).to_have_text("4,0/5 từ 1 lượt đánh giá")
    page.locator("[data-stars='1']").click()
    expect(page.locator("[data-rating-status]")).to_contain_text("đã đánh giá")
    assert summary.inner_text() == "4,0/5 từ 1 lượt đánh giá"  # one vote per browser

    # The page is cached for everyone, yet a reload shows the vote and this reader's own.
    page.reload()
    expect(summary).to_have_text("4,0/5 từ 1 lượt đánh giá")
    expect(page.locator("[data-rating-status]")).to_have_text("Bạn đã chấm trả lời này 4/5 sao.")

    # The footer's counters come from /visits.json into the cached page.
    expect(page.locator("[data-visits-total]")).not_to_have_text("…")
    assert int(page.locator("[data-visits-total]").inner_text().replace(".", "")) >= 2
    screenshot("answer-rated")
