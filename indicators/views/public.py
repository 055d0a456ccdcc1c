"""The public dashboard and indicator pages, and their CSV/XLSX exports (approved
reports only)."""

import csv
import io
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from openpyxl import Workbook

from briefing.platform import excel_layout
from briefing.platform.excel import XLSX_TYPE
from briefing.platform.public_cache import INDICATORS, cached_public_page
from indicators import selectors
from indicators.forms import PeriodChoiceForm
from indicators.models import Indicator
from indicators.views.common import (
    EXPORT_FORMATS,
    TREND_LENGTH,
    decimal_or_none,
    public_context,
)


@cached_public_page(INDICATORS)
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


@cached_public_page(INDICATORS)
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
        sheet.title = excel_layout.sheet_name(title or _("Indicators"))
        sheet.append(header)
        for row in rows:
            sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
        # Said in the printed footer and the file's properties, not in a row: the rows
        # stay data that a program reads to the end.
        note = _("Exported at %(time)s, Vietnam time (UTC+7).") % {
            "time": excel_layout.local_time()
        }
        excel_layout.table_layout(sheet, note=note)
        workbook.properties.description = note
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
        title=_("Indicators %(period)s") % {"period": period.label},
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
