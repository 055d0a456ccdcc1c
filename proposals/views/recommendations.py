"""A recommendation's staff pages: write and edit it, read it with what the user may
do now, and take the workflow's actions. Which actions and when is proposals.workflow's
to say; each view loads the recommendation through the access helper, calls one service
and redirects."""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from briefing.platform import quarters
from briefing.platform.confirm import is_confirmed
from proposals import permissions, selectors, workflow
from proposals.forms import NoteForm, RecommendationForm, ScheduleForm
from proposals.models import Attachment, PublicSubmission, Status
from proposals.permissions import get_recommendation_for_user
from proposals.services import publishing, recommendations
from proposals.similar import similar_recommendations
from proposals.views.common import add_errors, staff_required
from proposals.views.confirmations import recommendation_confirmation
from proposals.workflow import TRANSITIONS, TransitionError, available_transitions


def _render_form(request, form, rec=None, status=200):
    organisation = rec.submitting_organisation if rec else request.user.organisation
    # A refused form shows the similar list the check button would, for the text typed.
    similar = (
        similar_recommendations(request.user, exclude=rec, **form.similar_query())
        if form.is_bound
        else None
    )
    return render(
        request,
        "proposals/recommendation_form.html",
        {
            "form": form,
            "rec": rec,
            "similar": similar,
            "asks_clarification": workflow.asks_clarification(rec),
            # The second button sends to the Ministry, or to the leaders for signature.
            "may_send": workflow.may_send(request.user, organisation),
        },
        status=status,
    )


@staff_required
def recommendation_create(request):
    if not permissions.may_create(request.user):
        raise PermissionDenied
    if request.method != "POST":
        year, quarter = quarters.quarter_of(timezone.localdate())
        form = RecommendationForm(
            initial={
                "submission_key": uuid.uuid4(),
                "channel": "briefing",
                "quarter": f"{year}-{quarter}",  # the list starts with the next quarter
            }
        )
        return _render_form(request, form)
    form = RecommendationForm(request.POST, request.FILES, organisation=request.user.organisation)
    confirm_first = _confirms_sending(request, request.user.organisation)
    if form.is_valid():
        try:
            rec = recommendations.recommendation_create(
                actor=request.user,
                submission_key=form.cleaned_data["submission_key"] or None,
                submit="submit" in request.POST and not confirm_first,
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, exc.message)
        else:
            return _after_save(request, rec, form, confirm_first)
    return _render_form(request, form, status=400)


def _confirms_sending(request, organisation) -> bool:
    """The form's send button of someone who sends to the Ministry: the form saves the
    draft (its input and files are kept), then the confirmation page of "submit" says
    what sending does; an officer asking the leaders to sign sends at once."""
    return "submit" in request.POST and workflow.may_send(request.user, organisation)


def _after_save(request, rec, form, confirm_first: bool):
    if confirm_first and workflow.is_editable(rec):
        messages.info(
            request,
            _("Recommendation %(code)s was saved as a draft. Confirm below to send it.")
            % {"code": rec.code},
        )
        url = reverse("proposals:action", args=[rec.pk, "submit"])
        note = form.cleaned_data.get("note")
        return redirect(url + ("?" + urlencode({"note": note}) if note else ""))
    messages.success(request, _saved_message(rec, "submit" in request.POST))
    return redirect("proposals:detail", pk=rec.pk)


def _saved_message(rec, sent: bool = False) -> str:
    if rec.status == Status.SUBMITTED:
        return _("Recommendation %(code)s was submitted to the Ministry.") % {"code": rec.code}
    if sent:
        return _(
            "Recommendation %(code)s was saved and sent to your department's leaders for signature."
        ) % {"code": rec.code}
    return _("Recommendation %(code)s was saved as a draft.") % {"code": rec.code}


@staff_required
def recommendation_edit(request, pk):
    rec = get_recommendation_for_user(request.user, pk)
    if not workflow.may_edit(request.user, rec):
        raise PermissionDenied
    if request.method != "POST":
        return _render_form(
            request, RecommendationForm(initial=RecommendationForm.initial_for(rec)), rec
        )
    form = RecommendationForm(
        request.POST,
        request.FILES,
        organisation=rec.submitting_organisation,
        own_quarter=f"{rec.period_year}-{rec.period_quarter}",
    )
    confirm_first = _confirms_sending(request, rec.submitting_organisation)
    if form.is_valid():
        try:
            rec = recommendations.recommendation_update(
                recommendation_id=rec.pk,
                actor=request.user,
                submit="submit" in request.POST and not confirm_first,
                note=form.cleaned_data["note"],
                **form.service_kwargs(),
                **form.file_changes(),
            )
        except Attachment.DoesNotExist:
            raise Http404 from None  # a file id of another recommendation
        except ValidationError as exc:
            add_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, exc.message)
        else:
            return _after_save(request, rec, form, confirm_first)
    return _render_form(request, form, rec, status=400)


@staff_required
def recommendation_detail(request, pk):
    return _render_detail(request, get_recommendation_for_user(request.user, pk))


def _render_detail(request, rec, schedule_form=None, status=200):
    """The detail page; `schedule_form` is a refused schedule, shown with its errors
    and the time the user typed."""
    rec = selectors.recommendation_detail(rec)
    user = request.user
    transitions = available_transitions(user, rec)
    answer = getattr(rec, "answer", None)
    submitter = permissions.is_submitter(user, rec)
    show_answer = answer is not None and (not submitter or workflow.submitter_reads_answer(rec))
    # While a published answer is revised, its department keeps reading what was
    # published (text and files), never the draft.
    published = answer if submitter and not show_answer and answer and answer.published_at else None
    history = selectors.change_history(rec, answer) if permissions.may_see_history(user) else []
    return render(
        request,
        "proposals/recommendation_detail.html",
        {
            "rec": rec,
            # A sender from the public: how it arrived, and (for the office) who.
            "public": PublicSubmission.objects.filter(recommendation=rec).first(),
            "show_contact": permissions.sees_sender_contact(user),
            "answer": answer if show_answer else None,
            "published_answer": published,
            "published_files": [
                f
                for f in rec.attachments.all()
                if f.part == Attachment.Part.ANSWER and f.published_at
            ],
            "transitions": transitions,
            "note_actions": [t for t in transitions if t.note_only],
            "can_accept": any(t.action == "accept" for t in transitions),
            "can_merge": any(t.action == "merge" for t in transitions),
            "can_answer": any(t.action == "send_to_leader" for t in transitions),
            "can_schedule": workflow.may_schedule(user, rec),
            "schedule_form": schedule_form or ScheduleForm(initial={"publish_at": rec.publish_at}),
            "can_edit": workflow.may_edit(user, rec),
            "is_published": workflow.is_published(rec),
            "history": history,
            "is_overdue": rec.is_overdue(),
        },
        status=status,
    )


@staff_required
def recommendation_action(request, pk, action):
    if action not in workflow.NOTE_ACTIONS:
        raise Http404
    rec = get_recommendation_for_user(request.user, pk)
    transition = TRANSITIONS[action]
    # Only a page to show (the form, or the confirmation) asks who may act; a POST that
    # acts leaves that to the service.
    shows_page = request.method != "POST" or (transition.confirm and not is_confirmed(request))
    allowed = shows_page and transition in available_transitions(request.user, rec)
    if request.method != "POST" and not allowed:
        # No form for an action the user may not take now (a POST still gets the
        # service's message, for a page opened before the state changed).
        raise PermissionDenied
    # The form's send button brings the clarification it was given (_after_save).
    initial = {"note": request.GET.get("note", "")[:5000]}
    form = NoteForm(request.POST or None, transition=transition, initial=initial)
    # An action hard to undo first shows what it does; only the confirmed POST acts.
    asks = transition.confirm and allowed and not is_confirmed(request)
    if request.method == "POST" and not asks and form.is_valid():
        try:
            if action == workflow.PUBLISH:
                publishing.answer_publish(recommendation_id=rec.pk, actor=request.user)
            else:
                rec = recommendations.recommendation_act(
                    recommendation_id=rec.pk,
                    actor=request.user,
                    action=action,
                    note=form.cleaned_data["note"],
                )
        except TransitionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _saved_message(rec)
                if action == "submit"
                else _("Done: %(action)s.") % {"action": transition.label},
            )
        return redirect("proposals:detail", pk=rec.pk)
    return render(
        request,
        "proposals/recommendation_action.html",
        {
            "rec": rec,
            "form": form,
            "transition": transition,
            "confirm": recommendation_confirmation(rec, transition, form) if asks else None,
        },
        status=400 if request.method == "POST" and not asks else 200,
    )


@staff_required
@require_POST
def recommendation_schedule(request, pk):
    rec = get_recommendation_for_user(request.user, pk)
    if not permissions.is_office(request.user):
        raise PermissionDenied
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            publishing.recommendation_schedule_publication(
                recommendation_id=rec.pk,
                actor=request.user,
                publish_at=form.cleaned_data["publish_at"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        except TransitionError as exc:
            messages.error(request, exc.message)
            return redirect("proposals:detail", pk=rec.pk)
        else:
            messages.success(request, _("The publication schedule was saved."))
            return redirect("proposals:detail", pk=rec.pk)
    if not workflow.is_schedulable(rec):
        # The page no longer shows the form (the state changed since it was opened):
        # say why rather than the error of a field the user cannot see.
        messages.error(
            request,
            _("This recommendation is now “%(status)s”: “%(action)s” is not possible.")
            % {"status": rec.get_status_display(), "action": _("Schedule publication")},
        )
        return redirect("proposals:detail", pk=rec.pk)
    return _render_detail(request, rec, schedule_form=form, status=400)
