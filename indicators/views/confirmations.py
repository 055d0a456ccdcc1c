"""The confirmation pages of an indicator report's steps that are hard to undo (see
briefing.platform.confirm): sending a report to its owner unit, approving it, locking a
period. Each says what will happen and who will see it."""

from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from briefing.platform.confirm import Confirmation
from indicators.forms import NoteForm
from indicators.models import Status, Submission


def confirmation_page(request, confirm: Confirmation, *, heading: str, subject: str, url=""):
    return render(
        request,
        "confirm.html",
        {"confirm": confirm, "heading": heading, "subject": subject, "subject_url": url},
    )


def confirm_sending(request, page, form):
    """The report form's values, carried unchanged to the confirming POST (the same URL,
    the same validation), and what sending them does."""
    names = {"organisation": page.organisation.name, "period": page.period.label}
    unit = page.unit.name
    form_url = reverse("indicators:report_form", args=[page.period.slug, page.unit.code])
    confirm = Confirmation(
        happens=[
            _("The report of %(organisation)s for %(period)s is sent to %(unit)s.")
            % (names | {"unit": unit}),
            _("Its values can no longer be changed, unless %(unit)s returns the report.")
            % {"unit": unit},
        ],
        audience=[
            _("%(unit)s: its staff are told, review the values and approve or return them.")
            % {"unit": unit},
            _("The public sees the values only once %(unit)s approves them.") % {"unit": unit},
        ],
        button=_("Confirm: submit to %(unit)s") % {"unit": page.unit.short_name},
        button_name="submit",
        cancel_url=form_url,
        action_url=form_url,
        hidden=[(name, request.POST.get(name, "")) for name in form.fields],
        secondary=[("save", _("Save as a draft instead"))],
        key="submit",
    )
    heading = _("Submit the report to %(unit)s") % {"unit": page.unit.short_name}
    return confirmation_page(
        request, confirm, heading=heading, subject=f"{page.organisation.name} · {page.period.label}"
    )


def confirm_approval(request, submission: Submission):
    names = {
        "organisation": submission.organisation.name,
        "period": submission.period.label,
    }
    detail = reverse("indicators:submission_detail", args=[submission.pk])
    confirm = Confirmation(
        happens=[
            _("The report of %(organisation)s for %(period)s is approved.") % names,
            _(
                "Its values are locked and count in the national figures; only your unit "
                "can reopen it, with a reason."
            ),
        ],
        audience=[
            _("Everyone: the values enter the public figures and rankings of the portal."),
            _("%(organisation)s is told the report was approved.") % names,
        ],
        button=_("Confirm: approve"),
        cancel_url=detail,
        form=NoteForm(request.POST or None),
        key="approve",
    )
    return confirmation_page(
        request,
        confirm,
        heading=_("Approve the report"),
        subject=f"{submission.organisation.name} · {submission.period.label} · "
        f"{submission.owner_unit.short_name}",
        url=detail,
    )


def confirm_lock(request, period, form):
    counts = Submission.objects.filter(period=period).aggregate(
        sent=Count("pk", filter=~Q(status=Status.DRAFT)),
        approved=Count("pk", filter=Q(status=Status.APPROVED)),
    )
    confirm = Confirmation(
        happens=[
            _(
                "%(period)s is locked: no values can be entered, changed or sent for it, "
                "and its reports can no longer be approved or returned."
            )
            % {"period": period.label},
            _(
                "Reports sent so far: %(sent)s, approved: %(approved)s. "
                "A report not sent now stays missing."
            )
            % counts,
            _("Reopening needs a reason; both steps stay in the period's history."),
        ],
        audience=[
            _("Every reporting department and ministry unit: their forms and uploads refuse it."),
            _("The lock is recorded in the security log."),
        ],
        button=_("Confirm: lock %(period)s") % {"period": period.label},
        cancel_url=reverse("indicators:periods"),
        form=form,
        key="lock",
        danger=True,
    )
    return confirmation_page(
        request, confirm, heading=_("Lock %(period)s") % {"period": period.label}, subject=""
    )
