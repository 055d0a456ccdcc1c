"""The public answers pages: what citizens, the press and other agencies read.

Nothing here shows personal data of whoever sent a recommendation: the pages, feed
and exports use only the published text and the organisations involved.
"""

import datetime
import hashlib
import json
import re

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from briefing.platform import excel
from briefing.platform.clients import client_hash
from briefing.platform.public_cache import (
    answer_section,
    cached_public_page,
    fragments_get,
    fragments_set,
    public_page_forget,
    public_version,
)
from proposals import attachments, selectors
from proposals.models import Answer
from proposals.public_forms import AnswerFilterForm
from proposals.services import publishing

PAGE_SIZE = 30

# The open-data columns, in order. Stable: add at the end, never rename or remove.
EXPORT_COLUMNS = [
    "code",
    "quarter",
    "field_code",
    "field",
    "title",
    "question",
    "sent_by",
    "responsible_unit",
    "published_at",
    "updated_at",
    "answer",
    "url",
]
# The spreadsheet's headers (for people, in their language) and column widths.
EXCEL_HEADERS = {
    "code": (gettext_lazy("Code"), 20),
    "quarter": (gettext_lazy("Briefing quarter"), 10),
    "field_code": (gettext_lazy("Field code"), 8),
    "field": (gettext_lazy("Field"), 24),
    "title": (gettext_lazy("Title"), 40),
    "question": (gettext_lazy("Recommendation"), 60),
    "sent_by": (gettext_lazy("Sent by"), 30),
    "responsible_unit": (gettext_lazy("Answered by"), 24),
    "published_at": (gettext_lazy("Published on"), 17),
    "updated_at": (gettext_lazy("Updated on"), 17),
    "answer": (gettext_lazy("Answer"), 80),
    "url": (gettext_lazy("Link"), 40),
}


@cached_public_page
def home(request):
    latest = selectors.published_answers({}).order_by("-published_at")[:8]
    return render(request, "briefing/home.html", {"latest_answers": latest})


def answer_filters(request):
    form = AnswerFilterForm(request.GET or None)
    return form, (form.cleaned_data if form.is_valid() else {})


def _row_fragment(answer) -> dict:
    rec = answer.recommendation
    return {
        "field_id": rec.field_id,
        "heading": format_html(
            '<tr class="table-light"><th colspan="5" scope="rowgroup" '
            'data-field-group="{}">{}. {}</th></tr>',
            rec.field.code,
            rec.field.order,
            rec.field.name,
        ),
        "code": rec.code,
        "html": render_to_string(
            "proposals/answer_row.html",
            {"answer": answer, "rec": rec, "orgs": selectors.senders(answer)},
        ),
    }


def _rows_html(rows: list[dict], first: int, grouped: bool) -> str:
    """The table body: numbered rows under their field's heading (none in a search,
    ranked by relevance). Joined here rather than in a template loop: this is the
    hottest page of the portal and the loop cost more than the rest of the page."""
    parts = []
    field = None
    for number, row in enumerate(rows, first):
        if grouped and row["field_id"] != field:
            field = row["field_id"]
            parts.append(row["heading"])
        parts.append(
            format_html(
                '<tr data-answer="{}"><td class="text-nowrap">{}</td>{}</tr>',
                row["code"],
                number,
                row["html"],  # safe: rendered and escaped by answer_row.html
            )
        )
    return mark_safe("\n".join(parts))  # noqa: S308 (each part is escaped above)


@cached_public_page
def answer_list(request):
    form, filters = answer_filters(request)
    # The page's ids first (a narrow sorted query), then their rows.
    ids = selectors.published_answer_ids(filters)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    # The filter form (costly: long select lists, the same for every page of a search)
    # and each answer's row are rendered once per publication version and language and
    # kept in the cache, read back in one round trip; only what is missing is rendered.
    # A publication (or a merge into a published question) bumps the version, which
    # makes them all stale at once.
    prefix = f"answers:{public_version(request)}:{get_language()}:"
    chosen = hashlib.sha256(form.selected().encode()).hexdigest()[:32]
    form_key = f"{prefix}form:{chosen}"
    row_keys = {pk: f"{prefix}tr:{pk}" for pk in page.object_list}
    found = fragments_get([form_key, *row_keys.values()])
    fresh = {}
    if form_key not in found:
        fresh[form_key] = render_to_string("proposals/answer_filters.html", {"form": form}, request)
    missing = [pk for pk, key in row_keys.items() if key not in found]
    for answer in selectors.answer_rows(missing) if missing else ():
        fresh[row_keys[answer.pk]] = _row_fragment(answer)
    if fresh:
        fragments_set(fresh)
        found.update(fresh)
    rows = [found[key] for key in row_keys.values() if key in found]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "proposals/answer_list.html",
        {
            "form_html": found[form_key],
            "page": page,
            "query": query.urlencode(),
            "rows": rows,
            "rows_html": _rows_html(rows, page.start_index(), grouped=not filters.get("q")),
        },
    )


def published_or_404(code: str) -> Answer:
    answer = selectors.published_answers({}).filter(recommendation__code=code.upper()).first()
    if answer is None:
        raise Http404
    return answer


@cached_public_page(by=lambda code: (answer_section(code),))
def answer_detail(request, code):
    answer = published_or_404(code)
    rec = answer.recommendation
    files = selectors.published_files(rec).order_by("uploaded_at", "pk")
    return render(
        request,
        "proposals/answer_detail.html",
        {
            "answer": answer,
            "rec": rec,
            "senders": selectors.senders(answer),
            "files": files,
            "rating": rating_text(selectors.rating_summary(answer)),
            "link": request.build_absolute_uri(),
        },
    )


def answer_file(request, code, pk):
    answer = published_or_404(code)
    attachment = get_object_or_404(selectors.published_files(answer.recommendation), pk=pk)
    return attachments.download(attachment)


VOTER_TOKEN = re.compile(r"[0-9A-Za-z-]{1,64}")


@csrf_exempt  # anonymous and harmless; the page that posts it is cached for everyone
@require_POST
def answer_rate(request, code):
    answer = published_or_404(code)
    origin = request.headers.get("Origin")
    if origin and origin.split("://", 1)[-1] != request.get_host():
        return JsonResponse({"error": _("Votes are accepted from this portal only.")}, status=403)
    try:
        stars = int(request.POST.get("stars", ""))
    except ValueError:
        stars = 0
    voter = request.POST.get("voter", "").strip()
    # The browser's token is random letters and digits (static/js/answers.js); anything
    # else (NUL, markup, decomposed text) is not one.
    if not VOTER_TOKEN.fullmatch(voter):
        return JsonResponse({"error": _("Your browser did not send a voter token.")}, status=400)
    try:
        counted = publishing.answer_rate(
            answer=answer, voter=voter, client=client_hash(request), stars=stars
        )
    except ValidationError as exc:
        return JsonResponse({"error": exc.messages[0]}, status=400)
    except publishing.TooManyVotes:
        return JsonResponse(
            {"error": _("Too many votes for this answer from your connection.")}, status=429
        )
    if counted:
        public_page_forget(reverse("answers:detail", args=[answer.recommendation.code]))
    summary = selectors.rating_summary(answer)
    result = {
        "average": float(summary["average"]) if summary["votes"] else None,
        "votes": summary["votes"],
        "summary": rating_text(summary),
        "counted": counted,
    }
    if not counted:
        result["message"] = _("You have already rated this answer.")
    return JsonResponse(result)


def rating_text(summary: dict) -> str:
    """The rating as people read it ("4,3/5 từ 12 lượt đánh giá"), in their language."""
    if not summary["votes"]:
        return _("No ratings yet.")
    return ngettext(
        "%(average)s/5 from %(votes)s rating",
        "%(average)s/5 from %(votes)s ratings",
        summary["votes"],
    ) % {
        "average": number_format(summary["average"], 1),
        "votes": number_format(summary["votes"], force_grouping=True),
    }


def answer_row(answer, base: str) -> dict:
    """One published answer in the open-data columns (exports and API)."""
    rec = answer.recommendation
    return {
        "code": rec.code,
        "quarter": f"{rec.period_year}-Q{rec.period_quarter}",
        "field_code": rec.field.code,
        "field": rec.field.name,
        "title": rec.title,
        "question": rec.content,
        "sent_by": "; ".join(org.name for org in selectors.senders(answer)),
        "responsible_unit": rec.responsible_unit.name if rec.responsible_unit else "",
        "published_at": answer.published_at.isoformat(),
        "updated_at": answer.republished_at.isoformat() if answer.republished_at else "",
        "answer": answer.published_text,
        "url": base + reverse("answers:detail", args=[rec.code]),
    }


def _export_rows(request):
    _form, filters = answer_filters(request)
    answers = selectors.published_answers(filters)
    base = request.build_absolute_uri("/")[:-1]
    for answer in answers.iterator(chunk_size=500):
        yield answer_row(answer, base)


def export_csv(request):
    rows = ([row[column] for column in EXPORT_COLUMNS] for row in _export_rows(request))
    return excel.csv_response(
        filename="tra-loi-kien-nghi.csv", header=list(EXPORT_COLUMNS), rows=rows
    )


def export_json(request):
    def chunks():
        yield '{"columns": ' + json.dumps(EXPORT_COLUMNS) + ', "answers": ['
        for index, row in enumerate(_export_rows(request)):
            yield ("," if index else "") + json.dumps(row, ensure_ascii=False)
        yield "]}"

    return StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")


def _excel_time(value: str):
    """An ISO time of answer_row as the local date and time a spreadsheet shows."""
    if not value:
        return None
    local = timezone.localtime(datetime.datetime.fromisoformat(value))
    return local.replace(tzinfo=None, microsecond=0)


def export_xlsx(request):
    """The rows of the CSV as a spreadsheet, for people: headers in their language,
    dates as dates."""
    times = ("published_at", "updated_at")
    rows = (
        [_excel_time(row[c]) if c in times else row[c] for c in EXPORT_COLUMNS]
        for row in _export_rows(request)
    )
    return excel.table_response(
        filename="tra-loi-kien-nghi.xlsx",
        title=_("Answers"),
        columns=[(str(EXCEL_HEADERS[c][0]), EXCEL_HEADERS[c][1]) for c in EXPORT_COLUMNS],
        rows=rows,
    )
