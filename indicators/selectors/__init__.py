"""Reads of indicators (reusable queries), one module per topic:

- catalogue: the indicators an organisation reports, their elements, the periods;
- reporting: what entities send, the period before, how complete a period is;
- national: the national figures, rolled up by the database, the table and trends;
- rankings: every entity's value, ranked.

Callers import this package (`from indicators import selectors`) and call the names
below; the modules only say where each read lives.
"""

from indicators.selectors.catalogue import (
    KINDS,
    PUBLIC_STATUSES,
    STAFF_STATUSES,
    elements_of,
    indicators_for,
    latest_period_with,
    owner_units_for,
    period_from_slug,
    periods_up_to,
    periods_with,
    previous_period,
    reportable_periods,
)
from indicators.selectors.national import (
    Figure,
    Row,
    TrendPoint,
    change,
    figures,
    is_provisional,
    national_table,
    trend,
)
from indicators.selectors.rankings import entity_rows
from indicators.selectors.reporting import (
    completeness,
    entity_history,
    previous_values,
    submissions_of,
    values_of,
)

__all__ = [
    "KINDS",
    "PUBLIC_STATUSES",
    "STAFF_STATUSES",
    "Figure",
    "Row",
    "TrendPoint",
    "change",
    "completeness",
    "elements_of",
    "entity_history",
    "entity_rows",
    "figures",
    "indicators_for",
    "is_provisional",
    "latest_period_with",
    "national_table",
    "owner_units_for",
    "period_from_slug",
    "periods_up_to",
    "periods_with",
    "previous_period",
    "previous_values",
    "reportable_periods",
    "submissions_of",
    "trend",
    "values_of",
]
