import io
import sys

import pytest
from django.conf import settings as django_settings
from django.core.mail import send_mail
from django.core.management import CommandError, call_command
from django.test import override_settings

from briefing.management.commands import load_demo as load_demo_command
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

    def test_the_accounts_and_the_password_are_printed_last(self, demo_output):
        lines = demo_output.rstrip().splitlines()
        assert lines[-1] == f"Every demo account has the password: {django_settings.DEMO_PASSWORD}"
        assert lines[-2].startswith("Two-step verification for vanphong")
        table = lines[-3 - len(load_demo_command.DEMO_USERS) : -2]
        assert table[0].startswith("Demo accounts")
        for line, row in zip(table[1:], load_demo_command.DEMO_USERS, strict=True):
            assert line.split()[0] == row[0]
        assert table[1].endswith("/workspace/")  # where each account starts
        assert lines[-3].split()[0] == "quantri" and lines[-3].endswith("/admin/")

    def test_the_accounts_come_after_the_emails_the_demo_writes(self, capsys, monkeypatch):
        """`make run` has console e-mail: what the demo's steps e-mail goes to the same
        terminal, and must not push the accounts out of sight."""

        def loads_and_emails():
            send_mail("Kiến nghị đã được gửi", "Nội dung", "noreply@demo", ["so@demo"])
            return 0

        monkeypatch.setattr(load_demo_command, "load_demo_recommendations", loads_and_emails)
        with override_settings(
            DEBUG=True,
            PASSWORD_HASHERS=FAST_HASHER,
            EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        ):
            call_command("load_demo", stdout=sys.stdout)
        out = capsys.readouterr().out
        assert out.index("Subject: ") < out.index("Demo accounts")
        assert out.rstrip().splitlines()[-1].endswith(django_settings.DEMO_PASSWORD)


def test_demo_is_never_created_with_debug_off(settings):
    settings.DEBUG = False
    before = (User.objects.count(), Recommendation.objects.count())
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")
    assert not User.objects.filter(username="vanphong").exists()
    assert (User.objects.count(), Recommendation.objects.count()) == before
