"""The Ministry Office's intake of recommendations from the public that did not come
through the portal's form: one letter, call or e-mail at a time, or the national public
service portal's export as a file (every row or none)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from briefing.models.organisations import RoleCode
from briefing.organisations.roles import role_required
from proposals import importing
from proposals.intake_forms import IntakeForm
from proposals.services import public_intake
from proposals.views.common import add_errors
from proposals.workflow import TransitionError

office_only = role_required(RoleCode.OFFICE_COORDINATOR)


def _posted(request) -> tuple:
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


@office_only
def intake_register(request):
    # Bound on every POST, an empty one too: it is refused field by field.
    form = IntakeForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rec = public_intake.intake_register(
                actor=request.user,
                sender=form.sender(),
                question=form.question(),
                received_via=data["received_via"],
                received_on=data["received_on"],
                files=data["attachments"],
                submission_key=data["submission_key"],
                note=data["reference"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Registered as %(code)s: it waits for triage in the worklist.")
                % {"code": rec.code},
            )
            return redirect("proposals:detail", rec.pk)
    return render(
        request,
        "proposals/intake_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@office_only
def intake_template(request):
    return importing.intake_template_response()


@office_only
def intake_import(request):
    form = importing.IntakeImportForm(*_posted(request))
    row_errors = []
    if request.method == "POST" and form.is_valid():
        rows, row_errors = importing.read_intake(form.cleaned_data["file"])
        if not row_errors:
            created = public_intake.intake_import(actor=request.user, rows=rows)
            messages.success(request, _import_message(len(created), len(rows) - len(created)))
            return redirect("proposals:list")
    return render(
        request,
        "proposals/intake_import.html",
        {"form": form, "row_errors": row_errors, "columns": importing.INTAKE_COLUMNS},
        status=400 if request.method == "POST" else 200,
    )


def _import_message(created: int, known: int) -> str:
    text = ngettext(
        "%(count)s recommendation was registered.",
        "%(count)s recommendations were registered.",
        created,
    ) % {"count": created}
    if known:
        text += " " + ngettext(
            "%(count)s row had been registered by an earlier import and was left as it was.",
            "%(count)s rows had been registered by an earlier import and were left as they were.",
            known,
        ) % {"count": known}
    return text
