"""Indicator values in Excel: a template to download and an upload that stores every
row or none. The values themselves are checked by indicators.validation (through the
service); this module reads the workbook and says where each problem is."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from briefing.models.organisations import Organisation
from briefing.platform.excel import (
    ExcelUploadForm,
    RowError,
    all_or_nothing,
    cell_text,
    column_label,
    template_rows,
    template_workbook,
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
TYPE_WORDS = {
    ValueType.COUNT: "Số nguyên không âm",
    ValueType.AMOUNT: "Số không âm",
    ValueType.BOOLEAN: "Có / Không",
}


class UploadForm(ExcelUploadForm):
    help_text = gettext_lazy("Use the template of this report.")


def headers(elements: list[DataElement]) -> list[str]:
    return [CODE_HEADER, NAME_HEADER, *[e.code for e in elements]]


def values_template(
    *, elements: list[DataElement], organisations: list[Organisation], previous: dict, title: str
) -> Workbook:
    columns = [(CODE_HEADER, 12), (NAME_HEADER, 40), *[(e.code, 16) for e in elements]]
    workbook = template_workbook(SHEET, columns, frozen="C2")
    sheet = workbook.active
    for organisation in organisations:
        sheet.append([organisation.code, organisation.name])
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


def read_workbook(
    uploaded, *, elements: list[DataElement]
) -> tuple[list[Entry], list[int], list[RowError]]:
    """The entries of the sheet and their row numbers (every row or none), or the
    errors that stop it."""
    rows, errors = template_rows(
        uploaded, sheet=SHEET, others=(GUIDE_SHEET,), headers=headers(elements), most=MAX_ROWS
    )
    numbered, errors = all_or_nothing(
        _entries(rows, elements, errors), errors, empty=_("The file has no rows of values.")
    )
    return [entry for _n, entry in numbered], [n for n, _entry in numbered], errors


def _entries(rows, elements: list[DataElement], errors: list[RowError]) -> list[tuple[int, Entry]]:
    """(row number, entry) of each row whose entity is known and not repeated; an error
    in `errors` for each other row."""
    codes = {cell_text(values[0]).upper() for _n, values in rows}
    organisations = {o.code.upper(): o for o in Organisation.objects.filter(code__in=codes)}
    where = column_label(1, CODE_HEADER)
    numbered, seen = [], {}
    for number, values in rows:
        code = cell_text(values[0]).upper()
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
            raw = {e.code: v for e, v in zip(elements, values[2:], strict=True)}
            numbered.append((number, Entry(organisation, raw)))
    return numbered


def errors_from(exc: ReportInvalid, numbers: list[int], elements: list[DataElement]):
    """The service's issues, placed at their row and column of the sheet."""
    columns = {e.code: column_label(i, e.code) for i, e in enumerate(elements, start=3)}
    errors = []
    for entry in exc.entries:
        row = numbers[entry.index] if entry.index < len(numbers) else 0
        for issue in entry.errors:
            errors.append(RowError(row, columns.get(issue.element, ""), issue.message))
    return errors
