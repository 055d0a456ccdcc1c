"""The quarterly report as a spreadsheet (openpyxl, one sheet per section). The PDF and
Word files are the official documents: documents.py, document_files.py, word.py."""

import io
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from briefing.platform import quarters
from briefing.reports import document_files
from briefing.reports import presentation as report

# The report's PDF is the official document's (document_files.py); named here too, as
# the report's files, where tests replace it to skip WeasyPrint.
pdf = document_files.pdf

# The summary's one column: about A4's width in portrait, and the characters a line of
# it holds in Calibri 11 (for the row heights).
SUMMARY_WIDTH, SUMMARY_CHARS_PER_LINE = 95, 105


def _number(value, decimals: int):
    if value is None:
        return None
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return int(rounded) if decimals == 0 else float(rounded)


def _sheet(workbook, title: str, header: list[str], rows: list[list]):
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    _layout(sheet, first_width=48)
    return sheet


def _layout(sheet, *, first_width: int) -> None:
    """As people print and reuse it: the first column wide and wrapped, the others as
    wide as their content, numbers with thousands separators, A4 one page wide with the
    header repeated."""
    for column in sheet.iter_cols(min_row=1):
        letter = column[0].column_letter
        if letter == "A":
            sheet.column_dimensions[letter].width = first_width
        else:
            longest = (
                max(len(str(c.value)) for c in column if c.value is not None)
                if any(c.value is not None for c in column)
                else 8
            )
            sheet.column_dimensions[letter].width = min(max(10, longest + 2), 30)
        for cell in column[1:]:
            if isinstance(cell.value, bool):
                continue
            if isinstance(cell.value, int):
                cell.number_format = "#,##0"
            elif isinstance(cell.value, float):
                cell.number_format = "#,##0.00"
            if isinstance(cell.value, str):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if sheet.max_column > 6 else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_area = sheet.dimensions


def xlsx(snapshot) -> bytes:
    data = snapshot.data
    workbook = Workbook()
    _summary_sheet(workbook.active, snapshot)
    _recommendation_sheets(workbook, report.tables(data))
    _sheet(workbook, _("Indicators"), _indicator_header(), _indicator_rows(data))
    _task_sheet(workbook, data)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _summary_sheet(summary, snapshot) -> None:
    data = snapshot.data
    summary.title = _("Summary")[:31]
    summary.append(
        [
            _("Quarterly report %(quarter)s, version %(version)s")
            % {
                "quarter": quarters.roman_label(data["year"], data["quarter"]),
                "version": snapshot.version,
            }
        ]
    )
    summary["A1"].font = Font(bold=True)
    summary.append(
        [
            _("Computed at %(time)s, Vietnam time (UTC+7).")
            % {"time": timezone.localtime(snapshot.created_at).strftime("%H:%M %d/%m/%Y")}
        ]
    )
    for paragraph in report.narrative(data):
        summary.append([paragraph])
        cell = summary.cell(row=summary.max_row, column=1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        # LibreOffice keeps a default-height row: give it the height of its lines.
        lines = -(-len(paragraph) // SUMMARY_CHARS_PER_LINE)
        summary.row_dimensions[summary.max_row].height = 15 * lines + 3
    summary.column_dimensions["A"].width = SUMMARY_WIDTH
    summary.page_setup.paperSize = summary.PAPERSIZE_A4
    summary.page_setup.fitToWidth, summary.page_setup.fitToHeight = 1, 0
    summary.sheet_properties.pageSetUpPr.fitToPage = True
    summary.print_area = summary.dimensions


def _recommendation_sheets(workbook, tables) -> None:
    counts = [
        _("Received"),
        _("Resolved"),
        _("In progress"),
        _("Overdue"),
        _("Answered"),
        _("Published"),
    ]
    keys = ["total", "resolved", "in_progress", "overdue", "answered", "published"]
    _sheet(
        workbook,
        _("Recommendations"),
        ["", *counts],
        [[r["label"], *(r[k] for k in keys)] for r in tables["groups"]],
    )
    for key, title in (
        ("by_source", _("By source")),
        ("by_field", _("By field")),
        ("by_unit", _("By unit")),
    ):
        _sheet(
            workbook,
            title,
            ["", *counts, _("Sent to the briefing")],
            [[r["label"], *(r[k] for k in keys), r["briefing"]] for r in tables[key]],
        )


def _indicator_header() -> list[str]:
    return [
        _("Indicator"),
        _("Code"),
        _("Value"),
        _("Unit"),
        _("Provisional"),
        _("Numerator"),
        _("Denominator"),
        _("Numerator, provinces"),
        _("Numerator, ministries and agencies"),
        _("Entities reported"),
        _("Entities it applies to"),
        _("Previous quarter"),
        _("Change on the previous quarter (%)"),
        _("Baseline"),
        _("Change on the baseline (%)"),
        _("End of last year"),
        _("Change on the end of last year"),
        _("Approved reports"),
        _("Expected reports"),
        _("Highest"),
        _("Lowest"),
        _("At or above the target"),
    ]


def _indicator_rows(data) -> list[list]:
    """One row per indicator, in the columns of _indicator_header()."""
    rows = []
    for line in report.indicator_lines(data):
        raw = line.raw
        decimals = raw["decimals"]
        figure = raw["figure"] or {}
        kinds = raw.get("by_kind") or {}
        completeness = raw.get("completeness") or {}

        def value_of(key, raw=raw, decimals=decimals):
            return _number((raw.get(key) or {}).get("value"), decimals)

        rows.append(
            [
                raw["name"],
                raw["code"],
                _number(figure.get("value"), decimals),
                raw["unit"],
                _("yes") if line.provisional else _("no"),
                _number(figure.get("numerator"), 4),
                _number(figure.get("denominator"), 4),
                _number((kinds.get("province") or {}).get("numerator"), 4),
                _number((kinds.get("central_agency") or {}).get("numerator"), 4),
                figure.get("reported"),
                figure.get("applicable"),
                value_of("previous"),
                _number(raw.get("change_previous"), 2),
                value_of("baseline"),
                _number(raw.get("change_baseline"), 2),
                value_of("year_end"),
                _number(raw.get("delta_year_end"), decimals),
                completeness.get("approved"),
                completeness.get("expected"),
                line.top,
                line.bottom,
                line.above_target,
            ]
        )
    return rows


def _task_sheet(workbook, data) -> None:
    statuses = report.task_status_labels()
    tasks = _sheet(
        workbook,
        _("Previous tasks"),
        [_("Task"), _("Briefing"), _("Assigned to"), _("Deadline"), _("Status"), _("Overdue")],
        [
            [
                t["text"],
                t["session"],
                t["assignee_text"],
                t["deadline"],
                statuses.get(t["status"], t["status"]),
                _("yes") if t["overdue"] else _("no"),
            ]
            for t in report.previous_tasks(data)
        ],
    )
    for (cell,) in tasks.iter_rows(min_row=2, min_col=4, max_col=4):
        cell.number_format = "DD/MM/YYYY"
