"""National figures: rolled up by the database, GROUP BY with SUM and COUNT over
numerators and denominators, never a loop over entities in Python. Python only adds up
the few grouped rows per kind of entity into each indicator's formula: the figure of a
period, the national table with its changes, and the trend over periods."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from briefing.models.organisations import Organisation
from indicators.models import Indicator, Method, ReportingPeriod, Value
from indicators.selectors.catalogue import (
    KINDS,
    PUBLIC_STATUSES,
    elements_of,
    indicators_for,
    previous_period,
)


@dataclass
class Figure:
    value: Decimal | None
    numerator: Decimal = Decimal(0)
    denominator: Decimal | None = None
    reported: int = 0  # entities with a value
    applicable: int = 0  # entities it applies to in the period
    by_kind: dict = field(default_factory=dict)

    @property
    def coverage(self) -> Decimal | None:
        """Share of the entities that reported, in percent."""
        if not self.applicable:
            return None
        return Decimal(self.reported) * 100 / self.applicable


def is_provisional(
    indicator: Indicator, period: ReportingPeriod, figure: Figure, today=None
) -> bool:
    """Whether a national figure may still change a lot: its period is still open (not
    locked, due date not passed) or too few entities reported (Indicator.provisional_below).
    A provisional figure gets no change arrow, no target verdict and no ranking claim."""
    today = today or timezone.localdate()
    if not period.is_locked and today <= period.due_date:
        return True
    return figure.coverage is None or figure.coverage < indicator.provisional_below


def valid_in(prefix: str, day_field: str) -> Q:
    """Organisation (at `prefix`) valid on the period's date field (an F expression)."""
    return (
        Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day_field})
    ) & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day_field}))


def entity_counts(period_ids) -> dict[int, dict[str, int]]:
    """How many entities of each kind existed at the end of each period: one query,
    counted by the database."""

    def count_of(kind):
        return Subquery(
            Organisation.objects.filter(kind=kind)
            .filter(valid_in("", OuterRef("end")))
            .order_by()
            .values("kind")
            .annotate(n=Count("id"))
            .values("n")[:1],
            output_field=IntegerField(),
        )

    rows = ReportingPeriod.objects.filter(pk__in=list(period_ids)).annotate(
        **{f"n_{kind}": Coalesce(count_of(kind), 0) for kind in KINDS}
    )
    return {row.pk: {kind: getattr(row, f"n_{kind}") for kind in KINDS} for row in rows}


def element_totals(element_ids, period_ids, statuses, entities: Q | None = None):
    """Σ value, entities with a value and entities with a yes (value > 0), per period,
    element and kind of entity, over entities valid at the end of the period (and
    matching `entities`, a filter on the organisation, when given)."""
    values = Value.objects.filter(entities) if entities is not None else Value.objects
    return (
        values.filter(
            element_id__in=list(element_ids),
            submission__period_id__in=list(period_ids),
            submission__status__in=list(statuses),
            submission__organisation__kind__in=KINDS,
            value__isnull=False,
        )
        .filter(valid_in("submission__organisation__", F("submission__period__end")))
        .values("submission__period_id", "element_id", "submission__organisation__kind")
        .annotate(total=Sum("value"), reported=Count("id"), yes=Count("id", filter=Q(value__gt=0)))
        .order_by()
    )


def _combine(indicator: Indicator, totals, counts, kinds) -> Figure:
    """The indicator's formula over the grouped rows of the given kinds."""
    num_id = indicator.numerator_id
    den_id = indicator.denominator_id
    numerator = sum((totals.get((num_id, k), {}).get("total", 0) for k in kinds), Decimal(0))
    yes = sum(totals.get((num_id, k), {}).get("yes", 0) for k in kinds)
    reported = sum(totals.get((num_id, k), {}).get("reported", 0) for k in kinds)
    applicable = sum(counts.get(k, 0) for k in kinds)
    figure = Figure(value=None, reported=reported, applicable=applicable)
    if reported == 0:
        return figure
    factor = indicator.factor
    if indicator.method == Method.RATIO:
        denominator = sum((totals.get((den_id, k), {}).get("total", 0) for k in kinds), Decimal(0))
        figure.numerator, figure.denominator = numerator, denominator
        figure.value = numerator / denominator * factor if denominator else None
    elif indicator.method == Method.SUM:
        figure.numerator, figure.value = numerator, numerator * factor
    elif indicator.method == Method.YES_COUNT:
        figure.numerator, figure.value = Decimal(yes), Decimal(yes) * factor
    else:  # YES_SHARE
        figure.numerator, figure.denominator = Decimal(yes), Decimal(applicable)
        figure.value = Decimal(yes) / applicable * factor if applicable else None
    return figure


def _grouped_totals(element_ids, period_ids, statuses, entities=None):
    grouped = defaultdict(dict)
    for row in element_totals(element_ids, period_ids, statuses, entities):
        key = (row["element_id"], row["submission__organisation__kind"])
        grouped[row["submission__period_id"]][key] = row
    return grouped


def scope_counts(indicator: Indicator, periods) -> dict[int, dict[str, int]]:
    """For an indicator with a scope: how many of its listed organisations existed at
    the end of each period, by kind (the list is short and prefetched)."""
    return {
        period.pk: {
            kind: sum(
                1 for o in indicator.scope.all() if o.kind == kind and o.is_valid_on(period.end)
            )
            for kind in indicator.restricted_kinds()
        }
        for period in periods
    }


def figures(indicators, periods, statuses=PUBLIC_STATUSES) -> dict[tuple[int, int], Figure]:
    """National figures, with the figure per kind of entity, for every indicator and
    period: two queries whatever the number of entities, and one more per indicator
    that only some organisations report (Indicator.scope)."""
    indicators = list(indicators)
    periods = list(periods)
    period_ids = [p.pk for p in periods]
    if not indicators or not period_ids:
        return {}
    element_ids = {e.pk for e in elements_of(indicators)}
    grouped = _grouped_totals(element_ids, period_ids, statuses)
    counts = entity_counts(period_ids)
    result = {}
    for indicator in indicators:
        totals_of, counts_of = grouped, counts
        if indicator.restricted_kinds():
            ids = {e.pk for e in indicator.elements()}
            scoped = _grouped_totals(
                ids, period_ids, statuses, indicator.entity_filter("submission__organisation__")
            )
            totals_of = scoped
            listed = scope_counts(indicator, periods)
            counts_of = {pid: {**counts.get(pid, {}), **listed[pid]} for pid in period_ids}
        kinds = [k for k in KINDS if k in indicator.entity_kinds]
        for period_id in period_ids:
            totals = totals_of.get(period_id, {})
            counted = counts_of.get(period_id, {})
            figure = _combine(indicator, totals, counted, kinds)
            if len(kinds) > 1:
                figure.by_kind = {k: _combine(indicator, totals, counted, [k]) for k in kinds}
            result[(indicator.pk, period_id)] = figure
    return result


def change(current: Decimal | None, before: Decimal | None) -> Decimal | None:
    """Relative change in per cent (None without both values or from zero)."""
    if current is None or before is None or before == 0:
        return None
    return (current - before) / before * 100


@dataclass
class Row:
    indicator: Indicator
    figure: Figure
    previous: Figure | None
    baseline: Figure | None
    change_previous: Decimal | None
    change_baseline: Decimal | None
    entities_changed: bool  # the set of entities differs from the previous period's
    meets_target: bool | None
    provisional: bool


def national_table(
    period: ReportingPeriod, statuses=PUBLIC_STATUSES, public_only=True
) -> list[Row]:
    """Every indicator of the period's type: its figure, its change on the previous
    period and on its baseline."""
    indicators = [
        i for i in indicators_for(period_type=period.period_type) if i.is_public or not public_only
    ]
    before = previous_period(period)
    periods = {period.pk: period}
    if before:
        periods[before.pk] = before
    for indicator in indicators:
        if indicator.baseline_period_id:
            periods[indicator.baseline_period_id] = indicator.baseline_period
    found = figures(indicators, list(periods.values()), statuses)
    counts = entity_counts(periods)
    rows = []
    for indicator in indicators:
        figure = found[(indicator.pk, period.pk)]
        prev = found.get((indicator.pk, before.pk)) if before else None
        base = (
            found.get((indicator.pk, indicator.baseline_period_id))
            if indicator.baseline_period_id
            else None
        )
        provisional = is_provisional(indicator, period, figure)
        rows.append(
            Row(
                indicator=indicator,
                figure=figure,
                previous=prev,
                baseline=base,
                change_previous=None
                if provisional
                else change(figure.value, prev.value if prev else None),
                change_baseline=None
                if provisional
                else change(figure.value, base.value if base else None),
                entities_changed=bool(before) and counts[period.pk] != counts[before.pk],
                meets_target=None if provisional else indicator.meets_target(figure.value),
                provisional=provisional,
            )
        )
    return rows


@dataclass
class TrendPoint:
    period: ReportingPeriod
    figure: Figure
    entities: int
    entities_changed: bool
    provisional: bool


def trend(indicator: Indicator, periods, statuses=PUBLIC_STATUSES) -> list[TrendPoint]:
    """The indicator over the periods; a point whose set of entities differs from the
    point before is marked (63 provinces before 1 July 2025, 34 after)."""
    periods = list(periods)
    found = figures([indicator], periods, statuses)
    points, last = [], None
    for period in periods:
        figure = found[(indicator.pk, period.pk)]
        points.append(
            TrendPoint(
                period=period,
                figure=figure,
                entities=figure.applicable,
                entities_changed=last is not None and figure.applicable != last,
                provisional=is_provisional(indicator, period, figure),
            )
        )
        last = figure.applicable
    return points
