"""The staff dashboards: national figures with reports not yet approved, an indicator's
entities with traffic lights (where the owner unit also sets when its figure is
provisional), and one entity's history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from indicators import permissions, selectors, services
from indicators.forms import PeriodChoiceForm, ProvisionalThresholdForm
from indicators.models import Indicator, Method, Status
from indicators.permissions import get_entity_for_user
from indicators.views.common import (
    chosen_period,
    staff_required,
)


def _staff_period(request):
    allowed = selectors.reportable_periods().filter(period_type="quarter")
    periods = list(allowed[:16])
    default = selectors.latest_period_with(selectors.STAFF_STATUSES) or (
        periods[0] if periods else None
    )
    if default is not None and default not in periods:
        periods.append(default)
    return periods, chosen_period(request, periods, default, allowed)


@staff_required
def staff_dashboard(request):
    periods, period = _staff_period(request)
    if period is None:
        raise Http404
    rows = selectors.national_table(period, selectors.STAFF_STATUSES, public_only=False)
    complete = selectors.completeness([r.indicator for r in rows], period)
    return render(
        request,
        "indicators/indicator_staff.html",
        {
            "period": period,
            "rows": [(r, complete[r.indicator.pk]) for r in rows],
            "form": PeriodChoiceForm(initial={"period": period.slug}, periods=periods),
            "is_owner": {
                r.indicator.pk: permissions.is_unit_member(request.user, r.indicator.owner_unit_id)
                for r in rows
            },
            "may_manage_periods": permissions.may_manage_periods(request.user),
        },
    )


def traffic_light(indicator, score) -> str:
    """green: meets the target; red: misses it; grey: no target or no value."""
    met = indicator.meets_target(score)
    return "none" if met is None else ("green" if met else "red")


@staff_required
def staff_indicator(request, code):
    indicator = get_object_or_404(
        Indicator.objects.select_related("numerator", "denominator", "owner_unit"), code=code
    )
    periods, period = _staff_period(request)
    if period is None:
        raise Http404
    may_set = permissions.may_set_provisional_threshold(request.user, indicator)
    threshold_form = ProvisionalThresholdForm(
        request.POST if request.method == "POST" else None,
        initial={"provisional_below": indicator.provisional_below},
    )
    if request.method == "POST":
        if not may_set:
            raise PermissionDenied
        if threshold_form.is_valid():
            services.indicator_threshold_set(
                indicator_id=indicator.pk,
                actor=request.user,
                provisional_below=threshold_form.cleaned_data["provisional_below"],
            )
            messages.success(request, _("The provisional threshold was saved."))
            return redirect(request.get_full_path())
    rows = list(selectors.entity_rows(indicator, period, selectors.STAFF_STATUSES))
    labels = dict(Status.choices)
    complete = selectors.completeness([indicator], period)[indicator.pk]
    figure = selectors.figures([indicator], [period], selectors.STAFF_STATUSES)[
        (indicator.pk, period.pk)
    ]
    return render(
        request,
        "indicators/indicator_entities.html",
        {
            "indicator": indicator,
            "period": period,
            "figure": figure,
            "complete": complete,
            "rows": [
                (r, traffic_light(indicator, r.score), labels.get(r.status, "")) for r in rows
            ],
            "form": PeriodChoiceForm(initial={"period": period.slug}, periods=periods),
            "threshold_form": threshold_form if may_set else None,
            "provisional": selectors.is_provisional(indicator, period, figure),
        },
        status=400 if threshold_form.errors else 200,
    )


def _entity_value(indicator, values, period_id):
    num = values.get((indicator.numerator_id, period_id))
    if num is None:
        return None
    if indicator.method == Method.RATIO:
        den = values.get((indicator.denominator_id, period_id))
        return num / den * indicator.factor if den else None
    return num * indicator.factor


@login_required
def entity_detail(request, pk):
    """Drill-down: one entity's indicators over the recent periods."""
    organisation = get_entity_for_user(request.user, pk)
    periods, period = _staff_period(request)
    if period is None:
        raise Http404
    span = selectors.periods_up_to(period, 4)
    indicators = selectors.indicators_for(organisation=organisation, period_type=period.period_type)
    values = selectors.entity_history(organisation, span)
    rows = []
    for indicator in indicators:
        cells = [(p, _entity_value(indicator, values, p.pk)) for p in span]
        rows.append((indicator, [(p, v, traffic_light(indicator, v)) for p, v in cells]))
    return render(
        request,
        "indicators/organisation_detail.html",
        {"organisation": organisation, "period": period, "span": span, "rows": rows},
    )
