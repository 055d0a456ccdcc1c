"""The quarter's official documents (documents.py) as PDF, Word and printable page, and
what the briefing page shows of them: links, particulars, the office's form and the
history of the particulars."""

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from briefing.models.reports import DocumentKind
from briefing.models.sessions import BriefingSession, Conclusion, FollowUpTask
from briefing.platform import quarters
from briefing.reports import assignees, document_files, documents, particulars, rollup, word
from briefing.reports import files as report_files
from briefing.reports.forms import ParticularsForm

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _check_quarter(year: int, quarter: int) -> None:
    if not (1 <= quarter <= 4) or not (2000 <= year <= 2100):
        raise Http404


def _report(year: int, quarter: int) -> documents.Document:
    snapshot = rollup.latest_snapshot(year=year, quarter=quarter)
    if snapshot is None:
        raise Http404
    current = particulars.current(year=year, quarter=quarter, kind=DocumentKind.REPORT)
    return documents.report_document(snapshot, current)


def session_conclusions(session) -> list[Conclusion]:
    """The conclusions with their tasks and assignees, in three queries."""
    return list(
        Conclusion.objects.filter(session=session)
        .order_by("number")
        .prefetch_related(
            Prefetch(
                "tasks",
                queryset=FollowUpTask.objects.order_by("deadline", "pk").prefetch_related(
                    "assignees"
                ),
            )
        )
    )


def briefing_day(session):
    return session.date or quarters.quarter_bounds(session.year, session.quarter)[1]


def _conclusions(year: int, quarter: int) -> documents.Document:
    session = BriefingSession.objects.filter(year=year, quarter=quarter).first()
    if session is None:
        raise Http404
    current = particulars.current(year=year, quarter=quarter, kind=DocumentKind.CONCLUSIONS)
    groups = assignees.groups_on(briefing_day(session))
    return documents.conclusions_document(session, session_conclusions(session), current, groups)


BUILDERS = {DocumentKind.REPORT: _report, DocumentKind.CONCLUSIONS: _conclusions}


def links(year: int, quarter: int, kind: str) -> dict:
    return {
        f"{fmt}_url": reverse(f"briefings:{kind}_{fmt}", args=[year, quarter])
        for fmt in ("pdf", "docx", "html")
    } | {"back_url": reverse("briefings:detail", args=[year, quarter]) + "#documents"}


@require_GET
def official_document(request, year: int, quarter: int, kind: str, fmt: str):
    _check_quarter(year, quarter)
    doc = BUILDERS[kind](year, quarter)
    if fmt == "docx":
        response = HttpResponse(word.docx(doc), content_type=DOCX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{doc.filename}.docx"'
        return response
    if fmt == "html":
        return HttpResponse(
            document_files.html(request, doc, for_browser=True, links=links(year, quarter, kind))
        )
    try:
        content = report_files.pdf(request, doc)
    except OSError:
        # WeasyPrint without its system libraries (Pango): say so, and offer the rest.
        return render(
            request,
            "briefing/documents/pdf_unavailable.html",
            {"year": year, "quarter": quarter, **links(year, quarter, kind)},
            status=503,
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{doc.filename}.pdf"'
    return response


def panel(year: int, quarter: int, *, session, snapshot, is_office: bool, bound=None) -> dict:
    """The briefing page's "Official documents": for each document that can be made,
    its links and particulars; for the office, the form (`bound` after a refused save)
    and the history."""
    items = []
    available = {DocumentKind.REPORT: snapshot is not None, DocumentKind.CONCLUSIONS: session}
    for kind, label in DocumentKind.choices:
        if not available[kind]:
            continue
        current = particulars.current(year=year, quarter=quarter, kind=kind)
        item = {
            "kind": kind,
            "label": label,
            "current": current,
            "number_symbol": documents.number_symbol(current),
            "saved": current.pk is not None,
            **links(year, quarter, kind),
        }
        if is_office:
            item["form"] = (
                bound
                if bound is not None and bound.prefix == kind
                else ParticularsForm(prefix=kind, initial=particulars.initial(current))
            )
        items.append(item)
    history = particulars.history(year=year, quarter=quarter) if is_office else []
    return {"official": items, "particulars_history": history}
