"""Data entry for provincial departments and ministries: the report form, the Excel
template and upload (for one entity, or for every entity by the owner unit or office)."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from briefing.models.organisations import Organisation, OrganisationKind
from briefing.platform.confirm import is_confirmed
from briefing.platform.excel import workbook_response
from indicators import importing, permissions, selectors, services, workflow
from indicators.forms import PeriodChoiceForm, ReportForm, as_input
from indicators.models import ReportingPeriod, Submission
from indicators.views.common import (
    chosen_period,
    reporter_required,
)
from indicators.views.confirmations import confirm_sending


def _open_periods():
    return selectors.reportable_periods().filter(is_locked=False)


@reporter_required
def report_index(request):
    """The user's organisation: its reports for a period, one per owner unit."""
    organisation = request.user.organisation
    allowed = _open_periods()
    periods = list(allowed[:12])
    period = chosen_period(request, periods, periods[0] if periods else None, allowed)
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


@dataclass
class _ReportPage:
    """One entity's report to one owner unit for a period, as its form shows it."""

    organisation: Organisation
    period: ReportingPeriod
    unit: Organisation
    indicators: list
    elements: list
    submission: Submission | None
    previous: dict
    editable: bool


def _report_page(request, period_slug, unit_code) -> _ReportPage:
    organisation = request.user.organisation
    period, unit = _report_scope(request, period_slug, unit_code)
    indicators = selectors.indicators_for(
        organisation=organisation, period_type=period.period_type, owner=unit
    )
    if not indicators or not organisation.is_valid_on(period.end):
        raise Http404
    submission = selectors.submissions_of(organisation, period).get(unit.pk)
    return _ReportPage(
        organisation=organisation,
        period=period,
        unit=unit,
        indicators=indicators,
        elements=selectors.elements_of(indicators),
        submission=submission,
        previous=selectors.previous_values([organisation.pk], period, unit).get(
            organisation.pk, {}
        ),
        editable=not period.is_locked and workflow.values_editable(submission),
    )


@reporter_required
def report_form(request, period_slug, unit_code):
    page = _report_page(request, period_slug, unit_code)
    if request.method == "POST" and page.editable:
        submit = "submit" in request.POST
        form = ReportForm(
            request.POST,
            elements=page.elements,
            indicators=page.indicators,
            previous=page.previous,
            submit=submit,
        )
        if form.is_valid():
            if submit and _confirms_first(request, page):
                return confirm_sending(request, page, form)
            saved = _save_report(request, page, form, submit)
            if saved is not None:
                return saved
        status = 400
    if request.method != "POST" or not page.editable:
        if request.method == "POST":
            messages.error(request, _("This report can no longer be changed."))
        form = _saved_values_form(page)
        status = 200 if request.method != "POST" else 409
    by_code = {e.code: e for e in page.elements}
    return render(
        request,
        "indicators/submission_form.html",
        {
            "organisation": page.organisation,
            "period": page.period,
            "unit": page.unit,
            "submission": page.submission,
            "form": form,
            "editable": page.editable,
            "may_send": workflow.sending_action(request.user, page.organisation) == "submit",
            "rows": [
                (form[code], by_code[code], page.previous.get(code), code in page.previous)
                for code in by_code
            ],
            "events": page.submission.events.select_related("actor") if page.submission else [],
        },
        status=status,
    )


def _confirms_first(request, page: _ReportPage) -> bool:
    """Sending to the owner unit is confirmed on a page of its own (the values go along
    unchanged); an officer asking the leaders to sign saves at once."""
    sends = workflow.sending_action(request.user, page.organisation) == "submit"
    return sends and not is_confirmed(request)


SAVED = {
    "submit": gettext_lazy("The report for %(period)s was submitted to %(unit)s."),
    "ask_signature": gettext_lazy(
        "The report for %(period)s was saved and sent to your department's leaders for signature."
    ),
    "save": gettext_lazy("The report for %(period)s was saved as a draft."),
}


def _save_report(request, page: _ReportPage, form: ReportForm, submit: bool):
    """Save the form through the service: the redirect when done, or None with the
    problems added to the form."""
    period = page.period
    try:
        services.report_save(
            actor=request.user,
            organisation=page.organisation,
            period=period,
            owner_unit=page.unit,
            raw_values=form.cleaned_data["raw"],
            submit=submit,
            comment=form.cleaned_data["comment"],
            indicators=page.indicators,
            previous=page.previous,
        )
    except (services.ReportInvalid, services.ReportError) as exc:
        # Sent meanwhile by another request (a double click): say so and show
        # what was sent, not errors about a report that is no longer a draft.
        page.submission = selectors.submissions_of(page.organisation, period).get(page.unit.pk)
        page.editable = workflow.values_editable(page.submission)
        if page.editable and isinstance(exc, services.ReportInvalid):
            _add_issues(form, exc)
        elif page.editable:
            form.add_error(None, exc.message)
        return None
    action = workflow.sending_action(request.user, page.organisation) if submit else "save"
    messages.success(
        request, SAVED[action] % {"period": period.label, "unit": page.unit.short_name}
    )
    return redirect(reverse("indicators:report_index") + f"?period={period.slug}")


def _saved_values_form(page: _ReportPage) -> ReportForm:
    """The form filled with what is stored, to read (or to start from)."""
    saved = selectors.values_of(page.submission)
    return ReportForm(
        initial={code: as_input(value) for code, value in saved.items()}
        | {"comment": page.submission.warning_comment if page.submission else ""},
        elements=page.elements,
        indicators=page.indicators,
        previous=page.previous,
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
    workbook = importing.values_template(
        elements=elements,
        organisations=organisations,
        previous=previous,
        title=f"{unit.name} · {period.label}",
    )
    return workbook_response(workbook, f"chi-tieu-{unit.code.lower()}-{period.slug}.xlsx")


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
        {
            "form": form,
            "row_errors": row_errors,
            "period": period,
            "unit": unit,
            # Said before the file is chosen: "submit" sends to the unit, or (an officer
            # whose leaders sign) saves the reports and asks the leaders to send them.
            "sends": workflow.sending_action(request.user, request.user.organisation) == "submit",
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Review --------------------------------------------------------------------------
