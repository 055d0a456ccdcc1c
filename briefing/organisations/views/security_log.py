"""The security log as staff read it: a filtered page and the same rows as CSV. Nothing
here writes to the log except the refusal page, which records the refusal."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from briefing.models.organisations import RoleCode, SecurityEvent, SecurityEventKind
from briefing.organisations import roles, security_log
from briefing.organisations.forms import SecurityLogFilterForm
from briefing.platform import excel

readers_only = roles.role_required(RoleCode.SYSTEM_ADMIN, RoleCode.OFFICE_COORDINATOR)


def _filtered(request):
    form = SecurityLogFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # Say what is wrong next to the field; list nothing rather than unfiltered rows.
        return form, SecurityEvent.objects.none()
    filters = form.cleaned_data if form.is_bound else {}
    rows = security_log.events(
        person=filters.get("person") or "",
        organisation=filters.get("organisation"),
        kind=filters.get("kind") or "",
        start=filters.get("start"),
        end=filters.get("end"),
    )
    return form, rows


@never_cache
@readers_only
def security_log_page(request):
    form, rows = _filtered(request)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "briefing/security_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@never_cache
@readers_only
def security_log_csv(request):
    _form, rows = _filtered(request)
    labels = dict(SecurityEventKind.choices)
    header = [
        _("Time"),
        _("Event"),
        _("User name"),
        _("Person concerned"),
        _("Organisation"),
        _("IP address"),
        _("Page address"),
        _("Detail"),
    ]
    lines = (
        [
            timezone.localtime(row.at).strftime("%d/%m/%Y %H:%M:%S"),
            str(labels.get(row.kind, row.kind)),
            row.username,
            row.subject.username if row.subject else "",
            row.organisation.short_name if row.organisation else "",
            row.ip or "",
            row.path,
            row.detail_display,
        ]
        for row in rows.iterator(chunk_size=2000)
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    return excel.csv_response(filename=f"nhat-ky-an-ninh-{stamp}.csv", header=header, rows=lines)


def permission_denied(request, exception):
    """The 403 page; every refusal is a line of the security log."""
    security_log.record(SecurityEventKind.PERMISSION_DENIED, request=request)
    return render(request, "403.html", status=403)
