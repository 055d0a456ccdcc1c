"""The quarterly report as files: XLSX (openpyxl, one sheet per section) and PDF
(WeasyPrint, with the DejaVu Sans font embedded so Vietnamese prints everywhere)."""

import io
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from briefing.platform import quarters
from briefing.reports import presentation as report


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
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["A"].width = 60
    return sheet


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
    for paragraph in report.narrative(data):
        summary.append([paragraph])
        summary.cell(row=summary.max_row, column=1).alignment = Alignment(wrap_text=True)
    summary.column_dimensions["A"].width = 120


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
                ", ".join(t["assignees"]),
                t["deadline"],
                statuses.get(t["status"], t["status"]),
                _("yes") if t["overdue"] else _("no"),
            ]
            for t in report.previous_tasks(data)
        ],
    )
    for (cell,) in tasks.iter_rows(min_row=2, min_col=4, max_col=4):
        cell.number_format = "DD/MM/YYYY"


def _static_path(name: str) -> str:
    return finders.find(name) or staticfiles_storage.path(name)


def pdf(request, context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which web pages never need.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string("briefing/report_pdf.html", context, request=request)
    # The @font-face rules load only through a font configuration shared by the
    # stylesheet and the rendering.
    fonts = FontConfiguration()
    stylesheet = CSS(filename=_static_path("css/report.css"), font_config=fonts)
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=[stylesheet], font_config=fonts
    )
