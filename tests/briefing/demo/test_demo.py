import io

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from briefing.models.organisations import RoleCode, User
from briefing.organisations import roles
from proposals.models import Recommendation
from tests.briefing.conftest import rolled_back

pytestmark = pytest.mark.django_db

EXPECTED = {
    "vanphong": ("VPB", RoleCode.OFFICE_COORDINATOR),
    "cuc-thh": ("CUC-THH", RoleCode.UNIT_OFFICER),
    "cuc-thh-lead": ("CUC-THH", RoleCode.UNIT_LEADER),
    "so-ninhbinh": ("T34-37", RoleCode.PROVINCE_OFFICER),
    "so-haiphong": ("T34-31", RoleCode.PROVINCE_OFFICER),
}
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_demo() -> str:
    out = io.StringIO()
    with override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHER):
        call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def demo_output(django_db_setup, django_db_blocker):
    """The demo, loaded once for the class (its quarter alone costs 5-19 s) and rolled
    back after the class's last test."""
    with rolled_back(django_db_blocker):
        yield load_demo()


@pytest.mark.usefixtures("demo_output")
class TestTheLoadedDemo:
    def test_demo_creates_one_account_per_role(self, demo_output):
        assert django_settings.DEMO_PASSWORD in demo_output
        for username, (org_code, role) in EXPECTED.items():
            user = User.objects.get(username=username)
            assert user.organisation.code == org_code
            assert roles.has_role(user, role)
        held = set(User.objects.filter(roles__isnull=False).values_list("roles__code", flat=True))
        assert held == set(RoleCode.values)

    def test_demo_is_idempotent(self):
        before = (User.objects.count(), Recommendation.objects.count())
        load_demo()
        assert (User.objects.count(), Recommendation.objects.count()) == before

    @pytest.mark.parametrize("username", list(EXPECTED))
    def test_each_demo_account_signs_in_with_the_printed_password(self, client, username):
        response = client.post(
            "/accounts/login/",
            {"username": username, "password": django_settings.DEMO_PASSWORD},
        )
        assert response.status_code == 302
        assert response["Location"] == "/start/"


def test_demo_is_never_created_with_debug_off(settings):
    settings.DEBUG = False
    before = (User.objects.count(), Recommendation.objects.count())
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")
    assert not User.objects.filter(username="vanphong").exists()
    assert (User.objects.count(), Recommendation.objects.count()) == before
