"""The owner unit's review: the queue, a submission, approve / return / reopen."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from briefing.platform.confirm import is_confirmed
from indicators import permissions, selectors, services, workflow
from indicators.forms import NoteForm
from indicators.models import Status
from indicators.permissions import get_submission_for_user
from indicators.views.common import (
    staff_required,
)
from indicators.views.confirmations import confirm_approval


@staff_required
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
    actions = workflow.available_actions(request.user, submission)
    return render(
        request,
        "indicators/submission_detail.html",
        {
            "submission": submission,
            "rows": [(e, values.get(e.code), previous.get(e.code)) for e in elements],
            "events": submission.events.select_related("actor"),
            # Approve and return are offered together, as both start from "submitted".
            "may_approve": "approve" in actions,
            "may_reopen": "reopen" in actions,
            "form": NoteForm(),
        },
    )


ACTIONS = {
    "approve": services.report_approve,
    "return": services.report_return,
    "reopen": services.report_reopen,
}


# Approving publishes the values: its page says so and asks to confirm (GET, or a POST
# without the confirmation); the other decisions are taken from the report's page.
CONFIRMED_ACTIONS = frozenset({"approve"})


@login_required
def submission_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    if request.method != "POST" and action not in CONFIRMED_ACTIONS:
        return HttpResponseNotAllowed(["POST"])
    submission = get_submission_for_user(request.user, pk)
    if action in CONFIRMED_ACTIONS and not is_confirmed(request):
        if action in workflow.available_actions(request.user, submission):
            return confirm_approval(request, submission)
        if request.method != "POST":
            raise PermissionDenied
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
