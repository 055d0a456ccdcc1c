"""Reads of recommendations: the worklist and the detail page."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Left
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.attachments import describe_history_note
from proposals.models import (
    OPEN_FOR_UNIT,
    Answer,
    AnswerRating,
    Attachment,
    Event,
    Recommendation,
    Status,
)
from proposals.permissions import visible_recommendations
from proposals.search import recommendations_matching, search
from proposals.workflow import ALL_TRANSITIONS, EDITABLE

SORT_FIELDS = {
    "-created": ["-created_at", "-pk"],
    "created": ["created_at", "pk"],
    "deadline": ["deadline", "pk"],
    "code": ["code"],
}


def awaiting_signature(recommendations):
    """Drafts (or returned items) an officer asked the department's leaders to sign and
    send: their latest event is "ask_signature" (one subquery, no row per item)."""
    latest = Event.objects.filter(recommendation=OuterRef("pk")).order_by("-created_at", "-pk")
    return recommendations.annotate(latest_action=Subquery(latest.values("action")[:1])).filter(
        status__in=EDITABLE, latest_action="ask_signature"
    )


def worklist(user, filters: dict):
    """The user's recommendations after filters, and the count per status.

    The status counts ignore the status filter, so the tabs show what each holds.
    """
    base = visible_recommendations(user)
    text = (filters.get("q") or "").strip()
    if text:
        base = recommendations_matching(base, text)
    if filters.get("field"):
        base = base.filter(field=filters["field"])
    if filters.get("province"):
        base = base.filter(submitting_organisation=filters["province"])
    if filters.get("unit"):
        base = base.filter(responsible_unit=filters["unit"])
    if filters.get("quarter"):
        year, quarter = filters["quarter"].split("-")
        base = base.filter(period_year=int(year), period_quarter=int(quarter))
    if filters.get("overdue"):
        base = base.filter(status__in=OPEN_FOR_UNIT, deadline__lt=timezone.localdate())
    if filters.get("mine"):
        base = base.filter(handler=user)
    if filters.get("signature"):
        base = awaiting_signature(base)

    counts = dict(base.order_by().values_list("status").annotate(total=Count("pk", distinct=True)))
    listed = base.filter(status=filters["status"]) if filters.get("status") else base
    listed = listed.select_related("field", "submitting_organisation", "responsible_unit").order_by(
        *SORT_FIELDS.get(filters.get("sort") or "-created", SORT_FIELDS["-created"])
    )
    status_counts = [
        {"status": value, "label": label, "total": counts.get(value, 0)}
        for value, label in Status.choices
        if counts.get(value)
    ]
    return listed, status_counts


def recommendation_detail(rec: Recommendation) -> Recommendation:
    """Load what the detail page shows, in a fixed number of queries."""
    return (
        Recommendation.objects.select_related(
            "field",
            "submitting_organisation",
            "submitted_by",
            "responsible_unit",
            "duplicate_of",
            "answer__drafted_by",
            "answer__approved_by",
        )
        .prefetch_related(
            "cooperating_units",
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "pk")),
            Prefetch("events", queryset=Event.objects.select_related("actor__organisation")),
            "duplicates",
        )
        .get(pk=rec.pk)
    )


def change_history(rec: Recommendation, answer=None, limit: int = 50) -> list[dict]:
    """Recorded versions of the recommendation and its answer, newest first, each
    with what changed in words a reader understands."""
    kinds = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
    sources = [(rec.history, Recommendation._meta.verbose_name)]
    if answer is not None:
        sources.append((answer.history, Answer._meta.verbose_name))
    rows = []
    for history, record in sources:
        for h in history.select_related("history_user").order_by("-history_date")[:limit]:
            reason = h.history_change_reason
            rows.append(
                {
                    "time": h.history_date,
                    "record": record,
                    "user": h.history_user,
                    "change": ALL_TRANSITIONS[reason].label
                    if reason in ALL_TRANSITIONS
                    else describe_history_note(reason) or kinds[h.history_type],
                }
            )
    return sorted(rows, key=lambda row: row["time"], reverse=True)[:limit]


def published_answers(filters: dict):
    """Answers the public may read (published at least once), with what the public
    pages show, in a fixed number of queries. Filters: field, province, unit,
    quarter ("2020-3"), q (search)."""
    return (
        _published(filters)
        .select_related(
            "recommendation__field",
            "recommendation__submitting_organisation",
            "recommendation__responsible_unit",
        )
        .prefetch_related(
            Prefetch(
                "recommendation__duplicates",
                queryset=Recommendation.objects.select_related("submitting_organisation"),
            )
        )
    )


def published_answer_ids(filters: dict):
    """The ids of published_answers(filters), in the same order: the narrow query
    of a list page, which then reads only its own rows (answer_rows)."""
    return _published(filters).values_list("pk", flat=True)


def _published(filters: dict):
    answers = Answer.objects.filter(published_at__isnull=False)
    if filters.get("field"):
        answers = answers.filter(recommendation__field=filters["field"])
    if filters.get("unit"):
        answers = answers.filter(recommendation__responsible_unit=filters["unit"])
    if filters.get("province"):
        # Several departments often send the same recommendation, answered once.
        answers = answers.filter(
            Q(recommendation__submitting_organisation=filters["province"])
            | Q(recommendation__duplicates__submitting_organisation=filters["province"])
        ).distinct()
    if filters.get("quarter"):
        year, quarter = str(filters["quarter"]).split("-")
        answers = answers.filter(
            recommendation__period_year=int(year), recommendation__period_quarter=int(quarter)
        )
    if filters.get("q"):
        return search(answers, filters["q"])
    return answers.order_by("recommendation__field__order", "recommendation__code")


def answer_rows(ids) -> list:
    """The answers of one list page, in the order of `ids`, with only what the list
    shows: the excerpt is cut by the database for these rows alone, after the page's
    ids were chosen by a narrow query (cutting it inside the sorted query read the long
    text of every published answer)."""
    rows = (
        Answer.objects.filter(pk__in=list(ids))
        .select_related(
            "recommendation__field",
            "recommendation__submitting_organisation",
            "recommendation__responsible_unit",
        )
        .only(
            "recommendation__code",
            "recommendation__title",
            "recommendation__period_year",
            "recommendation__period_quarter",
            "recommendation__field__code",
            "recommendation__field__name",
            "recommendation__field__order",
            "recommendation__submitting_organisation__short_name",
            "recommendation__responsible_unit__short_name",
        )
        .prefetch_related(
            Prefetch(
                "recommendation__duplicates",
                queryset=Recommendation.objects.select_related("submitting_organisation").only(
                    "duplicate_of_id", "submitting_organisation__short_name"
                ),
            )
        )
        .annotate(excerpt=Left("published_text", 600))
    )
    by_id = {answer.pk: answer for answer in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def published_files(rec: Recommendation):
    """The answer's files the public may read: those of its last publication, never one
    added to a revision that is still a draft."""
    return Attachment.objects.filter(
        recommendation=rec, part=Attachment.Part.ANSWER, published_at__isnull=False
    )


def senders(answer) -> list:
    """The organisations that sent this question: the original and its duplicates."""
    rec = answer.recommendation
    orgs = [rec.submitting_organisation] + [d.submitting_organisation for d in rec.duplicates.all()]
    seen, result = set(), []
    for org in orgs:
        if org is not None and org.pk not in seen:
            seen.add(org.pk)
            result.append(org)
    return result


def rating_summary(answer) -> dict:
    """The readers' average stars, to one decimal (None before the first vote), and
    how many voted."""
    stats = AnswerRating.objects.filter(answer=answer).aggregate(
        total=Sum("stars"), votes=Count("pk")
    )
    votes = stats["votes"]
    if not votes:
        return {"average": None, "votes": 0}
    average = (Decimal(stats["total"]) / votes).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return {"average": average, "votes": votes}
