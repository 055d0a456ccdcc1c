"""Bulk submission from Excel: a template to download, and an upload that imports every
row or none."""

import re

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from briefing.platform import excel
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


class ImportForm(excel.ExcelUploadForm):
    help_text = gettext_lazy("Use the template; up to 500 rows.")


def template_response() -> HttpResponse:
    widths = [40, 80, 14, 14, 14]
    workbook = excel.template_workbook(
        SHEET,
        [(header, width) for (_n, header), width in zip(COLUMNS, widths, strict=True)],
        frozen="A2",
    )
    lists = workbook.create_sheet(LIST_SHEET)
    lists.append(["Mã lĩnh vực", "Lĩnh vực"])
    for field in Field.objects.order_by("order"):
        lists.append([field.code, field.name])
    lists.append([])
    lists.append(["Kênh", "Giao ban | Thường xuyên"])
    lists.append(["Quý giao ban", "Ví dụ: Q3/2020"])
    return excel.workbook_response(workbook, "mau-kien-nghi.xlsx")


def read_workbook(uploaded, organisation=None) -> tuple[list[dict], list[excel.RowError]]:
    """Validate every row (as sent by `organisation`); return the rows ready for the
    service (every row or none), or the errors."""
    rows, errors = excel.template_rows(
        uploaded,
        sheet=SHEET,
        others=(LIST_SHEET,),
        headers=[header for _name, header in COLUMNS],
        most=MAX_ROWS,
    )
    fields = {f.code.upper(): f.pk for f in Field.objects.all()} if rows else {}
    valid = []
    for number, values in rows:
        raw = dict(zip([n for n, _h in COLUMNS], [excel.cell_text(v) for v in values], strict=True))
        row_errors, data = _validate_row(number, raw, fields, organisation)
        errors.extend(row_errors)
        if data is not None:
            valid.append(data)
    return excel.all_or_nothing(valid, errors, empty=_("The file has no recommendations in it."))


def _column(name: str) -> str:
    index = [n for n, _h in COLUMNS].index(name) + 1
    return excel.column_label(index, COLUMNS[index - 1][1])


def _validate_row(
    number: int, raw: dict, fields: dict, organisation=None
) -> tuple[list[excel.RowError], dict | None]:
    errors = []
    data = {"title": raw["title"], "content": raw["content"]}
    field_pk = fields.get(raw["field"].upper())
    if field_pk is None:
        errors.append(
            excel.RowError(
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
            excel.RowError(number, _column("channel"), _("Write “Giao ban” or “Thường xuyên”."))
        )
    data["channel"] = channel
    match = _QUARTER.match(raw["quarter"])
    if match is None:
        errors.append(
            excel.RowError(number, _column("quarter"), _("Write the quarter as Q3/2020."))
        )
    else:
        data["quarter"] = f"{match.group(2)}-{match.group(1)}"
    form = RecommendationForm(data, organisation=organisation)
    form.is_valid()
    for name, messages in form.errors.items():
        if name in {"title", "content", "quarter"} and not (name == "quarter" and match is None):
            errors.extend(excel.RowError(number, _column(name), message) for message in messages)
    if errors:
        return errors, None
    return [], form.service_kwargs()
