"""The one layout of the portal's printed spreadsheets (briefing/platform/excel_layout.py),
used by the report's workbook and the indicator exports."""

import io

from openpyxl import Workbook, load_workbook

from briefing.platform import excel_layout


def _laid_out() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = excel_layout.sheet_name("Chỉ tiêu Quý III/2020: toàn quốc [bản in]")
    sheet.append(["Chỉ tiêu", "Giá trị", "Tỷ lệ", "Ghi chú"])
    sheet.append(["Doanh thu viễn thông", 125000000, 48.55, "x" * 200])
    sheet.append(["Số tỉnh", 63.0, 0.5, None])
    excel_layout.table_layout(sheet, note="Xuất lúc 10:00 01/10/2020, giờ Việt Nam (UTC+7).")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


def test_a_table_sheet_prints_on_a4_with_its_numbers_and_its_time_zone():
    sheet = _laid_out().active
    assert sheet.title == "Chỉ tiêu Quý III-2020- toàn quố"
    assert sheet["A1"].font.bold and sheet["A1"].alignment.wrap_text
    assert sheet["B2"].number_format == "#,##0"  # 125.000.000, not 1.25E+08
    assert sheet["C2"].number_format == "#,##0.####"
    assert sheet["B3"].number_format == "#,##0"  # a whole figure without a decimal sign
    assert sheet["D2"].alignment.wrap_text
    assert sheet.column_dimensions["D"].width == 50  # wide text wraps at the widest
    assert sheet.column_dimensions["B"].width >= 10
    assert sheet.freeze_panes == "A2"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows in ("1:1", "$1:$1")
    assert "UTC+7" in sheet.oddFooter.left.text and sheet.oddFooter.right.text == "&P/&N"
    assert sheet.oddHeader.center.text == "&A"


def test_a_sheet_name_is_never_empty_nor_forbidden():
    assert excel_layout.sheet_name("") == "-"
    assert excel_layout.sheet_name("a/b\\c?d*e[f]g:h") == "a-b-c-d-e-f-g-h"
