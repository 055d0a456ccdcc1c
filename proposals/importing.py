"""Bulk submission from Excel: a template to download, and an upload that imports every
row or none. Two files: the departments' recommendations, and the Ministry Office's
intake of the national public service portal's export (Excel or CSV)."""

import datetime
import re
import uuid

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from briefing.platform import excel
from proposals.forms import RecommendationForm
from proposals.intake_forms import IntakeForm
from proposals.models import Channel, Field, ReceivedVia, SourceKind

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
    lists = _field_list(workbook)
    lists.append(["Kênh", "Giao ban | Thường xuyên"])
    lists.append(["Quý giao ban", "Ví dụ: Q3/2020"])
    return excel.workbook_response(workbook, "mau-kien-nghi.xlsx")


def _field_list(workbook):
    """The sheet "Danh mục": the field codes a file may use, and then the other lists."""
    lists = workbook.create_sheet(LIST_SHEET)
    lists.append(["Mã lĩnh vực", "Lĩnh vực"])
    for field in Field.objects.order_by("order"):
        lists.append([field.code, field.name])
    lists.append([])
    return lists


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


# --- The national public service portal's export, registered by the Ministry Office ---

INTAKE_SHEET = "Phản ánh kiến nghị"
# (IntakeForm field, header). The national portal's export of "phản ánh, kiến nghị"
# reduced to what the Ministry needs; docs/public-answers.md documents them. The
# portal's own code ("Mã PAKN") makes a second import of the same item a no-op.
INTAKE_COLUMNS = [
    ("reference", "Mã PAKN"),
    ("received_on", "Ngày tiếp nhận"),
    ("sender_kind", "Đối tượng"),
    ("name", "Họ và tên"),
    ("email", "Thư điện tử"),
    ("phone", "Số điện thoại"),
    ("address", "Địa chỉ"),
    ("field", "Mã lĩnh vực"),
    ("title", "Tiêu đề"),
    ("content", "Nội dung"),
]
KIND_WORDS = {
    "cá nhân": SourceKind.CITIZEN,
    "công dân": SourceKind.CITIZEN,
    "doanh nghiệp": SourceKind.ENTERPRISE,
    "tổ chức": SourceKind.ORGANISATION,
}
# One UUID per portal code, the same in every import: the service's double-submit key.
_PORTAL_KEYS = uuid.UUID("6f1c2a4e-0b7d-4c8e-9a51-3d2f0e7b9c10")
_DATE_TEXT = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d")


class IntakeImportForm(excel.TableUploadForm):
    help_text = gettext_lazy(
        "The national portal's export or our template, as Excel (.xlsx) or CSV (UTF-8); "
        "up to 500 rows."
    )


def intake_template_response() -> HttpResponse:
    widths = [18, 16, 16, 28, 28, 16, 36, 14, 40, 80]
    workbook = excel.template_workbook(
        INTAKE_SHEET,
        [(header, width) for (_n, header), width in zip(INTAKE_COLUMNS, widths, strict=True)],
        frozen="A2",
    )
    lists = _field_list(workbook)
    lists.append(["Đối tượng", "Cá nhân | Doanh nghiệp | Tổ chức"])
    lists.append(["Ngày tiếp nhận", "Ví dụ: 07/09/2020"])
    lists.append(["Mã PAKN", "Mã phản ánh, kiến nghị trên Cổng Dịch vụ công quốc gia"])
    return excel.workbook_response(workbook, "mau-tiep-nhan-kien-nghi.xlsx")


def portal_key(reference: str) -> uuid.UUID:
    return uuid.uuid5(_PORTAL_KEYS, reference.strip().upper())


def read_intake(uploaded) -> tuple[list[dict], list[excel.RowError]]:
    """Validate every row of the national portal's export (.xlsx or .csv); return the
    rows ready for public_intake.intake_import (every row or none), or the errors."""
    headers = [header for _name, header in INTAKE_COLUMNS]
    if excel.is_csv(uploaded):
        rows, errors = excel.csv_template_rows(uploaded, headers=headers, most=MAX_ROWS)
    else:
        rows, errors = excel.template_rows(
            uploaded, sheet=INTAKE_SHEET, others=(LIST_SHEET,), headers=headers, most=MAX_ROWS
        )
    fields = {f.code.upper(): f.pk for f in Field.objects.all()} if rows else {}
    valid, seen = [], {}
    for number, values in rows:
        raw = dict(zip([n for n, _h in INTAKE_COLUMNS], values, strict=True))
        row_errors, data = _validate_intake_row(number, raw, fields, seen)
        errors.extend(row_errors)
        if data is not None:
            valid.append(data)
    return excel.all_or_nothing(valid, errors, empty=_("The file has no recommendations in it."))


def _intake_column(name: str) -> str:
    index = [n for n, _h in INTAKE_COLUMNS].index(name) + 1
    return excel.column_label(index, INTAKE_COLUMNS[index - 1][1])


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    for pattern in _DATE_TEXT:
        try:
            return datetime.datetime.strptime(excel.cell_text(value), pattern).date()
        except ValueError:
            continue
    return None


def _intake_lookups(number, raw, fields, seen) -> tuple[list[excel.RowError], dict]:
    """The cells that are codes or words of a list: the portal's code (once per file),
    the date, the kind of sender, the field."""
    errors, data = [], {}

    def error(name, message):
        errors.append(excel.RowError(number, _intake_column(name), message))

    reference = excel.cell_text(raw["reference"])
    if not reference:
        error("reference", _("Write the national portal's code of the item."))
    elif reference.upper() in seen:
        error(
            "reference",
            _("The same code is in row %(row)s too.") % {"row": seen[reference.upper()]},
        )
    else:
        seen[reference.upper()] = number
    data["received_on"] = _date(raw["received_on"])
    if data["received_on"] is None:
        error("received_on", _("Write the date as 07/09/2020."))
    data["sender_kind"] = KIND_WORDS.get(excel.cell_text(raw["sender_kind"]).lower())
    if data["sender_kind"] is None:
        error("sender_kind", _("Write “Cá nhân”, “Doanh nghiệp” or “Tổ chức”."))
    data["field"] = fields.get(excel.cell_text(raw["field"]).upper())
    if data["field"] is None:
        error(
            "field",
            _("Unknown field code “%(code)s” (see the sheet “%(sheet)s”).")
            % {"code": excel.cell_text(raw["field"]), "sheet": LIST_SHEET},
        )
    return errors, {**data, "reference": reference}


def _validate_intake_row(number, raw, fields, seen) -> tuple[list[excel.RowError], dict | None]:
    errors, looked_up = _intake_lookups(number, raw, fields, seen)
    data = {name: excel.cell_text(raw[name]) for name in ("name", "email", "phone", "address")}
    data.update(title=excel.cell_text(raw["title"]), content=excel.cell_text(raw["content"]))
    data.update(looked_up, received_via=ReceivedVia.NATIONAL_PORTAL)
    form = IntakeForm({k: v for k, v in data.items() if v is not None})
    form.is_valid()
    for name, messages in form.errors.items():
        if name in {"reference", "received_on", "sender_kind", "field"} and looked_up[name] is None:
            continue  # already said above, in the file's words
        column = _intake_column(name) if name in dict(INTAKE_COLUMNS) else ""
        errors.extend(excel.RowError(number, column, message) for message in messages)
    if errors:
        return errors, None
    return [], {
        "sender": form.sender(),
        "question": form.question(),
        "received_via": ReceivedVia.NATIONAL_PORTAL,
        "received_on": form.cleaned_data["received_on"],
        "submission_key": portal_key(looked_up["reference"]),
        "note": f"{INTAKE_COLUMNS[0][1]}: {looked_up['reference']}",
    }
