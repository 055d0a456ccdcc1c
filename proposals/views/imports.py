"""Recommendations sent in bulk from an Excel workbook: its template and the upload."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from proposals import importing, permissions, workflow
from proposals.services import recommendations
from proposals.views.common import staff_required


@staff_required
def import_template(request):
    if not permissions.may_create(request.user):
        raise PermissionDenied
    return importing.template_response()


@staff_required
def import_upload(request):
    if not permissions.may_create(request.user):
        raise PermissionDenied
    form = importing.ImportForm(request.POST or None, request.FILES or None)
    # Said on the page before the file is chosen: sent at once, or drafts to sign.
    sends = workflow.may_send(request.user, request.user.organisation)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        rows, row_errors = importing.read_workbook(
            form.cleaned_data["file"], organisation=request.user.organisation
        )
        if not row_errors:
            created = recommendations.recommendations_import(actor=request.user, rows=rows)
            if sends:
                message = _("%(count)s recommendations were imported and submitted.")
            else:
                message = _(
                    "%(count)s recommendations were imported as drafts: your department's "
                    "leaders were asked to sign and send them."
                )
            messages.success(request, message % {"count": len(created)})
            return redirect("proposals:list")
    return render(
        request,
        "proposals/recommendation_import.html",
        {"form": form, "row_errors": row_errors, "sends": sends},
        status=400 if request.method == "POST" else 200,
    )
