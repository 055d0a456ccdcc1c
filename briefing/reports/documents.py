"""The quarter's official documents in the form of Decree 30/2020/NĐ-CP on clerical work
(Appendix I): the Chief of Office's report (Báo cáo) from a ReportSnapshot and the
chair's conclusions (Thông báo kết luận) from the briefing session.

One `Document` holds everything a document says, in order; the PDF and the printable
page (templates/briefing/documents/document.html) and the Word file (word.py) only lay
it out, so the three always say the same. Documents are Vietnamese whatever the
reader's language: they are the ministry's documents, not pages of the portal."""

import datetime
from dataclasses import dataclass, field

from django.template.defaultfilters import date as date_filter
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from briefing.models.reports import DocumentKind
from briefing.platform import quarters
from briefing.reports import assignees as assignee_groups
from briefing.reports import presentation as report

# The fixed wording of the form (Decree 30/2020/NĐ-CP, Appendix I): the same in every
# document, so never translated.
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
NUMBER = "Số:"
RECIPIENTS = "Nơi nhận:"
TYPE_NAMES = {DocumentKind.REPORT: "BÁO CÁO", DocumentKind.CONCLUSIONS: "THÔNG BÁO"}
END = "/."
LANGUAGE = "vi"
NBSP, WORD_JOINER = "\u00a0", "\u2060"


@dataclass
class Column:
    label: str
    width: int  # millimetres; a document's columns add up to its text width
    numeric: bool = False


@dataclass
class Table:
    caption: str
    columns: list[Column]
    rows: list[list[str]]

    @property
    def body(self) -> list[list[tuple[str, bool]]]:
        """Each cell with whether its column holds numbers (aligned right)."""
        numeric = [c.numeric for c in self.columns]
        return [list(zip(row, numeric, strict=True)) for row in self.rows]


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    table: Table | None = None


@dataclass
class Document:
    kind: str
    parent_body: str
    issuing_body: str
    number_symbol: str
    place_date: str
    type_name: str
    subject: str
    keep_together: str  # the part of the subject that never breaks: "quý III/2020"
    sections: list[Section]
    closing: str
    recipients: list[str]
    signer_authority: str
    signer_title: str
    signer_name: str
    title: str
    filename: str
    draft: bool
    charts: list = field(default_factory=list)
    language: str = LANGUAGE

    @property
    def subject_html(self):
        before, found, after = self.subject.partition(self.keep_together)
        if not found:
            return self.subject
        return format_html('{}<span class="nowrap">{}</span>{}', before, found, after)

    @property
    def subject_unbroken(self) -> str:
        """For Word: no-break spaces and a word joiner after the slash."""
        kept = self.keep_together.replace(" ", NBSP).replace("/", "/" + WORD_JOINER)
        return self.subject.replace(self.keep_together, kept)


# Text width on A4 with the decree's margins (left 30 mm, right 15 mm).
TEXT_WIDTH = 165


def vietnamese_date(day: datetime.date | None, year: int) -> str:
    """ "ngày 07 tháng 9 năm 2020": days below 10 and the months 1 and 2 take a leading
    zero (Decree 30, Appendix I). Without a date, the blanks the signer fills in."""
    if day is None:
        gap = NBSP * 6
        return f"ngày{gap}tháng{gap}năm {year}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def short_date(day: datetime.date | None) -> str:
    """A deadline as Vietnamese write it: 31/12/2020."""
    return date_filter(day, "d/m/Y") if day else "—"


def number_symbol(particulars) -> str:
    number = particulars.number.strip()
    if number.isdigit() and int(number) < 10:
        number = f"{int(number):02d}"
    # Left blank until the registry numbers the document when it is issued.
    return f"{NUMBER} {number or NBSP * 6}/{particulars.symbol}"


def recipient_lines(particulars) -> list[str]:
    """ "- Như trên;" … "- Lưu: VT, VP.": a dash, a semicolon, a full stop at the end."""
    lines = [line.strip().lstrip("-–• ").rstrip(";.,") for line in particulars.recipient_lines]
    lines = [line for line in lines if line]
    return [f"- {line}{'.' if n == len(lines) - 1 else ';'}" for n, line in enumerate(lines)]


def _frame(particulars, *, year: int, kind: str, subject: str, keep: str, title: str) -> dict:
    return {
        "kind": kind,
        "parent_body": particulars.parent_body.upper(),
        "issuing_body": particulars.issuing_body.upper(),
        "number_symbol": number_symbol(particulars),
        "place_date": f"{particulars.place}, {vietnamese_date(particulars.issued_on, year)}",
        "type_name": TYPE_NAMES[kind],
        "subject": subject,
        "keep_together": keep,
        "recipients": recipient_lines(particulars),
        "signer_authority": particulars.signer_authority.upper(),
        "signer_title": particulars.signer_title.upper(),
        "signer_name": particulars.signer_name,
        "title": f"{TYPE_NAMES[kind].capitalize()}: {subject}",
        "draft": not particulars.number.strip() or particulars.issued_on is None,
    }


def report_document(snapshot, particulars) -> Document:
    with translation.override(LANGUAGE):
        data = snapshot.data
        quarter = quarters.roman_label(data["year"], data["quarter"])
        keep = _("quarter %(quarter)s") % {"quarter": quarter}
        subject = _("State management and the handling of recommendations in %(quarter)s") % {
            "quarter": keep
        }
        frame = _frame(
            particulars,
            year=data["year"],
            kind=DocumentKind.REPORT,
            subject=subject,
            keep=keep,
            title=subject,
        )
        return Document(
            **frame,
            sections=_report_sections(data),
            closing=_("The above is the report on %(subject)s.")
            % {"subject": subject[0].lower() + subject[1:]}
            + END,
            filename=f"bao-cao-giao-ban-{data['year']}-q{data['quarter']}-v{snapshot.version}",
            charts=report.charts(data),
        )


def _report_sections(data: dict) -> list[Section]:
    # The narrative's last paragraph is the indicators' when there are any.
    paragraphs = report.narrative(data)
    start = _("Nationwide, in quarter %(quarter)s:") % {
        "quarter": quarters.roman_label(data["year"], data["quarter"])
    }
    national = [p for p in paragraphs if p.startswith(start)]
    paragraphs = [p for p in paragraphs if not p.startswith(start)]
    if data.get("empty"):
        sections = [Section(heading="", paragraphs=paragraphs)]
    else:
        sections = [
            Section(
                heading=_("I. Recommendations received and resolved"),
                paragraphs=paragraphs,
                table=_group_table(report.tables(data)["groups"]),
            )
        ]
    lines = report.indicator_lines(data)
    if lines and not data.get("empty"):
        sections.append(
            Section(
                heading=_("II. Indicators"),
                paragraphs=national,
                table=_indicator_table(lines),
            )
        )
    tasks = report.previous_tasks(data)
    if tasks:
        sections.append(
            Section(
                heading=_("III. Conclusions of the previous briefing"),
                table=_previous_task_table(tasks),
            )
        )
    return sections


def _group_table(rows: list[dict]) -> Table:
    keys, labels = zip(*report.count_columns(), strict=True)
    return Table(
        caption=_("Recommendations received in the quarter"),
        columns=[Column(_("Group"), 51)] + [Column(label, 19, numeric=True) for label in labels],
        rows=[[row["label"], *(report.count(row[key]) for key in keys)] for row in rows],
    )


def _indicator_table(lines) -> Table:
    rows = []
    for n, line in enumerate(lines, start=1):
        value = line.value
        if line.provisional:
            value += " " + _("(provisional)")
        changes = [c for c in (line.baseline, line.previous, line.year_end) if c]
        details = "; ".join(d for d in (line.by_kind, "; ".join(changes)) if d)
        rows.append([str(n), line.name, value, details])
    return Table(
        caption=_("Indicators, nationwide"),
        columns=[
            Column(_("No."), 12, numeric=True),
            Column(_("Indicator"), 60),
            Column(_("Value"), 25, numeric=True),
            Column(_("By kind of entity and changes"), 68),
        ],
        rows=rows,
    )


def _previous_task_table(tasks: list[dict]) -> Table:
    statuses = report.task_status_labels()
    return Table(
        caption=_("Follow-up tasks of the previous briefing"),
        columns=[
            Column(_("No."), 12, numeric=True),
            Column(_("Task"), 53),
            Column(_("Assigned to"), 40),
            Column(_("Deadline"), 25),
            Column(_("Status"), 35),
        ],
        rows=[
            [
                str(n),
                t["text"],
                t["assignee_text"],
                short_date(t["deadline"]),
                statuses.get(t["status"], t["status"])
                + (" · " + _("overdue") if t["overdue"] else ""),
            ]
            for n, t in enumerate(tasks, start=1)
        ],
    )


def conclusions_document(session, conclusions, particulars, groups) -> Document:
    """`conclusions` with their tasks and assignees prefetched; `groups` from
    assignees.groups_on(the day of the briefing)."""
    with translation.override(LANGUAGE):
        quarter = quarters.roman_label(session.year, session.quarter)
        keep = _("quarter %(quarter)s") % {"quarter": quarter}
        meeting = _("the state management briefing of %(quarter)s") % {"quarter": keep}
        chair = session.chair or _("the chair")
        subject = _("Conclusions of %(chair)s at %(meeting)s") % {
            "chair": chair,
            "meeting": meeting,
        }
        frame = _frame(
            particulars,
            year=session.year,
            kind=DocumentKind.CONCLUSIONS,
            subject=subject,
            keep=keep,
            title=subject,
        )
        return Document(
            **frame,
            sections=_conclusion_sections(session, conclusions, groups, chair, meeting),
            closing=_(
                "This notice is issued for the agencies and units concerned to know and carry out."
            )
            + END,
            filename=f"thong-bao-ket-luan-{session.year}-q{session.quarter}",
        )


def _conclusion_sections(session, conclusions, groups, chair, meeting) -> list[Section]:
    intro = []
    if session.date:
        intro.append(
            _("On %(date)s, %(chair)s chaired %(meeting)s.")
            % {"date": short_date(session.date), "chair": chair, "meeting": meeting}
        )
    if session.participants_note:
        intro.append(_("Attending: %(participants)s") % {"participants": session.participants_note})
    intro.append(
        _("After hearing the reports and the presentations, %(chair)s concluded as follows:")
        % {"chair": chair}
    )
    sections = [
        Section(heading="", paragraphs=intro),
        Section(
            heading=_("I. Conclusions"),
            paragraphs=[f"{c.number}. {c.text}" for c in conclusions]
            or [_("No conclusions recorded yet.")],
        ),
    ]
    rows = [
        [
            str(n),
            task.text,
            assignee_groups.text(assignee_groups.collapse(list(task.assignees.all()), groups)),
            short_date(task.deadline),
        ]
        for n, task in enumerate((t for c in conclusions for t in c.tasks.all()), start=1)
    ]
    if rows:
        sections.append(
            Section(
                heading=_("II. Follow-up tasks"),
                table=Table(
                    caption=_("Follow-up tasks and their deadlines"),
                    columns=[
                        Column(_("No."), 12, numeric=True),
                        Column(_("Task"), 73),
                        Column(_("Assigned to"), 50),
                        Column(_("Deadline"), 30),
                    ],
                    rows=rows,
                ),
            )
        )
    return sections
