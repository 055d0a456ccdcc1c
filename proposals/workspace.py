"""The workspace blocks of recommendations, for the department, the Ministry Office and
the responsible unit (registered by proposals.apps into briefing.organisations.workspace).
Each block is two or three queries, whatever the number of recommendations."""

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from briefing.models.organisations import RoleCode
from briefing.organisations import roles
from briefing.organisations.workspace import Block, Entry, Item, register
from proposals import selectors, workflow
from proposals.models import OPEN_FOR_UNIT, Recommendation, Status

ITEMS = 6
SOON_DAYS = 7


def _list_url(**params) -> str:
    return reverse("proposals:list") + ("?" + urlencode(params) if params else "")


def _detail(rec: Recommendation) -> str:
    return reverse("proposals:detail", args=[rec.pk])


def _deadline_note(rec: Recommendation, today: datetime.date) -> str:
    if rec.deadline is None:
        return _("no deadline")
    day = date_format(rec.deadline, "SHORT_DATE_FORMAT")
    if rec.deadline < today:
        return _("overdue since %(date)s") % {"date": day}
    return _("due %(date)s") % {"date": day}


def _department_entries(counts: dict) -> list[Entry]:
    return [
        Entry(
            _("Returned for clarification"),
            counts[Status.RETURNED],
            _list_url(status=Status.RETURNED),
            urgent=True,
            key="returned",
        ),
        Entry(
            _("Drafts not yet sent"),
            counts[Status.DRAFT],
            _list_url(status=Status.DRAFT),
            key="drafts",
        ),
        Entry(
            _("Sent, waiting for the Ministry Office"),
            counts[Status.SUBMITTED],
            _list_url(status=Status.SUBMITTED),
            key="submitted",
        ),
        Entry(
            _("Being answered by a ministry unit"),
            counts["being_answered"],
            _list_url(status=Status.ACCEPTED),
            key="being_answered",
        ),
        Entry(
            _("Answered"),
            counts["answered"],
            _list_url(status=Status.PUBLISHED),
            key="answered",
        ),
    ]


def _signature_entry(user, mine) -> Entry:
    """What officers asked the department's leaders to sign and send (one query): for
    whoever signs, it waits for them."""
    count = selectors.awaiting_signature(mine).count()
    url = _list_url(signature="on")
    if workflow.may_send(user, user.organisation):
        return Entry(_("Waiting for your signature"), count, url, urgent=True, key="signature")
    return Entry(_("Sent to the leaders for signature"), count, url, key="signature")


def department_block(user, today: datetime.date) -> Block:
    """The department's drafts, what was returned to it, what waits for the Ministry,
    what is being answered and what has been answered."""
    mine = Recommendation.objects.filter(submitting_organisation_id=user.organisation_id)
    counts = mine.aggregate(
        **{
            status: Count("pk", filter=Q(status=status))
            for status in (Status.DRAFT, Status.RETURNED, Status.SUBMITTED)
        },
        being_answered=Count("pk", filter=Q(status__in=OPEN_FOR_UNIT)),
        answered=Count("pk", filter=Q(status__in=workflow.ANSWER_SHOWN_TO_SUBMITTER)),
    )
    to_act = list(
        mine.filter(status__in=workflow.EDITABLE)
        .order_by("-status", "created_at", "pk")  # "returned" before "draft"
        .only("pk", "code", "title", "status")[:ITEMS]
    )
    return Block(
        key="recommendations",
        title=_("Recommendations of your department"),
        entries=[_signature_entry(user, mine), *_department_entries(counts)],
        items=[
            Item(rec.title, _detail(rec), rec.get_status_display(), code=rec.code) for rec in to_act
        ],
        items_title=_("To finish and send"),
        more_url=reverse("proposals:create"),
        more_label=_("Write a recommendation"),
        empty=_("Your department has no recommendation yet."),
    )


def _triage_item(rec: Recommendation) -> Item:
    sender = rec.submitting_organisation.short_name if rec.submitting_organisation else ""
    sent = (
        _("sent %(date)s") % {"date": date_format(rec.submitted_at.date(), "SHORT_DATE_FORMAT")}
        if rec.submitted_at
        else ""
    )
    return Item(rec.title, _detail(rec), " · ".join(p for p in (sender, sent) if p), code=rec.code)


def office_block(user, today: datetime.date) -> Block:
    """Submissions to triage (oldest first), overdue answers, approved answers waiting
    for their publication."""
    counts = Recommendation.objects.aggregate(
        triage=Count("pk", filter=Q(status=Status.SUBMITTED)),
        overdue=Count("pk", filter=Q(status__in=OPEN_FOR_UNIT, deadline__lt=today)),
        approved=Count("pk", filter=Q(status__in=workflow.PUBLISHABLE)),
    )
    oldest = list(
        Recommendation.objects.filter(status=Status.SUBMITTED)
        .select_related("submitting_organisation")
        .order_by("submitted_at", "pk")
        .only("pk", "code", "title", "submitted_at", "submitting_organisation__short_name")[:ITEMS]
    )
    return Block(
        key="triage",
        title=_("Recommendations to triage"),
        entries=[
            Entry(
                _("Submitted, to accept, return or reject"),
                counts["triage"],
                _list_url(status=Status.SUBMITTED, sort="created"),
                urgent=True,
                key="triage",
            ),
            Entry(
                _("Past their deadline, all units"),
                counts["overdue"],
                _list_url(overdue="on", sort="deadline"),
                urgent=True,
                key="overdue",
            ),
            Entry(
                _("Approved, waiting for publication"),
                counts["approved"],
                _list_url(status=Status.ANSWER_APPROVED),
                key="approved",
            ),
        ],
        items=[_triage_item(rec) for rec in oldest],
        items_title=_("Waiting longest"),
        empty=_("Nothing waits for triage."),
    )


def overdue_by_unit_block(user, today: datetime.date) -> Block:
    """Overdue answers per responsible unit, the unit with most first: one GROUP BY."""
    rows = (
        Recommendation.objects.overdue(today)
        .values("responsible_unit_id", "responsible_unit__short_name")
        .annotate(total=Count("pk"))
        .order_by("-total", "responsible_unit__short_name")
    )
    return Block(
        key="overdue_by_unit",
        title=_("Overdue answers by unit"),
        entries=[
            Entry(
                row["responsible_unit__short_name"],
                row["total"],
                _list_url(overdue="on", unit=row["responsible_unit_id"], sort="deadline"),
                urgent=True,
                key=f"unit-{row['responsible_unit_id']}",
            )
            for row in rows
        ],
        empty=_("No unit is late."),
    )


def _unit_entries(counts: dict, *, is_leader: bool) -> list[Entry]:
    return [
        Entry(
            _("Past their deadline"),
            counts["overdue"],
            _list_url(overdue="on", sort="deadline"),
            urgent=True,
            key="overdue",
        ),
        Entry(
            _("Due within %(days)s days") % {"days": SOON_DAYS},
            counts["soon"],
            _list_url(status=Status.ACCEPTED, sort="deadline"),
            urgent=True,
            key="soon",
        ),
        Entry(
            _("Assigned, answer to write"),
            counts["to_answer"],
            _list_url(status=Status.ACCEPTED, sort="deadline"),
            key="to_answer",
        ),
        Entry(
            _("Answers waiting for your approval")
            if is_leader
            else _("Answers waiting for the leader's approval"),
            counts["to_approve"],
            _list_url(status=Status.ANSWER_DRAFTED),
            urgent=is_leader,
            key="to_approve",
        ),
        Entry(_("Handled by you"), counts["mine"], _list_url(mine="on"), key="mine"),
    ]


def unit_block(user, today: datetime.date) -> Block:
    """What the unit must answer, by deadline (overdue first), and the answers waiting
    for the leader's approval."""
    unit_id = user.organisation_id
    assigned = Recommendation.objects.filter(responsible_unit_id=unit_id)
    is_leader = roles.has_role(user, RoleCode.UNIT_LEADER)
    counts = assigned.aggregate(
        overdue=Count("pk", filter=Q(status__in=OPEN_FOR_UNIT, deadline__lt=today)),
        soon=Count(
            "pk",
            filter=Q(
                status=Status.ACCEPTED,
                deadline__gte=today,
                deadline__lte=today + datetime.timedelta(days=SOON_DAYS),
            ),
        ),
        to_answer=Count("pk", filter=Q(status=Status.ACCEPTED)),
        to_approve=Count("pk", filter=Q(status=Status.ANSWER_DRAFTED)),
        mine=Count("pk", filter=Q(status__in=OPEN_FOR_UNIT, handler=user)),
    )
    first = list(
        assigned.filter(status__in=OPEN_FOR_UNIT)
        .order_by("deadline", "pk")
        .only("pk", "code", "title", "deadline", "status")[:ITEMS]
    )
    entries = _unit_entries(counts, is_leader=is_leader)
    return Block(
        key="assigned",
        title=_("Recommendations assigned to your unit"),
        entries=entries,
        items=[
            Item(
                rec.title,
                _detail(rec),
                _deadline_note(rec, today),
                overdue=rec.is_overdue(today),
                code=rec.code,
            )
            for rec in first
        ],
        items_title=_("By deadline"),
        empty=_("Nothing is assigned to your unit."),
    )


def _is_unit(user) -> bool:
    return user.organisation_id is not None and roles.has_role(
        user, RoleCode.UNIT_OFFICER, RoleCode.UNIT_LEADER
    )


def _is_department(user) -> bool:
    return user.organisation_id is not None and roles.is_province_staff(user)


def register_blocks() -> None:
    register("proposals.office", order=10, applies=roles.is_office_coordinator, build=office_block)
    register(
        "proposals.overdue_by_unit",
        order=15,
        applies=roles.is_office_coordinator,
        build=overdue_by_unit_block,
    )
    register("proposals.unit", order=10, applies=_is_unit, build=unit_block)
    register("proposals.department", order=10, applies=_is_department, build=department_block)
