"""The workflow of an indicator report (Submission): one table of the actions on a
report, the statuses each starts from, the status it ends in and who may take it.
Every status change of a report goes through it (indicators.services), and the pages
ask it what a user may do.

    (new) ─save─▶ draft ─submit─▶ submitted ─approve─▶ approved
                  draft ─ask_signature─▶ draft (its leaders are told: they submit)
                                  submitted ─return─▶ returned ─submit─▶ submitted
                                  approved ─reopen─▶ returned
    save keeps the status: a draft, or a returned report being corrected.

Values change only while a report is a draft or returned (models.EDITABLE) and its
period is not locked (the services check the period). docs/indicators.md says why this
is smaller than the workflow of a recommendation (proposals.workflow).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from indicators import permissions
from indicators.models import EDITABLE, Status, Submission


class ReportError(Exception):
    """The action is not possible: wrong state, wrong person, locked period."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def may_enter_values(user, submission: Submission) -> bool:
    """The entity itself, or the owner unit or the Ministry Office entering its values
    (e.g. from a consolidated Excel file)."""
    return permissions.may_report_for(
        user, submission.organisation
    ) or permissions.may_enter_for_others(user, submission.owner_unit)


def may_send(user, submission: Submission) -> bool:
    """Sending a report to its owner unit is the department's signature: its leaders
    (or officers, if it lets them) send; the owner unit and the office send what they
    load for others."""
    return permissions.signs_for(user, submission.organisation) or permissions.may_enter_for_others(
        user, submission.owner_unit
    )


def may_ask_signature(user, submission: Submission) -> bool:
    """An officer whose leaders sign saves the report and asks them to send it."""
    return permissions.may_report_for(user, submission.organisation) and not may_send(
        user, submission
    )


@dataclass(frozen=True)
class Transition:
    action: str  # also the Event's action
    sources: frozenset
    target: str | None  # None: the status stays (a draft saved)
    may: Callable  # (user, submission) -> bool
    refusal: str  # what someone who may not take the action is told
    note_required: bool = False


ENTITY_ONLY = _("You may report only for your own organisation.")
LEADER_ONLY = _(
    "Only your department's leaders send its reports, unless it lets its officers send."
)
OWNER_UNIT_ONLY = _("Only the unit that owns these indicators can do this.")

TRANSITIONS = {
    t.action: t
    for t in [
        Transition("save", frozenset(EDITABLE), None, may_enter_values, ENTITY_ONLY),
        Transition("submit", frozenset(EDITABLE), Status.SUBMITTED, may_send, LEADER_ONLY),
        # Saved as it is, and the department's leaders are told it waits for them.
        Transition("ask_signature", frozenset(EDITABLE), None, may_ask_signature, ENTITY_ONLY),
        Transition(
            "approve",
            frozenset({Status.SUBMITTED}),
            Status.APPROVED,
            permissions.may_review,
            OWNER_UNIT_ONLY,
        ),
        Transition(
            "return",
            frozenset({Status.SUBMITTED}),
            Status.RETURNED,
            permissions.may_review,
            OWNER_UNIT_ONLY,
            note_required=True,
        ),
        Transition(
            "reopen",
            frozenset({Status.APPROVED}),
            Status.RETURNED,
            permissions.may_review,
            OWNER_UNIT_ONLY,
            note_required=True,
        ),
    ]
}


# The department's own steps (and the owner unit's or office's loading for others).
ENTRY_ACTIONS = frozenset({"save", "submit", "ask_signature"})


def available_actions(user, submission: Submission) -> set[str]:
    """The actions `user` may take on the report in its present status."""
    return {
        t.action
        for t in TRANSITIONS.values()
        if submission.status in t.sources and t.may(user, submission)
    }


def sending_action(user, organisation) -> str:
    """What the report form's "send" does for `user`: send to the owner unit, or (an
    officer whose leaders sign) ask them to."""
    if permissions.may_report_for(user, organisation) and not permissions.signs_for(
        user, organisation
    ):
        return "ask_signature"
    return "submit"


def values_editable(submission: Submission | None) -> bool:
    """Whether the report's values may still change (a report not stored yet may)."""
    return submission is None or submission.status in TRANSITIONS["save"].sources


def check_actor(transition: Transition, actor, submission: Submission) -> None:
    if transition.action in ENTRY_ACTIONS and not may_enter_values(actor, submission):
        raise ReportError(str(ENTITY_ONLY))
    if not transition.may(actor, submission):
        raise ReportError(str(transition.refusal))


def check_decision(*, action: str, submission: Submission, actor, note: str) -> Transition:
    """Raise ReportError unless `actor` may take `action` on the report now: the right
    person, the right status, and a reason where one is required."""
    transition = TRANSITIONS[action]
    check_actor(transition, actor, submission)
    if submission.status not in transition.sources:
        raise ReportError(
            _("This report is “%(status)s”: this action is not possible.")
            % {"status": submission.get_status_display()}
        )
    if transition.note_required and not note.strip():
        raise ReportError(str(_("Give a reason.")))
    return transition
