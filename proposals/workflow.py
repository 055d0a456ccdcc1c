"""The workflow of a recommendation: one table of transitions and one function that
applies them.

    draft → submitted → accepted → answer_drafted → answer_approved → published
    side paths: returned (and back to submitted), merged, rejected, withdrawn;
    the leader can send a drafted answer back to accepted; a published answer is
    revised by going back to accepted (the public keeps the published text until the
    new one is approved and published).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from briefing.platform.outbox import outbox_enqueue
from proposals import permissions, webhooks
from proposals.models import Event, Recommendation, Status


class TransitionError(Exception):
    """The action is not possible: wrong state, wrong person or a missing note."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# Who is told after a transition (handled by proposals.tasks.notify_event).
NOTIFY_UNIT = "unit"
NOTIFY_SUBMITTER = "submitter"
NOTIFY_LEADER = "leader"
NOTIFY_OFFICE = "office"
# Everyone of the submitting department (officers and leaders), not only the sender.
NOTIFY_DEPARTMENT = "department"
# The leaders of the submitting department, asked to sign and send.
NOTIFY_DEPARTMENT_LEADERS = "department_leaders"
# A sender from the public, by e-mail with the status page's link (proposals.tasks).
NOTIFY_SENDER = "sender"


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset
    target: str | None  # None: the status stays (the event is what matters)
    may: Callable
    note_label: str = ""
    note_required: bool = False
    notify: tuple = ()
    # Celery tasks queued (with recommendation_id) after the transition commits.
    then: tuple = ()
    # The publishing job takes this transition with no person behind it.
    system: bool = False
    # Taken with nothing but a note, from the action page; the others have a page of
    # their own (accept, merge) or are the answer form (send_to_leader).
    note_only: bool = True
    # A step forward, offered as the page's main button.
    primary: bool = False
    # Hard to undo, or seen outside the actor's organisation: the action page first says
    # what will happen and who will see it, and acts only on a confirmed POST.
    confirm: bool = False


def _office_on_a_department_item(user, rec) -> bool:
    """Returning for clarification needs a sender who can edit and submit again: a
    department. A sender from the public has no account to do so, so the office
    rejects (with the reason) or accepts their item instead."""
    return permissions.is_office(user) and not permissions.is_public_intake(user, rec)


def _t(action, label, sources, target, may, **extra):
    return Transition(action, label, frozenset(sources), target, may, **extra)


TRANSITIONS = {
    t.action: t
    for t in [
        _t(
            "submit",
            _("Submit to the Ministry"),
            {Status.DRAFT, Status.RETURNED},
            Status.SUBMITTED,
            permissions.may_submit,
            note_label=_("Note (for a returned recommendation: your clarification)"),
            notify=(NOTIFY_OFFICE,),
            primary=True,
            confirm=True,
        ),
        # An officer of a department whose leaders sign what it sends: the draft stays a
        # draft, its leaders are told it waits for their signature.
        _t(
            "ask_signature",
            _("Send to the leader for signature"),
            {Status.DRAFT, Status.RETURNED},
            None,
            permissions.may_ask_signature,
            note_label=_("Note to the leader"),
            notify=(NOTIFY_DEPARTMENT_LEADERS,),
            primary=True,
        ),
        _t(
            "withdraw",
            _("Withdraw"),
            {Status.DRAFT, Status.SUBMITTED, Status.RETURNED},
            Status.WITHDRAWN,
            permissions.is_submitter,
            note_label=_("Reason"),
        ),
        _t(
            "accept",
            _("Accept and assign"),
            {Status.SUBMITTED},
            Status.ACCEPTED,
            permissions.is_office,
            note_label=_("Instructions to the unit"),
            notify=(NOTIFY_UNIT, NOTIFY_DEPARTMENT),
            note_only=False,
        ),
        _t(
            "return",
            _("Return for clarification"),
            {Status.SUBMITTED},
            Status.RETURNED,
            _office_on_a_department_item,
            note_label=_("What needs clarifying"),
            note_required=True,
            notify=(NOTIFY_SUBMITTER, NOTIFY_DEPARTMENT),
        ),
        _t(
            "merge",
            _("Mark as a duplicate"),
            {Status.SUBMITTED},
            Status.MERGED,
            permissions.is_office,
            note_label=_("Note"),
            notify=(NOTIFY_SUBMITTER, NOTIFY_DEPARTMENT),
            note_only=False,
        ),
        _t(
            "reject",
            _("Reject as out of scope"),
            {Status.SUBMITTED},
            Status.REJECTED,
            permissions.is_office,
            note_label=_("Reason"),
            note_required=True,
            notify=(NOTIFY_SUBMITTER, NOTIFY_DEPARTMENT),
            confirm=True,
        ),
        _t(
            "send_to_leader",
            _("Send the answer to the leader"),
            {Status.ACCEPTED},
            Status.ANSWER_DRAFTED,
            permissions.is_responsible_member,
            note_label=_("Note to the leader"),
            notify=(NOTIFY_LEADER,),
            note_only=False,
        ),
        _t(
            "approve",
            _("Approve the answer"),
            {Status.ANSWER_DRAFTED},
            Status.ANSWER_APPROVED,
            permissions.is_responsible_leader,
            note_label=_("Note"),
            notify=(NOTIFY_SUBMITTER, NOTIFY_DEPARTMENT, NOTIFY_OFFICE),
            then=("proposals.publish_answer",),
            primary=True,
            confirm=True,
        ),
        _t(
            "publish",
            _("Publish the answer"),
            {Status.ANSWER_APPROVED},
            Status.PUBLISHED,
            permissions.is_office,
            note_label=_("Note"),
            notify=(NOTIFY_SUBMITTER,),
            system=True,
            primary=True,
            confirm=True,
        ),
        _t(
            "revise",
            _("Revise the published answer"),
            {Status.PUBLISHED},
            Status.ACCEPTED,
            permissions.may_revise,
            note_label=_("Why the answer must change"),
            note_required=True,
            notify=(NOTIFY_UNIT,),
        ),
        _t(
            "send_back",
            _("Send the answer back for rework"),
            {Status.ANSWER_DRAFTED},
            Status.ACCEPTED,
            permissions.is_responsible_leader,
            note_label=_("What to change"),
            note_required=True,
            notify=(NOTIFY_UNIT,),
        ),
    ]
}

# Recommendations from the public (proposals.services.public_intake). The sender has no
# account: the portal takes their steps for them once the e-mail link or the status
# page's token has proved who they are (`system`), and the office registers what came
# by letter, telephone or the national portal. No page offers these as buttons.
SENDER_TRANSITIONS = {
    t.action: t
    for t in [
        _t(
            "confirm",
            _("Confirmed by the sender's e-mail"),
            {Status.DRAFT},
            Status.SUBMITTED,
            permissions.nobody,
            notify=(NOTIFY_OFFICE,),
            system=True,
            note_only=False,
        ),
        _t(
            "register",
            _("Registered by the Ministry Office"),
            {Status.DRAFT},
            Status.SUBMITTED,
            permissions.is_public_intake,
            notify=(NOTIFY_SENDER,),
            note_only=False,
        ),
        _t(
            "sender_withdraw",
            _("Withdrawn by the sender"),
            {Status.SUBMITTED},
            Status.WITHDRAWN,
            permissions.nobody,
            notify=(NOTIFY_OFFICE,),
            system=True,
            note_only=False,
        ),
    ]
}
# Every transition, for whatever looks one up by an event's action.
ALL_TRANSITIONS = {**TRANSITIONS, **SENDER_TRANSITIONS}


# The rules that follow from the table or stand beside it. Services, views and
# templates ask these; none of them compares statuses itself.

# Taken from the note form of the action page (proposals.views.recommendations).
NOTE_ACTIONS = frozenset(action for action, t in TRANSITIONS.items() if t.note_only)
# Publishing freezes the answer's text and files: its service is answer_publish, the
# other note-only actions go through recommendation_act.
PUBLISH = "publish"
# An approved answer waiting for its publication (by the office or the job).
PUBLISHABLE = TRANSITIONS[PUBLISH].sources
# The submitter edits the recommendation while it may be (re)submitted: a draft, or
# one returned for clarification.
EDITABLE = TRANSITIONS["submit"].sources
# From assignment until publication the office may set when the answer goes public.
SCHEDULABLE = frozenset({Status.ACCEPTED, Status.ANSWER_DRAFTED, Status.ANSWER_APPROVED})
# The submitting department reads the answer (text and files) once it is approved.
ANSWER_SHOWN_TO_SUBMITTER = frozenset({Status.ANSWER_APPROVED, Status.PUBLISHED})
# A duplicate is merged into a recommendation that is still alive, never into one of
# these.
NOT_AN_ORIGINAL = frozenset({Status.DRAFT, Status.MERGED, Status.WITHDRAWN, Status.REJECTED})


# A sender from the public may withdraw until the Ministry Office has triaged it.
SENDER_MAY_WITHDRAW = SENDER_TRANSITIONS["sender_withdraw"].sources
# The steps a sender from the public is told of by e-mail, with the status page's link.
SENDER_STEPS = frozenset(
    {"confirm", "register", "accept", "return", "merge", "reject", "publish", "sender_withdraw"}
)
# What the sender's status page says, by status: received, being handled, answered or
# closed without an answer.
SENDER_STAGE = {
    Status.SUBMITTED: "received",
    Status.RETURNED: "received",
    Status.ACCEPTED: "handling",
    Status.ANSWER_DRAFTED: "handling",
    Status.ANSWER_APPROVED: "handling",
    Status.PUBLISHED: "answered",
    Status.MERGED: "merged",
    Status.REJECTED: "rejected",
    Status.WITHDRAWN: "withdrawn",
}
# Closed: nothing more will happen, so the sender's contact is no longer needed.
CLOSED = frozenset({Status.PUBLISHED, Status.MERGED, Status.REJECTED, Status.WITHDRAWN})


def is_editable(rec: Recommendation) -> bool:
    return rec.status in EDITABLE


def may_edit(user, rec: Recommendation) -> bool:
    return is_editable(rec) and permissions.is_submitter(user, rec)


def asks_clarification(rec: Recommendation | None) -> bool:
    """Returned to its department, which explains when it submits again."""
    return rec is not None and rec.status == Status.RETURNED


def may_send(user, organisation) -> bool:
    """Whether the user's "send" sends to the Ministry ("submit") or, for an officer
    whose leaders sign, asks them to ("ask_signature")."""
    return permissions.may_send_for(user, organisation)


def sending_action(user, organisation) -> str:
    return "submit" if may_send(user, organisation) else "ask_signature"


def is_schedulable(rec: Recommendation) -> bool:
    return rec.status in SCHEDULABLE


def may_schedule(user, rec: Recommendation) -> bool:
    return permissions.is_office(user) and is_schedulable(rec)


def is_publishable(rec: Recommendation) -> bool:
    return rec.status in PUBLISHABLE


def is_published(rec: Recommendation) -> bool:
    """Its answer is public now (not being revised)."""
    return rec.status == Status.PUBLISHED


def submitter_reads_answer(rec: Recommendation) -> bool:
    return rec.status in ANSWER_SHOWN_TO_SUBMITTER


def may_be_original(rec: Recommendation) -> bool:
    return rec.status not in NOT_AN_ORIGINAL


def available_transitions(user, rec: Recommendation) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if rec.status in t.sources and t.may(user, rec)]


def check_transition(*, rec: Recommendation, action: str, actor, note: str = "") -> Transition:
    """Raise TransitionError unless `actor` may take `action` on `rec` now."""
    transition = ALL_TRANSITIONS.get(action)
    if transition is None:
        raise TransitionError(_("Unknown action."))
    if rec.status not in transition.sources:
        raise TransitionError(
            _("This recommendation is now “%(status)s”: “%(action)s” is not possible.")
            % {"status": rec.get_status_display(), "action": transition.label}
        )
    if actor is None:
        # No person: a job of the portal itself (publishing at the scheduled time) may
        # take the transitions marked `system`, and no other.
        if not transition.system:
            raise TransitionError(_("You may not take this action on this recommendation."))
    elif not transition.may(actor, rec):
        raise TransitionError(_("You may not take this action on this recommendation."))
    if transition.note_required and not note.strip():
        raise TransitionError(_("Please fill in “%(label)s”.") % {"label": transition.note_label})
    return transition


def apply_transition(
    *,
    recommendation_id: int,
    action: str,
    actor,
    note: str = "",
    changes: dict | None = None,
    before_save: Callable | None = None,
) -> Recommendation:
    """Take `action` on the recommendation, in one transaction.

    Locks the row, checks state and rights, applies `changes`, records the event and
    the history, and queues notifications to be sent after commit. A second identical
    request (a double click) finds the new state and is refused, so nothing happens
    twice.
    """
    with transaction.atomic():
        rec = (
            Recommendation.objects.select_for_update(of=("self",))
            .select_related("submitting_organisation")
            .get(pk=recommendation_id)
        )
        transition = check_transition(rec=rec, action=action, actor=actor, note=note)
        for name, value in (changes or {}).items():
            setattr(rec, name, value)
        if before_save:
            before_save(rec)
        from_status = rec.status
        if transition.target is not None:
            rec.status = transition.target
        if transition.target == Status.SUBMITTED and rec.submitted_at is None:
            rec.submitted_at = timezone.now()
        rec._history_user = actor
        rec._change_reason = action
        rec.save()
        record_transition(
            rec=rec, transition=transition, from_status=from_status, actor=actor, note=note
        )
    return rec


def record_transition(
    *, rec: Recommendation, transition: Transition, from_status: str, actor, note: str = ""
) -> Event:
    """The event of a transition just saved, and the work it triggers after commit."""
    event = Event.objects.create(
        recommendation=rec,
        action=transition.action,
        from_status=from_status,
        to_status=rec.status,
        actor=actor,
        note=note.strip(),
    )
    if transition.notify:
        outbox_enqueue(task="proposals.notify_event", event_id=event.pk)
    for task in transition.then:
        outbox_enqueue(task=task, recommendation_id=rec.pk)
    # The department's systems that subscribed (after commit, like the rest).
    webhooks.webhooks_for_transition(rec=rec, event=event)
    return event
