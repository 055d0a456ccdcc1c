"""The catalogue and its periods: which indicators an organisation reports, their data
elements, the owner units, and the reporting periods (open, previous, with figures)."""

import datetime

from django.utils import timezone

from briefing.models.organisations import Organisation, OrganisationKind
from indicators.models import DataElement, Indicator, PeriodType, ReportingPeriod, Status

PUBLIC_STATUSES = (Status.APPROVED,)
# Staff also see what is sent and waits for review.
STAFF_STATUSES = (Status.SUBMITTED, Status.APPROVED)
KINDS = [OrganisationKind.PROVINCE, OrganisationKind.CENTRAL_AGENCY]


def indicators_for(
    *, kind: str | None = None, period_type: str | None = None, owner=None, organisation=None
):
    """The catalogue, filtered; `organisation` keeps those it reports (kind and scope)."""
    indicators = Indicator.objects.select_related(
        "numerator", "denominator", "owner_unit", "baseline_period"
    ).prefetch_related("scope")
    if period_type:
        indicators = indicators.filter(period_type=period_type)
    if owner is not None:
        indicators = indicators.filter(owner_unit=owner)
    indicators = list(indicators.order_by("order", "code"))
    if kind:
        # entity_kinds is a short JSON list; filtering it in Python keeps SQLite working.
        indicators = [i for i in indicators if kind in i.entity_kinds]
    if organisation is not None:
        indicators = [i for i in indicators if i.applies_to(organisation)]
    return indicators


def elements_of(indicators) -> list[DataElement]:
    seen = {}
    for indicator in indicators:
        for element in indicator.elements():
            seen.setdefault(element.pk, element)
    return sorted(seen.values(), key=lambda e: (e.order, e.code))


def owner_units_for(organisation: Organisation, period_type: str) -> list[Organisation]:
    units = {
        i.owner_unit.pk: i.owner_unit
        for i in indicators_for(organisation=organisation, period_type=period_type)
    }
    return sorted(units.values(), key=lambda u: u.name)


def reportable_periods(today: datetime.date | None = None):
    """Periods that have begun, newest first, of the types some indicator uses."""
    today = today or timezone.localdate()
    types = Indicator.objects.values_list("period_type", flat=True).distinct()
    return ReportingPeriod.objects.filter(period_type__in=types, start__lte=today).order_by(
        "-start", "period_type"
    )


def period_from_slug(slug: str) -> ReportingPeriod | None:
    try:
        return ReportingPeriod.objects.by_label((slug or "").replace("-", "/", 1))
    except ReportingPeriod.DoesNotExist:
        return None


def previous_period(period: ReportingPeriod) -> ReportingPeriod | None:
    return (
        ReportingPeriod.objects.filter(period_type=period.period_type, start__lt=period.start)
        .order_by("-start")
        .first()
    )


def periods_up_to(period: ReportingPeriod, count: int = 8) -> list[ReportingPeriod]:
    """The `count` periods of the same type ending with `period`, oldest first."""
    periods = ReportingPeriod.objects.filter(
        period_type=period.period_type, start__lte=period.start
    ).order_by("-start")[:count]
    return list(reversed(periods))


def latest_period_with(statuses=PUBLIC_STATUSES, period_type=PeriodType.QUARTER):
    return (
        ReportingPeriod.objects.filter(period_type=period_type, submissions__status__in=statuses)
        .order_by("-start")
        .first()
    )


def periods_with(statuses=PUBLIC_STATUSES, period_type=PeriodType.QUARTER):
    return (
        ReportingPeriod.objects.filter(period_type=period_type, submissions__status__in=statuses)
        .distinct()
        .order_by("-start")
    )
