"""Shared pieces of the indicator views: access decorators and the period choice."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from indicators import permissions, selectors

TREND_LENGTH = 8
EXPORT_FORMATS = ("csv", "xlsx")


def staff_required(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        if not permissions.may_see_staff_dashboard(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def reporter_required(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        if not permissions.may_report(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def chosen_period(request, periods, default, allowed=None):
    """The period of ?period=Q3-2020 (404 when not allowed), else `default`. The choice
    is added to `periods`, the list offered in the select, when it is older."""
    slug = request.GET.get("period")
    if not slug:
        return default
    period = selectors.period_from_slug(slug)
    if period is None:
        raise Http404
    if allowed is not None and not allowed.filter(pk=period.pk).exists():
        raise Http404
    if allowed is None and period.pk not in {p.pk for p in periods}:
        raise Http404
    if period.pk not in {p.pk for p in periods}:
        periods.append(period)
    return period


def decimal_or_none(value):
    return None if value is None else float(round(Decimal(value), 6))


# --- Public -------------------------------------------------------------------------


def public_context(request):
    periods = list(selectors.periods_with(selectors.PUBLIC_STATUSES))
    period = chosen_period(request, periods, periods[0] if periods else None)
    return periods, period
