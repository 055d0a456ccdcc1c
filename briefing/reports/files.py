"""The quarterly report as a spreadsheet (openpyxl, one sheet per section). The PDF and
Word files are the official documents: documents.py, document_files.py, word.py."""

import io
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from briefing.platform import excel_layout, quarters
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


def _sheet(workbook, title: str, header: list[str], rows: list[list], note: str):
    sheet = workbook.create_sheet(excel_layout.sheet_name(title))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    excel_layout.table_layout(
        sheet, first_width=48, widest=30, decimal_format="#,##0.00", note=note
    )
    return sheet


def _computed_at(snapshot) -> str:
    return _("Computed at %(time)s, Vietnam time (UTC+7).") % {
        "time": excel_layout.local_time(snapshot.created_at)
    }


def xlsx(snapshot) -> bytes:
    data = snapshot.data
    note = _computed_at(snapshot)
    workbook = Workbook()
    _summary_sheet(workbook.active, snapshot, note)
    _recommendation_sheets(workbook, report.tables(data), note)
    _sheet(workbook, _("Indicators"), _indicator_header(), _indicator_rows(data), note)
    _task_sheet(workbook, data, note)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _summary_sheet(summary, snapshot, note: str) -> None:
    data = snapshot.data
    summary.title = excel_layout.sheet_name(_("Summary"))
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
    summary.append([note])
    for paragraph in report.narrative(data):
        summary.append([paragraph])
        excel_layout.wrap(summary.cell(row=summary.max_row, column=1))
        # LibreOffice keeps a default-height row: give it the height of its lines.
        lines = -(-len(paragraph) // SUMMARY_CHARS_PER_LINE)
        summary.row_dimensions[summary.max_row].height = 15 * lines + 3
    summary.column_dimensions["A"].width = SUMMARY_WIDTH
    excel_layout.print_on_a4(summary, note=note, title_rows="")


def _recommendation_sheets(workbook, tables, note: str) -> None:
    keys, counts = zip(*report.count_columns(), strict=True)
    _sheet(
        workbook,
        _("Recommendations"),
        ["", *counts],
        [[r["label"], *(r[k] for k in keys)] for r in tables["groups"]],
        note,
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
            note,
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


def _task_sheet(workbook, data, note: str) -> None:
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
        note,
    )
    for (cell,) in tasks.iter_rows(min_row=2, min_col=4, max_col=4):
        cell.number_format = "DD/MM/YYYY"
