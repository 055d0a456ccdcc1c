"""Helpers for indicator tests: people, periods and reports made through the services."""

import pytest
from django.utils import timezone

from briefing.models.organisations import Organisation, RoleCode
from indicators import services
from indicators.models import Event, Indicator, ReportingPeriod, Status, Submission, Value
from tests.conftest import make_user


@pytest.fixture
def people(db):
    return {
        "province": make_user(RoleCode.PROVINCE_LEADER),
        "other_province": make_user(
            RoleCode.PROVINCE_LEADER, username="t-so-haiduong", org_code="T63-30"
        ),
        "officer": make_user(RoleCode.UNIT_OFFICER),
        "other_unit": make_user(RoleCode.UNIT_OFFICER, username="t-cuc-attt", org_code="CUC-ATTT"),
        "office": make_user(RoleCode.OFFICE_COORDINATOR),
    }


def stored() -> dict:
    """What the indicator tables hold: reports with their status and decision, values,
    events, locked periods and thresholds. A refused action leaves it as it was:
    `before = stored()`, refuse, `assert stored() == before`."""
    return {
        "reports": sorted(
            Submission.objects.values_list("pk", "status", "decided_by", "updated_at")
        ),
        "values": sorted(Value.objects.values_list("pk", "value")),
        "events": sorted(Event.objects.values_list("pk", flat=True)),
        "locked": sorted(ReportingPeriod.objects.filter(is_locked=True).values_list("pk")),
        "thresholds": sorted(Indicator.objects.values_list("pk", "provisional_below")),
    }


def period(label: str) -> ReportingPeriod:
    return ReportingPeriod.objects.by_label(label)


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def unit_of(indicator_code: str) -> Organisation:
    return Indicator.objects.get(code=indicator_code).owner_unit


def load(actor, label: str, unit_code: str, rows: dict, *, approve=True):
    """Store values {entity code: {element: value}} through the service (as a loader
    who may enter for every entity; partial rows, so saved as drafts), then mark them
    approved, or submitted."""
    saved = services.reports_save(
        actor=actor,
        period=period(label),
        owner_unit=org(unit_code),
        entries=[services.Entry(org(code), raw) for code, raw in rows.items()],
        submit=False,
    )
    Submission.objects.filter(pk__in=[s.pk for s in saved]).update(
        status=Status.APPROVED if approve else Status.SUBMITTED, submitted_at=timezone.now()
    )
    return saved
