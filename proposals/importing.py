"""Bulk submission from Excel: a template to download, and an upload that imports every
row or none."""

import io
import re

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from briefing.platform.excel import (
    ExcelUploadForm,
    RowError,
    WorkbookRefused,
    open_workbook,
    sheet_rows,
)
from proposals.forms import RecommendationForm
from proposals.models import Channel, Field

MAX_ROWS = 500
SHEET = "Kiến nghị"
LIST_SHEET = "Danh mục"

# (form field, header in the template). The headers are the contract with the
# departments' files, so they stay Vietnamese whatever the page's language.
COLUMNS = [
    ("title", "Tiêu đề"),
    ("content", "Nội dung"),
    ("field", "Mã lĩnh vực"),
    ("channel", "Kênh"),
    ("quarter", "Quý giao ban"),
]
CHANNEL_WORDS = {"giao ban": Channel.BRIEFING, "thường xuyên": Channel.REGULAR}
_QUARTER = re.compile(r"^\s*Q?([1-4])\s*/\s*(\d{4})\s*$", re.IGNORECASE)


class ImportForm(ExcelUploadForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext_lazy("Use the template; up to 500 rows.")


def template_response() -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    for index, (_name, header) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = [40, 80, 14, 14, 14][index - 1]
    sheet.freeze_panes = "A2"
    lists = workbook.create_sheet(LIST_SHEET)
    lists.append(["Mã lĩnh vực", "Lĩnh vực"])
    for field in Field.objects.order_by("order"):
        lists.append([field.code, field.name])
    lists.append([])
    lists.append(["Kênh", "Giao ban | Thường xuyên"])
    lists.append(["Quý giao ban", "Ví dụ: Q3/2020"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-kien-nghi.xlsx"'
    return response


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def read_workbook(uploaded, organisation=None) -> tuple[list[dict], list[RowError]]:
    """Validate every row (as sent by `organisation`); return the rows ready for the
    service, or the errors."""
    try:
        return _read_workbook(uploaded, organisation)
    except WorkbookRefused as exc:
        return [], [exc.error]


def _read_workbook(uploaded, organisation) -> tuple[list[dict], list[RowError]]:
    # Streamed: a damaged or oversized sheet stops the import where it is found, and
    # nothing is saved unless every row is valid.
    workbook = open_workbook(uploaded)
    extra = [name for name in workbook.sheetnames if name not in (SHEET, LIST_SHEET)]
    if SHEET not in workbook.sheetnames or extra:
        return [], [
            RowError(
                0,
                "",
                _(
                    "The workbook must have the sheet “%(sheet)s” of the template and no other "
                    "sheets (found: %(found)s)."
                )
                % {"sheet": SHEET, "found": ", ".join(workbook.sheetnames)},
            )
        ]
    rows = sheet_rows(workbook[SHEET])
    header = [_text(v) for v in next(rows, (1, ()))[1]]
    expected = [h for _name, h in COLUMNS]
    if header[: len(expected)] != expected or any(header[len(expected) :]):
        return [], [
            RowError(
                1,
                "",
                _("The header row must be exactly: %(expected)s.")
                % {"expected": " | ".join(expected)},
            )
        ]
    fields = {f.code.upper(): f.pk for f in Field.objects.all()}
    valid, errors = [], []
    for number, values in rows:
        values = [_text(v) for v in values][: len(COLUMNS)]
        values += [""] * (len(COLUMNS) - len(values))
        if not any(values):
            continue
        if number - 1 > MAX_ROWS:
            errors.append(RowError(number, "", _("More than %(max)s rows.") % {"max": MAX_ROWS}))
            break
        row_errors, data = _validate_row(
            number, dict(zip([n for n, _h in COLUMNS], values, strict=True)), fields, organisation
        )
        errors.extend(row_errors)
        if data is not None:
            valid.append(data)
    if not valid and not errors:
        errors.append(RowError(0, "", _("The file has no recommendations in it.")))
    return (valid if not errors else []), errors


def _column(name: str) -> str:
    index = [n for n, _h in COLUMNS].index(name) + 1
    return f"{get_column_letter(index)} ({COLUMNS[index - 1][1]})"


def _validate_row(
    number: int, raw: dict, fields: dict, organisation=None
) -> tuple[list[RowError], dict | None]:
    errors = []
    data = {"title": raw["title"], "content": raw["content"]}
    field_pk = fields.get(raw["field"].upper())
    if field_pk is None:
        errors.append(
            RowError(
                number,
                _column("field"),
                _("Unknown field code “%(code)s” (see the sheet “%(sheet)s”).")
                % {"code": raw["field"], "sheet": LIST_SHEET},
            )
        )
    data["field"] = field_pk
    channel = CHANNEL_WORDS.get(raw["channel"].lower())
    if channel is None:
        errors.append(
            RowError(number, _column("channel"), _("Write “Giao ban” or “Thường xuyên”."))
        )
    data["channel"] = channel
    match = _QUARTER.match(raw["quarter"])
    if match is None:
        errors.append(RowError(number, _column("quarter"), _("Write the quarter as Q3/2020.")))
    else:
        data["quarter"] = f"{match.group(2)}-{match.group(1)}"
    form = RecommendationForm(data, organisation=organisation)
    form.is_valid()
    for name, messages in form.errors.items():
        if name in {"title", "content", "quarter"} and not (name == "quarter" and match is None):
            errors.extend(RowError(number, _column(name), message) for message in messages)
    if errors:
        return errors, None
    return [], form.service_kwargs()
