"""Every write to indicator reports and periods: one function per business action."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from briefing.models.organisations import Organisation
from indicators import permissions, selectors, validation
from indicators.models import (
    EDITABLE,
    Event,
    Indicator,
    ReportingPeriod,
    Status,
    Submission,
    Value,
)
from indicators.validation import Issue


class ReportError(Exception):
    """The action is not possible: wrong state, wrong person, locked period."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


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
) -> list[Submission]:
    """Save (and submit) the values of one or more entities for a period and owner unit.

    Every entry is validated by indicators.validation before anything is written: one
    wrong value anywhere and nothing is stored (ReportInvalid). On submission, changes
    that warn need `comment`.
    """
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    _check_period(period)
    issues = []
    prepared = []
    previous = selectors.previous_values([e.organisation.pk for e in entries], period, owner_unit)
    existing = {
        s.organisation_id: s
        # Only the reports' own rows: the default ordering joins the period and the
        # organisations, which a plain FOR UPDATE would lock too (and deadlock on).
        for s in Submission.objects.select_for_update(of=("self",)).filter(
            period=period,
            owner_unit=owner_unit,
            organisation_id__in=[e.organisation.pk for e in entries],
        )
    }
    catalogue = {}
    for index, entry in enumerate(entries):
        organisation = entry.organisation
        if not (
            permissions.may_report_for(actor, organisation)
            or permissions.may_enter_for_others(actor, owner_unit)
        ):
            raise ReportError(_("You may report only for your own organisation."))
        problems = EntryIssues(index, organisation)
        if not organisation.is_valid_on(period.end):
            problems.errors.append(
                Issue(
                    "",
                    _("%(organisation)s did not exist in %(period)s.")
                    % {"organisation": organisation.short_name, "period": period.label},
                )
            )
            issues.append(problems)
            continue
        if not catalogue:
            catalogue[None] = selectors.indicators_for(
                period_type=period.period_type, owner=owner_unit
            )
        # Which indicators an organisation reports depends on its kind and the scopes.
        indicators = [i for i in catalogue[None] if i.applies_to(organisation)]
        key = tuple(i.pk for i in indicators)
        if key not in catalogue:
            catalogue[key] = selectors.elements_of(indicators)
        elements = catalogue[key]
        if not elements:
            problems.errors.append(
                Issue(
                    "",
                    _("%(organisation)s does not report any indicator of this unit.")
                    % {"organisation": organisation.short_name},
                )
            )
            issues.append(problems)
            continue
        submission = existing.get(organisation.pk)
        if submission is not None and submission.status not in EDITABLE:
            problems.errors.append(
                Issue(
                    "",
                    _("The report of %(organisation)s is “%(status)s” and cannot be changed.")
                    % {
                        "organisation": organisation.short_name,
                        "status": submission.get_status_display(),
                    },
                )
            )
        result = validation.validate(
            elements=elements,
            indicators=indicators,
            raw=entry.raw,
            previous=previous.get(organisation.pk, {}),
            complete=submit,
        )
        problems.errors.extend(result.errors)
        if submit and not comment.strip():
            problems.warnings.extend(result.warnings)
        if problems.errors or problems.warnings:
            issues.append(problems)
        prepared.append((organisation, submission, elements, result))
    if issues:
        raise ReportInvalid(issues)

    now = timezone.now()
    saved, values = [], []
    for organisation, submission, _elements, result in prepared:
        if submission is None:
            submission = Submission(organisation=organisation, period=period, owner_unit=owner_unit)
        if submit:
            submission.status = Status.SUBMITTED
            submission.submitted_at, submission.submitted_by = now, actor
            submission.warning_comment = comment.strip() if result.warnings else ""
        submission.updated_at = now
        saved.append(submission)
    new = [s for s in saved if s.pk is None]
    Submission.objects.bulk_create(new)
    changed = [s for s in saved if s not in new]
    if changed:
        Submission.objects.bulk_update(
            changed, ["status", "submitted_at", "submitted_by", "warning_comment", "updated_at"]
        )
    for submission, (_org, _sub, elements, result) in zip(saved, prepared, strict=True):
        values.extend(
            Value(submission=submission, element=e, value=result.values.get(e.code))
            for e in elements
        )
    Value.objects.bulk_create(
        values,
        update_conflicts=True,
        unique_fields=["submission", "element"],
        update_fields=["value"],
        batch_size=2000,
    )
    Event.objects.bulk_create(
        Event(
            period=period,
            submission=s,
            action="submit" if submit else "save",
            actor=actor,
            note=s.warning_comment if submit else "",
        )
        for s in saved
    )
    return saved


def report_save(
    *,
    actor,
    organisation: Organisation,
    period: ReportingPeriod,
    owner_unit: Organisation,
    raw_values: dict,
    submit: bool = False,
    comment: str = "",
) -> Submission:
    """One entity saves its values as a draft, or submits them to the owner unit."""
    return reports_save(
        actor=actor,
        period=period,
        owner_unit=owner_unit,
        entries=[Entry(organisation, raw_values)],
        submit=submit,
        comment=comment,
    )[0]


def _decide(*, submission_id: int, actor, sources, target, action, note, note_required):
    with transaction.atomic():
        # The period first, then the report: the order reports_save takes them in, so
        # a decision and a save in the same period never wait for each other in a cycle.
        period_id = Submission.objects.values_list("period_id", flat=True).get(pk=submission_id)
        ReportingPeriod.objects.select_for_update().get(pk=period_id)
        submission = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("period", "organisation")
            .get(pk=submission_id)
        )
        if not permissions.may_review(actor, submission):
            raise ReportError(_("Only the unit that owns these indicators can do this."))
        if submission.status not in sources:
            raise ReportError(
                _("This report is “%(status)s”: this action is not possible.")
                % {"status": submission.get_status_display()}
            )
        if note_required and not note.strip():
            raise ReportError(_("Give a reason."))
        _check_period(submission.period)
        submission.status = target
        submission.decided_by, submission.decided_at = actor, timezone.now()
        submission.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        _record(
            period=submission.period,
            submission=submission,
            action=action,
            actor=actor,
            note=note.strip(),
        )
        return submission


def report_approve(*, submission_id: int, actor, note: str = "") -> Submission:
    """The owner unit approves: the values count in the public figures and are locked."""
    return _decide(
        submission_id=submission_id,
        actor=actor,
        sources={Status.SUBMITTED},
        target=Status.APPROVED,
        action="approve",
        note=note,
        note_required=False,
    )


def report_return(*, submission_id: int, actor, note: str) -> Submission:
    """The owner unit sends the report back to the entity with a comment."""
    return _decide(
        submission_id=submission_id,
        actor=actor,
        sources={Status.SUBMITTED},
        target=Status.RETURNED,
        action="return",
        note=note,
        note_required=True,
    )


def report_reopen(*, submission_id: int, actor, note: str) -> Submission:
    """The owner unit reopens an approved report (with a reason) for the entity to
    correct; it leaves the public figures until approved again."""
    return _decide(
        submission_id=submission_id,
        actor=actor,
        sources={Status.APPROVED},
        target=Status.RETURNED,
        action="reopen",
        note=note,
        note_required=True,
    )


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
    _record(period=period, action="lock", actor=actor, note=note.strip())
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
    _record(period=period, action="unlock", actor=actor, note=note.strip())
    return period


def indicator_threshold_set(*, indicator_id: int, actor, provisional_below: Decimal) -> Indicator:
    """The owner unit sets the coverage below which its national figure is provisional."""
    indicator = Indicator.objects.get(pk=indicator_id)
    if not permissions.may_set_provisional_threshold(actor, indicator):
        raise ReportError(_("Only the unit that owns this indicator can change this."))
    indicator.provisional_below = provisional_below
    indicator.save(update_fields=["provisional_below"])
    return indicator
