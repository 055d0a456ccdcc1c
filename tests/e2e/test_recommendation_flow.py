"""Issue "Recommendations" in the browser: a department submits a recommendation, the
Ministry Office assigns it, the unit drafts the answer and the unit's leader approves it.

Each person signs in through the real login form and signs out through the user menu.
Buttons whose labels are not translated yet are found by name or data attribute, so the
test keeps passing when the Vietnamese translations arrive.
"""

import datetime
import importlib
import re

import pytest
from django.utils import timezone

from briefing.models.organisations import RoleCode
from proposals.models import Field, Recommendation, Status
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]

FIELDS = importlib.import_module("proposals.migrations.0002_fields").FIELDS
DETAIL_URL = re.compile(r".*/proposals/(\d+)/$")

TITLE = "Hướng dẫn cấp phép thiết lập mạng viễn thông dùng riêng"
CONTENT = (
    "Sở KH&CN Ninh Bình đề nghị Bộ hướng dẫn thủ tục cấp phép thiết lập mạng viễn "
    "thông dùng riêng cho các khu công nghiệp trên địa bàn tỉnh."
)
ANSWER = (
    "Cục Tin học hóa trả lời: thủ tục cấp phép thực hiện theo Nghị định 25/2011/NĐ-CP; "
    "hồ sơ nộp trực tuyến trên Cổng dịch vụ công của Bộ."
)


@pytest.fixture(autouse=True)
def fields(reference_data):
    """The fields of state management, which a migration loads and the flush removes."""
    for order, (code, name) in enumerate(FIELDS, start=1):
        Field.objects.update_or_create(code=code, defaults={"name": name, "order": order})


def sign_in(page, live_server, user):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert page.locator("[data-bs-toggle=dropdown]").inner_text().strip() == str(user)


def sign_out(page):
    page.locator("[data-bs-toggle=dropdown]").click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Đăng nhập", exact=True).is_visible()


def status_of(page) -> str:
    return page.locator("[data-status]").get_attribute("data-status")


def events_of(page) -> list[str]:
    return page.locator("[data-timeline] [data-event]").evaluate_all(
        "items => items.map(li => li.dataset.event)"
    )


def write_recommendation(page, live_server, title: str = TITLE):
    """Fill the new recommendation form with `title` and CONTENT, for the current quarter."""
    today = timezone.localdate()
    page.goto(live_server.url + "/proposals/new/")
    page.fill("#id_title", title)
    page.fill("#id_content", CONTENT)
    page.select_option("#id_field", label="Viễn thông")
    page.select_option("#id_channel", value="briefing")
    page.select_option("#id_quarter", value=f"{today.year}-{(today.month - 1) // 3 + 1}")


def test_recommendation_from_department_to_approved_answer(live_server, page, screenshot):
    # Today's department: the recommendation is for the current quarter.
    # The leader: a department sends to the Ministry with its leader's signature.
    province = make_user(RoleCode.PROVINCE_LEADER, username="so-ninhbinh", org_code="T34-37")
    office = make_user(RoleCode.OFFICE_COORDINATOR, username="vanphong", org_code="VPB")
    officer = make_user(RoleCode.UNIT_OFFICER, username="cuc-thh", org_code="CUC-THH")
    leader = make_user(RoleCode.UNIT_LEADER, username="cuc-thh-lead", org_code="CUC-THH")
    today = timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1

    # 1. The department writes the recommendation and submits it to the Ministry.
    sign_in(page, live_server, province)
    write_recommendation(page, live_server)
    page.locator("main form button[name=submit]").click()
    # Saved as a draft; the confirmation page says what sending does.
    page.wait_for_url("**/do/submit/")
    page.locator("[data-confirm-button]").click()
    page.wait_for_url(DETAIL_URL)
    pk = int(DETAIL_URL.match(page.url).group(1))
    rec = Recommendation.objects.get(pk=pk)
    assert rec.code == f"KN-{year}-Q{quarter}-0001"
    assert rec.code in page.locator("main [role=alert]").first.inner_text()
    assert page.locator("h1").inner_text() == f"{rec.code}: {TITLE}"
    assert status_of(page) == Status.SUBMITTED
    assert events_of(page) == ["submit"]
    assert "Viễn thông" in page.locator("main dl").inner_text()
    # Nothing is left for the department to do but wait (withdrawing is possible).
    assert page.locator("[data-action=withdraw]").count() == 1
    assert page.locator("[data-answer]").count() == 0
    screenshot("01-submitted")
    sign_out(page)

    # 2. The Ministry Office finds it in the worklist, accepts it and assigns a unit.
    sign_in(page, live_server, office)
    page.goto(live_server.url + "/proposals/")
    row = page.locator("main table tbody tr", has=page.get_by_role("link", name=rec.code))
    assert row.count() == 1
    assert TITLE in row.inner_text()
    assert "Sở KH&CN Ninh Bình" in row.inner_text()
    assert page.locator("[data-count=submitted]").inner_text() == "1"
    screenshot("02-worklist-office")
    row.get_by_role("link", name=rec.code).click()
    page.wait_for_url(f"**/proposals/{pk}/")
    assert status_of(page) == Status.SUBMITTED
    page.locator(f"[data-actions] a[href$='/proposals/{pk}/accept/']").click()
    page.wait_for_url(f"**/proposals/{pk}/accept/")
    # The deadline is proposed 15 days ahead (the browser's date input holds ISO and
    # shows it the reader's way).
    proposed = today + datetime.timedelta(days=15)
    assert page.input_value("#id_deadline") == proposed.isoformat()
    unit = page.locator("#id_unit option", has_text="Cục Tin học hóa")
    assert unit.count() == 1
    page.select_option("#id_unit", value=unit.get_attribute("value"))
    deadline = today + datetime.timedelta(days=20)
    page.fill("#id_deadline", deadline.isoformat())
    page.fill("#id_note", "Đề nghị Cục trả lời trước hạn.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(DETAIL_URL)
    assert status_of(page) == Status.ACCEPTED
    assert events_of(page) == ["submit", "accept"]
    details = page.locator("main dl").inner_text()
    assert "Cục Tin học hóa" in details
    assert deadline.strftime("%d/%m/%Y") in details
    assert "Đề nghị Cục trả lời trước hạn." in page.locator("[data-timeline]").inner_text()
    assert page.locator("[data-overdue]").count() == 0
    screenshot("02-assigned")
    sign_out(page)

    # 3. An officer of the unit drafts the answer and sends it to the leader.
    sign_in(page, live_server, officer)
    page.goto(live_server.url + f"/proposals/{pk}/")
    assert status_of(page) == Status.ACCEPTED
    page.locator(f"[data-actions] a[href$='/proposals/{pk}/answer/']").click()
    page.wait_for_url(f"**/proposals/{pk}/answer/")
    assert CONTENT in page.locator("main section").first.inner_text()
    page.fill("#id_text", ANSWER)
    page.fill("#id_note", "Kính trình lãnh đạo Cục duyệt.")
    page.locator("main form button[name=send]").click()
    page.wait_for_url(DETAIL_URL)
    assert status_of(page) == Status.ANSWER_DRAFTED
    assert events_of(page) == ["submit", "accept", "send_to_leader"]
    assert ANSWER in page.locator("[data-answer]").inner_text()
    # The officer cannot approve their own answer.
    assert page.locator("[data-action=approve]").count() == 0
    screenshot("03-answer-drafted")
    sign_out(page)

    # 4. The unit's leader approves the answer.
    sign_in(page, live_server, leader)
    page.goto(live_server.url + f"/proposals/{pk}/")
    assert status_of(page) == Status.ANSWER_DRAFTED
    assert ANSWER in page.locator("[data-answer]").inner_text()
    page.fill("#note-approve", "Đồng ý nội dung trả lời.")
    page.locator("button[data-action=approve]").click()
    page.wait_for_url(f"**/proposals/{pk}/do/approve/")
    assert page.input_value("#id_note") == "Đồng ý nội dung trả lời."
    page.locator("[data-confirm-button]").click()
    page.wait_for_url(DETAIL_URL)
    assert status_of(page) == Status.ANSWER_APPROVED
    assert events_of(page) == ["submit", "accept", "send_to_leader", "approve"]
    assert ANSWER in page.locator("[data-answer]").inner_text()
    assert page.locator("[data-action]").count() == 0
    screenshot("04-approved")
    sign_out(page)

    # 5. The department now sees the approved answer.
    sign_in(page, live_server, province)
    page.goto(live_server.url + f"/proposals/{pk}/")
    assert status_of(page) == Status.ANSWER_APPROVED
    assert ANSWER in page.locator("[data-answer]").inner_text()
    screenshot("05-answer-seen-by-department")

    rec = Recommendation.objects.select_related(
        "responsible_unit", "answer__approved_by", "answer__drafted_by"
    ).get(pk=pk)
    assert rec.status == Status.ANSWER_APPROVED
    assert rec.responsible_unit.code == "CUC-THH"
    assert rec.deadline == deadline
    assert rec.submitted_by.username == "so-ninhbinh"
    assert rec.answer.text == ANSWER
    assert rec.answer.drafted_by.username == "cuc-thh"
    assert rec.answer.approved_by.username == "cuc-thh-lead"
    assert rec.answer.approved_at is not None
    assert list(rec.events.values_list("action", "actor__username")) == [
        ("submit", "so-ninhbinh"),
        ("accept", "vanphong"),
        ("send_to_leader", "cuc-thh"),
        ("approve", "cuc-thh-lead"),
    ]
