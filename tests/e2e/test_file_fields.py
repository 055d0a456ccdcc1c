"""Files in the browser: a department officer chooses a file, sends the form with a
title too short, and the page says which file to choose again (the browser dropped
it); on the edit page the attached files are listed, and one is replaced in one save.
Screenshots at 1366 and 390 px wide."""

import importlib

import pytest
from playwright.sync_api import expect

from briefing.models.organisations import RoleCode
from proposals.models import Field, Recommendation
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import SCREENSHOTS
from tests.proposals.test_attachments import docx_bytes, pdf_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]

FIELDS = importlib.import_module("proposals.migrations.0002_fields").FIELDS


@pytest.fixture(autouse=True)
def fields(reference_data):
    for order, (code, name) in enumerate(FIELDS, start=1):
        Field.objects.update_or_create(code=code, defaults={"name": name, "order": order})


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def sign_in(page, live_server, user):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_the_form_names_the_file_to_choose_again_and_the_edit_page_replaces_it(
    page, live_server, media
):
    # A department as it is now (the default quarter is one it exists in).
    officer = make_user(RoleCode.PROVINCE_OFFICER, username="t-so-ninhbinh-2025", org_code="T34-37")
    sign_in(page, live_server, officer)
    page.goto(live_server.url + "/proposals/new/")
    page.fill("#id_title", "KN")  # too short
    page.fill("#id_content", "Sở đề nghị Bộ hướng dẫn kết nối nền tảng tích hợp cấp tỉnh.")
    page.select_option("#id_field", label=FIELDS[3][1])
    page.set_input_files(
        "#id_attachments",
        [{"name": "baocao.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    page.locator("button[name=save]").click()

    note = page.locator("[data-choose-again]")
    expect(note).to_contain_text("baocao.pdf")
    assert page.locator("#id_attachments").evaluate("input => input.files.length") == 0
    shoot(page, "files-choose-again")

    page.fill("#id_title", "Đề nghị hướng dẫn kết nối nền tảng LGSP")
    page.set_input_files(
        "#id_attachments",
        [{"name": "baocao.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    page.locator("button[name=save]").click()
    page.wait_for_url(lambda url: "/proposals/new/" not in url)
    rec = Recommendation.objects.get()
    attachment = rec.attachments.get()

    page.goto(live_server.url + f"/proposals/{rec.pk}/edit/")
    row = page.locator(f'[data-attached="replace-{attachment.pk}"]')
    expect(row).to_contain_text("baocao.pdf")
    row.locator("input[type=file]").set_input_files(
        [{"name": "baocao-ky.docx", "mimeType": "application/octet-stream", "buffer": docx_bytes()}]
    )
    shoot(page, "files-edit-list")
    page.locator("button[name=save]").click()
    page.wait_for_url(lambda url: "/edit/" not in url)

    expect(page.locator("[data-attachment]")).to_have_count(1)
    expect(page.locator("[data-attachment]")).to_contain_text("baocao-ky.docx")
    assert list(rec.attachments.values_list("original_name", flat=True)) == ["baocao-ky.docx"]


def test_enter_in_the_title_saves_the_draft_not_the_similar_check(page, live_server, media):
    """The form's first submit button answers Enter: the hidden "Save draft" at its top,
    not "Check for similar recommendations", which comes before the visible buttons."""
    officer = make_user(
        RoleCode.PROVINCE_OFFICER, username="t-so-ninhbinh-enter", org_code="T34-37"
    )
    sign_in(page, live_server, officer)
    page.goto(live_server.url + "/proposals/new/")
    page.fill("#id_content", "Sở đề nghị Bộ hướng dẫn kết nối nền tảng tích hợp cấp tỉnh.")
    page.select_option("#id_field", label=FIELDS[3][1])
    page.fill("#id_title", "Đề nghị hướng dẫn kết nối nền tảng tích hợp")
    page.press("#id_title", "Enter")
    page.wait_for_url(lambda url: url.rstrip("/").split("/")[-1].isdigit())
    rec = Recommendation.objects.get(title="Đề nghị hướng dẫn kết nối nền tảng tích hợp")
    assert page.url.endswith(f"/proposals/{rec.pk}/")
    assert rec.status == "draft"
