"""Indicator values in Excel: a template to download and an upload that stores every
row or none. The values themselves are checked by indicators.validation (through the
service); this module reads the workbook and says where each problem is."""

import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from briefing.models.organisations import Organisation
from briefing.platform.excel import (
    ExcelUploadForm,
    RowError,
    WorkbookRefused,
    open_workbook,
    sheet_rows,
)
from indicators.forms import as_input
from indicators.models import DataElement, ValueType
from indicators.services import Entry, ReportInvalid

MAX_ROWS = 500
# Sheet names and fixed headers are the contract with the departments' files, so they
# stay Vietnamese whatever the page's language.
SHEET = "Số liệu"
GUIDE_SHEET = "Hướng dẫn"
CODE_HEADER = "Mã đơn vị"
NAME_HEADER = "Tên đơn vị"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPE_WORDS = {
    ValueType.COUNT: "Số nguyên không âm",
    ValueType.AMOUNT: "Số không âm",
    ValueType.BOOLEAN: "Có / Không",
}


class UploadForm(ExcelUploadForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext_lazy("Use the template of this report.")


def headers(elements: list[DataElement]) -> list[str]:
    return [CODE_HEADER, NAME_HEADER, *[e.code for e in elements]]


def template_workbook(
    *, elements: list[DataElement], organisations: list[Organisation], previous: dict, title: str
) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(headers(elements))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for organisation in organisations:
        sheet.append([organisation.code, organisation.name])
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 40
    for index in range(3, len(elements) + 3):
        sheet.column_dimensions[get_column_letter(index)].width = 16
    sheet.freeze_panes = "C2"
    guide = workbook.create_sheet(GUIDE_SHEET)
    guide.append([title])
    guide.append(["Mã chỉ tiêu", "Nội dung", "Kiểu giá trị", "Đơn vị tính", "Kỳ trước"])
    one = previous.get(organisations[0].pk, {}) if len(organisations) == 1 else {}
    for element in elements:
        guide.append(
            [
                element.code,
                element.name,
                TYPE_WORDS[element.value_type],
                element.unit,
                as_input(one.get(element.code)) if element.code in one else "",
            ]
        )
    guide.column_dimensions["B"].width = 70
    return workbook


def template_response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _column(index: int, header: str) -> str:
    return f"{get_column_letter(index)} ({header})"


def read_workbook(
    uploaded, *, elements: list[DataElement]
) -> tuple[list[Entry], list[int], list[RowError]]:
    """The entries of the sheet and their row numbers, or the errors that stop it."""
    try:
        return _read_workbook(uploaded, elements)
    except WorkbookRefused as exc:
        return [], [], [exc.error]


def _read_workbook(uploaded, elements):
    # Streamed: a damaged or oversized sheet stops the import where it is found.
    workbook = open_workbook(uploaded)
    extra = [name for name in workbook.sheetnames if name not in (SHEET, GUIDE_SHEET)]
    if SHEET not in workbook.sheetnames or extra:
        return (
            [],
            [],
            [
                RowError(
                    0,
                    "",
                    _(
                        "The workbook must have the sheet “%(sheet)s” of the template and no "
                        "other sheets than “%(guide)s” (found: %(found)s)."
                    )
                    % {
                        "sheet": SHEET,
                        "guide": GUIDE_SHEET,
                        "found": ", ".join(workbook.sheetnames),
                    },
                )
            ],
        )
    rows = sheet_rows(workbook[SHEET])
    header = [_text(v) for v in next(rows, (1, ()))[1]]
    while header and not header[-1]:
        header.pop()
    expected = headers(elements)
    if header != expected:
        wrong = [
            _column(i, got or "—")
            for i, (got, want) in enumerate(
                zip(header + [""] * len(expected), expected + [""] * len(header), strict=False),
                start=1,
            )
            if got != want
        ]
        return (
            [],
            [],
            [
                RowError(
                    1,
                    ", ".join(wrong[:5]),
                    _("The header row must be exactly: %(expected)s.")
                    % {"expected": " | ".join(expected)},
                )
            ],
        )
    raw_rows = []
    errors = []
    for number, values in rows:
        values = list(values)
        if not any(_text(v) for v in values):
            continue
        if len(raw_rows) >= MAX_ROWS:
            errors.append(RowError(number, "", _("More than %(max)s rows.") % {"max": MAX_ROWS}))
            break
        values += [None] * (len(expected) - len(values))
        if any(_text(v) for v in values[len(expected) :]):
            errors.append(
                RowError(number, "", _("There are values to the right of the last column."))
            )
        raw_rows.append((number, _text(values[0]).upper(), values[2 : len(expected)]))
    codes = {code for _n, code, _v in raw_rows}
    organisations = {o.code.upper(): o for o in Organisation.objects.filter(code__in=codes)}
    entries, numbers, seen = [], [], {}
    for number, code, values in raw_rows:
        where = _column(1, CODE_HEADER)
        organisation = organisations.get(code)
        if not code:
            errors.append(RowError(number, where, _("The entity code is missing.")))
        elif organisation is None:
            errors.append(
                RowError(number, where, _("Unknown entity code “%(code)s”.") % {"code": code})
            )
        elif code in seen:
            errors.append(
                RowError(
                    number,
                    where,
                    _("%(code)s is already on row %(row)s.") % {"code": code, "row": seen[code]},
                )
            )
        else:
            seen[code] = number
            raw = {e.code: v for e, v in zip(elements, values, strict=True)}
            entries.append(Entry(organisation, raw))
            numbers.append(number)
    if not entries and not errors:
        errors.append(RowError(0, "", _("The file has no rows of values.")))
    return entries, numbers, errors


def errors_from(exc: ReportInvalid, numbers: list[int], elements: list[DataElement]):
    """The service's issues, placed at their row and column of the sheet."""
    columns = {e.code: _column(i, e.code) for i, e in enumerate(elements, start=3)}
    errors = []
    for entry in exc.entries:
        row = numbers[entry.index] if entry.index < len(numbers) else 0
        for issue in entry.errors:
            errors.append(RowError(row, columns.get(issue.element, ""), issue.message))
    return errors
