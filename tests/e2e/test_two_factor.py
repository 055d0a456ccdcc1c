"""Two-factor sign-in in the browser: a unit officer signs in for the first time, sets
up the authenticator app from the QR page (the code computed here from the secret the
page shows), keeps the recovery codes, signs out and signs in again with a code. And the
idle sign-out keeps the text typed into a form.

Elements are found by data attributes and ids, so the test keeps passing when the
Vietnamese translations of the new texts arrive.
"""

import base64
import importlib
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django_otp.oath import TOTP

from briefing.models.organisations import RoleCode
from briefing.organisations import login_sessions
from proposals.models import Field
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data", "real_two_factor")]


def code_from(secret_text: str, steps_ahead: int = 0) -> str:
    """What an authenticator app fed with the page's secret would show."""
    totp = TOTP(base64.b32decode(secret_text.replace(" ", "")))
    totp.time = time.time() + steps_ahead * totp.step
    return f"{totp.token():06d}"


def password_step(page, live_server, user):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()


def test_enrolment_and_sign_in_with_a_second_factor(live_server, page, screenshot):
    refused = []
    page.on("console", lambda message: refused.append(message.text))
    user = make_user(RoleCode.UNIT_OFFICER)
    password_step(page, live_server, user)
    page.wait_for_url("**/accounts/two-factor/setup/**")

    qr = page.locator("img[data-qr-code]")
    # The QR code is a data: image, which the CSP allows; it must load and be big enough
    # for a phone's camera.
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", qr.element_handle())
    box = qr.bounding_box()
    assert box["width"] >= 200 and box["height"] >= 200
    secret = page.locator("[data-totp-secret]").inner_text()
    screenshot("two-factor-enrolment-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    assert qr.bounding_box()["width"] >= 200
    screenshot("two-factor-enrolment-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.fill("#id_code", "000000")
    page.locator("[data-two-factor-form] button[type=submit]").click()
    assert page.locator("#id_code.is-invalid").count() == 1
    page.fill("#id_code", code_from(secret))
    page.locator("[data-two-factor-form] button[type=submit]").click()
    page.wait_for_url("**/accounts/two-factor/recovery-codes/**")
    codes = page.locator("[data-recovery-codes] li").all_inner_texts()
    assert len(codes) == 10
    screenshot("two-factor-recovery-codes")
    page.locator("[data-recovery-continue]").click()
    page.wait_for_url("**/workspace/")

    page.locator("[data-bs-toggle=dropdown]").click()
    page.locator("form[data-sign-out] button").click()
    page.wait_for_load_state()

    password_step(page, live_server, user)
    page.wait_for_url("**/accounts/two-factor/?next=*")
    screenshot("two-factor-verify")
    # The code of the enrolment was used: the next one signs in.
    page.fill("#id_code", code_from(secret, steps_ahead=1))
    page.locator("[data-two-factor-form] button[type=submit]").click()
    page.wait_for_url("**/workspace/")
    assert page.locator("[data-session-timer]").count() == 1
    assert not [text for text in refused if "Content Security Policy" in text], refused


# The form's save button posts the page; the similar check posts in the background
# (static/js/similar.js), and its sign-in redirect must take the page along.
@pytest.mark.parametrize("button", ["button[name=save]", "[data-similar-check]"])
def test_text_typed_before_an_idle_sign_out_is_filled_in_again(live_server, page, button):
    fields = importlib.import_module("proposals.migrations.0002_fields").FIELDS
    for order, (code, name) in enumerate(fields, start=1):
        Field.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    user = make_user(RoleCode.PROVINCE_OFFICER)
    password_step(page, live_server, user)
    page.wait_for_url("**/workspace/")
    page.goto(live_server.url + "/proposals/new/")
    text = "Đề nghị Bộ hướng dẫn cấp phép mạng viễn thông dùng riêng cho khu công nghiệp."
    page.fill("#id_title", "Cấp phép mạng dùng riêng")
    page.fill("#id_content", text)

    # 31 minutes without a request, as the server sees it.
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=key)
    session[login_sessions.LAST_ACTIVITY_KEY] = int(time.time()) - 31 * 60
    session.save()

    page.locator(f"main form {button}").click()
    page.wait_for_url("**/accounts/login/?next=%2Fproposals%2Fnew%2F*idle=1")
    assert page.locator("[data-signed-out-idle]").is_visible()
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/proposals/new/")
    assert page.input_value("#id_content") == text
    assert page.input_value("#id_title") == "Cấp phép mạng dùng riêng"
