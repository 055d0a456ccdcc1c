"""The dates a form accepts: nothing before the portal's records begin, nothing in a
far future (a year typed as 9999, or 0001 from a broken date picker, is a typing
mistake, not a plan)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST = datetime.date(2000, 1, 1)
YEARS_AHEAD = 5


def latest_allowed() -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year + YEARS_AHEAD, day=min(today.day, 28))


def check_date(
    value: datetime.date, *, earliest: datetime.date | None = None, latest=None
) -> datetime.date:
    """`value`, or a ValidationError (to show next to the field) naming the range."""
    earliest = earliest or EARLIEST
    latest = latest or latest_allowed()
    if not earliest <= value <= latest:
        raise ValidationError(
            _("Choose a date from %(start)s to %(end)s.")
            % {"start": earliest.strftime("%d/%m/%Y"), "end": latest.strftime("%d/%m/%Y")}
        )
    return value
