"""What entities send: their reports and values for a period, the period before, one
entity's history, and how complete a period's reporting is."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Q, Subquery

from briefing.models.organisations import Organisation
from indicators.models import ReportingPeriod, Status, Submission, Value
from indicators.selectors.catalogue import KINDS, STAFF_STATUSES
from indicators.selectors.national import entity_counts, scope_counts, valid_in


def submissions_of(organisation: Organisation, period: ReportingPeriod) -> dict[int, Submission]:
    """The organisation's submissions for the period, by owner unit id."""
    return {
        s.owner_unit_id: s
        for s in Submission.objects.filter(organisation=organisation, period=period)
    }


def values_of(submission: Submission | None) -> dict[str, Decimal | None]:
    if submission is None or submission.pk is None:
        return {}
    return dict(submission.values.values_list("element__code", "value"))


def previous_values(
    organisation_ids, period: ReportingPeriod, owner_unit
) -> dict[int, dict[str, Decimal | None]]:
    """Values sent for the period before, by organisation id and element code (one
    query, the period before found inside it). The predecessor's values are not
    carried over a merger."""
    before = (
        ReportingPeriod.objects.filter(period_type=period.period_type, start__lt=period.start)
        .order_by("-start")
        .values("pk")[:1]
    )
    rows = Value.objects.filter(
        submission__organisation_id__in=list(organisation_ids),
        submission__period=Subquery(before),
        submission__owner_unit=owner_unit,
        submission__status__in=STAFF_STATUSES,
        value__isnull=False,
    ).values_list("submission__organisation_id", "element__code", "value")
    result = defaultdict(dict)
    for org_id, code, value in rows:
        result[org_id][code] = value
    return dict(result)


def _submission_counts(period: ReportingPeriod, entities: Q | None = None):
    """Submissions reported, on time and approved, by owner unit and kind."""
    submissions = (
        Submission.objects.filter(entities) if entities is not None else Submission.objects
    )
    rows = (
        submissions.filter(period=period, status__in=STAFF_STATUSES, organisation__kind__in=KINDS)
        .filter(valid_in("organisation__", F("period__end")))
        .values("owner_unit_id", "organisation__kind")
        .annotate(
            reported=Count("id"),
            on_time=Count("id", filter=Q(submitted_at__date__lte=F("period__due_date"))),
            approved=Count("id", filter=Q(status=Status.APPROVED)),
        )
        .order_by()
    )
    return {(r["owner_unit_id"], r["organisation__kind"]): r for r in rows}


def completeness(indicators, period: ReportingPeriod) -> dict[int, dict]:
    """Per indicator: entities expected, reported, reported on time, approved. One
    GROUP BY over submissions by owner unit and kind (and one more per indicator with a
    scope)."""
    grouped = _submission_counts(period)
    counts = entity_counts([period.pk]).get(period.pk, {})
    result = {}
    for indicator in indicators:
        found, expected_of = grouped, counts
        if indicator.restricted_kinds():
            found = _submission_counts(period, indicator.entity_filter("organisation__"))
            expected_of = {**counts, **scope_counts(indicator, [period])[period.pk]}
        kinds = [k for k in KINDS if k in indicator.entity_kinds]
        cells = [found.get((indicator.owner_unit_id, k), {}) for k in kinds]
        result[indicator.pk] = {
            "expected": sum(expected_of.get(k, 0) for k in kinds),
            **{
                key: sum(c.get(key, 0) for c in cells)
                for key in ("reported", "on_time", "approved")
            },
        }
    return result


def entity_history(organisation: Organisation, periods, statuses=STAFF_STATUSES):
    """The entity's values by (element id, period id), one query."""
    rows = Value.objects.filter(
        submission__organisation=organisation,
        submission__period__in=list(periods),
        submission__status__in=list(statuses),
    ).values_list("element_id", "submission__period_id", "value")
    return {(e, p): v for e, p, v in rows}
