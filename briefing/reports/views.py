"""The briefing pages: the list of quarters and each quarter's page with its report
(page, PDF, XLSX) and conclusions; the office's on-demand roll-up and its progress."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from briefing.models.organisations import RoleCode
from briefing.models.reports import DocumentKind, ReportSnapshot
from briefing.models.sessions import BriefingSession, Conclusion, FollowUpTask, ProgressUpdate
from briefing.organisations import roles
from briefing.platform import quarters
from briefing.platform.outbox import outbox_enqueue
from briefing.reports import assignees, document_views, particulars, rollup
from briefing.reports import files as report_files
from briefing.reports import presentation as report
from briefing.reports import tasks as report_tasks
from briefing.reports.forms import ParticularsForm
from briefing.sessions import selectors as session_selectors
from briefing.sessions.forms import ProgressForm


def _check_quarter(year: int, quarter: int) -> None:
    if not (1 <= quarter <= 4) or not (2000 <= year <= 2100):
        raise Http404


def briefing_list(request):
    sessions = BriefingSession.objects.order_by("-year", "-quarter")
    can_prepare = request.user.is_authenticated and roles.is_office_coordinator(request.user)
    return render(
        request,
        "briefing/briefing_list.html",
        {"sessions": sessions, "can_prepare": can_prepare},
    )


def _context(request, year: int, quarter: int) -> dict:
    session = BriefingSession.objects.filter(year=year, quarter=quarter).first()
    snapshot = rollup.latest_snapshot(year=year, quarter=quarter)
    context = {
        "year": year,
        "quarter": quarter,
        "quarter_label": quarters.roman_label(year, quarter),
        "session": session,
        "snapshot": snapshot,
        "today": timezone.localdate(),
    }
    if snapshot is not None:
        context |= {
            "narrative": report.narrative(snapshot.data),
            "tables": report.tables(snapshot.data),
            "indicator_lines": report.indicator_lines(snapshot.data),
            "charts": report.charts(snapshot.data),
            "previous_tasks": report.previous_tasks(snapshot.data),
            "task_status": report.task_status_labels(),
        }
    return context


@require_GET
def briefing_detail(request, year: int, quarter: int):
    _check_quarter(year, quarter)
    return _render_detail(request, year, quarter)


def _render_detail(request, year: int, quarter: int, *, bound=None, status: int = 200):
    """The quarter's page; `bound` is a refused particulars form, shown with its errors
    and what was typed."""
    context = _context(request, year, quarter)
    session = context["session"]
    if session is None and context["snapshot"] is None:
        raise Http404
    conclusions = []
    if session is not None:
        conclusions = list(
            Conclusion.objects.filter(session=session)
            .order_by("number")
            .prefetch_related(
                Prefetch(
                    "tasks",
                    queryset=FollowUpTask.objects.order_by("deadline", "pk").prefetch_related(
                        "assignees",
                        Prefetch(
                            "updates",
                            queryset=ProgressUpdate.objects.select_related("organisation"),
                        ),
                    ),
                )
            )
        )
        context["participants"] = session.participants.order_by("kind", "code")
        context["documents"] = session.documents.select_related("presenter")
    user = request.user
    own_org = getattr(user, "organisation_id", None) if user.is_authenticated else None
    is_office = user.is_authenticated and roles.is_office_coordinator(user)
    if session is not None:
        context["sent"] = session_selectors.sent_to_briefing(session, everything=is_office)
        groups = assignees.groups_on(document_views.briefing_day(session))
    for conclusion in conclusions:
        for task in conclusion.tasks.all():
            task.overdue = task.is_overdue(context["today"])
            task.editable = is_office or any(o.pk == own_org for o in task.assignees.all())
            task.assignee_text = assignees.text(
                assignees.collapse(list(task.assignees.all()), groups)
            )
    context |= {
        "conclusions": conclusions,
        "can_run": is_office,
        "progress_form": ProgressForm(),
        "versions": ReportSnapshot.objects.filter(year=year, quarter=quarter)
        .order_by("-version")
        .values("version", "created_at", "status")[:10],
    }
    context |= document_views.panel(
        year,
        quarter,
        session=session,
        snapshot=context["snapshot"],
        is_office=is_office,
        bound=bound,
    )
    return render(request, "briefing/briefing_detail.html", context, status=status)


def _snapshot_or_404(year: int, quarter: int):
    _check_quarter(year, quarter)
    snapshot = rollup.latest_snapshot(year=year, quarter=quarter)
    if snapshot is None:
        raise Http404
    return snapshot


@require_GET
def report_xlsx(request, year: int, quarter: int):
    snapshot = _snapshot_or_404(year, quarter)
    content = report_files.xlsx(snapshot)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"bao-cao-giao-ban-{year}-q{quarter}-v{snapshot.version}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@roles.role_required(RoleCode.OFFICE_COORDINATOR)
def particulars_save(request, year: int, quarter: int, kind: str):
    """The office gives a document its number, date, signer and recipients: a new row of
    the quarter's history; refused, the page comes back with the errors by the fields."""
    _check_quarter(year, quarter)
    if kind not in DocumentKind.values:
        raise Http404
    if kind == DocumentKind.REPORT and rollup.latest_snapshot(year=year, quarter=quarter) is None:
        raise Http404
    if (
        kind == DocumentKind.CONCLUSIONS
        and not BriefingSession.objects.filter(year=year, quarter=quarter).exists()
    ):
        raise Http404
    form = ParticularsForm(request.POST, prefix=kind)
    if not form.is_valid():
        return _render_detail(request, year, quarter, bound=form, status=400)
    particulars.particulars_save(
        year=year, quarter=quarter, kind=kind, actor=request.user, values=form.cleaned_data
    )
    messages.success(request, _("The particulars of the document were saved."))
    return redirect(reverse("briefings:detail", args=[year, quarter]) + "#documents")


@require_POST
@roles.role_required(RoleCode.OFFICE_COORDINATOR)
def rollup_start(request, year: int, quarter: int):
    """Queue the roll-up (through the outbox) and answer with where to poll."""
    _check_quarter(year, quarter)
    run_id = report_tasks.new_run_id()
    report_tasks.progress_set(run_id, state="queued", percent=0)
    outbox_enqueue(task="briefing.rollup_quarter", year=year, quarter=quarter, run_id=run_id)
    progress_url = reverse("briefings:rollup_progress", args=[run_id])
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"run_id": run_id, "progress": progress_url}, status=202)
    messages.info(request, _("The report is being computed."))
    return redirect(reverse("briefings:detail", args=[year, quarter]) + f"?run={run_id}#rollup")


@never_cache
@require_GET
def rollup_progress(request, run_id: str):
    if not run_id.isalnum() or len(run_id) > 64:
        raise Http404
    state = report_tasks.progress_get(run_id)
    if state is None:
        return JsonResponse({"state": "unknown", "percent": 0}, status=404)
    return JsonResponse(state)
