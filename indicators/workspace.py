"""The workspace blocks of indicator reporting (registered by indicators.apps into
briefing.organisations.workspace): the department's reports to send or correct, the
owner unit's reports to review, the Ministry Office's missing reports. Each block reads
a fixed number of rows kinds (periods, the catalogue, one aggregate), whatever the
number of reports."""

import datetime

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from briefing.models.organisations import RoleCode
from briefing.organisations import roles
from briefing.organisations.workspace import Block, Entry, Item, register
from indicators import permissions, selectors, workflow
from indicators.models import EDITABLE, Event, Status, Submission

# The newest open periods a department is asked about.
PERIODS = 2
ITEMS = 6
SOON_DAYS = 7


def _open_periods(today: datetime.date, period_type: str | None = None) -> list:
    periods = selectors.reportable_periods(today).filter(is_locked=False)
    if period_type:
        periods = periods.filter(period_type=period_type)
    return list(periods[:PERIODS])


def _due_note(period, today: datetime.date) -> str:
    day = date_format(period.due_date, "SHORT_DATE_FORMAT")
    if period.due_date < today:
        return _("overdue since %(date)s") % {"date": day}
    return _("due %(date)s") % {"date": day}


def _pressing(period, today: datetime.date) -> bool:
    return period.due_date <= today + datetime.timedelta(days=SOON_DAYS)


def _report_index(period) -> str:
    return reverse("indicators:report_index") + f"?period={period.slug}"


def _unsent_item(period, unit, report, today: datetime.date) -> Item:
    return Item(
        unit.short_name,
        reverse("indicators:report_form", args=[period.slug, unit.code]),
        (report.get_status_display() if report else _("not started"))
        + " · "
        + _due_note(period, today),
        overdue=period.due_date < today,
        code=period.label,
    )


def _signature_entry(user) -> Entry:
    """Reports an officer asked the department's leaders to send (their latest event is
    "ask_signature"), linking to the reports of the oldest such period: two queries."""
    latest = Event.objects.filter(submission=OuterRef("pk")).order_by("-created_at", "-pk")
    waiting = (
        Submission.objects.filter(organisation_id=user.organisation_id, status__in=EDITABLE)
        .annotate(latest_action=Subquery(latest.values("action")[:1]))
        .filter(latest_action="ask_signature")
    )
    count = waiting.count()
    first = waiting.select_related("period").order_by("period__start", "pk").first()
    url = reverse("indicators:report_index") + (f"?period={first.period.slug}" if first else "")
    if workflow.sending_action(user, user.organisation) == "submit":
        return Entry(_("Waiting for your signature"), count, url, urgent=True, key="signature")
    return Entry(_("Sent to the leaders for signature"), count, url, key="signature")


def department_block(user, today: datetime.date) -> Block:
    """Per open period: the reports (one per owner unit) not yet sent, with the due
    date; and the reports returned for correction."""
    organisation = user.organisation
    periods = _open_periods(today)
    units_by_type = {}
    for period in periods:
        if period.period_type not in units_by_type:
            units_by_type[period.period_type] = selectors.owner_units_for(
                organisation, period.period_type
            )
    reports = {
        (s.period_id, s.owner_unit_id): s
        for s in Submission.objects.filter(organisation=organisation, period__in=periods)
    }
    returned = Submission.objects.filter(organisation=organisation, status=Status.RETURNED).count()
    entries, items = [_signature_entry(user)], []
    for period in periods:
        unsent = [
            (unit, reports.get((period.pk, unit.pk)))
            for unit in units_by_type[period.period_type]
            if reports.get((period.pk, unit.pk)) is None
            or reports[(period.pk, unit.pk)].status in (Status.DRAFT, Status.RETURNED)
        ]
        entries.append(
            Entry(
                _("Reports for %(period)s not yet sent") % {"period": period.label},
                len(unsent),
                _report_index(period),
                urgent=_pressing(period, today),
                note=_due_note(period, today),
                key=f"unsent-{period.slug}",
            )
        )
        items += [_unsent_item(period, unit, report, today) for unit, report in unsent]
    entries.append(
        Entry(
            _("Returned for correction"),
            returned,
            reverse("indicators:report_index"),
            urgent=True,
            key="returned",
        )
    )
    items.sort(key=lambda item: not item.overdue)
    return Block(
        key="indicator_reports",
        title=_("Indicator reports of your department"),
        entries=entries,
        items=items[:ITEMS],
        items_title=_("To send"),
        empty=_("No indicator report is due."),
    )


def unit_block(user, today: datetime.date) -> Block:
    """Reports sent to the unit for review, oldest first; those returned to entities."""
    mine = Submission.objects.filter(owner_unit_id=user.organisation_id)
    counts = mine.aggregate(
        submitted=Count("pk", filter=Q(status=Status.SUBMITTED)),
        returned=Count("pk", filter=Q(status=Status.RETURNED)),
    )
    oldest = list(
        mine.filter(status=Status.SUBMITTED)
        .select_related("organisation", "period")
        .order_by("submitted_at", "pk")[:ITEMS]
    )
    review = reverse("indicators:review")
    return Block(
        key="indicator_review",
        title=_("Indicator reports to review"),
        entries=[
            Entry(
                _("Sent, to approve or return"),
                counts["submitted"],
                review,
                urgent=True,
                key="to_review",
            ),
            Entry(
                _("Returned, waiting for the department"),
                counts["returned"],
                review + "?status=returned",
                key="returned",
            ),
        ],
        items=[
            Item(
                s.organisation.short_name,
                reverse("indicators:submission_detail", args=[s.pk]),
                _("sent %(date)s") % {"date": date_format(s.submitted_at, "SHORT_DATE_FORMAT")}
                if s.submitted_at
                else "",
                code=s.period.label,
            )
            for s in oldest
        ],
        items_title=_("Waiting longest"),
        empty=_("No report waits for your unit."),
    )


def office_block(user, today: datetime.date) -> Block:
    """The newest open quarter: per owner unit, how many entities have not sent their
    report, with the due date; and open periods past their due date."""
    entries = []
    periods = _open_periods(today, "quarter")[:1]
    for period in periods:
        indicators = selectors.indicators_for(period_type=period.period_type)
        complete = selectors.completeness(indicators, period)
        by_unit = {}
        for indicator in indicators:
            row = complete[indicator.pk]
            unit = indicator.owner_unit
            expected, reported = by_unit.get(unit, (0, 0))
            by_unit[unit] = (max(expected, row["expected"]), max(reported, row["reported"]))
        entries += [
            Entry(
                _("%(unit)s: reports for %(period)s not sent")
                % {"unit": unit.short_name, "period": period.label},
                max(expected - reported, 0),
                reverse("indicators:staff") + f"?period={period.slug}",
                urgent=_pressing(period, today),
                note=_due_note(period, today),
                key=f"missing-{unit.code}",
            )
            for unit, (expected, reported) in sorted(by_unit.items(), key=lambda i: i[0].name)
        ]
    late_periods = (
        selectors.reportable_periods(today).filter(is_locked=False, due_date__lt=today).count()
    )
    entries.append(
        Entry(
            _("Open periods past their due date, to lock"),
            late_periods,
            reverse("indicators:periods"),
            key="late_periods",
        )
    )
    return Block(
        key="indicator_missing",
        title=_("Indicator reports missing"),
        entries=entries,
        empty=_("Every report of the open period has been sent."),
    )


def _is_department(user) -> bool:
    return user.organisation_id is not None and permissions.may_report(user)


def _is_unit(user) -> bool:
    return user.organisation_id is not None and roles.has_role(
        user, RoleCode.UNIT_OFFICER, RoleCode.UNIT_LEADER
    )


def register_blocks() -> None:
    register("indicators.department", order=20, applies=_is_department, build=department_block)
    register("indicators.unit", order=20, applies=_is_unit, build=unit_block)
    register("indicators.office", order=20, applies=roles.is_office_coordinator, build=office_block)
