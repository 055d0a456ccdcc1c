"""Writes of recommendations from citizens, enterprises and organisations: the public
form and its e-mail confirmation, the sender's withdrawal and erasure, the Ministry
Office's registration of letters, calls and the national portal's items, and the two
jobs that delete unconfirmed forms and erase the personal data of closed items."""

import datetime
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from briefing.models.organisations import SecurityEventKind
from briefing.organisations import security_log
from briefing.platform.outbox import outbox_enqueue
from proposals import workflow
from proposals.models import (
    Attachment,
    Channel,
    Field,
    PublicSubmission,
    ReceivedVia,
    Recommendation,
    Status,
)
from proposals.services.recommendations import _next_code, attachments_add
from proposals.workflow import TransitionError, apply_transition, check_transition

# An address that does not confirm within this time is deleted with its question.
UNCONFIRMED_HOURS = 48
# Forms one network address may send in an hour, and one e-mail address in a day.
PER_CLIENT_PER_HOUR = 5
PER_ADDRESS_PER_DAY = 3


def retention_days() -> int:
    """Days after an item closes before its sender's name and contact are erased."""
    return getattr(settings, "PUBLIC_SENDER_RETENTION_DAYS", 730)


class TooManySubmissions(Exception):
    """Over the limit for this network address or this e-mail address."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Sender:
    kind: str
    name: str
    email: str
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class Question:
    field: Field
    title: str
    content: str


def _pending_code() -> str:
    # Codes are numbered without gaps, so the number is taken at confirmation.
    return "CHO-" + secrets.token_hex(8)


def _check_limits(*, email: str, client: str, now) -> None:
    recent = PublicSubmission.objects.filter(received_via=ReceivedVia.WEB)
    if client and (
        recent.filter(client=client, created_at__gte=now - datetime.timedelta(hours=1)).count()
        >= PER_CLIENT_PER_HOUR
    ):
        raise TooManySubmissions(
            _("Too many recommendations from your connection: please try again in an hour.")
        )
    by_address = recent.filter(
        recommendation__submitter_email=email, created_at__gte=now - datetime.timedelta(days=1)
    )
    if by_address.count() >= PER_ADDRESS_PER_DAY:
        raise TooManySubmissions(
            _("Too many recommendations from this e-mail address today: please try tomorrow.")
        )


def _new_recommendation(*, sender: Sender, question: Question, received_on, key) -> Recommendation:
    year, quarter = received_on.year, (received_on.month - 1) // 3 + 1
    return Recommendation(
        title=question.title,
        content=question.content,
        field=question.field,
        channel=Channel.REGULAR,
        period_year=year,
        period_quarter=quarter,
        source_kind=sender.kind,
        submitter_name=sender.name,
        submitter_email=sender.email.strip().lower(),
        submitter_phone=sender.phone,
        submitter_address=sender.address,
        submission_key=key,
    )


def _existing(key: uuid.UUID | None) -> PublicSubmission | None:
    if key is None:
        return None
    return PublicSubmission.objects.filter(recommendation__submission_key=key).first()


def submission_send(
    *,
    sender: Sender,
    question: Question,
    files: Iterable = (),
    client: str = "",
    submission_key: uuid.UUID | None = None,
) -> PublicSubmission:
    """A citizen, enterprise or organisation sends the public form.

    Stored as a draft the office does not see, and a confirmation e-mail is queued; the
    same form posted twice (same key) gives the first record back. Raises
    TooManySubmissions over the limits, before anything is written.
    """
    existing = _existing(submission_key)
    if existing is not None:
        return existing
    now = timezone.now()
    _check_limits(email=sender.email.strip().lower(), client=client, now=now)
    key = submission_key or uuid.uuid4()
    try:
        with transaction.atomic():
            rec = _new_recommendation(
                sender=sender, question=question, received_on=timezone.localdate(), key=key
            )
            rec.code = _pending_code()
            rec.save()
            submission = PublicSubmission.objects.create(
                recommendation=rec, received_on=timezone.localdate(), client=client
            )
            attachments_add(rec=rec, actor=None, files=files, part=Attachment.Part.RECOMMENDATION)
            outbox_enqueue(
                task="proposals.send_submission_confirmation", submission_id=submission.pk
            )
    except IntegrityError:
        # Two posts of one form raced past the check above: the first one won.
        return PublicSubmission.objects.get(recommendation__submission_key=key)
    return submission


def pending_expired(submission: PublicSubmission, now=None) -> bool:
    now = now or timezone.now()
    return submission.confirmed_at is None and submission.created_at < now - datetime.timedelta(
        hours=UNCONFIRMED_HOURS
    )


def submission_confirm(*, submission: PublicSubmission) -> Recommendation:
    """The sender opened the e-mail's link and pressed the button: the recommendation
    gets its code and reaches the Ministry Office. A second confirmation does nothing."""
    with transaction.atomic():
        locked = PublicSubmission.objects.select_for_update().get(pk=submission.pk)
        rec = locked.recommendation
        if locked.confirmed_at is not None:
            return rec
        code = _next_code(rec.period_year, rec.period_quarter)
        rec = apply_transition(
            recommendation_id=rec.pk, action="confirm", actor=None, changes={"code": code}
        )
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["confirmed_at"])
    return rec


def submission_withdraw(*, submission: PublicSubmission) -> Recommendation:
    """The sender withdraws a recommendation the office has not triaged yet."""
    return apply_transition(
        recommendation_id=submission.recommendation_id, action="sender_withdraw", actor=None
    )


PERSONAL_FIELDS = {
    "submitter_name": "",
    "submitter_email": "",
    "submitter_phone": "",
    "submitter_address": "",
}


def submission_erase(*, submission: PublicSubmission, expire_link: bool = False) -> None:
    """Erase the sender's name and contact, in the recommendation and in its history,
    and the files they sent (a scanned letter carries them too). The question, the
    answer and the figures stay. `expire_link` also ends the status page's link (the
    retention job: nobody should be following a long-closed item)."""
    rec_id = submission.recommendation_id
    with transaction.atomic():
        Recommendation.objects.filter(pk=rec_id).update(**PERSONAL_FIELDS)
        Recommendation.history.filter(id=rec_id).update(**PERSONAL_FIELDS)
        files = Attachment.objects.filter(
            recommendation_id=rec_id, part=Attachment.Part.RECOMMENDATION
        )
        stored = [attachment.file.name for attachment in files]
        files.delete()
        changes = {"anonymised_at": timezone.now()}
        if expire_link:
            changes["token"] = None
        PublicSubmission.objects.filter(pk=submission.pk).update(**changes)
        transaction.on_commit(lambda: _delete_files(stored))
    security_log.record(
        SecurityEventKind.PERSONAL_DATA_ERASED,
        by_system=True,
        detail=_("%(code)s: erased %(why)s")
        % {
            "code": submission.recommendation.code,
            "why": _("after the retention period") if expire_link else _("at the sender's request"),
        },
    )


def _delete_files(names: list[str]) -> None:
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


def submissions_purge_unconfirmed(*, now=None) -> int:
    """Delete what was never confirmed within UNCONFIRMED_HOURS (the periodic job)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=UNCONFIRMED_HOURS)
    recs = Recommendation.objects.filter(
        status=Status.DRAFT,
        public_submission__confirmed_at__isnull=True,
        public_submission__created_at__lt=cutoff,
    )
    stored = list(Attachment.objects.filter(recommendation__in=recs).values_list("file", flat=True))
    with transaction.atomic():
        deleted = 0
        for rec in recs.select_for_update():
            rec.delete()
            deleted += 1
        transaction.on_commit(lambda: _delete_files(stored))
    return deleted


def submissions_anonymise_closed(*, now=None) -> int:
    """Erase the personal data of items closed more than the retention period ago (the
    periodic job), each recorded in the security log."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=retention_days())
    due = PublicSubmission.objects.filter(
        anonymised_at__isnull=True,
        recommendation__status__in=workflow.CLOSED,
        recommendation__updated_at__lt=cutoff,
    ).select_related("recommendation")
    count = 0
    for submission in due.iterator():
        submission_erase(submission=submission, expire_link=True)
        count += 1
    return count


@transaction.atomic
def intake_register(
    *,
    actor,
    sender: Sender,
    question: Question,
    received_via: str,
    received_on: datetime.date,
    files: Iterable = (),
    submission_key: uuid.UUID | None = None,
    note: str = "",
) -> Recommendation:
    """The Ministry Office registers a recommendation that came by letter, telephone,
    e-mail or the national portal: submitted at once, in the quarter it arrived. `note`
    (the letter's number, the portal's code) is kept on the registration's event. The
    same `submission_key` again gives the first record back."""
    existing = _existing(submission_key)
    if existing is not None:
        return existing.recommendation
    if received_via == ReceivedVia.WEB:
        raise TransitionError(_("Choose how the recommendation arrived."))
    rec = _new_recommendation(
        sender=sender,
        question=question,
        received_on=received_on,
        key=submission_key or uuid.uuid4(),
    )
    transition = check_transition(rec=rec, action="register", actor=actor)
    rec.code = _next_code(rec.period_year, rec.period_quarter)
    rec.status = transition.target
    rec.submitted_by = actor
    rec.submitted_at = timezone.now()
    rec._history_user = actor
    rec._change_reason = "register"
    rec.save()
    PublicSubmission.objects.create(
        recommendation=rec,
        received_via=received_via,
        received_on=received_on,
        confirmed_at=timezone.now(),
    )
    attachments_add(rec=rec, actor=actor, files=files, part=Attachment.Part.RECOMMENDATION)
    workflow.record_transition(
        rec=rec, transition=transition, from_status=Status.DRAFT, actor=actor, note=note
    )
    return rec


@transaction.atomic
def intake_import(*, actor, rows: list[dict]) -> list[Recommendation]:
    """The national portal's export: every row registered, or none. Rows registered by
    an earlier import (the same portal code, so the same key) are left as they were;
    the new recommendations are returned."""
    keys = [row["submission_key"] for row in rows if row.get("submission_key")]
    known = set(
        PublicSubmission.objects.filter(recommendation__submission_key__in=keys).values_list(
            "recommendation__submission_key", flat=True
        )
    )
    return [
        intake_register(actor=actor, **row)
        for row in rows
        if row.get("submission_key") not in known
    ]
