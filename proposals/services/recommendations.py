"""Writes of a recommendation, from its draft to the approved answer: create and edit,
the workflow's actions (through proposals.workflow), the answer draft, the Excel
import."""

import datetime
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from briefing.models.organisations import Organisation, OrganisationKind, RoleCode
from briefing.organisations import notifications
from briefing.platform import quarters
from briefing.platform.public_cache import ANSWERS, answer_section, public_sections_bump
from proposals import permissions, workflow
from proposals.attachments import MAX_ATTACHMENTS, history_note, validate_attachment
from proposals.models import (
    Answer,
    Attachment,
    CodeSequence,
    Field,
    Recommendation,
    SourceKind,
    Status,
)
from proposals.workflow import (
    TransitionError,
    apply_transition,
    check_transition,
    record_transition,
)


class AnswerConflict(Exception):
    """Someone else saved the answer since this editor opened it."""


def _next_code(year: int, quarter: int) -> str:
    """The next code of the quarter, in one statement that creates or increments the
    sequence and holds its row lock until the transaction ends (gaps only when a
    transaction that took a number rolls back, which gives the number back)."""
    prefix = f"KN-{year}-Q{quarter}"
    table = CodeSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, last) VALUES (%s, 1) "  # noqa: S608 (table name)
            f"ON CONFLICT (prefix) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [prefix],
        )
        (last,) = cursor.fetchone()
    return f"{prefix}-{last:04d}"


def _source_kind_for(organisation: Organisation) -> str:
    if organisation.kind == OrganisationKind.CENTRAL_AGENCY:
        return SourceKind.AGENCY
    return SourceKind.PROVINCE


def attachments_add(*, rec: Recommendation, actor, files: Iterable, part: str) -> None:
    files = list(files)
    if not files:
        return
    attached = rec.attachments.filter(part=part, removed_at__isnull=True).count()
    if attached + len(files) > MAX_ATTACHMENTS:
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


def attachments_change(
    *,
    rec: Recommendation,
    actor,
    part: str,
    files: Iterable = (),
    remove: Iterable[int] = (),
    replace: dict | None = None,
) -> str:
    """Remove the attached files `remove` (ids), replace each of `replace` ({id: new
    file}) and add `files`, for the caller's service that checked the actor may edit.
    Returns the history note ("" when nothing changed). Attachment.DoesNotExist when
    an id is not a file of this part of `rec`: nothing is changed.

    A published answer's file stays public until the revision is published (then
    publishing deletes it); any other is deleted, from disk after the commit."""
    replace = replace or {}
    targets = set(remove) | set(replace)
    found = list(
        rec.attachments.filter(part=part, pk__in=targets, removed_at__isnull=True).order_by("pk")
    )
    if len(found) != len(targets):
        raise Attachment.DoesNotExist
    now = timezone.now()
    for attachment in found:
        if attachment.published_at is not None:
            Attachment.objects.filter(pk=attachment.pk).update(removed_at=now)
        else:
            attachment_delete(attachment)
    added = [*files, *replace.values()]
    attachments_add(rec=rec, actor=actor, files=added, part=part)
    return history_note(removed=[a.original_name for a in found], added=[f.name for f in added])


def attachment_delete(attachment: Attachment) -> None:
    """The row now, the stored file once the transaction commits."""
    stored, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))


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


def recommendation_create(*, submission_key: uuid.UUID | None = None, **kwargs) -> Recommendation:
    """A provincial officer writes a new recommendation (and may submit it at once).

    The same form posted twice (one `submission_key`) gives the first record back: the
    second insert breaks the key's unique constraint, its transaction (number, history,
    event) rolls back, and the first record is read. No query is spent on the check
    when the form is posted once, which is nearly always."""
    try:
        return _recommendation_create(submission_key=submission_key, **kwargs)
    except IntegrityError:
        existing = submission_key and (
            Recommendation.objects.filter(submission_key=submission_key).first()
        )
        if existing is None:
            raise
        return existing


@transaction.atomic
def _recommendation_create(
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
    if not permissions.may_create(actor):
        raise TransitionError(_("Only provincial departments and agencies send recommendations."))
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
        # Sent at once (stored as submitted, with the submit event, in one write), or,
        # by an officer whose leaders sign, saved and handed to them for signature.
        transition = check_transition(
            rec=rec, action=workflow.sending_action(actor, actor.organisation), actor=actor
        )
        if transition.target is not None:
            rec.status = transition.target
            rec.submitted_at = timezone.now()
        rec._change_reason = transition.action
    rec.code = _next_code(period_year, period_quarter)
    rec.save()  # a second post of the form fails here (see recommendation_create)
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
    remove: Iterable[int] = (),
    replace: dict | None = None,
    submit: bool = False,
    note: str = "",
) -> Recommendation:
    """The submitter edits a draft or a recommendation returned for clarification,
    and its files (attachments_change)."""
    rec = Recommendation.objects.select_for_update().get(pk=recommendation_id)
    if not workflow.is_editable(rec):
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
    rec._change_reason = attachments_change(
        rec=rec,
        actor=actor,
        part=Attachment.Part.RECOMMENDATION,
        files=files,
        remove=remove,
        replace=replace,
    )
    rec.save()
    if submit:
        rec = apply_transition(
            recommendation_id=rec.pk,
            action=workflow.sending_action(actor, rec.submitting_organisation),
            actor=actor,
            note=note,
        )
    return rec


def recommendation_act(*, recommendation_id: int, actor, action: str, note: str = ""):
    """Transitions that need nothing but a note (workflow.NOTE_ACTIONS): submit,
    withdraw, return, reject, approve, send back, revise. Publishing, which freezes the
    answer, is publishing.answer_publish."""
    if action not in workflow.NOTE_ACTIONS or action == workflow.PUBLISH:
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
    if not workflow.may_be_original(original):
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
        code = original.code
        transaction.on_commit(lambda: public_sections_bump(ANSWERS, answer_section(code)))
    return merged


@transaction.atomic
def answer_save(
    *,
    recommendation_id: int,
    actor,
    text: str,
    version: int,
    files: Iterable = (),
    remove: Iterable[int] = (),
    replace: dict | None = None,
    send_to_leader: bool = False,
    note: str = "",
) -> Answer:
    """A unit officer saves the answer draft, and may send it to the leader.

    `version` is the answer's version when the editor opened it; if someone saved in
    between, AnswerConflict is raised and nothing is written. Its files change as
    attachments_change says.
    """
    rec = Recommendation.objects.select_for_update().get(pk=recommendation_id)
    # Editing is allowed exactly when sending to the leader would be.
    check_transition(rec=rec, action="send_to_leader", actor=actor)
    answer = Answer.objects.filter(recommendation=rec).first() or Answer(recommendation=rec)
    # With no answer saved yet there is nobody's text to protect: a page's version
    # (tampered with, or from before a failed first save) is not a conflict.
    if answer.pk is not None and answer.version != version:
        raise AnswerConflict
    answer.text = text
    answer.version += 1
    answer.drafted_by = actor
    answer.drafted_at = timezone.now()
    answer._history_user = actor
    answer._change_reason = attachments_change(
        rec=rec,
        actor=actor,
        part=Attachment.Part.ANSWER,
        files=files,
        remove=remove,
        replace=replace,
    )
    answer.save()
    if rec.handler_id != actor.pk:
        Recommendation.objects.filter(pk=rec.pk).update(handler=actor)
    if send_to_leader:
        if not text.strip():
            raise TransitionError(_("Write the answer before sending it to the leader."))
        apply_transition(recommendation_id=rec.pk, action="send_to_leader", actor=actor, note=note)
    return answer


@transaction.atomic
def recommendations_import(*, actor, rows: list[dict]) -> list[Recommendation]:
    """Bulk submission from Excel: every row or nothing. Who may send for the department
    (workflow.may_send) sends them to the Ministry; an officer whose leaders sign makes
    drafts, and the leaders are told once that they wait for their signature."""
    sends = workflow.may_send(actor, actor.organisation)
    created = [recommendation_create(actor=actor, submit=sends, **row) for row in rows]
    if created and not sends:
        notifications.notify(
            users=notifications.staff_of(actor.organisation_id, RoleCode.PROVINCE_LEADER),
            message=IMPORTED_FOR_SIGNATURE,
            params={"count": len(created), "title": ", ".join(r.code for r in created)[:300]},
            url=reverse("proposals:list") + f"?status={Status.DRAFT}",
            actor=actor,
        )
    return created


IMPORTED_FOR_SIGNATURE = gettext_noop(
    "%(count)s recommendations imported from Excel wait for your signature to be sent"
)
