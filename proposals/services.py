"""Every write to recommendations: one function per business action."""

import datetime
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from briefing.models.organisations import Organisation, OrganisationKind
from briefing.platform import quarters
from briefing.platform.outbox import outbox_enqueue
from briefing.platform.public_cache import public_cache_clear
from proposals import permissions
from proposals.attachments import MAX_ATTACHMENTS, validate_attachment
from proposals.models import (
    Answer,
    AnswerRating,
    Attachment,
    CodeSequence,
    Field,
    Recommendation,
    SourceKind,
    Status,
    Subscription,
)
from proposals.search import fold
from proposals.workflow import (
    TransitionError,
    apply_transition,
    check_transition,
    record_transition,
)


class AnswerConflict(Exception):
    """Someone else saved the answer since this editor opened it."""


def _next_code(year: int, quarter: int) -> str:
    prefix = f"KN-{year}-Q{quarter}"
    sequence, _created = CodeSequence.objects.select_for_update().get_or_create(prefix=prefix)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{prefix}-{sequence.last:04d}"


def _source_kind_for(organisation: Organisation) -> str:
    if organisation.kind == OrganisationKind.CENTRAL_AGENCY:
        return SourceKind.AGENCY
    return SourceKind.PROVINCE


def attachments_add(*, rec: Recommendation, actor, files: Iterable, part: str) -> None:
    files = list(files)
    if not files:
        return
    if rec.attachments.filter(part=part).count() + len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            _("At most %(count)s files can be attached.") % {"count": MAX_ATTACHMENTS}
        )
    # Check every file before storing any, so a bad one leaves nothing on disk.
    kinds = [validate_attachment(uploaded) for uploaded in files]
    for uploaded, kind in zip(files, kinds, strict=True):
        attachment = Attachment(
            recommendation=rec,
            part=part,
            original_name=uploaded.name[:255],
            extension=kind.extension,
            content_type=kind.content_type,
            size=uploaded.size,
            uploaded_by=actor,
        )
        attachment.file.save("upload", uploaded, save=False)
        attachment.save()


def quarter_problem(organisation, year: int, quarter: int) -> str | None:
    """Why `organisation` cannot send a recommendation for the quarter, if it did not
    exist then: the departments of the 63 provinces merged on 1 July 2025, the 34 new
    ones began that day."""
    if organisation is None:
        return None
    first, last = quarters.quarter_bounds(year, quarter)
    if organisation.valid_to and organisation.valid_to < last:
        successor = organisation.successor
        return _(
            "%(organisation)s no longer existed in Q%(quarter)s/%(year)s: it became part of "
            "%(successor)s on %(date)s. Choose an earlier quarter, or ask the system "
            "administrator to move your account to the new department."
        ) % {
            "organisation": organisation.short_name,
            "quarter": quarter,
            "year": year,
            "successor": successor.short_name if successor else "—",
            "date": (organisation.valid_to + datetime.timedelta(1)).strftime("%d/%m/%Y"),
        }
    if organisation.valid_from and organisation.valid_from > first:
        return _(
            "%(organisation)s did not exist yet in Q%(quarter)s/%(year)s: it began on "
            "%(date)s. Choose a later quarter."
        ) % {
            "organisation": organisation.short_name,
            "quarter": quarter,
            "year": year,
            "date": organisation.valid_from.strftime("%d/%m/%Y"),
        }
    return None


@transaction.atomic
def recommendation_create(
    *,
    actor,
    title: str,
    content: str,
    field: Field,
    channel: str,
    period_year: int,
    period_quarter: int,
    files: Iterable = (),
    submission_key: uuid.UUID | None = None,
    submit: bool = False,
) -> Recommendation:
    """A provincial officer writes a new recommendation (and may submit it at once)."""
    if not permissions.may_create(actor):
        raise TransitionError(_("Only provincial departments and agencies send recommendations."))
    if submission_key:
        existing = Recommendation.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing  # the same form posted twice
    problem = quarter_problem(actor.organisation, period_year, period_quarter)
    if problem:
        raise ValidationError({"quarter": problem})
    rec = Recommendation(
        title=title,
        content=content,
        field=field,
        channel=channel,
        period_year=period_year,
        period_quarter=period_quarter,
        source_kind=_source_kind_for(actor.organisation),
        submitting_organisation=actor.organisation,
        submitted_by=actor,
        submission_key=submission_key or uuid.uuid4(),
    )
    rec._history_user = actor
    if submit:
        # Sent at once: stored as submitted, with the submit event, in one write.
        transition = check_transition(rec=rec, action="submit", actor=actor)
        rec.status = transition.target
        rec.submitted_at = timezone.now()
        rec._change_reason = "submit"
    try:
        with transaction.atomic():
            # The number is taken inside the savepoint: a double post that loses the
            # race gives it back, so codes have no gaps.
            rec.code = _next_code(period_year, period_quarter)
            rec.save()
    except IntegrityError:
        # Two posts of one form raced past the check above: the first one won.
        return Recommendation.objects.get(submission_key=submission_key)
    attachments_add(rec=rec, actor=actor, files=files, part=Attachment.Part.RECOMMENDATION)
    if submit:
        record_transition(rec=rec, transition=transition, from_status=Status.DRAFT, actor=actor)
    return rec


@transaction.atomic
def recommendation_update(
    *,
    recommendation_id: int,
    actor,
    title: str,
    content: str,
    field: Field,
    channel: str,
    period_year: int,
    period_quarter: int,
    files: Iterable = (),
    submit: bool = False,
    note: str = "",
) -> Recommendation:
    """The submitter edits a draft or a recommendation returned for clarification."""
    rec = Recommendation.objects.select_for_update().get(pk=recommendation_id)
    if rec.status not in (Status.DRAFT, Status.RETURNED):
        raise TransitionError(
            _("This recommendation is now “%(status)s” and can no longer be edited.")
            % {"status": rec.get_status_display()}
        )
    if not permissions.is_submitter(actor, rec):
        raise TransitionError(_("You may not take this action on this recommendation."))
    problem = quarter_problem(rec.submitting_organisation, period_year, period_quarter)
    if problem:
        raise ValidationError({"quarter": problem})
    rec.title, rec.content, rec.field, rec.channel = title, content, field, channel
    rec.period_year, rec.period_quarter = period_year, period_quarter
    rec._history_user = actor
    rec.save()
    attachments_add(rec=rec, actor=actor, files=files, part=Attachment.Part.RECOMMENDATION)
    if submit:
        rec = apply_transition(recommendation_id=rec.pk, action="submit", actor=actor, note=note)
    return rec


def recommendation_act(*, recommendation_id: int, actor, action: str, note: str = ""):
    """Transitions that need nothing but a note: submit, withdraw, return, reject,
    approve, send back, revise."""
    if action not in {"submit", "withdraw", "return", "reject", "approve", "send_back", "revise"}:
        raise TransitionError(_("Unknown action."))

    def stamp_approval(rec):
        if action == "approve":
            answer = Answer.objects.select_for_update().get(recommendation=rec)
            answer.approved_by, answer.approved_at = actor, timezone.now()
            answer._history_user = actor
            answer._change_reason = "approve"
            answer.save()

    return apply_transition(
        recommendation_id=recommendation_id,
        action=action,
        actor=actor,
        note=note,
        before_save=stamp_approval,
    )


def recommendation_accept(
    *,
    recommendation_id: int,
    actor,
    unit: Organisation,
    cooperating_units: Iterable[Organisation],
    deadline: datetime.date,
    note: str = "",
) -> Recommendation:
    """The Ministry Office assigns the recommendation to a responsible unit."""
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    cooperating = [org for org in cooperating_units if org.pk != unit.pk]
    for org in [unit, *cooperating]:
        if org.kind != OrganisationKind.MINISTRY_UNIT:
            raise ValidationError(
                {"unit": _("“%(name)s” is not a unit of the Ministry.") % {"name": org}}
            )

    def set_cooperating(rec):
        rec.cooperating_units.set(cooperating)

    return apply_transition(
        recommendation_id=recommendation_id,
        action="accept",
        actor=actor,
        note=note,
        changes={"responsible_unit": unit, "deadline": deadline, "handler": actor},
        before_save=set_cooperating,
    )


def recommendation_mark_duplicate(
    *, recommendation_id: int, actor, original: Recommendation, note: str = ""
) -> Recommendation:
    """The office merges a recommendation into an earlier one with the same question."""
    if original.pk == recommendation_id:
        raise ValidationError({"original": _("A recommendation cannot duplicate itself.")})
    if original.status in (Status.DRAFT, Status.MERGED, Status.WITHDRAWN, Status.REJECTED):
        raise ValidationError(
            {
                "original": _("%(code)s is “%(status)s” and cannot be the original.")
                % {"code": original.code, "status": original.get_status_display()}
            }
        )
    merged = apply_transition(
        recommendation_id=recommendation_id,
        action="merge",
        actor=actor,
        note=note,
        changes={"duplicate_of": original},
    )
    if Answer.objects.filter(recommendation=original, published_at__isnull=False).exists():
        # The public pages list who sent a published question: one more sender now.
        transaction.on_commit(public_cache_clear)
    return merged


@transaction.atomic
def answer_save(
    *,
    recommendation_id: int,
    actor,
    text: str,
    version: int,
    files: Iterable = (),
    send_to_leader: bool = False,
    note: str = "",
) -> Answer:
    """A unit officer saves the answer draft, and may send it to the leader.

    `version` is the answer's version when the editor opened it; if someone saved in
    between, AnswerConflict is raised and nothing is written.
    """
    rec = Recommendation.objects.select_for_update().get(pk=recommendation_id)
    # Editing is allowed exactly when sending to the leader would be.
    check_transition(rec=rec, action="send_to_leader", actor=actor)
    answer = Answer.objects.filter(recommendation=rec).first() or Answer(recommendation=rec)
    if answer.version != version:
        raise AnswerConflict
    answer.text = text
    answer.version += 1
    answer.drafted_by = actor
    answer.drafted_at = timezone.now()
    answer._history_user = actor
    answer.save()
    if rec.handler_id != actor.pk:
        Recommendation.objects.filter(pk=rec.pk).update(handler=actor)
    attachments_add(rec=rec, actor=actor, files=files, part=Attachment.Part.ANSWER)
    if send_to_leader:
        if not text.strip():
            raise TransitionError(_("Write the answer before sending it to the leader."))
        apply_transition(recommendation_id=rec.pk, action="send_to_leader", actor=actor, note=note)
    return answer


@transaction.atomic
def recommendations_import(*, actor, rows: list[dict]) -> list[Recommendation]:
    """Bulk submission from Excel: create and submit every row, or nothing."""
    return [recommendation_create(actor=actor, submit=True, **row) for row in rows]


def _public_text_of(rec: Recommendation, answer: Answer) -> str:
    return fold(" ".join([rec.code, rec.title, rec.content, answer.published_text]))


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
            check_transition(rec=rec, action="publish", actor=actor)  # a person: say why not
        if rec.status != Status.ANSWER_APPROVED:
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
            answer.search_text = _public_text_of(rec, answer)
            answer._history_user = actor
            answer._change_reason = "publish"
            answer.save()
            Attachment.objects.filter(
                recommendation=rec, part=Attachment.Part.ANSWER, published_at__isnull=True
            ).update(published_at=now)

        apply_transition(
            recommendation_id=rec.pk, action="publish", actor=actor, before_save=freeze
        )
        outbox_enqueue(
            task="proposals.notify_subscribers",
            answer_id=answer.pk,
            version=answer.published_version,
        )
        transaction.on_commit(public_cache_clear)
    return True


def recommendation_schedule_publication(
    *, recommendation_id: int, actor, publish_at: datetime.datetime | None
) -> Recommendation:
    """The Ministry Office sets (or clears) when an approved answer goes public."""
    with transaction.atomic():
        rec = Recommendation.objects.select_for_update().get(pk=recommendation_id)
        if not permissions.is_office(actor):
            raise TransitionError(_("You may not take this action on this recommendation."))
        if rec.status not in (Status.ACCEPTED, Status.ANSWER_DRAFTED, Status.ANSWER_APPROVED):
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
    due = Recommendation.objects.filter(status=Status.ANSWER_APPROVED).filter(
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


# A reader asking again within this time gets no second confirmation e-mail: nobody can
# flood an address through the subscription form.
CONFIRMATION_INTERVAL = datetime.timedelta(minutes=10)


def subscription_request(*, email: str, field: Field | None) -> Subscription:
    """A reader asks for an e-mail at each new answer (in `field`, or in every field).

    The confirmation goes to the address itself, at most once per interval, and never
    to an address that confirmed already; the reader sees the same page in every case,
    so the form tells nobody who has subscribed.
    """
    # One subscription per mailbox: providers ignore case, so the address is kept in
    # lower case (Doc.Gia@Example.VN and doc.gia@example.vn are one reader).
    email = email.strip().lower()
    now = timezone.now()
    with transaction.atomic():
        subscription, _created = Subscription.objects.get_or_create(email=email, field=field)
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        recent = (
            subscription.confirmation_sent_at
            and now - subscription.confirmation_sent_at < CONFIRMATION_INTERVAL
        )
        if subscription.confirmed_at or recent:
            return subscription
        subscription.confirmation_sent_at = now
        subscription.save(update_fields=["confirmation_sent_at"])
        outbox_enqueue(
            task="proposals.send_subscription_confirmation", subscription_id=subscription.pk
        )
    return subscription


def subscription_confirm(*, subscription: Subscription) -> None:
    Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )


def subscription_cancel(*, subscription: Subscription) -> None:
    """Forget the address (and what was sent to it)."""
    Subscription.objects.filter(pk=subscription.pk).delete()
