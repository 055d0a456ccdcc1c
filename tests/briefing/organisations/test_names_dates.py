"""Issue #14, "dates people read are Vietnamese dates; dates in XLSX files are date
cells": every table download (worklist, public answers) goes through table_response."""

import datetime
import io

from openpyxl import load_workbook

from briefing.platform import excel


def _sheet(response):
    content = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(content)).active


def test_dates_in_a_downloaded_table_are_date_cells_shown_the_vietnamese_way():
    response = excel.table_response(
        filename="t.xlsx",
        title="Bảng",
        columns=[("Hạn", 12), ("Gửi lúc", 17), ("Tên", 20), ("Số", 8)],
        rows=[[datetime.date(2020, 12, 31), datetime.datetime(2020, 9, 7, 8, 30), "=1+1", 7]],
    )
    deadline, sent, name, number = _sheet(response)[2]
    assert deadline.is_date and deadline.value.date() == datetime.date(2020, 12, 31)
    assert deadline.number_format == "DD/MM/YYYY"
    assert sent.is_date and sent.value == datetime.datetime(2020, 9, 7, 8, 30)
    assert sent.number_format == "DD/MM/YYYY HH:MM"
    assert name.data_type == "s" and name.value == "=1+1"  # text stays text
    assert number.value == 7
