"""The Ministry Office prepares a briefing: the session, its presentations, the
chair's conclusions and their follow-up tasks. Presentations are downloaded by anyone
who may read the briefing page (everyone). The assignees of a follow-up task report its
progress."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from briefing.models.organisations import RoleCode
from briefing.models.sessions import BriefingDocument, BriefingSession, FollowUpTask
from briefing.organisations import roles
from briefing.platform import quarters
from briefing.sessions import services
from briefing.sessions.forms import (
    ConclusionForm,
    DocumentForm,
    ProgressForm,
    SessionForm,
    TaskForm,
)

office_only = roles.role_required(RoleCode.OFFICE_COORDINATOR)


def _session(year: int, quarter: int) -> BriefingSession:
    return get_object_or_404(BriefingSession, year=year, quarter=quarter)


def _edit_page(request, session, *, status=200, **forms):
    conclusions = session.conclusions.order_by("number").prefetch_related(
        Prefetch("tasks", queryset=FollowUpTask.objects.prefetch_related("assignees"))
    )
    context = {
        "session": session,
        "quarter_label": quarters.roman_label(session.year, session.quarter),
        "form": forms.get("form") or SessionForm(instance=session),
        "document_form": forms.get("document_form") or DocumentForm(session=session),
        "documents": session.documents.select_related("presenter"),
        "conclusion_form": forms.get("conclusion_form") or ConclusionForm(),
        "conclusions": conclusions,
        "task_form": forms.get("task_form") or TaskForm(session=session),
    }
    return render(request, "briefing/session_form.html", context, status=status)


def _to_edit(session, anchor=""):
    response = redirect("briefings:edit", session.year, session.quarter)
    response["Location"] += anchor
    return response


@office_only
def session_new(request):
    form = SessionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            session = form.save()
            messages.success(request, _("The briefing was created."))
            return _to_edit(session)
        return render(request, "briefing/session_form.html", {"form": form}, status=400)
    return render(request, "briefing/session_form.html", {"form": form})


@office_only
def session_edit(request, year: int, quarter: int):
    session = _session(year, quarter)
    if request.method == "POST":
        form = SessionForm(request.POST, instance=session)
        if form.is_valid():
            form.save()
            messages.success(request, _("The briefing was saved."))
            return redirect("briefings:detail", year, quarter)
        return _edit_page(request, session, form=form, status=400)
    return _edit_page(request, session)


@office_only
@require_POST
def document_add(request, year: int, quarter: int):
    session = _session(year, quarter)
    form = DocumentForm(request.POST, request.FILES, session=session)
    if form.is_valid():
        try:
            services.document_add(
                session=session,
                actor=request.user,
                title=form.cleaned_data["title"],
                presenter=form.cleaned_data["presenter"],
                uploaded=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The presentation was added."))
            return _to_edit(session, "#documents")
    return _edit_page(request, session, document_form=form, status=400)


@require_GET
def document_file(request, year: int, quarter: int, pk: int):
    document = get_object_or_404(
        BriefingDocument, pk=pk, session__year=year, session__quarter=quarter
    )
    if not document.file:
        raise Http404
    extension = "." + document.file.name.rsplit(".", 1)[-1] if "." in document.file.name else ""
    stem = document.original_name.rsplit(".", 1)[0] or "tai-lieu"
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=stem + extension)


@office_only
@require_POST
def document_delete(request, year: int, quarter: int, pk: int):
    session = _session(year, quarter)
    document = get_object_or_404(BriefingDocument, pk=pk, session=session)
    services.document_delete(document=document, actor=request.user)
    messages.success(request, _("The presentation was removed."))
    return _to_edit(session, "#documents")


@office_only
@require_POST
def conclusion_add(request, year: int, quarter: int):
    session = _session(year, quarter)
    form = ConclusionForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, session, conclusion_form=form, status=400)
    services.conclusion_add(session=session, actor=request.user, text=form.cleaned_data["text"])
    return _to_edit(session, "#conclusions")


@office_only
@require_POST
def task_add(request, year: int, quarter: int):
    session = _session(year, quarter)
    form = TaskForm(request.POST, session=session)
    if not form.is_valid():
        return _edit_page(request, session, task_form=form, status=400)
    services.task_add(actor=request.user, **form.cleaned_data)
    return _to_edit(session, "#conclusions")


@require_POST
def task_progress_add(request, task_id: int):
    task = get_object_or_404(FollowUpTask.objects.select_related("conclusion__session"), pk=task_id)
    if not services.may_update_task(request.user, task):
        # Not one of the assignees: as if the form did not exist for them.
        raise Http404
    session = task.conclusion.session
    form = ProgressForm(request.POST)
    target = reverse("briefings:detail", args=[session.year, session.quarter])
    if form.is_valid():
        try:
            services.progress_update_add(
                task_id=task.pk,
                actor=request.user,
                text=form.cleaned_data["text"],
                date=form.cleaned_data["date"],
                status=form.cleaned_data["status"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        except PermissionDenied:
            raise Http404 from None
    if form.errors:
        # Show the errors next to the fields, with what the person typed.
        return render(
            request,
            "briefing/progress_form.html",
            {"form": form, "task": task, "target": target},
            status=400,
        )
    messages.success(request, _("Progress saved."))
    return redirect(f"{target}#task-{task.pk}")
