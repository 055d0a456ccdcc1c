"""Queries about briefing sessions that reach into the recommendations."""

from briefing.models.sessions import BriefingSession
from proposals.models import Channel, Recommendation, Status


def session_recommendations(session: BriefingSession):
    """The recommendations sent to the briefing of the session's quarter."""
    return Recommendation.objects.filter(
        channel=Channel.BRIEFING, period_year=session.year, period_quarter=session.quarter
    )


def sent_to_briefing(session: BriefingSession, *, everything: bool) -> list[Recommendation]:
    """The recommendations sent to the briefing: all of them (but drafts) for the
    Ministry Office, those with a published answer for everyone else. One query."""
    sent = (
        session_recommendations(session)
        .exclude(status=Status.DRAFT)
        .select_related("field", "submitting_organisation", "responsible_unit", "answer")
        .order_by("field__order", "code")
    )
    if not everything:
        sent = sent.filter(answer__published_at__isnull=False)
    return list(sent)
