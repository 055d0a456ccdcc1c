"""The quarterly roll-up: the figures of a briefing's summary report, computed by the
database and stored as an immutable, versioned `ReportSnapshot`.

Definitions (docs/briefings.md):
- received: every recommendation of the quarter except drafts;
- resolved: answer approved, published, merged as a duplicate, rejected or withdrawn;
- in progress: submitted, returned for clarification, assigned, answer drafted;
- overdue: in the hands of the responsible unit (assigned or answer drafted) past its
  deadline, on the day the report is computed;
- from citizens, enterprises and organisations: by source kind, whatever the channel;
- sent by departments to units: channel "regular" from provinces and agencies;
- sent to the briefing: channel "briefing" from provinces and agencies; "answered" is
  answer approved or published, "published" is published.
The three groups do not overlap and add up to the total received.
"""

import hashlib
import json
import logging
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from briefing.models.reports import ReportSnapshot, SnapshotStatus
from briefing.models.sessions import BriefingSession, FollowUpTask
from briefing.platform import quarters
from briefing.reports import assignees as assignee_groups
from indicators import selectors as ind
from indicators.models import Method, PeriodType, ReportingPeriod
from proposals.models import OPEN_FOR_UNIT, Channel, Recommendation, SourceKind, Status

log = logging.getLogger(__name__)

SCHEMA = 1
RESOLVED = (
    Status.ANSWER_APPROVED,
    Status.PUBLISHED,
    Status.MERGED,
    Status.REJECTED,
    Status.WITHDRAWN,
)
IN_PROGRESS = (Status.SUBMITTED, Status.RETURNED, Status.ACCEPTED, Status.ANSWER_DRAFTED)
ANSWERED = (Status.ANSWER_APPROVED, Status.PUBLISHED)
PUBLIC_SOURCES = (SourceKind.CITIZEN, SourceKind.ENTERPRISE, SourceKind.ORGANISATION)
OFFICIAL_SOURCES = (SourceKind.PROVINCE, SourceKind.AGENCY)

GROUPS = {
    "public": Q(source_kind__in=PUBLIC_SOURCES),
    "to_units": Q(channel=Channel.REGULAR, source_kind__in=OFFICIAL_SOURCES),
    "to_briefing": Q(channel=Channel.BRIEFING, source_kind__in=OFFICIAL_SOURCES),
}
TOP = 3


def _conditions(today) -> dict[str, Q | None]:
    return {
        "total": None,
        "resolved": Q(status__in=RESOLVED),
        "in_progress": Q(status__in=IN_PROGRESS),
        "overdue": Q(status__in=OPEN_FOR_UNIT, deadline__lt=today),
        "answered": Q(status__in=ANSWERED),
        "published": Q(status=Status.PUBLISHED),
    }


def _counts(today, within: Q | None = None, prefix: str = "") -> dict:
    """The counters every grouping shares, as COUNT(*) FILTER (WHERE ...)."""
    result = {}
    for key, condition in _conditions(today).items():
        parts = [c for c in (within, condition) if c is not None]
        combined = None
        for part in parts:
            combined = part if combined is None else combined & part
        result[f"{prefix}{key}"] = Count("id", filter=combined)
    return result


def _received(year: int, quarter: int):
    return Recommendation.objects.filter(period_year=year, period_quarter=quarter).exclude(
        status=Status.DRAFT
    )


def recommendation_section(*, year: int, quarter: int, today) -> dict:
    """Four queries: totals by group, by source kind, by field, by responsible unit."""
    received = _received(year, quarter)
    totals = _counts(today, prefix="all__")
    for group, condition in GROUPS.items():
        totals |= _counts(today, condition, prefix=f"{group}__")
    row = received.aggregate(**totals, last_change=Max("updated_at"))
    keys = list(_conditions(today))
    groups = {g: {k: row[f"{g}__{k}"] for k in keys} for g in ("all", *GROUPS)}
    counts = _counts(today)

    def grouped(*fields, order):
        return [
            dict(r)
            for r in received.values(*fields)
            .annotate(**counts, briefing=Count("id", filter=GROUPS["to_briefing"]))
            .order_by(*order)
        ]

    by_source = grouped("source_kind", order=["source_kind"])
    by_field = grouped("field__code", "field__name", "field__order", order=["field__order"])
    by_unit = grouped(
        "responsible_unit__code",
        "responsible_unit__short_name",
        order=["-total", "responsible_unit__code"],
    )
    return {
        "groups": groups,
        "by_source": by_source,
        "by_field": by_field,
        "by_unit": by_unit,
        "last_change": row["last_change"].isoformat() if row["last_change"] else None,
    }


def _num(value) -> str | None:
    if value is None:
        return None
    return str(Decimal(value).quantize(Decimal("0.0001")))


def _figure(figure) -> dict | None:
    if figure is None:
        return None
    return {
        "value": _num(figure.value),
        "numerator": _num(figure.numerator),
        "denominator": _num(figure.denominator),
        "reported": figure.reported,
        "applicable": figure.applicable,
    }


def indicator_section(*, year: int, quarter: int) -> dict:
    """Every public quarterly indicator through indicators.selectors: national figure,
    change on the previous quarter, on the baseline and on the end of last year,
    completeness, and the top and bottom entities of the ratios and sums."""
    try:
        period = ReportingPeriod.objects.get(
            period_type=PeriodType.QUARTER, year=year, number=quarter
        )
    except ReportingPeriod.DoesNotExist:
        return {"period": None, "rows": [], "reported": 0}
    rows = ind.national_table(period)
    indicators = [r.indicator for r in rows]
    year_end = ReportingPeriod.objects.filter(
        period_type=PeriodType.QUARTER, year=year - 1, number=4
    ).first()
    context = {
        "previous": ind.previous_period(period),
        "year_end": year_end,
        "year_end_figures": ind.figures(indicators, [year_end]) if year_end else {},
        "completeness": ind.completeness(indicators, period),
    }
    result = []
    for row in rows:
        entry = _indicator_entry(row, **context)
        if (
            row.figure.reported
            and row.indicator.method in (Method.RATIO, Method.SUM)
            and not row.provisional
        ):
            entry |= _leaders(row.indicator, period)
        result.append(entry)
    reported = sum(row.figure.reported for row in rows)
    return {"period": period.label, "rows": result, "reported": reported}


def _indicator_entry(row, *, previous, year_end, year_end_figures, completeness) -> dict:
    indicator, figure = row.indicator, row.figure
    end = year_end_figures.get((indicator.pk, year_end.pk)) if year_end else None
    # A provisional figure makes no claim of change (selectors.is_provisional).
    delta_year_end = (
        figure.value - end.value
        if end is not None
        and figure.value is not None
        and end.value is not None
        and not row.provisional
        else None
    )
    return {
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "decimals": indicator.decimals,
        "method": indicator.method,
        "entity_kinds": list(indicator.entity_kinds),
        "target": _num(indicator.target),
        "meets_target": row.meets_target,
        "figure": _figure(figure),
        "by_kind": {k: _figure(f) for k, f in figure.by_kind.items()},
        "previous": _figure(row.previous),
        "previous_label": previous.label if previous else None,
        "baseline": _figure(row.baseline),
        "baseline_label": indicator.baseline_period.label if indicator.baseline_period_id else None,
        "year_end": _figure(end),
        "year_end_label": year_end.label if year_end else None,
        "change_previous": _num(row.change_previous),
        "change_baseline": _num(row.change_baseline),
        "provisional": row.provisional,
        "change_year_end": None
        if row.provisional
        else _num(ind.change(figure.value, end.value if end else None)),
        "delta_year_end": _num(delta_year_end),
        "completeness": completeness.get(indicator.pk, {}),
        "top": [],
        "bottom": [],
        "above_target": [],
    }


def _leaders(indicator, period) -> dict:
    """The top and bottom entities of a ratio or a sum, and those at or above its target."""
    entities = ind.entity_rows(indicator, period, ind.PUBLIC_STATUSES).filter(score__isnull=False)
    leaders = {
        "top": [[e.short_name, _num(e.score)] for e in entities[:TOP]],
        "bottom": [[e.short_name, _num(e.score)] for e in entities.order_by("score", "code")[:TOP]],
    }
    if indicator.target is not None and indicator.direction:
        better = "score__gte" if indicator.direction == "at_least" else "score__lte"
        leaders["above_target"] = [
            e.short_name for e in entities.filter(**{better: indicator.target})
        ]
    return leaders


def task_section(*, year: int, quarter: int, today) -> list[dict]:
    """The follow-up tasks of the previous briefing, with their status today."""
    before = (
        BriefingSession.objects.filter(Q(year__lt=year) | Q(year=year, quarter__lt=quarter))
        .order_by("-year", "-quarter")
        .first()
    )
    if before is None:
        return []
    tasks = (
        FollowUpTask.objects.filter(conclusion__session=before)
        .select_related("conclusion")
        .prefetch_related("assignees")
    )
    day = before.date or quarters.quarter_bounds(before.year, before.quarter)[1]
    groups = assignee_groups.groups_on(day)
    return [
        {
            "session": before.label,
            "conclusion": t.conclusion.number,
            "text": t.text,
            "assignees": [o.short_name for o in t.assignees.all()],
            # "63 Sở TT&TT" rather than 63 names (briefing.reports.assignees).
            "assignee_groups": assignee_groups.collapse(list(t.assignees.all()), groups),
            "deadline": t.deadline.isoformat() if t.deadline else None,
            "status": t.status,
            "overdue": t.is_overdue(today),
        }
        for t in tasks
    ]


def report_data(*, year: int, quarter: int, today=None, progress=None) -> dict:
    today = today or timezone.localdate()
    step = progress or (lambda percent: None)
    step(10)
    recommendations = recommendation_section(year=year, quarter=quarter, today=today)
    step(40)
    indicators = indicator_section(year=year, quarter=quarter)
    step(80)
    tasks = task_section(year=year, quarter=quarter, today=today)
    empty = recommendations["groups"]["all"]["total"] == 0 and indicators["reported"] == 0
    return {
        "schema": SCHEMA,
        "year": year,
        "quarter": quarter,
        "as_of": today.isoformat(),
        "empty": empty,
        "recommendations": recommendations,
        "indicators": indicators,
        "previous_tasks": tasks,
    }


def fingerprint(data: dict) -> str:
    """The figures' digest. The day of computation is left out: a re-run on a later day
    that finds the same figures keeps the version."""
    figures = {k: v for k, v in data.items() if k != "as_of"}
    return hashlib.sha256(json.dumps(figures, sort_keys=True, default=str).encode()).hexdigest()


def _lock(year: int, quarter: int) -> None:
    """Serialise roll-ups of one quarter: a transaction-scoped advisory lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7301, year * 10 + quarter])


def _supersede(year: int, quarter: int, keep: int) -> None:
    ReportSnapshot.objects.filter(year=year, quarter=quarter).exclude(pk=keep).filter(
        status=SnapshotStatus.CURRENT
    ).update(status=SnapshotStatus.SUPERSEDED)


def latest_snapshot(*, year: int, quarter: int) -> ReportSnapshot | None:
    return ReportSnapshot.objects.filter(year=year, quarter=quarter).order_by("-version").first()


def report_rollup(*, year: int, quarter: int, today=None, progress=None):
    """Compute the quarter's report and store it as a new version, unless the latest
    version already holds the same figures. Returns (snapshot, created).

    One transaction under a per-quarter lock: two runs at once make one version, and a
    failure leaves the previous version as it was."""
    if not (1 <= quarter <= 4):
        raise ValueError("quarter must be 1-4")
    with transaction.atomic():
        _lock(year, quarter)
        data = report_data(year=year, quarter=quarter, today=today, progress=progress)
        digest = fingerprint(data)
        latest = latest_snapshot(year=year, quarter=quarter)
        if latest is not None and latest.fingerprint == digest:
            return latest, False
        session = BriefingSession.objects.filter(year=year, quarter=quarter).first()
        snapshot = ReportSnapshot.objects.create(
            session=session,
            year=year,
            quarter=quarter,
            version=(latest.version + 1) if latest else 1,
            fingerprint=digest,
            data=data,
        )
        _supersede(year, quarter, keep=snapshot.pk)
    return snapshot, True
