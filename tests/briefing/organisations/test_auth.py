"""Sign in, start pages, navigation by role, admin access, lockout, password change."""

import re

import pytest
from django.urls import reverse

from briefing.models.organisations import RoleCode
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"

# Role -> (where sign-in lands, the marker of that start page)
START_PAGES = {
    RoleCode.OFFICE_COORDINATOR: ("/workspace/", 'data-start-page="office"'),
    RoleCode.UNIT_OFFICER: ("/workspace/", 'data-start-page="unit"'),
    RoleCode.UNIT_LEADER: ("/workspace/", 'data-start-page="unit"'),
    RoleCode.PROVINCE_OFFICER: ("/workspace/", 'data-start-page="province"'),
    RoleCode.PROVINCE_LEADER: ("/workspace/", 'data-start-page="province"'),
    RoleCode.SYSTEM_ADMIN: ("/admin/", "Quản trị cổng giao ban"),
}

PUBLIC = ["/", "/answers/", "/indicators/", "/briefings/"]
# Role -> the links of the main navigation, in order: the role's own pages, then the
# public pages and the occasional ones (the last two as groups, issue #15).
NAVIGATION = {
    RoleCode.OFFICE_COORDINATOR: ["/workspace/", "/proposals/", "/indicators/staff/"]
    + PUBLIC
    + ["/organisations/", "/security-log/"],
    RoleCode.UNIT_OFFICER: ["/workspace/", "/proposals/", "/indicators/staff/"] + PUBLIC,
    RoleCode.UNIT_LEADER: ["/workspace/", "/proposals/", "/indicators/staff/"] + PUBLIC,
    RoleCode.PROVINCE_OFFICER: ["/workspace/", "/proposals/", "/indicators/report/"] + PUBLIC,
    RoleCode.PROVINCE_LEADER: ["/workspace/", "/proposals/", "/indicators/report/"] + PUBLIC,
    RoleCode.SYSTEM_ADMIN: ["/organisations/", "/security-log/", "/admin/", "/healthz"] + PUBLIC,
}


def main_nav_links(html: str) -> list[str]:
    block = re.search(
        r'<ul class="navbar-nav me-auto" data-nav="main">(.*?)</ul>\s*<ul class="navbar-nav">',
        html,
        re.S,
    )
    return re.findall(r'href="([^"]+)"', block.group(1))


@pytest.mark.parametrize("role", list(START_PAGES))
def test_each_role_lands_on_its_own_start_page(client, user_for_role, role):
    user = user_for_role(role)
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD}, follow=True)
    path, marker = START_PAGES[role]
    assert response.redirect_chain[-1][0] == path
    assert marker in response.content.decode()


@pytest.mark.parametrize("role", list(NAVIGATION))
def test_each_role_sees_only_its_own_navigation(client, signed_in, role):
    signed_in(role)
    html = client.get("/").content.decode()
    assert main_nav_links(html) == NAVIGATION[role]


def test_anonymous_visitors_see_only_public_navigation(client, db):
    html = client.get("/").content.decode()
    assert main_nav_links(html) == PUBLIC
    assert 'href="/accounts/login/"' in html


@pytest.mark.parametrize(
    "role",
    [r for r in RoleCode if r != RoleCode.SYSTEM_ADMIN],
)
def test_only_system_admins_open_the_back_office(client, signed_in, role):
    signed_in(role)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_system_admin_opens_the_back_office(client, signed_in):
    signed_in(RoleCode.SYSTEM_ADMIN)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/briefing/organisation/").status_code == 200


def test_staff_flag_alone_does_not_open_the_back_office(client, signed_in):
    user = signed_in(RoleCode.PROVINCE_OFFICER)
    user.is_staff = True
    user.save()
    assert client.get("/admin/", follow=True).status_code == 403


def test_anonymous_admin_visit_asks_to_sign_in(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_wrong_password_and_unknown_user_get_the_same_message(client, user_for_role):
    user = user_for_role(RoleCode.UNIT_OFFICER)
    wrong = client.post(LOGIN, {"username": user.username, "password": "sai-mat-khau"})
    unknown = client.post(LOGIN, {"username": "khong-ton-tai", "password": "sai-mat-khau"})
    message = "Tên đăng nhập hoặc mật khẩu không đúng."
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert message in response.content.decode()
    # The typed user name stays in the form.
    assert f'value="{user.username}"' in wrong.content.decode()
    user.refresh_from_db()
    assert user.last_login is None and "_auth_user_id" not in client.session


def test_lockout_after_repeated_failures_says_when_to_retry(client, user_for_role, settings):
    user = user_for_role(RoleCode.PROVINCE_OFFICER)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(LOGIN, {"username": user.username, "password": "sai"})
        assert response.status_code == 200
    locked = client.post(LOGIN, {"username": user.username, "password": "sai"})
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "tạm khóa" in html
    assert re.search(r"thử lại sau \d\d:\d\d ngày \d\d/\d\d/\d{4}", html)
    assert f'value="{user.username}"' in html
    # Even the right password is refused while locked.
    again = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.last_login is None


def test_lockout_of_one_user_does_not_lock_another(client, user_for_role, settings):
    victim = user_for_role(RoleCode.PROVINCE_OFFICER)
    other = user_for_role(RoleCode.UNIT_OFFICER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": victim.username, "password": "sai"})
    response = client.post(LOGIN, {"username": other.username, "password": PASSWORD})
    assert response.status_code == 302


def test_sign_out_needs_post_and_ends_the_session(client, signed_in):
    signed_in(RoleCode.UNIT_OFFICER)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/workspace/").status_code == 302


def test_session_ends_with_the_browser_and_after_a_working_day(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60


def test_change_password(client, signed_in):
    user = signed_in(RoleCode.UNIT_OFFICER)
    url = reverse("password_change")
    bad = client.post(
        url,
        {"old_password": "sai", "new_password1": "Moi-Mat-Khau-2026", "new_password2": "x"},
    )
    assert bad.status_code == 200
    assert "errorlist" in bad.content.decode() or "invalid-feedback" in bad.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    good = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Moi-Mat-Khau-2026",
            "new_password2": "Moi-Mat-Khau-2026",
        },
        follow=True,
    )
    assert "Mật khẩu của bạn đã được thay đổi." in good.content.decode()
    user.refresh_from_db()
    assert user.check_password("Moi-Mat-Khau-2026")


def test_workspace_needs_sign_in(client, db):
    response = client.get("/workspace/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
