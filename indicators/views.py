"""Views of indicators: the public dashboard, data entry, review and the staff
dashboards. Each view that takes an id loads it through an access helper (404 when the
user may not see it), calls one service and redirects."""

import csv
import io
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from briefing.models import Organisation, OrganisationKind
from indicators import importing, permissions, selectors, services
from indicators.forms import NoteForm, PeriodChoiceForm, ReportForm, as_input
from indicators.models import EDITABLE, Indicator, Method, Status
from indicators.permissions import get_entity_for_user, get_submission_for_user

TREND_LENGTH = 8
EXPORT_FORMATS = ("csv", "xlsx")


def _staff_required(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        if not permissions.may_see_staff_dashboard(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _reporter_required(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        if not permissions.may_report(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _chosen_period(request, periods, default, allowed=None):
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


def _decimal_or_none(value):
    return None if value is None else float(round(Decimal(value), 6))


# --- Public -------------------------------------------------------------------------


def _public_context(request):
    periods = list(selectors.periods_with(selectors.PUBLIC_STATUSES))
    period = _chosen_period(request, periods, periods[0] if periods else None)
    return periods, period


def dashboard(request):
    """The national figures of a period, from approved reports only."""
    periods, period = _public_context(request)
    rows = selectors.national_table(period) if period else []
    return render(
        request,
        "indicators/indicator_list.html",
        {
            "period": period,
            "rows": rows,
            "form": PeriodChoiceForm(
                initial={"period": period.slug if period else ""}, periods=periods
            ),
            "entities_changed": any(r.entities_changed for r in rows),
        },
    )


def _public_indicator(code: str) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("numerator", "denominator", "owner_unit"),
        code=code,
        is_public=True,
    )


def _chart_data(indicator, points, ranking):
    return {
        "name": indicator.name,
        "unit": indicator.unit,
        "decimals": indicator.decimals,
        "target": _decimal_or_none(indicator.target),
        "trend": {
            "labels": [p.period.label for p in points],
            "values": [_decimal_or_none(p.figure.value) for p in points],
            "boundaries": [p.period.label for p in points if p.entities_changed],
        },
        "ranking": {
            "labels": [r.short_name for r in ranking],
            "values": [_decimal_or_none(r.score) for r in ranking],
        },
    }


def indicator_detail(request, code):
    """One indicator: its national trend and the ranking of entities in a period."""
    indicator = _public_indicator(code)
    periods, period = _public_context(request)
    if period is None:
        raise Http404
    points = selectors.trend(indicator, selectors.periods_up_to(period, TREND_LENGTH))
    ranking = [
        r
        for r in selectors.entity_rows(indicator, period, selectors.PUBLIC_STATUSES)
        if r.score is not None
    ]
    current = points[-1]
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "period": period,
            "points": points,
            "current": current,
            "ranking": ranking,
            "boundary": any(p.entities_changed for p in points),
            "chart": _chart_data(indicator, points, ranking),
            "form": PeriodChoiceForm(initial={"period": period.slug}, periods=periods),
        },
    )


def _fmt(value, decimals):
    if value is None:
        return ""
    return number_format(value, decimal_pos=decimals, force_grouping=True)


def _table_response(fmt: str, filename: str, header: list[str], rows: list[list]):
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        # A BOM so that Excel opens Vietnamese text in UTF-8.
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    else:
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(header)
        for row in rows:
            sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=importing.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _rounded(value, decimals):
    return None if value is None else round(value, decimals)


def dashboard_export(request, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    periods, period = _public_context(request)
    if period is None:
        raise Http404
    rows = selectors.national_table(period)
    header = [
        _("Code"),
        _("Indicator"),
        _("Period"),
        _("Value"),
        _("Unit"),
        _("Numerator"),
        _("Denominator"),
        _("Entities reported"),
        _("Entities it applies to"),
        _("Change on the previous period (%)"),
        _("Change on the baseline (%)"),
    ]
    data = [
        [
            r.indicator.code,
            r.indicator.name,
            period.label,
            _rounded(r.figure.value, r.indicator.decimals),
            r.indicator.unit,
            r.figure.numerator,
            r.figure.denominator,
            r.figure.reported,
            r.figure.applicable,
            _rounded(r.change_previous, 2),
            _rounded(r.change_baseline, 2),
        ]
        for r in rows
    ]
    return _table_response(fmt, f"chi-tieu-{period.slug}", header, data)


def indicator_export(request, code, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    indicator = _public_indicator(code)
    periods, period = _public_context(request)
    if period is None:
        raise Http404
    points = selectors.trend(indicator, selectors.periods_up_to(period, TREND_LENGTH))
    ranking = selectors.entity_rows(indicator, period, selectors.PUBLIC_STATUSES)
    header = [_("Series"), _("Period"), _("Entity"), _("Value"), _("Unit"), _("Rank")]
    d = indicator.decimals
    data = [
        [_("National"), p.period.label, "", _rounded(p.figure.value, d), indicator.unit, ""]
        for p in points
    ] + [
        [_("Ranking"), period.label, r.name, _rounded(r.score, d), indicator.unit, r.rank]
        for r in ranking
        if r.score is not None
    ]
    return _table_response(fmt, f"{indicator.code.lower()}-{period.slug}", header, data)


# --- Data entry ----------------------------------------------------------------------


def _open_periods():
    return selectors.reportable_periods().filter(is_locked=False)


@_reporter_required
def report_index(request):
    """The user's organisation: its reports for a period, one per owner unit."""
    organisation = request.user.organisation
    allowed = _open_periods()
    periods = list(allowed[:12])
    period = _chosen_period(request, periods, periods[0] if periods else None, allowed)
    units, submissions = [], {}
    if period is not None:
        units = selectors.owner_units_for(organisation, period.period_type)
        submissions = selectors.submissions_of(organisation, period)
    return render(
        request,
        "indicators/submission_list.html",
        {
            "organisation": organisation,
            "period": period,
            "reports": [(unit, submissions.get(unit.pk)) for unit in units],
            "form": PeriodChoiceForm(
                initial={"period": period.slug if period else ""}, periods=periods
            ),
        },
    )


def _report_scope(request, period_slug, unit_code):
    """The period, owner unit and its indicators for the user's organisation (404 when
    the unit owns nothing the organisation reports)."""
    period = selectors.period_from_slug(period_slug)
    if period is None:
        raise Http404
    unit = get_object_or_404(Organisation, code=unit_code, kind=OrganisationKind.MINISTRY_UNIT)
    return period, unit


def _add_issues(form, exc: services.ReportInvalid):
    for entry in exc.entries:
        for issue in entry.errors:
            form.add_error(issue.element if issue.element in form.fields else None, issue.message)
        if entry.warnings:
            form.warnings = entry.warnings
            form.add_error("comment", _("Explain the changes flagged above before submitting."))


@_reporter_required
def report_form(request, period_slug, unit_code):
    organisation = request.user.organisation
    period, unit = _report_scope(request, period_slug, unit_code)
    indicators = selectors.indicators_for(
        organisation=organisation, period_type=period.period_type, owner=unit
    )
    if not indicators or not organisation.is_valid_on(period.end):
        raise Http404
    elements = selectors.elements_of(indicators)
    submission = selectors.submissions_of(organisation, period).get(unit.pk)
    previous = selectors.previous_values([organisation.pk], period, unit).get(organisation.pk, {})
    editable = not period.is_locked and (submission is None or submission.status in EDITABLE)
    submit = "submit" in request.POST
    if request.method == "POST" and editable:
        form = ReportForm(
            request.POST,
            elements=elements,
            indicators=indicators,
            previous=previous,
            submit=submit,
        )
        if form.is_valid():
            try:
                services.report_save(
                    actor=request.user,
                    organisation=organisation,
                    period=period,
                    owner_unit=unit,
                    raw_values=form.cleaned_data["raw"],
                    submit=submit,
                    comment=form.cleaned_data["comment"],
                )
            except services.ReportInvalid as exc:
                _add_issues(form, exc)
            except services.ReportError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("The report for %(period)s was submitted to %(unit)s.")
                    % {"period": period.label, "unit": unit.short_name}
                    if submit
                    else _("The report for %(period)s was saved as a draft.")
                    % {"period": period.label},
                )
                return redirect(reverse("indicators:report_index") + f"?period={period.slug}")
        status = 400
    else:
        if request.method == "POST":
            messages.error(request, _("This report can no longer be changed."))
        saved = selectors.values_of(submission)
        form = ReportForm(
            initial={code: as_input(value) for code, value in saved.items()}
            | {"comment": submission.warning_comment if submission else ""},
            elements=elements,
            indicators=indicators,
            previous=previous,
        )
        status = 200 if request.method != "POST" else 409
    by_code = {e.code: e for e in elements}
    return render(
        request,
        "indicators/submission_form.html",
        {
            "organisation": organisation,
            "period": period,
            "unit": unit,
            "submission": submission,
            "form": form,
            "editable": editable,
            "rows": [
                (form[code], by_code[code], previous.get(code), code in previous)
                for code in by_code
            ],
            "events": submission.events.select_related("actor") if submission else [],
        },
        status=status,
    )


def _entry_scope(request, period_slug, unit_code):
    """Who the Excel template and upload are for: the reporter's own organisation, or
    every entity when the owner unit or the office loads consolidated figures."""
    period, unit = _report_scope(request, period_slug, unit_code)
    user = request.user
    if permissions.may_enter_for_others(user, unit):
        indicators = selectors.indicators_for(owner=unit, period_type=period.period_type)
        reporting = Q(pk__in=[])
        for indicator in indicators:
            reporting |= indicator.entity_filter()
        organisations = list(
            Organisation.objects.valid_on(period.end).filter(reporting).order_by("kind", "code")
        )
    elif permissions.may_report(user):
        organisations = [user.organisation]
        indicators = selectors.indicators_for(
            organisation=user.organisation, period_type=period.period_type, owner=unit
        )
    else:
        raise PermissionDenied
    if not indicators or not organisations:
        raise Http404
    return period, unit, organisations, indicators


@login_required
def report_template(request, period_slug, unit_code):
    period, unit, organisations, indicators = _entry_scope(request, period_slug, unit_code)
    elements = selectors.elements_of(indicators)
    previous = selectors.previous_values([o.pk for o in organisations], period, unit)
    workbook = importing.template_workbook(
        elements=elements,
        organisations=organisations,
        previous=previous,
        title=f"{unit.name} · {period.label}",
    )
    return importing.template_response(workbook, f"chi-tieu-{unit.code.lower()}-{period.slug}.xlsx")


@login_required
def report_upload(request, period_slug, unit_code):
    period, unit, organisations, indicators = _entry_scope(request, period_slug, unit_code)
    elements = selectors.elements_of(indicators)
    form = importing.UploadForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        entries, numbers, row_errors = importing.read_workbook(
            form.cleaned_data["file"], elements=elements
        )
        if not row_errors:
            try:
                saved = services.reports_save(
                    actor=request.user,
                    period=period,
                    owner_unit=unit,
                    entries=entries,
                    submit="submit" in request.POST,
                    comment=request.POST.get("comment", ""),
                )
            except services.ReportInvalid as exc:
                row_errors = importing.errors_from(exc, numbers, elements)
                if exc.needs_confirmation_only:
                    row_errors = [
                        importing.RowError(numbers[e.index], "", w.message)
                        for e in exc.entries
                        for w in e.warnings
                    ]
            except services.ReportError as exc:
                row_errors = [importing.RowError(0, "", exc.message)]
            else:
                messages.success(
                    request,
                    _("%(count)s reports were saved from the file.") % {"count": len(saved)},
                )
                if permissions.may_report(request.user):
                    return redirect(reverse("indicators:report_index") + f"?period={period.slug}")
                return redirect(reverse("indicators:staff") + f"?period={period.slug}")
    return render(
        request,
        "indicators/submission_import.html",
        {"form": form, "row_errors": row_errors, "period": period, "unit": unit},
        status=400 if request.method == "POST" else 200,
    )


# --- Review --------------------------------------------------------------------------


@_staff_required
def review_list(request):
    """Reports sent to the user's unit, oldest first."""
    user = request.user
    status = request.GET.get("status") or Status.SUBMITTED
    if status not in Status.values:
        status = Status.SUBMITTED
    submissions = (
        permissions.visible_submissions(user)
        .filter(status=status)
        .select_related("organisation", "period", "owner_unit", "submitted_by")
        .order_by("period__start", "submitted_at", "pk")[:200]
    )
    return render(
        request,
        "indicators/submission_review.html",
        {"submissions": submissions, "status": status, "statuses": Status.choices},
    )


@login_required
def submission_detail(request, pk):
    submission = get_submission_for_user(request.user, pk)
    indicators = selectors.indicators_for(
        organisation=submission.organisation,
        period_type=submission.period.period_type,
        owner=submission.owner_unit,
    )
    elements = selectors.elements_of(indicators)
    values = selectors.values_of(submission)
    previous = selectors.previous_values(
        [submission.organisation_id], submission.period, submission.owner_unit
    ).get(submission.organisation_id, {})
    may_review = permissions.may_review(request.user, submission)
    return render(
        request,
        "indicators/submission_detail.html",
        {
            "submission": submission,
            "rows": [(e, values.get(e.code), previous.get(e.code)) for e in elements],
            "events": submission.events.select_related("actor"),
            "may_approve": may_review and submission.status == Status.SUBMITTED,
            "may_reopen": may_review and submission.status == Status.APPROVED,
            "form": NoteForm(),
        },
    )


ACTIONS = {
    "approve": services.report_approve,
    "return": services.report_return,
    "reopen": services.report_reopen,
}


@require_POST
@login_required
def submission_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    submission = get_submission_for_user(request.user, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        ACTIONS[action](submission_id=submission.pk, actor=request.user, note=note)
    except services.ReportError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            {
                "approve": _("The report of %(organisation)s was approved."),
                "return": _("The report of %(organisation)s was returned."),
                "reopen": _("The report of %(organisation)s was reopened."),
            }[action]
            % {"organisation": submission.organisation.short_name},
        )
    return redirect("indicators:submission_detail", pk=submission.pk)


# --- Staff dashboards ------------------------------------------------------------------


def _staff_period(request):
    allowed = selectors.reportable_periods().filter(period_type="quarter")
    periods = list(allowed[:16])
    default = selectors.latest_period_with(selectors.STAFF_STATUSES) or (
        periods[0] if periods else None
    )
    if default is not None and default not in periods:
        periods.append(default)
    return periods, _chosen_period(request, periods, default, allowed)


@_staff_required
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


@_staff_required
def staff_indicator(request, code):
    indicator = get_object_or_404(
        Indicator.objects.select_related("numerator", "denominator", "owner_unit"), code=code
    )
    periods, period = _staff_period(request)
    if period is None:
        raise Http404
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
        },
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
