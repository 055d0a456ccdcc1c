"""Writes of the public answer: its publication (by the office, or by the job at the
scheduled time), the schedule, and readers' stars."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from briefing.models.organisations import SecurityEventKind
from briefing.organisations import security_log
from briefing.platform.outbox import outbox_enqueue
from briefing.platform.public_cache import ANSWERS, answer_section, public_sections_bump
from proposals import permissions, workflow
from proposals.models import Answer, AnswerRating, Attachment, Recommendation
from proposals.search import search_text
from proposals.services.recommendations import attachment_delete
from proposals.workflow import PUBLISH, TransitionError, apply_transition, check_transition


def answer_publish(*, recommendation_id: int, actor=None, now=None) -> bool:
    """Publish the approved answer: freeze its text and time, make it public.

    Safe to run twice: only an approved answer is published, under a row lock, so a
    second run finds it published and does nothing. Without an actor (the job), an
    answer scheduled for later waits for its time. Returns whether it published.
    """
    now = now or timezone.now()
    with transaction.atomic():
        rec = Recommendation.objects.select_for_update().get(pk=recommendation_id)
        if actor is not None:
            check_transition(rec=rec, action=PUBLISH, actor=actor)  # a person: say why not
        if not workflow.is_publishable(rec):
            return False  # the job ran before, or the answer is being revised
        if actor is None and rec.publish_at and rec.publish_at > now:
            return False
        answer = Answer.objects.select_for_update().get(recommendation=rec)

        def freeze(rec):
            if answer.published_at is None:
                answer.published_at = now
            else:
                answer.republished_at = now
            answer.published_text = answer.text
            answer.published_version = answer.version
            answer.search_text = search_text(rec, answer)
            answer._history_user = actor
            answer._change_reason = "publish"
            answer.save()
            Attachment.objects.filter(
                recommendation=rec, part=Attachment.Part.ANSWER, published_at__isnull=True
            ).update(published_at=now)
            # Files the revision removed were public until now.
            for removed in Attachment.objects.filter(recommendation=rec, removed_at__isnull=False):
                attachment_delete(removed)

        apply_transition(recommendation_id=rec.pk, action=PUBLISH, actor=actor, before_save=freeze)
        security_log.record(
            SecurityEventKind.ANSWER_PUBLISHED,
            actor=actor,
            by_system=actor is None,
            organisation=rec.responsible_unit,
            detail=f"{rec.code} v{answer.published_version}",
        )
        outbox_enqueue(
            task="proposals.notify_subscribers",
            answer_id=answer.pk,
            version=answer.published_version,
        )
        # Stale now: the lists (home, /answers/) and this answer's page, not the others.
        code = rec.code
        transaction.on_commit(lambda: public_sections_bump(ANSWERS, answer_section(code)))
    return True


def recommendation_schedule_publication(
    *, recommendation_id: int, actor, publish_at: datetime.datetime | None
) -> Recommendation:
    """The Ministry Office sets (or clears) when an approved answer goes public."""
    with transaction.atomic():
        rec = Recommendation.objects.select_for_update().get(pk=recommendation_id)
        if not permissions.is_office(actor):
            raise TransitionError(_("You may not take this action on this recommendation."))
        if not workflow.is_schedulable(rec):
            raise TransitionError(
                _("This recommendation is now “%(status)s”: “%(action)s” is not possible.")
                % {"status": rec.get_status_display(), "action": _("Schedule publication")}
            )
        if publish_at is not None and publish_at <= timezone.now():
            raise ValidationError({"publish_at": _("Choose a time in the future.")})
        rec.publish_at = publish_at
        rec._history_user = actor
        rec._change_reason = "schedule"
        rec.save()
    return rec


def answers_publish_due(*, now=None) -> int:
    """Publish every approved answer whose time has come (the periodic job)."""
    now = now or timezone.now()
    due = Recommendation.objects.filter(status__in=workflow.PUBLISHABLE).filter(
        Q(publish_at__isnull=True) | Q(publish_at__lte=now)
    )
    return sum(
        answer_publish(recommendation_id=pk, now=now) for pk in due.values_list("pk", flat=True)
    )


# Votes counted per answer from one client address: a household or an office shares
# an address, but a script making up voter tokens stops here.
VOTES_PER_CLIENT = 5


class TooManyVotes(Exception):
    """This client address has already voted VOTES_PER_CLIENT times on the answer."""


def answer_rate(*, answer: Answer, voter: str, client: str, stars: int) -> bool:
    """Record a reader's stars; False when this browser already voted. `client` is a
    one-way hash of the reader's address."""
    if not 1 <= stars <= 5:
        raise ValidationError(_("Choose between 1 and 5 stars."))
    with transaction.atomic():
        # The answer's row lock orders concurrent votes, so the limit holds under load.
        Answer.objects.select_for_update().values_list("pk", flat=True).get(pk=answer.pk)
        ratings = AnswerRating.objects.filter(answer=answer)
        if ratings.filter(voter=voter[:64]).exists():
            return False
        if ratings.filter(client=client).count() >= VOTES_PER_CLIENT:
            raise TooManyVotes
        AnswerRating.objects.create(answer=answer, voter=voter[:64], client=client, stars=stars)
    return True
