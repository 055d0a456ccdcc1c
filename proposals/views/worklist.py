"""The staff's worklist of recommendations: the list for the user's role, with its
filters, and the same rows as a spreadsheet."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from briefing.platform import excel
from proposals import permissions, selectors
from proposals.forms import BulkAcceptForm, WorklistFilterForm
from proposals.models import Status
from proposals.views.common import staff_required

PAGE_SIZE = 25


def _filter_form(request):
    senders = permissions.visible_recommendations(request.user)
    return WorklistFilterForm(request.GET or None, senders=senders)


@staff_required
def recommendation_list(request):
    return render_list(request)


def render_list(request, bulk_form=None, status=200):
    """The worklist; for the Ministry Office with the bulk accept form (`bulk_form`
    bound to a refused POST keeps the selection and shows the errors)."""
    form = _filter_form(request)
    filters = form.cleaned_data if form.is_valid() else {}
    listed, status_counts = selectors.worklist(request.user, filters)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    status_query = query.copy()
    status_query.pop("status", None)
    office = permissions.is_office(request.user)
    return render(
        request,
        "proposals/recommendation_list.html",
        {
            "form": form,
            "page": page,
            "status_counts": status_counts,
            "current_status": filters.get("status", ""),
            "query": query.urlencode(),
            "status_query": status_query.urlencode(),
            "may_create": permissions.may_create(request.user),
            # The office registers what the public sent outside the portal's form.
            "may_intake": office,
            "bulk_form": bulk_form or (BulkAcceptForm() if office else None),
            "selected": {str(pk) for pk in request.POST.getlist("selected")},
            "acceptable": Status.SUBMITTED,
        },
        status=status,
    )


@staff_required
def recommendation_export(request):
    """The list as filtered, as a spreadsheet: the rows the user may see, nothing more
    (the same selector as the page), with the columns of the page and the question."""
    form = _filter_form(request)
    filters = form.cleaned_data if form.is_valid() else {}
    listed, _status_counts = selectors.worklist(request.user, filters)
    today = timezone.localdate()
    rows = (
        [
            rec.code,
            rec.quarter_label,
            rec.field.name,
            rec.title,
            rec.content,
            rec.submitting_organisation.name
            if rec.submitting_organisation
            else rec.get_source_kind_display(),
            rec.responsible_unit.name if rec.responsible_unit else "",
            rec.deadline,
            _("Overdue") if rec.is_overdue(today) else "",
            rec.get_status_display(),
            timezone.localtime(rec.submitted_at).replace(tzinfo=None, microsecond=0)
            if rec.submitted_at
            else None,
        ]
        for rec in listed.iterator(chunk_size=500)
    )
    columns = [
        (_("Code"), 20),
        (_("Briefing quarter"), 10),
        (_("Field"), 24),
        (_("Title"), 40),
        (_("Recommendation"), 60),
        (_("Sent by"), 30),
        (_("Responsible unit"), 24),
        (_("Deadline"), 12),
        (_("Overdue"), 10),
        (_("Status"), 18),
        (_("Sent on"), 17),
    ]
    return excel.table_response(
        filename=f"kien-nghi-{today:%Y%m%d}.xlsx",
        title=_("Recommendations"),
        columns=columns,
        rows=rows,
    )
