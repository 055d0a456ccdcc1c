"""Views of recommendations: each loads the object through the access helper, calls
one service and redirects."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from briefing.organisations import roles
from briefing.platform import excel, quarters
from proposals import importing, permissions, selectors, services
from proposals.forms import (
    AcceptForm,
    AnswerForm,
    DuplicateForm,
    NoteForm,
    RecommendationForm,
    ScheduleForm,
    WorklistFilterForm,
)
from proposals.models import Answer, Attachment, Status
from proposals.permissions import get_recommendation_for_user
from proposals.workflow import TRANSITIONS, TransitionError, available_transitions

PAGE_SIZE = 25


def _staff_required(view):
    """Signed-in users with a ministry or provincial role; others get 403."""

    @login_required
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (roles.is_ministry_staff(user) or roles.is_province_staff(user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@_staff_required
def recommendation_list(request):
    form = WorklistFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    listed, status_counts = selectors.worklist(request.user, filters)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    status_query = query.copy()
    status_query.pop("status", None)
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
        },
    )


@_staff_required
def recommendation_export(request):
    """The list as filtered, as a spreadsheet: the rows the user may see, nothing more
    (the same selector as the page), with the columns of the page and the question."""
    form = WorklistFilterForm(request.GET or None)
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


def _render_form(request, form, rec=None, status=200):
    return render(
        request,
        "proposals/recommendation_form.html",
        {"form": form, "rec": rec},
        status=status,
    )


@_staff_required
def recommendation_create(request):
    if not permissions.may_create(request.user):
        raise PermissionDenied
    if request.method != "POST":
        year, quarter = quarters.quarter_of(timezone.localdate())
        form = RecommendationForm(
            initial={
                "submission_key": uuid.uuid4(),
                "channel": "briefing",
                "quarter": f"{year}-{quarter}",  # the list starts with next year's
            }
        )
        return _render_form(request, form)
    form = RecommendationForm(request.POST, request.FILES, organisation=request.user.organisation)
    if form.is_valid():
        try:
            rec = services.recommendation_create(
                actor=request.user,
                submission_key=form.cleaned_data["submission_key"] or None,
                submit="submit" in request.POST,
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _saved_message(rec))
            return redirect("proposals:detail", pk=rec.pk)
    return _render_form(request, form, status=400)


def _saved_message(rec) -> str:
    if rec.status == Status.SUBMITTED:
        return _("Recommendation %(code)s was submitted to the Ministry.") % {"code": rec.code}
    return _("Recommendation %(code)s was saved as a draft.") % {"code": rec.code}


@_staff_required
def recommendation_edit(request, pk):
    rec = get_recommendation_for_user(request.user, pk)
    if not permissions.is_submitter(request.user, rec) or rec.status not in (
        Status.DRAFT,
        Status.RETURNED,
    ):
        raise PermissionDenied
    if request.method != "POST":
        return _render_form(
            request, RecommendationForm(initial=RecommendationForm.initial_for(rec)), rec
        )
    form = RecommendationForm(request.POST, request.FILES, organisation=rec.submitting_organisation)
    if form.is_valid():
        try:
            rec = services.recommendation_update(
                recommendation_id=rec.pk,
                actor=request.user,
                submit="submit" in request.POST,
                note=form.cleaned_data["note"],
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _saved_message(rec))
            return redirect("proposals:detail", pk=rec.pk)
    return _render_form(request, form, rec, status=400)


@_staff_required
def recommendation_detail(request, pk):
    rec = selectors.recommendation_detail(get_recommendation_for_user(request.user, pk))
    user = request.user
    transitions = available_transitions(user, rec)
    answer = getattr(rec, "answer", None)
    submitter = permissions.is_submitter(user, rec)
    show_answer = answer is not None and (
        not submitter or rec.status in (Status.ANSWER_APPROVED, Status.PUBLISHED)
    )
    # While a published answer is revised, its department keeps reading what was
    # published (text and files), never the draft.
    published = answer if submitter and not show_answer and answer and answer.published_at else None
    history = selectors.change_history(rec, answer) if permissions.may_see_history(user) else []
    return render(
        request,
        "proposals/recommendation_detail.html",
        {
            "rec": rec,
            "answer": answer if show_answer else None,
            "published_answer": published,
            "published_files": [
                f
                for f in rec.attachments.all()
                if f.part == Attachment.Part.ANSWER and f.published_at
            ],
            "transitions": transitions,
            "note_actions": [t for t in transitions if t.action in NOTE_ACTIONS],
            "can_accept": any(t.action == "accept" for t in transitions),
            "can_merge": any(t.action == "merge" for t in transitions),
            "can_answer": any(t.action == "send_to_leader" for t in transitions),
            "can_schedule": permissions.is_office(user)
            and rec.status in (Status.ACCEPTED, Status.ANSWER_DRAFTED, Status.ANSWER_APPROVED),
            "schedule_form": ScheduleForm(initial={"publish_at": rec.publish_at}),
            "can_edit": permissions.is_submitter(user, rec)
            and rec.status in (Status.DRAFT, Status.RETURNED),
            "history": history,
            "is_overdue": rec.is_overdue(),
        },
    )


# Actions that need nothing but a note, each posted to recommendation_action.
NOTE_ACTIONS = {
    "submit",
    "withdraw",
    "return",
    "reject",
    "approve",
    "send_back",
    "revise",
    "publish",
}


@_staff_required
def recommendation_action(request, pk, action):
    if action not in NOTE_ACTIONS:
        raise Http404
    rec = get_recommendation_for_user(request.user, pk)
    transition = TRANSITIONS[action]
    if request.method != "POST" and transition not in available_transitions(request.user, rec):
        # No form for an action the user may not take now (a POST still gets the
        # service's message, for a page opened before the state changed).
        raise PermissionDenied
    form = NoteForm(request.POST or None, transition=transition)
    if request.method == "POST" and form.is_valid():
        try:
            if action == "publish":
                services.answer_publish(recommendation_id=rec.pk, actor=request.user)
            else:
                services.recommendation_act(
                    recommendation_id=rec.pk,
                    actor=request.user,
                    action=action,
                    note=form.cleaned_data["note"],
                )
        except TransitionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": transition.label})
        return redirect("proposals:detail", pk=rec.pk)
    return render(
        request,
        "proposals/recommendation_action.html",
        {"rec": rec, "form": form, "transition": transition},
        status=400 if request.method == "POST" else 200,
    )


@_staff_required
@require_POST
def recommendation_schedule(request, pk):
    rec = get_recommendation_for_user(request.user, pk)
    if not permissions.is_office(request.user):
        raise PermissionDenied
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("proposals:detail", pk=rec.pk)
    try:
        services.recommendation_schedule_publication(
            recommendation_id=rec.pk, actor=request.user, publish_at=form.cleaned_data["publish_at"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except TransitionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The publication schedule was saved."))
    return redirect("proposals:detail", pk=rec.pk)


def _office_form_action(request, pk, *, form_class, action, run, success):
    """A Ministry Office action that needs a form: show it, call the service through
    `run(rec, data)`, keep the input and errors on failure, redirect on success."""
    rec = get_recommendation_for_user(request.user, pk)
    if not permissions.is_office(request.user):
        raise PermissionDenied
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run(rec, form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        except TransitionError as exc:
            messages.error(request, exc.message)
            return redirect("proposals:detail", pk=rec.pk)
        else:
            messages.success(request, success(rec, form.cleaned_data))
            return redirect("proposals:detail", pk=rec.pk)
    return render(
        request,
        "proposals/recommendation_action.html",
        {"rec": rec, "form": form, "transition": TRANSITIONS[action]},
        status=400 if request.method == "POST" else 200,
    )


@_staff_required
def recommendation_accept(request, pk):
    return _office_form_action(
        request,
        pk,
        form_class=AcceptForm,
        action="accept",
        run=lambda rec, data: services.recommendation_accept(
            recommendation_id=rec.pk,
            actor=request.user,
            unit=data["unit"],
            cooperating_units=data["cooperating_units"],
            deadline=data["deadline"],
            note=data["note"],
        ),
        success=lambda rec, data: (
            _("%(code)s was assigned to %(unit)s.")
            % {"code": rec.code, "unit": data["unit"].short_name}
        ),
    )


@_staff_required
def recommendation_merge(request, pk):
    return _office_form_action(
        request,
        pk,
        form_class=DuplicateForm,
        action="merge",
        run=lambda rec, data: services.recommendation_mark_duplicate(
            recommendation_id=rec.pk,
            actor=request.user,
            original=data["original"],
            note=data["note"],
        ),
        success=lambda rec, data: (
            _("%(code)s was marked as a duplicate of %(original)s.")
            % {"code": rec.code, "original": data["original"].code}
        ),
    )


@_staff_required
def answer_edit(request, pk):
    rec = get_recommendation_for_user(request.user, pk)
    if not permissions.is_responsible_member(request.user, rec):
        raise PermissionDenied
    answer = Answer.objects.filter(recommendation=rec).first()
    conflict = None
    if request.method != "POST":
        form = AnswerForm(
            initial={
                "text": answer.text if answer else "",
                "version": answer.version if answer else 0,
            }
        )
    else:
        form = AnswerForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.answer_save(
                    recommendation_id=rec.pk,
                    actor=request.user,
                    text=form.cleaned_data["text"],
                    version=form.cleaned_data["version"],
                    files=form.cleaned_data["attachments"],
                    send_to_leader="send" in request.POST,
                    note=form.cleaned_data["note"],
                )
            except services.AnswerConflict:
                conflict = Answer.objects.select_related("drafted_by").get(recommendation=rec)
                form.add_error(
                    None,
                    _(
                        "%(person)s saved this answer while you were editing it. Your text "
                        "is kept below and was not saved: compare it with the current "
                        "answer, then save again."
                    )
                    % {"person": conflict.drafted_by},
                )
                # The next save is made against the version now in the database.
                data = request.POST.copy()
                data["version"] = conflict.version
                form.data = data
            except ValidationError as exc:
                _add_errors(form, exc)
            except TransitionError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("The answer was sent to the leader.")
                    if "send" in request.POST
                    else _("The answer was saved."),
                )
                return redirect("proposals:detail", pk=rec.pk)
    return render(
        request,
        "proposals/answer_form.html",
        {"rec": rec, "form": form, "conflict": conflict},
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


@_staff_required
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("recommendation"), pk=pk)
    rec = get_recommendation_for_user(request.user, attachment.recommendation_id)
    if (
        attachment.part == Attachment.Part.ANSWER
        and permissions.is_submitter(request.user, rec)
        and rec.status not in (Status.ANSWER_APPROVED, Status.PUBLISHED)
        and attachment.published_at is None  # a published file stays theirs in a revision
    ):
        raise Http404
    # The extension comes from the content, so "page.html" holding a PDF is served
    # as "page.pdf" and never opened by a browser as a web page.
    stem = attachment.original_name.rsplit(".", 1)[0] or "tep"
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=f"{stem}{attachment.extension}",
        content_type=attachment.content_type,
    )


@_staff_required
def import_template(request):
    if not permissions.may_create(request.user):
        raise PermissionDenied
    return importing.template_response()


@_staff_required
def import_upload(request):
    if not permissions.may_create(request.user):
        raise PermissionDenied
    form = importing.ImportForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        rows, row_errors = importing.read_workbook(
            form.cleaned_data["file"], organisation=request.user.organisation
        )
        if not row_errors:
            created = services.recommendations_import(actor=request.user, rows=rows)
            messages.success(
                request,
                _("%(count)s recommendations were imported and submitted.")
                % {"count": len(created)},
            )
            return redirect("proposals:list")
    return render(
        request,
        "proposals/recommendation_import.html",
        {"form": form, "row_errors": row_errors},
        status=400 if request.method == "POST" else 200,
    )
