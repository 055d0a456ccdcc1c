"""The security log: what is recorded by itself, who reads it, filters, CSV, and that
nobody can change it."""

import csv
import datetime
import io

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from briefing.models.organisations import (
    Organisation,
    Role,
    RoleCode,
    SecurityEvent,
    SecurityEventKind,
)
from briefing.organisations import security_log
from indicators import services as indicator_services
from indicators.models import ReportingPeriod
from proposals.models import Status
from tests.conftest import count_queries, make_user
from tests.proposals.conftest import bring_to, make_people

LOGIN = "/accounts/login/"
LOG = "/security-log/"


@pytest.fixture
def people_for_publication(db):
    return make_people()


def events(kind):
    return list(SecurityEvent.objects.filter(kind=kind).order_by("pk"))


def test_a_failed_sign_in_and_a_lockout_are_recorded_with_the_typed_name(client, db, settings):
    make_user(RoleCode.PROVINCE_OFFICER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "t-so-ninhbinh", "password": "sai"})
    failed = events(SecurityEventKind.SIGN_IN_FAILED)
    assert len(failed) == settings.AXES_FAILURE_LIMIT
    assert {e.username for e in failed} == {"t-so-ninhbinh"}
    assert failed[0].ip == "127.0.0.1" and failed[0].path == LOGIN
    assert failed[0].actor is None
    locked = events(SecurityEventKind.LOCKED_OUT)
    assert [e.username for e in locked] == ["t-so-ninhbinh"]


def test_a_refused_page_is_recorded(client, signed_in):
    user = signed_in(RoleCode.PROVINCE_OFFICER)
    assert client.get("/organisations/").status_code == 403
    [event] = events(SecurityEventKind.PERMISSION_DENIED)
    assert (event.actor, event.path, event.organisation) == (
        user,
        "/organisations/",
        user.organisation,
    )


def test_role_organisation_and_account_changes_are_recorded(db):
    user = make_user(RoleCode.UNIT_OFFICER)
    before = SecurityEvent.objects.count()
    user.roles.add(Role.objects.get(code=RoleCode.UNIT_LEADER))
    user.roles.remove(Role.objects.get(code=RoleCode.UNIT_OFFICER))
    user.organisation = Organisation.objects.get(code="CUC-ATTT")
    user.save()
    user.is_active = False
    user.save()
    recorded = list(SecurityEvent.objects.order_by("pk")[before:])
    assert [(e.kind, e.subject, e.detail) for e in recorded] == [
        (SecurityEventKind.ROLES_CHANGED, user, f"+{RoleCode.UNIT_LEADER}"),
        (SecurityEventKind.ROLES_CHANGED, user, f"-{RoleCode.UNIT_OFFICER}"),
        (SecurityEventKind.ORGANISATION_CHANGED, user, "CUC-THH → CUC-ATTT"),
        (SecurityEventKind.ACCOUNT_CHANGED, user, "inactive"),
    ]
    # Read in the reader's language: role names and the account's new state.
    assert recorded[0].detail_display == f"+{RoleCode.UNIT_LEADER.label}"
    assert recorded[3].detail_display == "đã vô hiệu hóa"


def test_a_change_made_in_a_request_names_the_person_who_made_it(db):
    admin_user = make_user(RoleCode.SYSTEM_ADMIN)
    officer = make_user(RoleCode.UNIT_OFFICER)
    request = RequestFactory().post("/admin/briefing/user/")
    request.user = admin_user

    def change_roles(request):
        officer.roles.add(Role.objects.get(code=RoleCode.UNIT_LEADER))
        return None

    security_log.remember_request(change_roles)(request)
    event = SecurityEvent.objects.filter(kind=SecurityEventKind.ROLES_CHANGED).latest("pk")
    assert (event.actor, event.subject, event.username) == (admin_user, officer, "t-quantri")
    # Outside the request nobody is named.
    officer.roles.remove(Role.objects.get(code=RoleCode.UNIT_LEADER))
    assert (
        SecurityEvent.objects.filter(kind=SecurityEventKind.ROLES_CHANGED).latest("pk").actor
        is None
    )


def test_making_and_revoking_an_api_token_is_recorded_without_the_key(client, signed_in):
    user = signed_in(RoleCode.PROVINCE_LEADER)
    page = f"/organisations/{user.organisation_id}/api-tokens/"
    response = client.post(page, {"name": "iOffice", "scopes": ["read"]})
    key = response.context["new_key"]
    token = response.context["tokens"][0]
    client.post(f"{page}{token.pk}/revoke/")
    recorded = SecurityEvent.objects.filter(
        kind__in=[SecurityEventKind.TOKEN_CREATED, SecurityEventKind.TOKEN_REVOKED]
    ).order_by("pk")
    assert [(e.kind, e.actor, e.organisation) for e in recorded] == [
        (SecurityEventKind.TOKEN_CREATED, user, user.organisation),
        (SecurityEventKind.TOKEN_REVOKED, user, user.organisation),
    ]
    assert all(token.prefix in e.detail for e in recorded)
    assert not SecurityEvent.objects.filter(detail__contains=key).exists()


def test_a_publication_is_recorded_as_the_jobs(people_for_publication):
    rec = bring_to(Status.PUBLISHED, people_for_publication)
    [event] = events(SecurityEventKind.ANSWER_PUBLISHED)
    assert event.detail == f"{rec.code} v1"
    assert event.actor is None and event.organisation == rec.responsible_unit


def test_locking_and_reopening_a_period_are_recorded(db):
    office = make_user(RoleCode.OFFICE_COORDINATOR)
    period = ReportingPeriod.objects.get(period_type="quarter", year=2020, number=3)
    indicator_services.period_lock(period_id=period.pk, actor=office)
    indicator_services.period_reopen(period_id=period.pk, actor=office, note="Bổ sung số liệu")
    recorded = SecurityEvent.objects.filter(
        kind__in=[SecurityEventKind.PERIOD_LOCKED, SecurityEventKind.PERIOD_REOPENED]
    ).order_by("pk")
    assert [(e.kind, e.actor, e.detail) for e in recorded] == [
        (SecurityEventKind.PERIOD_LOCKED, office, "Q3/2020"),
        (SecurityEventKind.PERIOD_REOPENED, office, "Q3/2020: Bổ sung số liệu"),
    ]


@pytest.mark.parametrize("role", [RoleCode.SYSTEM_ADMIN, RoleCode.OFFICE_COORDINATOR])
def test_the_office_and_system_administrators_read_the_log(client, signed_in, role):
    signed_in(role)
    response = client.get(LOG)
    assert response.status_code == 200
    assert "Nhật ký an ninh" in response.content.decode()


@pytest.mark.parametrize(
    "role",
    [
        RoleCode.UNIT_OFFICER,
        RoleCode.UNIT_LEADER,
        RoleCode.PROVINCE_OFFICER,
        RoleCode.PROVINCE_LEADER,
    ],
)
def test_nobody_else_reads_the_log(client, signed_in, role):
    signed_in(role)
    assert client.get(LOG).status_code == 403
    assert client.get("/security-log.csv").status_code == 403


def test_anonymous_visitors_are_asked_to_sign_in(client, db):
    response = client.get(LOG)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def _event(kind, username, org_code=None, days_ago=0):
    event = security_log.record(
        kind,
        username=username,
        organisation=Organisation.objects.get(code=org_code) if org_code else None,
    )
    SecurityEvent.objects.filter(pk=event.pk).update(
        at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return event


def test_the_log_filters_by_person_organisation_event_and_date(client, signed_in):
    signed_in(RoleCode.SYSTEM_ADMIN)
    SecurityEvent.objects.all().delete()
    _event(SecurityEventKind.SIGN_IN_FAILED, "nguyen-a", "T63-37", days_ago=10)
    _event(SecurityEventKind.SIGN_IN_FAILED, "tran-b", "CUC-THH", days_ago=1)
    _event(SecurityEventKind.LOCKED_OUT, "nguyen-a", "T63-37", days_ago=1)

    def names(params):
        response = client.get(LOG, params)
        return sorted(e.username for e in response.context["page"])

    org = Organisation.objects.get(code="CUC-THH")
    assert names({"person": "nguyen"}) == ["nguyen-a", "nguyen-a"]
    assert names({"organisation": org.pk}) == ["tran-b"]
    assert names({"kind": SecurityEventKind.LOCKED_OUT}) == ["nguyen-a"]
    since = (timezone.localdate() - datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    assert names({"start": since, "kind": SecurityEventKind.SIGN_IN_FAILED}) == ["tran-b"]


def test_a_wrong_date_range_is_said_next_to_the_field_and_kept(client, signed_in):
    signed_in(RoleCode.SYSTEM_ADMIN)
    response = client.get(LOG, {"start": "10/05/2026", "end": "01/05/2026"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ngày kết thúc trước ngày bắt đầu." in html
    assert 'value="10/05/2026"' in html and 'value="01/05/2026"' in html
    assert list(response.context["page"]) == []  # not the whole log, unfiltered


def test_the_log_page_queries_do_not_grow_with_the_events(client, signed_in):
    signed_in(RoleCode.OFFICE_COORDINATOR)
    for n in range(3):
        _event(SecurityEventKind.SIGN_IN_FAILED, f"u{n}", "T63-37")
    few = count_queries(client, LOG)
    for n in range(40):
        _event(SecurityEventKind.SIGN_IN_FAILED, f"v{n}", "CUC-THH")
    assert count_queries(client, LOG) == few


def test_the_csv_has_vietnamese_headers_and_no_formula(client, signed_in):
    signed_in(RoleCode.SYSTEM_ADMIN)
    _event(SecurityEventKind.SIGN_IN_FAILED, '=HYPERLINK("http://x","bấm")', "T63-37")
    response = client.get("/security-log.csv", {"kind": SecurityEventKind.SIGN_IN_FAILED})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Thời gian", "Sự kiện", "Tên đăng nhập"]
    assert rows[1][1] == "Đăng nhập không thành công"
    assert rows[1][2] == '\'=HYPERLINK("http://x","bấm")'


def test_nobody_can_change_the_log_from_the_back_office():
    assert not admin.site.is_registered(SecurityEvent)


def test_a_log_line_that_cannot_be_written_does_not_break_the_action(db, monkeypatch):
    def refuse(**fields):
        raise RuntimeError("disk full")

    monkeypatch.setattr(SecurityEvent.objects, "create", refuse)
    assert security_log.record(SecurityEventKind.SIGN_IN_FAILED, username="x") is None
    assert reverse("security_log") == LOG
