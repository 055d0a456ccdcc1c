"""Entities compared: every entity an indicator applies to, with its value computed and
ranked by the database."""

from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Func,
    Max,
    Q,
    Sum,
    Window,
)
from django.db.models import Value as V
from django.db.models.functions import NullIf, Rank

from briefing.models.organisations import Organisation
from indicators.models import Indicator, Method, ReportingPeriod
from indicators.selectors.catalogue import STAFF_STATUSES


class Fractional(Func):
    """A number that divides with its fraction: SQLite stores whole decimals as integers
    and divides integers as integers (64,00 for 64,86%), so it is made REAL there;
    PostgreSQL's numeric divides exactly as it is."""

    template = "%(expressions)s"
    output_field = DecimalField(max_digits=30, decimal_places=6)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="CAST(%(expressions)s AS REAL)", **extra_context
        )


def entity_rows(indicator: Indicator, period: ReportingPeriod, statuses=STAFF_STATUSES):
    """Every entity the indicator applies to in the period, with its value computed and
    ranked by the database (entities without a value last)."""
    submission = FilteredRelation(
        "indicator_submissions",
        condition=Q(
            indicator_submissions__period=period,
            indicator_submissions__owner_unit_id=indicator.owner_unit_id,
        ),
    )
    counted = Q(report__status__in=list(statuses))
    num = Sum(
        "report__values__value",
        filter=counted & Q(report__values__element_id=indicator.numerator_id),
    )
    decimal = DecimalField(max_digits=30, decimal_places=6)
    if indicator.method == Method.RATIO:
        den = Sum(
            "report__values__value",
            filter=counted & Q(report__values__element_id=indicator.denominator_id),
        )
        score = ExpressionWrapper(
            Fractional(num) * V(indicator.factor) / NullIf(den, V(0)), output_field=decimal
        )
    else:
        den = V(None, output_field=decimal)
        score = ExpressionWrapper(num * V(indicator.factor), output_field=decimal)
    return (
        Organisation.objects.valid_on(period.end)
        .named_on(period.end)  # the quarter's names: Sở TT&TT in 2020
        .filter(indicator.entity_filter())
        .alias(report=submission)
        .annotate(
            numerator=num,
            denominator=den,
            score=score,
            status=Max("report__status"),
            submitted_at=Max("report__submitted_at"),
            report_id=Max("report__id"),
        )
        .annotate(rank=Window(Rank(), order_by=F("score").desc(nulls_last=True)))
        .order_by(F("score").desc(nulls_last=True), "code")
    )
