"""The public dashboard and indicator pages, and their CSV/XLSX exports (approved
reports only)."""

import csv
import io
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from briefing.platform.excel import XLSX_TYPE
from indicators import selectors
from indicators.forms import PeriodChoiceForm
from indicators.models import Indicator
from indicators.views.common import (
    EXPORT_FORMATS,
    TREND_LENGTH,
    decimal_or_none,
    public_context,
)


def dashboard(request):
    """The national figures of a period, from approved reports only."""
    periods, period = public_context(request)
    rows = selectors.national_table(period) if period else []
    return render(
        request,
        "indicators/indicator_list.html",
        {
            "period": period,
            "rows": rows,
            "form": PeriodChoiceForm(
                initial={"period": period.slug if period else ""}, periods=periods
            ),
            "entities_changed": any(r.entities_changed for r in rows),
        },
    )


def _public_indicator(code: str) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("numerator", "denominator", "owner_unit"),
        code=code,
        is_public=True,
    )


def _chart_data(indicator, points, ranking):
    return {
        "name": indicator.name,
        "unit": indicator.unit,
        "decimals": indicator.decimals,
        "target": decimal_or_none(indicator.target),
        "trend": {
            "labels": [p.period.label for p in points],
            "values": [decimal_or_none(p.figure.value) for p in points],
            "boundaries": [p.period.label for p in points if p.entities_changed],
        },
        "ranking": {
            "labels": [r.short_name for r in ranking],
            "values": [decimal_or_none(r.score) for r in ranking],
        },
    }


def indicator_detail(request, code):
    """One indicator: its national trend and the ranking of entities in a period."""
    indicator = _public_indicator(code)
    periods, period = public_context(request)
    if period is None:
        raise Http404
    points = selectors.trend(indicator, selectors.periods_up_to(period, TREND_LENGTH))
    ranking = [
        r
        for r in selectors.entity_rows(indicator, period, selectors.PUBLIC_STATUSES)
        if r.score is not None
    ]
    current = points[-1]
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "period": period,
            "points": points,
            "current": current,
            "ranking": ranking,
            "boundary": any(p.entities_changed for p in points),
            "chart": _chart_data(indicator, points, ranking),
            "form": PeriodChoiceForm(initial={"period": period.slug}, periods=periods),
        },
    )


def _format_sheet(sheet) -> None:
    """Bold wrapped header, widths from the content, 125.000.000 rather than 1.25E+08,
    A4 one page wide, and when it was exported, in which time zone."""
    for column in sheet.iter_cols():
        values = [str(c.value) for c in column if c.value is not None]
        width = max((len(v) for v in values), default=8)
        sheet.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 50)
        column[0].font = Font(bold=True)
        column[0].alignment = Alignment(wrap_text=True, vertical="top")
        for cell in column[1:]:
            if isinstance(cell.value, bool):
                continue
            if isinstance(cell.value, int):
                cell.number_format = "#,##0"
            elif isinstance(cell.value, float):
                cell.number_format = "#,##0.####"
            elif isinstance(cell.value, str):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if sheet.max_column > 6 else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_area = sheet.dimensions
    # Said in the printed footer and the file's properties, not in a row: the rows stay
    # data that a program can read to the end.
    note = _("Exported at %(time)s, Vietnam time (UTC+7).") % {
        "time": timezone.localtime().strftime("%H:%M %d/%m/%Y")
    }
    sheet.oddFooter.left.text = note
    sheet.parent.properties.description = note


def _table_response(fmt: str, filename: str, header: list[str], rows: list[list], title: str = ""):
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        # A BOM so that Excel opens Vietnamese text in UTF-8.
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    else:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = (title or _("Indicators"))[:31]
        sheet.append(header)
        for row in rows:
            sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
        _format_sheet(sheet)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _rounded(value, decimals):
    return None if value is None else round(value, decimals)


def dashboard_export(request, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    periods, period = public_context(request)
    if period is None:
        raise Http404
    rows = selectors.national_table(period)
    header = [
        _("Code"),
        _("Indicator"),
        _("Period"),
        _("Value"),
        _("Unit"),
        _("Numerator"),
        _("Denominator"),
        _("Entities reported"),
        _("Entities it applies to"),
        _("Change on the previous period (%)"),
        _("Change on the baseline (%)"),
        _("Provisional"),
    ]
    data = [
        [
            r.indicator.code,
            r.indicator.name,
            period.label,
            _rounded(r.figure.value, r.indicator.decimals),
            r.indicator.unit,
            r.figure.numerator,
            r.figure.denominator,
            r.figure.reported,
            r.figure.applicable,
            _rounded(r.change_previous, 2),
            _rounded(r.change_baseline, 2),
            _("yes") if r.provisional else _("no"),
        ]
        for r in rows
    ]
    return _table_response(
        fmt,
        f"chi-tieu-{period.slug}",
        header,
        data,
        title=_("Indicators %(period)s") % {"period": period.label.replace("/", "-")},
    )


def indicator_export(request, code, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    indicator = _public_indicator(code)
    periods, period = public_context(request)
    if period is None:
        raise Http404
    points = selectors.trend(indicator, selectors.periods_up_to(period, TREND_LENGTH))
    ranking = selectors.entity_rows(indicator, period, selectors.PUBLIC_STATUSES)
    header = [_("Series"), _("Period"), _("Entity"), _("Value"), _("Unit"), _("Rank")]
    d = indicator.decimals
    data = [
        [_("National"), p.period.label, "", _rounded(p.figure.value, d), indicator.unit, ""]
        for p in points
    ] + [
        [_("Ranking"), period.label, r.name, _rounded(r.score, d), indicator.unit, r.rank]
        for r in ranking
        if r.score is not None
    ]
    return _table_response(
        fmt, f"{indicator.code.lower()}-{period.slug}", header, data, title=indicator.code
    )


# --- Data entry ----------------------------------------------------------------------
