"""A citizen sends a recommendation from the public form, confirms it from the e-mail's
link, follows it on the status page and receives the published answer by e-mail; the
Ministry Office registers a letter and imports the national portal's file.
Screenshots of the form, the status page and the intake pages at 1280 and 390 px."""

import datetime
import importlib
import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import Workbook

from briefing.models.organisations import Organisation, RoleCode
from briefing.models.platform import OutboxMessage
from proposals import importing
from proposals.models import Field, PublicSubmission, Recommendation, Status
from proposals.services import publishing, recommendations
from proposals.tasks import notify_event, send_submission_confirmation
from tests.conftest import make_user
from tests.e2e.test_recommendation_flow import sign_in
from tests.proposals.test_attachments import pdf_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]

FIELDS = importlib.import_module("proposals.migrations.0002_fields").FIELDS
TASKS = {
    "proposals.send_submission_confirmation": send_submission_confirmation,
    "proposals.notify_event": notify_event,
}


def run_outbox():
    """What a Celery worker would do with the queued work (the tasks claim their work,
    so running one again sends nothing twice)."""
    for message in OutboxMessage.objects.order_by("pk"):
        if message.task in TASKS:
            TASKS[message.task].apply(kwargs=message.kwargs)


@pytest.fixture
def fields(reference_data, settings):
    settings.PUBLIC_FORM_MIN_SECONDS = 0  # the browser types faster than a person
    for order, (code, name) in enumerate(FIELDS, start=1):
        Field.objects.update_or_create(code=code, defaults={"name": name, "order": order})


def test_a_citizen_sends_confirms_follows_and_gets_the_answer(
    live_server, page, screenshot, fields
):
    # In English: the new texts are not in the Vietnamese catalogue yet.
    page.context.add_cookies([{"name": "giaoban_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/answers/")
    page.locator("[data-ask-link]").click()
    page.wait_for_url("**/answers/ask/")
    screenshot("ask-form-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("ask-form-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("Citizen", exact=True).check()
    page.fill("#id_name", "Nguyễn Văn Công Dân")
    page.fill("#id_email", "cong.dan@example.vn")
    page.fill("#id_phone", "0912 345 678")
    page.select_option("#id_field", label="Viễn thông")
    page.fill("#id_title", "Sóng di động yếu ở thôn Nà Khoang")
    page.fill("#id_content", "Đề nghị Bộ chỉ đạo doanh nghiệp phủ sóng 4G cho thôn Nà Khoang.")
    # Without consent: refused next to the box, the text stays.
    page.get_by_role("button", name="Send the recommendation").click()
    assert page.locator("#id_title").input_value() == "Sóng di động yếu ở thôn Nà Khoang"
    assert page.locator("#id_consent.is-invalid").count() == 1
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Send the recommendation").click()
    page.wait_for_url("**/answers/ask/sent/")
    assert page.locator("[data-ask-sent]").count() == 1

    run_outbox()
    body = mail.outbox[-1].body
    assert mail.outbox[-1].to == ["cong.dan@example.vn"]
    link = re.search(r"https?://\S+(/answers/ask/\S+/confirm/)", body).group(1)
    page.goto(live_server.url + link)
    page.locator("[data-confirm]").click()
    page.wait_for_url("**/answers/track/**")
    rec = PublicSubmission.objects.get().recommendation
    assert rec.code in page.content()
    assert page.locator("[data-stage='received']").count() == 1

    office = make_user(RoleCode.OFFICE_COORDINATOR)
    officer = make_user(RoleCode.UNIT_OFFICER)
    leader = make_user(RoleCode.UNIT_LEADER)
    recommendations.recommendation_accept(
        recommendation_id=rec.pk,
        actor=office,
        unit=Organisation.objects.get(code="CUC-THH"),
        cooperating_units=[],
        deadline=timezone.localdate() + datetime.timedelta(days=15),
    )
    page.reload()
    assert page.locator("[data-stage='handling']").count() == 1
    assert "Tin học hóa" in page.locator("[data-step-handling]").inner_text()
    screenshot("ask-status-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("ask-status-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    recommendations.answer_save(
        recommendation_id=rec.pk,
        actor=officer,
        text="Bộ đã giao doanh nghiệp phủ sóng 4G thôn Nà Khoang trong quý I.",
        version=0,
        send_to_leader=True,
    )
    recommendations.recommendation_act(recommendation_id=rec.pk, actor=leader, action="approve")
    publishing.answer_publish(recommendation_id=rec.pk)
    mail.outbox.clear()
    run_outbox()
    to_citizen = [m for m in mail.outbox if m.to == ["cong.dan@example.vn"]]
    assert any("phủ sóng 4G thôn Nà Khoang trong quý I" in m.body for m in to_citizen)
    page.reload()
    assert page.locator("[data-stage='answered']").count() == 1
    assert "trong quý I" in page.locator("[data-answer-text]").inner_text()

    # The public answer page shows the kind of sender, never the person.
    page.goto(live_server.url + f"/answers/{rec.code}/")
    assert "Citizen" in page.content()
    assert "Công Dân" not in page.content() and "cong.dan" not in page.content()


def both_widths(page, screenshot, name):
    screenshot(f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def portal_file(*rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = importing.INTAKE_SHEET
    sheet.append([header for _name, header in importing.INTAKE_COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


PORTAL_ROW = [
    "H01.20-0042",
    "07/09/2020",
    "Doanh nghiệp",
    "Công ty TNHH Sao Mai",
    "lien.he@saomai.vn",
    "",
    "Hà Nội",
    "VT",
    "Thời hạn cấp phép mạng viễn thông dùng riêng",
    "Đề nghị Bộ cho biết thời hạn giải quyết hồ sơ cấp phép mạng viễn thông dùng riêng.",
]


def test_the_office_registers_a_letter_and_imports_the_national_portals_file(
    live_server, page, screenshot, fields
):
    office = make_user(RoleCode.OFFICE_COORDINATOR)
    page.context.add_cookies([{"name": "giaoban_language", "value": "en", "url": live_server.url}])
    sign_in(page, live_server, office)
    page.goto(live_server.url + "/proposals/")
    page.locator("[data-intake-links] a", has_text="Register a letter or call").click()
    page.wait_for_url("**/proposals/intake/")

    page.select_option("#id_received_via", label="Letter")
    page.fill("#id_received_on", "2020-09-07")
    page.fill("#id_reference", "1234/VP-TN")
    page.get_by_label("Citizen", exact=True).check()
    page.fill("#id_name", "Trần Thị Mai")
    page.fill("#id_email", "tran.mai@@example")
    page.select_option("#id_field", label="Viễn thông")
    page.fill("#id_title", "Tin nhắn rác quảng cáo gửi liên tục")
    page.fill("#id_content", "Tôi nhận hàng chục tin nhắn rác mỗi ngày, đề nghị Bộ xử lý.")
    page.set_input_files(
        "#id_attachments",
        files=[{"name": "thu-ban-doc.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    # A malformed address: refused next to the field, everything typed stays.
    page.get_by_role("button", name="Register", exact=True).click()
    assert page.locator("#id_email.is-invalid").count() == 1
    assert page.locator("#id_title").input_value() == "Tin nhắn rác quảng cáo gửi liên tục"
    assert not Recommendation.objects.filter(source_kind="citizen").exists()
    both_widths(page, screenshot, "intake-form-error")
    page.fill("#id_email", "tran.mai@example.vn")
    page.set_input_files(
        "#id_attachments",
        files=[{"name": "thu-ban-doc.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    page.get_by_role("button", name="Register", exact=True).click()
    page.wait_for_url(re.compile(r".*/proposals/\d+/$"))
    rec = Recommendation.objects.get(title="Tin nhắn rác quảng cáo gửi liên tục")
    assert rec.status == Status.SUBMITTED and rec.attachments.count() == 1
    assert rec.code in page.content() and "thu-ban-doc.pdf" in page.content()
    run_outbox()
    assert any(m.to == ["tran.mai@example.vn"] and "/answers/track/" in m.body for m in mail.outbox)

    # The national portal's file: a bad row first (nothing registered), then the file.
    page.goto(live_server.url + "/proposals/intake/")
    page.locator("[data-intake-import-link]").click()
    page.wait_for_url("**/proposals/intake/import/")
    bad = list(PORTAL_ROW)
    bad[1], bad[2] = "31/02/2020", "Sở"
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "dvcqg.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": portal_file(PORTAL_ROW, bad),
            }
        ],
    )
    page.get_by_role("button", name="Check and import").click()
    errors = page.locator("[data-import-errors]").inner_text()
    assert "Ngày tiếp nhận" in errors and "Đối tượng" in errors
    assert not Recommendation.objects.filter(source_kind="enterprise").exists()
    both_widths(page, screenshot, "intake-import-errors")
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "dvcqg.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": portal_file(PORTAL_ROW),
            }
        ],
    )
    page.get_by_role("button", name="Check and import").click()
    page.wait_for_url(lambda url: url.endswith("/proposals/"))
    assert "1 recommendation was registered" in page.content()
    imported = Recommendation.objects.get(source_kind="enterprise")
    assert imported.public_submission.received_via == "national_portal"
    assert imported.code in page.content()
    both_widths(page, screenshot, "intake-worklist")
