"""Recommendations from the public: the form, the confirmation link, and the status
page the sender follows with a long random token.

The token is the sender's only key: an unknown, expired or erased one answers the
ordinary 404, which says nothing about whether it ever existed. The pages behind a
token are never cached, indexed or sent as a Referer.
"""

import contextlib

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from briefing.platform.clients import client_hash
from proposals import workflow
from proposals.intake_forms import AskForm
from proposals.models import Answer, PublicSubmission
from proposals.services import public_intake
from proposals.workflow import TransitionError


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"  # no-referrer would send Origin: null
    return response


@never_cache
def ask(request):
    form = AskForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                public_intake.submission_send(
                    sender=form.sender(),
                    question=form.question(),
                    files=form.cleaned_data["attachments"],
                    client=client_hash(request),
                    submission_key=form.cleaned_data["submission_key"],
                )
            except public_intake.TooManySubmissions as refused:
                form.add_error(None, refused.message)
                status = 429
            else:
                return redirect("answers:ask_sent")
    return render(
        request,
        "proposals/ask_form.html",
        {"form": form, **_terms()},
        status=status,
    )


def _terms() -> dict:
    return {
        "unconfirmed_hours": public_intake.UNCONFIRMED_HOURS,
        "retention_months": public_intake.retention_days() // 30,
    }


def ask_sent(request):
    return render(request, "proposals/ask_sent.html", _terms())


def _submission_or_404(token: str) -> PublicSubmission:
    submission = get_object_or_404(
        PublicSubmission.objects.select_related(
            "recommendation__field",
            "recommendation__responsible_unit",
            "recommendation__duplicate_of",
        ),
        token=token,
    )
    if public_intake.pending_expired(submission):
        raise Http404
    return submission


@never_cache
def ask_confirm(request, token):
    """A button, not the link itself: a mail scanner that opens links confirms nothing."""
    submission = _submission_or_404(token)
    if request.method == "POST" or submission.confirmed_at is not None:
        if submission.confirmed_at is None:
            public_intake.submission_confirm(submission=submission)
        return redirect("answers:track", token=token)
    return _private(render(request, "proposals/ask_confirm.html", {"submission": submission}))


@never_cache
def track(request, token):
    submission = _submission_or_404(token)
    if submission.confirmed_at is None:
        return redirect("answers:ask_confirm", token=token)
    rec = submission.recommendation
    answer = Answer.objects.filter(recommendation=rec, published_at__isnull=False).first()
    events = {event.action: event for event in rec.events.all()}
    stage = workflow.SENDER_STAGE.get(rec.status, "received")
    context = {
        "submission": submission,
        "rec": rec,
        "stage": stage,
        "stage_label": stage_label(stage),
        "answer": answer if workflow.is_published(rec) else None,
        "assigned": events.get("accept"),
        "closing_note": events.get("reject") or events.get("return"),
        "may_withdraw": rec.status in workflow.SENDER_MAY_WITHDRAW,
        "erased": submission.anonymised_at is not None,
        "done": request.GET.get("done", ""),
        **_terms(),
    }
    return _private(render(request, "proposals/ask_status.html", context))


@require_POST
def track_withdraw(request, token):
    submission = _submission_or_404(token)
    # Triaged meanwhile: the page shows the new state.
    with contextlib.suppress(TransitionError):
        public_intake.submission_withdraw(submission=submission)
    return redirect(_done_url(token, "withdrawn"))


@require_POST
def track_erase(request, token):
    submission = _submission_or_404(token)
    if submission.anonymised_at is None:
        public_intake.submission_erase(submission=submission)
    return redirect(_done_url(token, "erased"))


def _done_url(token: str, what: str) -> str:
    return reverse("answers:track", args=[token]) + f"?done={what}"


def stage_label(stage: str) -> str:
    return {
        "received": _("Received by the Ministry Office"),
        "handling": _("Being handled"),
        "answered": _("Answered"),
        "merged": _("Answered together with the same question"),
        "rejected": _("Not within the Ministry's remit"),
        "withdrawn": _("Withdrawn"),
    }.get(stage, "")
