import io

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from briefing.models.organisations import RoleCode, User
from briefing.organisations import roles

pytestmark = pytest.mark.django_db

EXPECTED = {
    "vanphong": ("VPB", RoleCode.OFFICE_COORDINATOR),
    "cuc-thh": ("CUC-THH", RoleCode.UNIT_OFFICER),
    "cuc-thh-lead": ("CUC-THH", RoleCode.UNIT_LEADER),
    "so-ninhbinh": ("T34-37", RoleCode.PROVINCE_OFFICER),
    "so-haiphong": ("T34-31", RoleCode.PROVINCE_OFFICER),
}


def load_demo(settings) -> str:
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_creates_one_account_per_role(settings):
    output = load_demo(settings)
    assert django_settings.DEMO_PASSWORD in output
    for username, (org_code, role) in EXPECTED.items():
        user = User.objects.get(username=username)
        assert user.organisation.code == org_code
        assert roles.has_role(user, role)
    held = set(User.objects.filter(roles__isnull=False).values_list("roles__code", flat=True))
    assert held == set(RoleCode.values)


def test_demo_is_idempotent(settings):
    load_demo(settings)
    before = User.objects.count()
    load_demo(settings)
    assert User.objects.count() == before


@pytest.mark.parametrize("username", list(EXPECTED))
def test_each_demo_account_signs_in_with_the_printed_password(client, settings, username):
    load_demo(settings)
    response = client.post(
        "/accounts/login/",
        {"username": username, "password": django_settings.DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/start/"


def test_demo_is_never_created_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")
    assert not User.objects.filter(username="vanphong").exists()
