"""The answer of a recommendation: the unit's form (with the files already attached
to remove or replace), and the download of the files of both parts."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from proposals import attachments, permissions, workflow
from proposals.forms import AnswerForm
from proposals.models import Answer, Attachment
from proposals.permissions import get_recommendation_for_user
from proposals.services import recommendations
from proposals.views.common import add_errors, staff_required
from proposals.workflow import TransitionError


@staff_required
def answer_edit(request, pk):
    rec = get_recommendation_for_user(request.user, pk)
    if not permissions.is_responsible_member(request.user, rec):
        raise PermissionDenied
    conflict = None
    if request.method != "POST":
        answer = Answer.objects.filter(recommendation=rec).first()
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
                _save(request, rec, form)
            except recommendations.AnswerConflict:
                conflict = _keep_for_another_try(request, rec, form)
            except Attachment.DoesNotExist:
                raise Http404 from None  # a file id of another recommendation
            except ValidationError as exc:
                add_errors(form, exc)
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


def _save(request, rec, form) -> Answer:
    return recommendations.answer_save(
        recommendation_id=rec.pk,
        actor=request.user,
        text=form.cleaned_data["text"],
        version=form.cleaned_data["version"],
        files=form.cleaned_data["attachments"],
        send_to_leader="send" in request.POST,
        note=form.cleaned_data["note"],
        **form.file_changes(),
    )


def _keep_for_another_try(request, rec, form) -> Answer:
    """Someone saved the answer since this editor opened it: say who, keep the text
    typed, and set the form to the version now saved. Returns the saved answer."""
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
    return conflict


@staff_required
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("recommendation"), pk=pk)
    rec = get_recommendation_for_user(request.user, attachment.recommendation_id)
    if (
        attachment.part == Attachment.Part.ANSWER
        and permissions.is_submitter(request.user, rec)
        and not workflow.submitter_reads_answer(rec)
        and attachment.published_at is None  # a published file stays theirs in a revision
    ):
        raise Http404
    return attachments.download(attachment)
