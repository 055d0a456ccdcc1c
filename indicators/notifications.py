"""Who is told what in indicator reporting: the department when its report is returned,
reopened or approved; the owner unit when a department sends one; and the departments
whose reports are due soon or overdue (indicators.tasks). Called by indicators.services
inside their transactions: the e-mails leave after commit, through the outbox."""

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_noop

from briefing.models.organisations import Organisation, RoleCode, User
from briefing.organisations import notifications, roles
from indicators import selectors
from indicators.models import ReportingPeriod, Status, Submission

DEPARTMENT_ROLES = (RoleCode.PROVINCE_OFFICER, RoleCode.PROVINCE_LEADER)
UNIT_ROLES = (RoleCode.UNIT_OFFICER, RoleCode.UNIT_LEADER)
# How many days before the due date departments are reminded.
DUE_SOON_DAYS = 3
# An overdue reminder is written once, within this many days after the due date.
OVERDUE_WINDOW_DAYS = 7

MESSAGES = {
    "return": gettext_noop("Your indicator report for %(period)s (%(unit)s) was returned"),
    "reopen": gettext_noop("Your indicator report for %(period)s (%(unit)s) was reopened"),
    "approve": gettext_noop("Your indicator report for %(period)s (%(unit)s) was approved"),
}
SIGNATURE = gettext_noop(
    "The indicator report for %(period)s (%(unit)s) waits for your signature to be sent"
)
SUBMITTED = gettext_noop("%(organisation)s sent its indicator report for %(period)s")
DUE_SOON = gettext_noop(
    "Indicator reports for %(period)s are due on %(date)s: %(count)s not sent yet"
)
OVERDUE = gettext_noop(
    "Indicator reports for %(period)s were due on %(date)s: %(count)s not sent yet"
)


def _department_url(submission: Submission) -> str:
    return reverse(
        "indicators:report_form", args=[submission.period.slug, submission.owner_unit.code]
    )


def report_decided(*, submission: Submission, action: str, actor, note: str = "") -> None:
    """The owner unit returned, reopened or approved the report: its department is told."""
    notifications.notify(
        users=notifications.staff_of(submission.organisation_id, *DEPARTMENT_ROLES),
        message=MESSAGES[action],
        params={
            "period": submission.period.label,
            "unit": submission.owner_unit.short_name,
            "title": note.strip()[:300],
        },
        url=_department_url(submission),
        actor=actor,
    )


def reports_sent(*, submissions, actor) -> None:
    """A department sent its reports: each owner unit's staff are told. Values loaded by
    the unit or the office for others are not announced to themselves."""
    if not roles.is_province_staff(actor):
        return
    for submission in submissions:
        notifications.notify(
            users=notifications.staff_of(submission.owner_unit_id, *UNIT_ROLES),
            message=SUBMITTED,
            params={
                "organisation": submission.organisation.short_name,
                "period": submission.period.label,
            },
            url=reverse("indicators:submission_detail", args=[submission.pk]),
            actor=actor,
        )


def signature_asked(*, submissions, actor) -> None:
    """An officer finished a report that the department's leaders send: they are told."""
    for submission in submissions:
        notifications.notify(
            users=notifications.staff_of(submission.organisation_id, RoleCode.PROVINCE_LEADER),
            message=SIGNATURE,
            params={"period": submission.period.label, "unit": submission.owner_unit.short_name},
            url=_department_url(submission),
            actor=actor,
        )


def _unsent_by_organisation(period: ReportingPeriod) -> dict[Organisation, int]:
    """Per reporting entity existing in the period: how many of its reports (one per
    owner unit whose indicators apply to it) are not sent yet."""
    indicators = selectors.indicators_for(period_type=period.period_type)
    sent = set(
        Submission.objects.filter(
            period=period, status__in=(Status.SUBMITTED, Status.APPROVED)
        ).values_list("organisation_id", "owner_unit_id")
    )
    entities = Organisation.objects.filter(kind__in=selectors.KINDS).valid_on(period.end)
    result = {}
    for organisation in entities:
        units = {i.owner_unit_id for i in indicators if i.applies_to(organisation)}
        missing = sum(1 for unit_id in units if (organisation.pk, unit_id) not in sent)
        if missing:
            result[organisation] = missing
    return result


def remind_due_reports(*, today: datetime.date) -> int:
    """Departments with reports still to send for an open period due within a few days,
    or due in the past week, are told once each (keyed notifications). Returns how many
    notifications were written."""
    periods = selectors.reportable_periods(today).filter(
        is_locked=False,
        due_date__gte=today - datetime.timedelta(days=OVERDUE_WINDOW_DAYS),
        due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
    )
    written = 0
    for period in periods:
        overdue = period.due_date < today
        unsent = _unsent_by_organisation(period)
        staff = defaultdict(list)
        for user in User.objects.filter(
            organisation__in=list(unsent), is_active=True, roles__code__in=DEPARTMENT_ROLES
        ).distinct():
            staff[user.organisation_id].append(user)
        for organisation, count in unsent.items():
            written += len(
                notifications.notify(
                    users=staff.get(organisation.pk, []),
                    message=OVERDUE if overdue else DUE_SOON,
                    params={
                        "period": period.label,
                        "date": date_format(period.due_date, "SHORT_DATE_FORMAT"),
                        "count": count,
                    },
                    url=reverse("indicators:report_index") + f"?period={period.slug}",
                    key=f"indicators:{'overdue' if overdue else 'due'}:{period.pk}",
                )
            )
    return written
