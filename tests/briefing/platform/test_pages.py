"""Public pages, language, formats, error pages and the organisation list."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from briefing.models.organisations import Organisation, RoleCode
from tests.conftest import count_queries
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_home_is_in_vietnamese_even_for_an_english_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert "Giao ban quản lý nhà nước" in html
    assert "Đăng nhập" in html


def test_language_switch_changes_the_page_and_is_remembered(client):
    response = client.get("/language/en/", {"next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "State-management briefing portal" in html
    assert "Sign in" in html
    # Remembered for the next page of this browser.
    assert '<html lang="en">' in client.get("/accounts/login/").content.decode()
    back = client.get("/language/vi/", {"next": "/"}, follow=True)
    assert "Giao ban quản lý nhà nước" in back.content.decode()


def test_unknown_language_cookie_falls_back_to_vietnamese(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="vi">' in client.get("/").content.decode()


def test_unknown_url_gets_a_404_page_in_the_portal_layout(client):
    response = client.get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html
    assert 'class="portal-header"' in html  # the portal's own layout, not a bare page


def test_pages_carry_a_strict_content_security_policy(client):
    csp = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


@pytest.mark.parametrize(
    ("template", "value", "expected"),
    [
        ("{{ v }}", 7793, "7.793"),
        ("{{ v|floatformat:2 }}", Decimal("48.55"), "48,55"),
        ("{{ v|date:'SHORT_DATE_FORMAT' }}", datetime.date(2020, 9, 7), "07/09/2020"),
        ("{{ v|date:'DATE_FORMAT' }}", datetime.date(2020, 9, 7), "07/09/2020"),
    ],
)
def test_vietnamese_number_and_date_formats(template, value, expected):
    with translation.override("vi"):
        assert Template(template).render(Context({"v": value})) == expected


def test_time_zone_is_hanoi(settings):
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"


def test_accessibility_controls_and_skip_link_on_every_page(client):
    html = client.get("/").content.decode()
    for action in ("smaller", "reset", "larger", "contrast"):
        assert f'data-a11y="{action}"' in html
    assert 'href="#main"' in html
    assert "<script>" not in html and "style=" not in html  # CSP: no inline code


class TestOrganisationList:
    url = "/organisations/"

    def test_coordinator_filters_by_kind_and_date(self, client, signed_in):
        signed_in(RoleCode.OFFICE_COORDINATOR)
        response = client.get(self.url, {"kind": "province", "valid_on": "07/09/2020"})
        assert response.status_code == 200
        assert response.context["page"].paginator.count == 63
        response = client.get(self.url, {"kind": "province", "valid_on": "01/07/2025"})
        assert response.context["page"].paginator.count == 34

    def test_search_by_name(self, client, signed_in):
        signed_in(RoleCode.OFFICE_COORDINATOR)
        response = client.get(self.url, {"q": "Hải Dương"})
        names = [org.name for org in response.context["page"]]
        assert names == ["Sở Thông tin và Truyền thông Hải Dương"]
        assert "Sở KH&amp;CN Hải Phòng" in response.content.decode()

    def test_bad_date_shows_an_error_and_keeps_the_input(self, client, signed_in):
        signed_in(RoleCode.OFFICE_COORDINATOR)
        html = client.get(self.url, {"valid_on": "31/02/2020"}).content.decode()
        assert "Nhập một ngày hợp lệ." in html
        assert 'value="31/02/2020"' in html

    @pytest.mark.parametrize(
        "role", [RoleCode.PROVINCE_OFFICER, RoleCode.UNIT_OFFICER, RoleCode.UNIT_LEADER]
    )
    def test_other_roles_are_refused(self, client, signed_in, role):
        signed_in(role)
        assert client.get(self.url).status_code == 403

    def test_anonymous_is_sent_to_sign_in(self, client):
        assert client.get(self.url).status_code == 302

    def test_query_count_does_not_grow_with_rows(
        self, client, signed_in, django_assert_num_queries
    ):
        signed_in(RoleCode.OFFICE_COORDINATOR)
        params = {"kind": "ministry_unit"}
        few = count_queries(client, self.url, params)
        OrganisationFactory.create_batch(40, successor=Organisation.objects.get(code="CUC-THH"))
        with django_assert_num_queries(few):
            response = client.get(self.url, params)
        assert len(response.context["page"]) == 50


def test_workspace_query_count_does_not_grow_with_colleagues(
    client, signed_in, django_assert_num_queries
):
    user = signed_in(RoleCode.PROVINCE_OFFICER)
    one = count_queries(client, "/workspace/")
    UserFactory.create_batch(25, organisation=user.organisation)
    with django_assert_num_queries(one):
        response = client.get("/workspace/")
    assert len(response.context["colleagues"]) == 26


def test_ids_in_attributes_are_never_localised():
    """With thousand separators on, {{ obj.pk }} renders 4441 as "4.441": an id or
    number that a script or test reads from an attribute must use |unlocalize."""
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[3] / "templates"
    offenders = []
    for path in templates.rglob("*.html"):
        for match in re.finditer(
            r'(?:data-[\w-]+|value|max)="\{\{ ([^}|]+) \}\}"', path.read_text()
        ):
            expression = match.group(1).strip()
            if expression.endswith((".pk", ".id", "_id", ".count", "count", "total")):
                offenders.append(f"{path.name}: {match.group(0)}")
    assert offenders == []
