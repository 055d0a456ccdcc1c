"""The workspace blocks of briefings (registered by briefing.apps into
briefing.organisations.workspace): the follow-up tasks assigned to the person's
organisation, and for the Ministry Office the next briefing and the late tasks."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from briefing.models.sessions import BriefingSession, FollowUpTask, TaskStatus
from briefing.organisations import roles
from briefing.organisations.workspace import Block, Entry, Item, register
from briefing.sessions.selectors import session_recommendations
from proposals import workflow
from proposals.models import Status

ITEMS = 5


def _task_url(task: FollowUpTask) -> str:
    session = task.conclusion.session
    return reverse("briefings:detail", args=[session.year, session.quarter]) + f"#task-{task.pk}"


def _deadline_note(task: FollowUpTask, today: datetime.date) -> str:
    if task.deadline is None:
        return task.get_status_display()
    day = date_format(task.deadline, "SHORT_DATE_FORMAT")
    if task.is_overdue(today):
        return _("overdue since %(date)s") % {"date": day}
    return _("due %(date)s") % {"date": day}


def tasks_block(user, today: datetime.date) -> Block:
    """The organisation's open follow-up tasks, overdue first (by deadline)."""
    open_tasks = FollowUpTask.objects.filter(assignees__id=user.organisation_id).exclude(
        status=TaskStatus.DONE
    )
    counts = open_tasks.aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=today))
    )
    first = list(
        open_tasks.select_related("conclusion__session").order_by("deadline", "pk")[:ITEMS]
    )
    briefings = reverse("briefings:list")
    return Block(
        key="tasks",
        title=_("Follow-up tasks of the briefings"),
        entries=[
            Entry(
                _("Past their deadline"), counts["overdue"], briefings, urgent=True, key="overdue"
            ),
            Entry(_("Open tasks assigned to you"), counts["total"], briefings, key="open"),
        ],
        items=[
            Item(
                task.text[:140],
                _task_url(task),
                _deadline_note(task, today),
                overdue=task.is_overdue(today),
                code=task.conclusion.session.label,
            )
            for task in first
        ],
        items_title=_("By deadline"),
        empty=_("No follow-up task is assigned to your organisation."),
    )


def next_briefing_block(user, today: datetime.date) -> Block:
    """The next briefing: its date, the recommendations sent to it and how many are
    answered; and every organisation's late tasks."""
    session = (
        BriefingSession.objects.filter(Q(date__gte=today) | Q(date__isnull=True))
        .order_by("year", "quarter")
        .first()
    )
    late = FollowUpTask.objects.overdue(today).count()
    entries = [
        Entry(
            _("Follow-up tasks past their deadline"),
            late,
            reverse("briefings:list"),
            urgent=True,
            key="late_tasks",
        )
    ]
    title = _("Next briefing")
    if session is not None:
        counts = (
            session_recommendations(session)
            .exclude(status=Status.DRAFT)
            .aggregate(
                sent=Count("pk"),
                answered=Count("pk", filter=Q(status__in=workflow.ANSWER_SHOWN_TO_SUBMITTER)),
            )
        )
        page = reverse("briefings:detail", args=[session.year, session.quarter])
        title = _("Next briefing: %(quarter)s") % {"quarter": session.label}
        if session.date:
            title += " · " + date_format(session.date, "SHORT_DATE_FORMAT")
        entries += [
            Entry(_("Recommendations sent to it"), counts["sent"], page, key="sent"),
            Entry(
                _("Not answered yet"),
                counts["sent"] - counts["answered"],
                reverse("proposals:list")
                + f"?quarter={session.year}-{session.quarter}&status={Status.ACCEPTED}",
                key="unanswered",
            ),
        ]
    return Block(
        key="next_briefing",
        title=title,
        entries=entries,
        more_url=reverse("briefings:list"),
        more_label=_("All briefings"),
        empty=_("No briefing is planned yet."),
    )


def _has_organisation(user) -> bool:
    return user.organisation_id is not None and (
        roles.is_province_staff(user) or roles.is_ministry_staff(user)
    )


def register_blocks() -> None:
    register("sessions.tasks", order=30, applies=_has_organisation, build=tasks_block)
    register(
        "sessions.next_briefing",
        order=25,
        applies=roles.is_office_coordinator,
        build=next_briefing_block,
    )
