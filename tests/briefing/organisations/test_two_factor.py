"""Two-factor sign-in and sessions, through the real forms: who must enrol, the codes,
recovery codes, the lockout, the reset by an administrator, new session ids, signing
out of other devices and the idle timeout."""

import io
import re
import time
from datetime import timedelta

import django_otp
import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from briefing.models.organisations import RoleCode, SecurityEvent, SecurityEventKind
from briefing.organisations import login_sessions, two_factor
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_two_factor")]

LOGIN = "/accounts/login/"
VERIFY = "/accounts/two-factor/"
SETUP = "/accounts/two-factor/setup/"
CODES = "/accounts/two-factor/recovery-codes/"
ACCOUNT = "/accounts/"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
REQUIRED = [
    RoleCode.OFFICE_COORDINATOR,
    RoleCode.UNIT_OFFICER,
    RoleCode.UNIT_LEADER,
    RoleCode.SYSTEM_ADMIN,
]
OPTIONAL = [RoleCode.PROVINCE_OFFICER, RoleCode.PROVINCE_LEADER]


def code_for(device, steps_ahead: int = 0) -> str:
    """The code the person's app shows now (or `steps_ahead` periods of 30 s later:
    a code signs in once, so a second sign-in within the same period takes the next)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def password_step(client, user, next_url: str = ""):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(LOGIN, data)
    assert response.status_code == 302, response.content[:300]
    return response


def sign_in_verified(client, user, steps_ahead: int = 0):
    """Password, then the app's code; the user gets an app device if they have none."""
    device = two_factor.app_device(user) or two_factor.demo_device(user, SECRET)
    password_step(client, user)
    response = client.post(VERIFY, {"code": code_for(device, steps_ahead)})
    assert response.status_code == 302, response.content[:500]
    return device


def events(kind, user=None):
    rows = SecurityEvent.objects.filter(kind=kind)
    return rows.filter(subject=user) if user is not None else rows


# Who must have it -----------------------------------------------------------------


@pytest.mark.parametrize("role", REQUIRED)
def test_ministry_staff_and_admins_must_enrol_after_the_password(client, user_for_role, role):
    user = user_for_role(role)
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == SETUP + "?next=%2Fstart%2F"
    assert "data-qr-code" in response.content.decode()
    # Nothing else opens until the second factor is given, public pages included.
    for path in ("/workspace/", "/proposals/", "/answers/", "/admin/", ACCOUNT):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(VERIFY + "?next="), path
    assert client.get(VERIFY, follow=True).redirect_chain[-1][0].startswith(SETUP)
    assert client.post("/proposals/new/", {"title": "x"})["Location"] == VERIFY
    # Signing out and switching the language still work.
    assert client.get("/language/en/?next=/accounts/two-factor/setup/").status_code == 302
    client.post("/accounts/logout/")
    assert client.get("/workspace/")["Location"].startswith(LOGIN)


@pytest.mark.parametrize("role", OPTIONAL)
def test_departments_sign_in_with_the_password_alone(client, user_for_role, role):
    user = user_for_role(role)
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/workspace/"
    page = client.get(ACCOUNT).content.decode()
    assert 'data-two-factor="off"' in page
    assert 'href="/accounts/two-factor/setup/"' in page


def test_a_department_turns_it_on_and_is_then_asked_for_the_code(client, user_for_role):
    user = user_for_role(RoleCode.PROVINCE_OFFICER)
    password_step(client, user)
    assert client.get(SETUP).status_code == 200
    device = two_factor.app_device(user, confirmed=False)
    assert client.post(SETUP, {"code": code_for(device)}).status_code == 302
    client.post("/accounts/logout/")

    password_step(client, user)
    assert client.get("/workspace/")["Location"] == VERIFY + "?next=%2Fworkspace%2F"
    response = client.post(VERIFY, {"code": code_for(device, 1), "next": "/workspace/"})
    assert response["Location"] == "/workspace/"
    assert 'data-two-factor="on"' in client.get(ACCOUNT).content.decode()


def test_a_department_may_turn_it_off_ministry_staff_may_not(client, user_for_role):
    province = user_for_role(RoleCode.PROVINCE_OFFICER)
    sign_in_verified(client, province)
    client.post("/accounts/two-factor/turn-off/")
    assert not two_factor.has_device(province)
    assert events(SecurityEventKind.SECOND_FACTOR_RESET, province).count() == 1

    officer = user_for_role(RoleCode.UNIT_OFFICER)
    other = Client()
    sign_in_verified(other, officer)
    assert other.post("/accounts/two-factor/turn-off/").status_code == 404
    assert two_factor.has_device(officer)


# Enrolment --------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_secret_then_ten_recovery_codes_once(
    client, user_for_role
):
    user = user_for_role(RoleCode.UNIT_OFFICER)
    password_step(client, user)
    page = client.get(SETUP).content.decode()
    device = two_factor.app_device(user, confirmed=False)
    assert re.search(r'<img src="data:image/svg\+xml[^"]+"[^>]*data-qr-code', page)
    assert two_factor.secret_text(device) in page
    # The same secret on a reload: the QR code already scanned stays valid.
    assert client.get(SETUP).content.decode().count(two_factor.secret_text(device)) == 1
    assert two_factor.app_device(user, confirmed=False).pk == device.pk

    wrong = client.post(SETUP, {"code": "000000"})
    assert "This code is not correct" in wrong.content.decode() or "không đúng" in (
        wrong.content.decode()
    )
    assert not two_factor.has_device(user)

    response = client.post(SETUP, {"code": code_for(device), "next": "/proposals/"})
    assert response["Location"] == CODES + "?next=%2Fproposals%2F"
    page = client.get(response["Location"]).content.decode()
    codes = re.findall(r'<li class="col py-1">([a-z2-7]{8})</li>', page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )
    # Shown once only.
    assert client.get(CODES)["Location"] == ACCOUNT
    assert client.get("/proposals/").status_code == 200
    assert events(SecurityEventKind.SECOND_FACTOR_ENROLLED, user).count() == 1
    assert events(SecurityEventKind.SECOND_FACTOR_FAILED, user).count() == 1


def test_the_password_alone_cannot_replace_an_existing_app(client, user_for_role):
    user = user_for_role(RoleCode.UNIT_LEADER)
    device = two_factor.demo_device(user, SECRET)
    password_step(client, user)
    assert client.get(SETUP)["Location"] == VERIFY
    assert client.post(SETUP, {"code": "123456"})["Location"] == VERIFY
    assert list(TOTPDevice.objects.filter(user=user)) == [device]


def test_new_recovery_codes_replace_the_old_ones(client, user_for_role):
    user = user_for_role(RoleCode.OFFICE_COORDINATOR)
    sign_in_verified(client, user)
    old = set(two_factor.new_recovery_codes(user))
    response = client.post(CODES)
    assert response["Location"] == CODES
    page = client.get(CODES).content.decode()
    new = set(re.findall(r'<li class="col py-1">([a-z2-7]{8})</li>', page))
    assert len(new) == 10 and not (new & old)
    assert two_factor.recovery_codes_left(user) == 10


# The second step ------------------------------------------------------------------


def test_the_right_code_opens_the_account_and_a_wrong_one_does_not(client, user_for_role):
    user = user_for_role(RoleCode.UNIT_OFFICER)
    device = two_factor.demo_device(user, SECRET)
    password_step(client, user, next_url="/proposals/")
    response = client.get("/start/")
    assert response["Location"] == VERIFY + "?next=%2Fstart%2F"

    wrong = client.post(VERIFY, {"code": "000000"})
    assert wrong.status_code == 200
    assert client.get("/workspace/").status_code == 302

    response = client.post(VERIFY, {"code": code_for(device)[:3] + " " + code_for(device)[3:]})
    assert response["Location"] == "/workspace/"
    assert client.get("/workspace/").status_code == 200
    failed = events(SecurityEventKind.SECOND_FACTOR_FAILED, user).get()
    assert failed.detail == "sai mã lần 1/5"
    assert failed.actor == user


def test_a_code_is_accepted_once(user_for_role):
    user = user_for_role(RoleCode.UNIT_OFFICER)
    device = two_factor.demo_device(user, SECRET)
    code = code_for(device)
    first, second = Client(), Client()
    password_step(first, user)
    password_step(second, user)
    assert first.post(VERIFY, {"code": code}).status_code == 302
    assert second.post(VERIFY, {"code": code}).status_code == 200
    assert second.get("/workspace/").status_code == 302


def test_the_session_id_changes_at_the_second_step(client, user_for_role):
    user = user_for_role(RoleCode.OFFICE_COORDINATOR)
    device = two_factor.demo_device(user, SECRET)
    password_step(client, user)
    before = client.session.session_key
    client.post(VERIFY, {"code": code_for(device)})
    after = client.session.session_key
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert client.session[django_otp.DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_a_recovery_code_works_once(user_for_role):
    user = user_for_role(RoleCode.UNIT_LEADER)
    two_factor.demo_device(user, SECRET)
    code = two_factor.new_recovery_codes(user)[3]
    first, second = Client(), Client()
    password_step(first, user)
    response = first.post(VERIFY, {"code": code.upper()}, follow=True)
    assert response.redirect_chain[-1][0] == "/workspace/"
    assert "9" in response.content.decode()  # "9 left"
    assert two_factor.recovery_codes_left(user) == 9

    password_step(second, user)
    assert second.post(VERIFY, {"code": code}).status_code == 200
    assert second.get("/workspace/").status_code == 302
    used = events(SecurityEventKind.RECOVERY_CODE_USED, user).get()
    assert used.detail == "còn 9 mã khôi phục"


def test_five_wrong_codes_lock_the_second_step(client, user_for_role, settings):
    user = user_for_role(RoleCode.SYSTEM_ADMIN)
    device = two_factor.demo_device(user, SECRET)
    password_step(client, user)
    statuses = [client.post(VERIFY, {"code": f"00000{i}"}).status_code for i in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    locked = client.post(VERIFY, {"code": code_for(device)})
    assert locked.status_code == 429
    assert "data-two-factor-locked" in locked.content.decode()
    assert client.get("/admin/").status_code == 302
    # A new session (another computer) is locked too: the count is the account's.
    other = Client()
    password_step(other, user)
    assert other.get(VERIFY).status_code == 429
    assert events(SecurityEventKind.SECOND_FACTOR_FAILED, user).count() == 6
    assert events(SecurityEventKind.LOCKED_OUT, user).count() == 1

    # Fifteen minutes later the right code is accepted and the count starts again.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - settings.TWO_FACTOR_LOCKOUT
    )
    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_recovery_code_guesses_count_towards_the_lockout(client, user_for_role):
    user = user_for_role(RoleCode.UNIT_OFFICER)
    two_factor.demo_device(user, SECRET)
    two_factor.new_recovery_codes(user)
    password_step(client, user)
    for guess in ("aaaaaaaa", "bbbbbbbb", "<script>", "x" * 20, "22222222"):
        client.post(VERIFY, {"code": guess})
    assert client.get(VERIFY).status_code == 429


# Reset by a system administrator ----------------------------------------------------


def test_a_system_admin_resets_a_second_factor_and_it_is_recorded(user_for_role):
    officer = user_for_role(RoleCode.UNIT_OFFICER)
    officer_client = Client()
    sign_in_verified(officer_client, officer)
    admin = user_for_role(RoleCode.SYSTEM_ADMIN)
    admin_client = Client()
    sign_in_verified(admin_client, admin)

    change_page = admin_client.get(f"/admin/briefing/user/{officer.pk}/change/").content.decode()
    reset_url = f"/accounts/two-factor/reset/{officer.pk}/"
    assert f'href="{reset_url}"' in change_page
    assert admin_client.get(reset_url).status_code == 200
    refused = admin_client.post(reset_url, {"reason": ""})
    assert refused.status_code == 200 and two_factor.has_device(officer)

    response = admin_client.post(reset_url, {"reason": "Mất điện thoại, đã gọi xác nhận"})
    assert response["Location"] == f"/admin/briefing/user/{officer.pk}/change/"
    assert not two_factor.has_device(officer)
    assert two_factor.recovery_codes_left(officer) == 0
    # Their sessions end; the next sign-in enrols a new app.
    assert officer_client.get("/workspace/")["Location"].startswith(LOGIN)
    assert password_step(Client(), officer)
    reset = events(SecurityEventKind.SECOND_FACTOR_RESET, officer).get()
    assert (reset.actor, reset.detail) == (admin, "Mất điện thoại, đã gọi xác nhận")


@pytest.mark.parametrize("role", [RoleCode.OFFICE_COORDINATOR, RoleCode.PROVINCE_LEADER])
def test_only_system_admins_reset_a_second_factor(client, user_for_role, role):
    target = user_for_role(RoleCode.UNIT_OFFICER)
    two_factor.demo_device(target, SECRET)
    user = user_for_role(role)
    sign_in_verified(client, user)
    url = f"/accounts/two-factor/reset/{target.pk}/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x"}).status_code == 403
    assert two_factor.has_device(target)


def test_django_otp_admin_pages_do_not_show_secrets(client, user_for_role):
    sign_in_verified(client, user_for_role(RoleCode.SYSTEM_ADMIN))
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


# Sessions ---------------------------------------------------------------------------


def test_sign_out_of_other_devices_ends_every_other_session(user_for_role):
    user = user_for_role(RoleCode.UNIT_OFFICER)
    laptop, office_pc = Client(), Client()
    sign_in_verified(laptop, user)
    sign_in_verified(office_pc, user, steps_ahead=1)
    colleague = user_for_role(RoleCode.PROVINCE_OFFICER)
    colleague_client = Client()
    colleague_client.force_login(colleague)

    response = laptop.post("/accounts/sign-out-other-devices/", follow=True)
    assert response.redirect_chain[-1][0] == ACCOUNT
    assert laptop.get("/workspace/").status_code == 200
    assert office_pc.get("/workspace/")["Location"].startswith(LOGIN)
    assert colleague_client.get("/workspace/").status_code == 200
    event = events(SecurityEventKind.SIGNED_OUT_ELSEWHERE, user).get()
    assert event.detail == "đã kết thúc 1 phiên khác"


def test_sign_out_of_other_devices_is_post_only(client, user_for_role):
    sign_in_verified(client, user_for_role(RoleCode.UNIT_OFFICER))
    assert client.get("/accounts/sign-out-other-devices/").status_code == 405


def idle_for(client, seconds: int) -> None:
    session = client.session
    session[login_sessions.LAST_ACTIVITY_KEY] = int(time.time()) - seconds
    session.save()


@pytest.mark.parametrize("role", [RoleCode.UNIT_OFFICER, RoleCode.PROVINCE_OFFICER])
def test_a_session_ends_after_the_idle_time(client, user_for_role, settings, role):
    settings.STAFF_IDLE_MINUTES = 30
    user = user_for_role(role)
    sign_in_verified(client, user)
    idle_for(client, 29 * 60)
    assert client.get("/workspace/").status_code == 200
    idle_for(client, 30 * 60 + 1)
    key = client.session.session_key
    response = client.get("/proposals/?status=submitted")
    assert (
        response["Location"] == "/accounts/login/?next=%2Fproposals%2F%3Fstatus%3Dsubmitted&idle=1"
    )
    assert not Session.objects.filter(session_key=key).exists()
    login_page = client.get(response["Location"]).content.decode()
    assert "data-signed-out-idle" in login_page
    assert client.get("/workspace/")["Location"].startswith(LOGIN)


def test_activity_is_written_at_most_once_a_minute(client, user_for_role):
    user = user_for_role(RoleCode.UNIT_OFFICER)
    sign_in_verified(client, user)
    client.get("/workspace/")
    first = client.session[login_sessions.LAST_ACTIVITY_KEY]
    idle_for(client, 30)
    stamp = client.session[login_sessions.LAST_ACTIVITY_KEY]
    client.get("/workspace/")
    assert client.session[login_sessions.LAST_ACTIVITY_KEY] == stamp  # not written again
    idle_for(client, 61)
    client.get("/workspace/")
    assert client.session[login_sessions.LAST_ACTIVITY_KEY] >= first


def test_the_idle_timer_asks_without_counting_as_activity(client, user_for_role, settings):
    settings.STAFF_IDLE_MINUTES = 30
    sign_in_verified(client, user_for_role(RoleCode.OFFICE_COORDINATOR))
    idle_for(client, 25 * 60)
    asked = client.get("/accounts/session/").json()
    assert asked["signed_in"] and 4 * 60 < asked["seconds_left"] <= 5 * 60
    assert client.get("/accounts/session/").json()["seconds_left"] <= 5 * 60
    kept = client.post("/accounts/session/").json()
    assert kept["seconds_left"] > 29 * 60
    idle_for(client, 31 * 60)
    assert client.get("/accounts/session/").json() == {"signed_in": False, "seconds_left": 0}


def test_signed_in_pages_carry_the_idle_timer_and_public_ones_no_session(client, user_for_role):
    assert "data-session-timer" not in client.get("/").content.decode()
    assert "sessionid" not in client.cookies
    sign_in_verified(client, user_for_role(RoleCode.UNIT_OFFICER))
    page = client.get("/workspace/").content.decode()
    assert 'data-idle-seconds="1800"' in page
    assert 'href="/accounts/"' in page


def test_without_the_suite_fixture_force_login_owes_the_second_factor(user_for_role):
    """tests/conftest.py gives the second factor at every test sign-in; the tests here
    ask for `real_two_factor`, which turns that off."""
    user = user_for_role(RoleCode.UNIT_LEADER)
    plain = Client()
    plain.force_login(user)
    assert plain.get("/workspace/")["Location"].startswith(VERIFY)


# Demo accounts ------------------------------------------------------------------------


def test_demo_totp_prints_the_code_of_the_demo_secret(settings, user_for_role):
    settings.DEBUG = True
    user = user_for_role(RoleCode.UNIT_OFFICER)
    device = two_factor.demo_device(user, settings.DEMO_TOTP_SECRET)
    out = io.StringIO()
    call_command("demo_totp", stdout=out, stderr=io.StringIO())
    printed = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", printed)
    assert printed in {code_for(device, step) for step in (-1, 0)}
    assert device.confirmed


def test_demo_totp_is_refused_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(Exception, match="DEBUG"):
        call_command("demo_totp", stdout=io.StringIO())


def test_lockout_time_is_read_from_settings(settings):
    assert timedelta(minutes=15) == settings.TWO_FACTOR_LOCKOUT
    assert settings.TWO_FACTOR_FAILURE_LIMIT == 5


def test_a_code_from_addstatictoken_lets_a_locked_out_admin_in(client, user_for_role):
    """docs/security.md: the way in for the last system administrator without a phone."""
    user = user_for_role(RoleCode.SYSTEM_ADMIN)
    two_factor.demo_device(user, SECRET)
    two_factor.new_recovery_codes(user)
    out = io.StringIO()
    call_command("addstatictoken", user.username, stdout=out)
    password_step(client, user)
    assert client.post(VERIFY, {"code": out.getvalue().strip()})["Location"] == "/admin/"
