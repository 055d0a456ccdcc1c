"""Spreadsheets as people print and reuse them (opened in Excel or LibreOffice): the
report's workbook (briefing/reports/files.py) and the indicator exports
(indicators/views/public.py) share this layout: a named sheet, widths from the content,
wrapped text, 125.000.000 rather than 1.25E+08, A4 one page wide with the header row on
every page, and the time zone of its times said in the printed footer. (excel.py holds
the uploads and the streamed downloads.)"""

from django.utils import timezone
from openpyxl.styles import Alignment, Font

INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.####"  # as many decimals as the figure has, up to four
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("/\\?*[]:", "-"))
TIME_FORMAT = "%H:%M %d/%m/%Y"


def sheet_name(text: str) -> str:
    """A sheet's name as the format allows it: 31 characters, none of / \\ ? * [ ] :
    ("Chỉ tiêu Quý III-2020", not "Sheet")."""
    return text.translate(SHEET_NAME_FORBIDDEN)[:31] or "-"


def local_time(moment=None) -> str:
    """A time as the spreadsheets say it, in the portal's time zone (Vietnam, UTC+7)."""
    return timezone.localtime(moment).strftime(TIME_FORMAT)


def wrap(cell) -> None:
    cell.alignment = Alignment(wrap_text=True, vertical="top")


def _column_width(column, *, first_width: int | None, widest: int) -> int:
    if first_width and column[0].column == 1:
        return first_width
    longest = max((len(str(c.value)) for c in column if c.value is not None), default=8)
    return min(max(10, longest + 2), widest)


def print_on_a4(sheet, *, note: str = "", title_rows: str = "1:1") -> None:
    """A4, one page wide (as many pages down as needed), landscape past six columns,
    the header row on every page, the sheet's name in the printed header and `note`
    (when it was made, in which time zone) with the page number in the footer."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if sheet.max_column > 6 else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.print_area = sheet.dimensions
    sheet.oddHeader.center.text = "&A"  # the sheet's name
    sheet.oddFooter.left.text = note
    sheet.oddFooter.right.text = "&P/&N"


def table_layout(
    sheet,
    *,
    first_width: int | None = None,
    widest: int = 50,
    decimal_format: str = DECIMAL_FORMAT,
    note: str = "",
) -> None:
    """A table sheet (header row, then data) laid out as people print and reuse it:
    bold wrapped headers frozen at the top, widths from the content (the first column
    `first_width` when given), wrapped text, numbers with thousands separators, and
    print_on_a4()."""
    for column in sheet.iter_cols(min_row=1):
        width = _column_width(column, first_width=first_width, widest=widest)
        sheet.column_dimensions[column[0].column_letter].width = width
        column[0].font = Font(bold=True)
        wrap(column[0])
        for cell in column[1:]:
            if isinstance(cell.value, bool):
                continue
            if isinstance(cell.value, int):
                cell.number_format = INTEGER_FORMAT
            elif isinstance(cell.value, float):
                # A whole figure without a dangling decimal sign ("125.000.000,").
                whole = cell.value.is_integer() and decimal_format == DECIMAL_FORMAT
                cell.number_format = INTEGER_FORMAT if whole else decimal_format
            elif isinstance(cell.value, str):
                wrap(cell)
    sheet.freeze_panes = "A2"
    print_on_a4(sheet, note=note)
