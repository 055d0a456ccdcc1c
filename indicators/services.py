"""Every write to indicator reports and periods: one function per business action."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from briefing.models.organisations import Organisation, SecurityEventKind
from briefing.organisations import security_log
from briefing.platform.public_cache import INDICATORS, public_sections_bump
from indicators import notifications as notices
from indicators import permissions, selectors, validation, workflow
from indicators.models import (
    Event,
    Indicator,
    ReportingPeriod,
    Status,
    Submission,
    Value,
)
from indicators.validation import Issue
from indicators.workflow import ReportError


@dataclass
class EntryIssues:
    """What is wrong with one entity's values (index: its place in the entries)."""

    index: int
    organisation: Organisation | None
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)


class ReportInvalid(Exception):
    """Some values are wrong (errors), or changes need an explanation (warnings only).
    Nothing has been stored."""

    def __init__(self, entries: list[EntryIssues]):
        super().__init__("invalid report")
        self.entries = entries

    @property
    def needs_confirmation_only(self) -> bool:
        return not any(e.errors for e in self.entries)


@dataclass
class Entry:
    organisation: Organisation
    raw: dict


def _period_for_writing(period_id: int) -> ReportingPeriod:
    """The period, locked in share mode on PostgreSQL: the saves and decisions of its
    reports run side by side, while locking or reopening the period (FOR UPDATE) waits
    for them and they for it. Elsewhere (SQLite: one writer at a time) a plain lock."""
    if connection.vendor != "postgresql":
        return ReportingPeriod.objects.select_for_update().get(pk=period_id)
    table = ReportingPeriod._meta.db_table
    return ReportingPeriod.objects.raw(
        f"SELECT * FROM {table} WHERE id = %s FOR SHARE",  # noqa: S608 (the model's table)
        [period_id],
    )[0]


def _lock_reports(period, owner_unit, entries) -> None:
    """One writer at a time per report (period, owner unit, entity), existing or about
    to be created: a transaction-scoped advisory lock on PostgreSQL, taken in one order
    so that two saves of several entities never wait for each other in a cycle."""
    if connection.vendor != "postgresql":
        return  # the period's lock above serialises the writers
    with connection.cursor() as cursor:
        for organisation_id in sorted({e.organisation.pk for e in entries}):
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [period.pk, owner_unit.pk * 100_000 + organisation_id],
            )


def _public_figures_changed() -> None:
    """The public indicator pages are stale once the change commits."""
    transaction.on_commit(lambda: public_sections_bump(INDICATORS))


def _record(*, period, submission=None, action, actor, note=""):
    Event.objects.create(
        period=period, submission=submission, action=action, actor=actor, note=note
    )


def _check_period(period: ReportingPeriod) -> None:
    if period.is_locked:
        raise ReportError(
            _("The period %(period)s is locked: no more values can be sent.")
            % {"period": period.label}
        )


@transaction.atomic
def reports_save(
    *,
    actor,
    period: ReportingPeriod,
    owner_unit: Organisation,
    entries: list[Entry],
    submit: bool,
    comment: str = "",
    indicators: list | None = None,
    previous: dict | None = None,
) -> list[Submission]:
    """Save (and submit) the values of one or more entities for a period and owner unit.

    Every entry is validated by indicators.validation before anything is written: one
    wrong value anywhere and nothing is stored (ReportInvalid). On submission, changes
    that warn need `comment`.

    A caller that has read them already passes `indicators` (the owner unit's
    indicators of the period type, at least those the entries report) and `previous`
    (selectors.previous_values of the entries): neither is protected by the period's
    lock, so reading them again under it would change nothing.
    """
    period = _period_for_writing(period.pk)
    _lock_reports(period, owner_unit, entries)
    _check_period(period)
    action = "save"
    if submit:
        # An officer whose leaders sign: every entry is their own department's.
        action = workflow.sending_action(actor, entries[0].organisation) if entries else "submit"
    transition = workflow.TRANSITIONS[action]
    prepared = _prepare_entries(
        actor=actor,
        period=period,
        owner_unit=owner_unit,
        entries=entries,
        transition=transition,
        comment=comment,
        indicators=indicators,
        previous=previous,
    )
    saved = _store_reports(actor=actor, prepared=prepared, transition=transition, comment=comment)
    _store_values(prepared)
    Event.objects.bulk_create(
        Event(
            period=period,
            submission=s,
            action=transition.action,
            actor=actor,
            note=s.warning_comment if action == "submit" else "",
        )
        for s in saved
    )
    if action == "submit":
        notices.reports_sent(submissions=saved, actor=actor)
    elif action == "ask_signature":
        notices.signature_asked(submissions=saved, actor=actor)
    return saved


@dataclass
class _Prepared:
    """One entry ready to store: its report (new or locked), elements and clean values."""

    submission: Submission
    elements: list
    result: validation.Result


class _Catalogue:
    """The owner unit's indicators of the period type, and the elements each set of
    them asks for (which indicators an organisation reports depends on its kind and
    the scopes): read once, when the first entry needs them."""

    def __init__(self, period: ReportingPeriod, owner_unit: Organisation, indicators=None):
        self.period, self.owner_unit = period, owner_unit
        self._indicators = indicators
        self._elements = {}

    def reported_by(self, organisation: Organisation):
        if self._indicators is None:
            self._indicators = selectors.indicators_for(
                period_type=self.period.period_type, owner=self.owner_unit
            )
        indicators = [i for i in self._indicators if i.applies_to(organisation)]
        key = tuple(i.pk for i in indicators)
        if key not in self._elements:
            self._elements[key] = selectors.elements_of(indicators)
        return indicators, self._elements[key]


def _locked_reports(period, owner_unit, entries) -> dict[int, Submission]:
    """The entries' existing reports, by organisation id, locked for the update (with
    their organisation and owner unit, which the workflow asks who may enter values)."""
    return {
        s.organisation_id: s
        # Only the reports' own rows: the default ordering joins the period and the
        # organisations, which a plain FOR UPDATE would lock too (and deadlock on).
        for s in Submission.objects.select_for_update(of=("self",))
        .select_related("organisation", "owner_unit")
        .filter(
            period=period,
            owner_unit=owner_unit,
            organisation_id__in=[e.organisation.pk for e in entries],
        )
    }


def _prepare_entries(
    *, actor, period, owner_unit, entries, transition, comment, indicators, previous
) -> list[_Prepared]:
    """Every entry checked before anything is written: ReportError for an entity the
    actor may not report for, ReportInvalid with every entry's issues."""
    if previous is None:
        organisation_ids = [e.organisation.pk for e in entries]
        previous = selectors.previous_values(organisation_ids, period, owner_unit)
    existing = _locked_reports(period, owner_unit, entries)
    catalogue = _Catalogue(period, owner_unit, indicators)
    issues, prepared = [], []
    for index, entry in enumerate(entries):
        organisation = entry.organisation
        submission = existing.get(organisation.pk) or Submission(
            organisation=organisation, period=period, owner_unit=owner_unit
        )
        workflow.check_actor(transition, actor, submission)
        problems, ready = _check_entry(
            EntryIssues(index, organisation),
            submission,
            entry.raw,
            catalogue=catalogue,
            previous=previous.get(organisation.pk, {}),
            transition=transition,
            comment=comment,
        )
        if problems.errors or problems.warnings:
            issues.append(problems)
        if ready is not None:
            prepared.append(ready)
    if issues:
        raise ReportInvalid(issues)
    return prepared


def _check_entry(
    problems: EntryIssues,
    submission: Submission,
    raw: dict,
    *,
    catalogue,
    previous,
    transition,
    comment,
) -> tuple[EntryIssues, _Prepared | None]:
    """One entity's issues, and its entry ready to store (None when its values cannot
    even be validated: an entity that did not exist then, or reports nothing here)."""
    organisation, period = problems.organisation, catalogue.period
    name = organisation.short_name
    if not organisation.is_valid_on(period.end):
        problems.errors.append(
            Issue(
                "",
                _("%(organisation)s did not exist in %(period)s.")
                % {"organisation": name, "period": period.label},
            )
        )
        return problems, None
    indicators, elements = catalogue.reported_by(organisation)
    if not elements:
        problems.errors.append(
            Issue(
                "",
                _("%(organisation)s does not report any indicator of this unit.")
                % {"organisation": name},
            )
        )
        return problems, None
    if submission.status not in transition.sources:
        problems.errors.append(
            Issue(
                "",
                _("The report of %(organisation)s is “%(status)s” and cannot be changed.")
                % {"organisation": name, "status": submission.get_status_display()},
            )
        )
    submit = transition.target == Status.SUBMITTED
    result = validation.validate(
        elements=elements, indicators=indicators, raw=raw, previous=previous, complete=submit
    )
    problems.errors.extend(result.errors)
    if submit and not comment.strip():
        problems.warnings.extend(result.warnings)
    return problems, _Prepared(submission, elements, result)


def _store_reports(*, actor, prepared, transition, comment) -> list[Submission]:
    """The reports created or updated, with the status the transition gives them."""
    now = timezone.now()
    saved = []
    for entry in prepared:
        submission = entry.submission
        if transition.target is not None:
            submission.status = transition.target
            submission.submitted_at, submission.submitted_by = now, actor
            submission.warning_comment = comment.strip() if entry.result.warnings else ""
        submission.updated_at = now
        saved.append(submission)
    new = [s for s in saved if s.pk is None]
    Submission.objects.bulk_create(new)
    if transition.target == Status.APPROVED:
        _public_figures_changed()
    changed = [s for s in saved if s not in new]
    fields = ["status", "submitted_at", "submitted_by", "warning_comment", "updated_at"]
    if len(changed) == 1:  # one row: a plain UPDATE, not bulk_update's CASE per field
        changed[0].save(update_fields=fields)
    elif changed:
        Submission.objects.bulk_update(changed, fields)
    return saved


def _store_values(prepared: list[_Prepared]) -> None:
    Value.objects.bulk_create(
        [
            Value(submission=entry.submission, element=e, value=entry.result.values.get(e.code))
            for entry in prepared
            for e in entry.elements
        ],
        update_conflicts=True,
        unique_fields=["submission", "element"],
        update_fields=["value"],
        batch_size=2000,
    )


def report_save(
    *,
    actor,
    organisation: Organisation,
    period: ReportingPeriod,
    owner_unit: Organisation,
    raw_values: dict,
    submit: bool = False,
    comment: str = "",
    indicators: list | None = None,
    previous: dict | None = None,
) -> Submission:
    """One entity saves its values as a draft, or submits them to the owner unit
    (`indicators` and `previous`, its own, as reports_save takes them)."""
    return reports_save(
        actor=actor,
        period=period,
        owner_unit=owner_unit,
        entries=[Entry(organisation, raw_values)],
        submit=submit,
        comment=comment,
        indicators=indicators,
        previous=None if previous is None else {organisation.pk: previous},
    )[0]


def _decide(*, submission_id: int, actor, action: str, note: str) -> Submission:
    """The owner unit's decision on a report, through the workflow's table."""
    with transaction.atomic():
        # The period first, then the report: the order reports_save takes them in, so
        # a decision and a save in the same period never wait for each other in a cycle.
        period_id = Submission.objects.values_list("period_id", flat=True).get(pk=submission_id)
        _period_for_writing(period_id)
        submission = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("period", "organisation")
            .get(pk=submission_id)
        )
        transition = workflow.check_decision(
            action=action, submission=submission, actor=actor, note=note
        )
        _check_period(submission.period)
        submission.status = transition.target
        submission.decided_by, submission.decided_at = actor, timezone.now()
        submission.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        if action in ("approve", "reopen"):  # counted in the public figures, or no more
            _public_figures_changed()
        _record(
            period=submission.period,
            submission=submission,
            action=transition.action,
            actor=actor,
            note=note.strip(),
        )
        notices.report_decided(
            submission=submission, action=transition.action, actor=actor, note=note
        )
        return submission


def report_approve(*, submission_id: int, actor, note: str = "") -> Submission:
    """The owner unit approves: the values count in the public figures and are locked."""
    return _decide(submission_id=submission_id, actor=actor, action="approve", note=note)


def report_return(*, submission_id: int, actor, note: str) -> Submission:
    """The owner unit sends the report back to the entity with a comment."""
    return _decide(submission_id=submission_id, actor=actor, action="return", note=note)


def report_reopen(*, submission_id: int, actor, note: str) -> Submission:
    """The owner unit reopens an approved report (with a reason) for the entity to
    correct; it leaves the public figures until approved again."""
    return _decide(submission_id=submission_id, actor=actor, action="reopen", note=note)


@transaction.atomic
def period_lock(*, period_id: int, actor, note: str = "") -> ReportingPeriod:
    """The Ministry Office closes a period to any further values."""
    if not permissions.may_manage_periods(actor):
        raise ReportError(_("Only the Ministry Office opens and locks periods."))
    period = ReportingPeriod.objects.select_for_update().get(pk=period_id)
    if period.is_locked:
        raise ReportError(_("The period is already locked."))
    period.is_locked = True
    period.save(update_fields=["is_locked"])
    _public_figures_changed()
    _record(period=period, action="lock", actor=actor, note=note.strip())
    security_log.record(SecurityEventKind.PERIOD_LOCKED, actor=actor, detail=period.label)
    return period


@transaction.atomic
def period_reopen(*, period_id: int, actor, note: str) -> ReportingPeriod:
    if not permissions.may_manage_periods(actor):
        raise ReportError(_("Only the Ministry Office opens and locks periods."))
    if not note.strip():
        raise ReportError(_("Give a reason."))
    period = ReportingPeriod.objects.select_for_update().get(pk=period_id)
    if not period.is_locked:
        raise ReportError(_("The period is open."))
    period.is_locked = False
    period.save(update_fields=["is_locked"])
    _public_figures_changed()
    _record(period=period, action="unlock", actor=actor, note=note.strip())
    security_log.record(
        SecurityEventKind.PERIOD_REOPENED, actor=actor, detail=f"{period.label}: {note.strip()}"
    )
    return period


def indicator_threshold_set(*, indicator_id: int, actor, provisional_below: Decimal) -> Indicator:
    """The owner unit sets the coverage below which its national figure is provisional."""
    indicator = Indicator.objects.get(pk=indicator_id)
    if not permissions.may_set_provisional_threshold(actor, indicator):
        raise ReportError(_("Only the unit that owns this indicator can change this."))
    indicator.provisional_below = provisional_below
    indicator.save(update_fields=["provisional_below"])
    _public_figures_changed()
    return indicator
