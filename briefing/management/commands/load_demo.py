"""Demo data for `make run`: one account per role, recommendations in every state and the
Q3/2020 quarter with its roll-up. Safe to run again; refused when DEBUG is off."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from briefing.demo.q3_2020 import load_q3_2020
from briefing.demo.recommendations import (
    load_demo_public_submissions,
    load_demo_recommendations,
)
from briefing.models.organisations import Organisation, RoleCode
from briefing.organisations import roles, services, two_factor
from briefing.reports.rollup import report_rollup

# username, organisation code, roles, first name, last name, job title
DEMO_USERS = [
    (
        "vanphong",
        "VPB",
        [RoleCode.OFFICE_COORDINATOR],
        "Lan",
        "Nguyễn Thị",
        "Chuyên viên Văn phòng Bộ",
    ),
    (
        "cuc-thh",
        "CUC-THH",
        [RoleCode.UNIT_OFFICER],
        "Minh",
        "Trần Văn",
        "Chuyên viên Cục Tin học hóa",
    ),
    (
        "cuc-thh-lead",
        "CUC-THH",
        [RoleCode.UNIT_LEADER],
        "Hùng",
        "Lê Quang",
        "Cục trưởng Cục Tin học hóa",
    ),
    # Today's departments (the 34 provinces since 1 July 2025): their accounts work in
    # the current quarter. The demo quarter Q3/2020 was reported by the departments of
    # the 63 provinces, which are organisations without accounts now.
    (
        "so-ninhbinh",
        "T34-37",
        [RoleCode.PROVINCE_OFFICER],
        "Hoa",
        "Phạm Thị",
        "Chuyên viên Sở KH&CN Ninh Bình",
    ),
    (
        "so-ninhbinh-lead",
        "T34-37",
        [RoleCode.PROVINCE_LEADER],
        "Thắng",
        "Đinh Văn",
        "Giám đốc Sở KH&CN Ninh Bình",
    ),
    (
        "so-haiphong",
        "T34-31",
        [RoleCode.PROVINCE_OFFICER],
        "Tuấn",
        "Vũ Anh",
        "Chuyên viên Sở KH&CN Hải Phòng",
    ),
    ("quantri", "VPB", [RoleCode.SYSTEM_ADMIN], "Bình", "Nguyễn Văn", "Quản trị hệ thống"),
]


class Command(BaseCommand):
    help = "Create the demo accounts (one per role). Refused when DEBUG is off."

    @translation.override(settings.LANGUAGE_CODE)
    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is never created when DEBUG is off.")
        password = settings.DEMO_PASSWORD
        organisations = Organisation.objects.in_bulk(
            [row[1] for row in DEMO_USERS], field_name="code"
        )
        with_second_factor = []
        accounts = []
        for username, org_code, role_codes, first, last, title in DEMO_USERS:
            user = services.user_upsert(
                username=username,
                organisation=organisations[org_code],
                role_codes=role_codes,
                password=password,
                first_name=first,
                last_name=last,
                job_title=title,
                email=f"{username}@demo.giaoban.local",
            )
            if two_factor.is_required(user):
                # No phone needed for the demo: one known secret (settings, DEBUG only).
                two_factor.demo_device(user, settings.DEMO_TOTP_SECRET)
                with_second_factor.append(username)
            roles_text = ", ".join(str(code.label) for code in role_codes)
            accounts.append(
                f"  {username:<18} {organisations[org_code].short_name:<22} "
                f"{roles_text:<34} {roles.start_url(user)}"
            )
        created = load_demo_recommendations()
        self.stdout.write(f"{created} demo recommendations created.")
        created, status_page = load_demo_public_submissions()
        self.stdout.write(
            f"{created} demo recommendations from the public created; the form: "
            f"/answers/ask/, a sender's status page: {status_page}"
        )
        if load_q3_2020():
            snapshot, _ = report_rollup(year=2020, quarter=3)
            self.stdout.write(
                f"Demo quarter Q3/2020 loaded; report version {snapshot.version}: "
                "/briefings/2020-q3/"
            )
        self._print_accounts(accounts, with_second_factor, password)

    def _print_accounts(self, accounts: list[str], with_second_factor: list[str], password):
        """Last, after every e-mail the demo wrote to the console (console back end,
        eager Celery), so the accounts and the password are what `make run` leaves on
        the screen above the server's lines. README.md has a tour per role."""
        sys.stdout.flush()
        self.stdout.write("")
        self.stdout.write("Demo accounts (user name, organisation, role, where it starts):")
        for line in accounts:
            self.stdout.write(line)
        self.stdout.write(
            f"Two-step verification for {', '.join(with_second_factor)}: the code of the "
            f"demo secret {settings.DEMO_TOTP_SECRET}, printed by `python manage.py demo_totp`"
            f" (or `oathtool --totp -b {settings.DEMO_TOTP_SECRET}`)."
        )
        self.stdout.write(f"Every demo account has the password: {password}")
        self.stdout.flush()
