"""What every Excel upload shares (the file checks, reading the template's sheet and
header, the rows and their errors, every row or none) and what every Excel download
shares (a template, a table written row by row)."""

import csv
import datetime
import io
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django import forms
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# What an uploaded workbook may hold once unpacked, and how much of a sheet is read.
# A 300 KB file can unpack to 86 MB of XML: these are checked before anything is parsed
# and while the sheet is streamed, never after it has been loaded whole.
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 300
MAX_SHEET_ROWS = 5000
MAX_SHEET_COLUMNS = 60


@dataclass(frozen=True)
class RowError:
    """An error in an uploaded workbook: row 0 and no column for the whole file."""

    row: int
    column: str
    message: str


class WorkbookRefused(Exception):
    """The workbook cannot be read, or holds what an import does not read."""

    def __init__(self, error: RowError):
        super().__init__(error.message)
        self.error = error


def unpacked_size(uploaded) -> int | None:
    """What a zip file (an .xlsx, .docx, .pptx) declares it unpacks to, or None when it
    is no zip or has more members than any document has. Reading stops at the declared
    sizes, so the declaration is what a reader would unpack."""
    try:
        with zipfile.ZipFile(uploaded) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        uploaded.seek(0)
    if len(members) > MAX_ARCHIVE_MEMBERS:
        return None
    return sum(member.file_size for member in members)


class ExcelUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))
    help_text = ""  # shown under the file field: which file to upload

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.help_text

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        size = unpacked_size(uploaded)
        if size is None:
            raise forms.ValidationError(
                _("This is not an Excel file (.xlsx). Download the template and fill it in.")
            )
        if size > MAX_UNPACKED_BYTES:
            raise forms.ValidationError(
                _(
                    "The file unpacks to %(size)s, more than an import of %(rows)s rows can "
                    "hold (%(limit)s). Check that it is the right file, or split it."
                )
                % {
                    "size": filesizeformat(size),
                    "rows": MAX_SHEET_ROWS,
                    "limit": filesizeformat(MAX_UNPACKED_BYTES),
                }
            )
        return uploaded


def open_workbook(uploaded):
    """The workbook in read-only (streaming) mode, formulas as written."""
    try:
        return load_workbook(uploaded, read_only=True, data_only=False)
    except Exception:  # any parse failure of an uploaded file means "cannot be read"
        raise WorkbookRefused(
            RowError(0, "", _("The file cannot be read as an Excel workbook."))
        ) from None


def _numbered(rows, errors, unreadable: str) -> Iterator[tuple[int, list]]:
    """(number, row) of `rows`, refusing a file whose reading raises `errors` or that
    holds more than MAX_SHEET_ROWS rows, with the number of the row where it stopped."""
    number = 0
    while True:
        try:
            row = next(rows, None)
        except errors:
            raise WorkbookRefused(RowError(number + 1, "", unreadable)) from None
        if row is None:
            return
        number += 1
        if number > MAX_SHEET_ROWS:
            raise WorkbookRefused(
                RowError(
                    number,
                    "",
                    _("The sheet has more than %(max)s rows: split the file.")
                    % {"max": MAX_SHEET_ROWS},
                )
            )
        yield number, row


def sheet_rows(sheet) -> Iterator[tuple[int, list]]:
    """(row number, values) of a sheet, streamed: at most MAX_SHEET_ROWS rows and
    MAX_SHEET_COLUMNS columns are read, and a formula stops the import (its value is
    not read: the file may never have been recalculated)."""
    rows = sheet.iter_rows(max_col=MAX_SHEET_COLUMNS)
    # Damaged XML in the sheet shows only while streaming.
    unreadable = _("The file cannot be read as an Excel workbook.")
    for number, row in _numbered(rows, Exception, unreadable):
        for index, cell in enumerate(row, start=1):
            if cell.data_type == "f":
                raise WorkbookRefused(
                    RowError(
                        number,
                        get_column_letter(index),
                        _(
                            "This cell holds a formula; formulas are not read. Type the "
                            "value itself (or copy the cells and paste values only)."
                        ),
                    )
                )
        yield number, [cell.value for cell in row]


def cell_text(value) -> str:
    """A cell's value as trimmed text, "" for an empty cell."""
    return "" if value is None else str(value).strip()


def column_label(index: int, header: str) -> str:
    """How an error names a column: its letter and its header, e.g. “C (Mã lĩnh vực)”."""
    return f"{get_column_letter(index)} ({header})"


def _template_sheet(workbook, sheet: str, others: tuple[str, ...]):
    found = workbook.sheetnames
    if sheet not in found or any(name not in (sheet, *others) for name in found):
        raise WorkbookRefused(
            RowError(
                0,
                "",
                _(
                    "The workbook must have the sheet “%(sheet)s” of the template and no "
                    "other sheets than “%(guide)s” (found: %(found)s)."
                )
                % {"sheet": sheet, "guide": "”, “".join(others), "found": ", ".join(found)},
            )
        )
    return workbook[sheet]


def _check_header(header: list[str], expected: list[str]) -> None:
    """The header row must be the template's, to the letter (empty cells after it
    aside); the error names the first columns that differ."""
    while header and not header[-1]:
        header.pop()
    if header == expected:
        return
    wrong = [
        column_label(i, got or "—")
        for i, (got, want) in enumerate(
            zip(header + [""] * len(expected), expected + [""] * len(header), strict=False),
            start=1,
        )
        if got != want
    ]
    raise WorkbookRefused(
        RowError(
            1,
            ", ".join(wrong[:5]),
            _("The header row must be exactly: %(expected)s.") % {"expected": " | ".join(expected)},
        )
    )


def _filled_rows(rows, width: int, most: int) -> tuple[list[tuple[int, list]], list[RowError]]:
    found, errors = [], []
    for number, values in rows:
        if not any(cell_text(v) for v in values):
            continue
        if len(found) >= most:
            errors.append(RowError(number, "", _("More than %(max)s rows.") % {"max": most}))
            break
        values += [None] * (width - len(values))
        if any(cell_text(v) for v in values[width:]):
            errors.append(
                RowError(number, "", _("There are values to the right of the last column."))
            )
        found.append((number, values[:width]))
    return found, errors


def template_rows(
    uploaded, *, sheet: str, others: tuple[str, ...], headers: list[str], most: int
) -> tuple[list[tuple[int, list]], list[RowError]]:
    """The rows of an upload made from a template: (row number, one value a header) of
    every row below the header that holds anything, and the errors found so far.

    Streamed: a file that cannot be read, has no sheet `sheet` or sheets other than
    `others`, a header row other than `headers`, a formula or a damaged or oversized
    sheet stops the import where it is found (that one error, no rows). More than `most`
    rows, or values to the right of the last column, are errors of their rows."""
    try:
        workbook = open_workbook(uploaded)
        rows = sheet_rows(_template_sheet(workbook, sheet, others))
        _check_header([cell_text(v) for v in next(rows, (1, ()))[1]], headers)
        return _filled_rows(rows, len(headers), most)
    except WorkbookRefused as exc:
        return [], [exc.error]


# --- CSV uploads: the same rows as a template's sheet, from a CSV file ---------------

CSV_SUFFIX = ".csv"


def is_csv(uploaded) -> bool:
    return uploaded.name.lower().endswith(CSV_SUFFIX)


class TableUploadForm(ExcelUploadForm):
    """An upload that may be the template's workbook or the same columns as CSV."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("File (.xlsx or .csv)")

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not is_csv(uploaded):
            return super().clean_file()
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return uploaded


def _csv_text(uploaded) -> str:
    try:
        return uploaded.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WorkbookRefused(
            RowError(
                0,
                "",
                _("The CSV file must be saved as UTF-8 (in Excel: “CSV UTF-8 (Comma delimited)”)."),
            )
        ) from None
    finally:
        uploaded.seek(0)


def csv_rows(uploaded) -> Iterator[tuple[int, list]]:
    """(record number, values) of an uploaded CSV file in UTF-8, separated by commas,
    semicolons or tabs (whichever the header row uses), at most MAX_SHEET_ROWS records
    and MAX_SHEET_COLUMNS columns: the shape of `sheet_rows`, so the checks after it
    are the workbook's. A record is numbered as a spreadsheet opening the file would."""
    text = _csv_text(uploaded)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # csv.Error: a NUL byte, an unclosed quote at the end.
    unreadable = _("The file cannot be read as a CSV file.")
    for number, row in _numbered(reader, csv.Error, unreadable):
        yield number, list(row[:MAX_SHEET_COLUMNS])


def csv_template_rows(
    uploaded, *, headers: list[str], most: int
) -> tuple[list[tuple[int, list]], list[RowError]]:
    """`template_rows` for a CSV file with the template's columns."""
    try:
        rows = csv_rows(uploaded)
        _check_header([cell_text(v) for v in next(rows, (1, ()))[1]], headers)
        return _filled_rows(rows, len(headers), most)
    except WorkbookRefused as exc:
        return [], [exc.error]


def all_or_nothing(found: list, errors: list[RowError], *, empty: str) -> tuple[list, list]:
    """Every row or none: what was found when nothing is wrong, else nothing and the
    errors. A file without a single row is an error too (`empty` says so)."""
    if not found and not errors:
        errors = [RowError(0, "", empty)]
    return (found if not errors else []), errors


def template_workbook(sheet: str, columns: list[tuple[str, int]], *, frozen: str) -> Workbook:
    """A new template: its first sheet `sheet` with the bold headers of `columns`
    ((header, width)), frozen at the cell `frozen`."""
    workbook = Workbook()
    data = workbook.active
    data.title = sheet
    for index, (header, width) in enumerate(columns, start=1):
        data.cell(row=1, column=index, value=header).font = Font(bold=True)
        data.column_dimensions[get_column_letter(index)].width = width
    data.freeze_panes = frozen
    return workbook


def workbook_response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


CELL_LIMIT = 32767  # characters a spreadsheet cell holds


def text_cell(sheet, value: str) -> WriteOnlyCell:
    """Text as text: a title starting with "=" must not become a live formula, and
    control characters (pasted from other programs) are not allowed in the file."""
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value)[:CELL_LIMIT])
    cell.data_type = "s"
    return cell


# Date cells shown the Vietnamese way (07/09/2020), still dates a spreadsheet sorts.
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"


def _cell(sheet, value):
    if isinstance(value, str):
        return text_cell(sheet, value)
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        is_time = isinstance(value, datetime.datetime)
        cell.number_format = DATETIME_FORMAT if is_time else DATE_FORMAT
        return cell
    return value


def table_response(
    *, filename: str, title: str, columns: list[tuple[str, int]], rows: Iterable[list]
) -> FileResponse:
    """A one-sheet workbook for download: `columns` are (header, width), bold and frozen;
    text is stored as text, dates and numbers as they are. Write-only mode holds one row
    at a time; the file is built in a temporary file because a spreadsheet (a zip)
    cannot be sent while it is being written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])  # the format's limit for a sheet's name
    sheet.freeze_panes = "A2"
    header = []
    for index, (label, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        cell = text_cell(sheet, str(label))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, v) for v in row])
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    workbook.save(file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


# A spreadsheet opening a CSV file runs a cell that starts with one of these as a
# formula ("=HYPERLINK(...)" typed as a title or a user name).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value):
    """A cell of a CSV download: text that would start a formula gets a leading
    apostrophe, which spreadsheets show as plain text; other values are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_response(*, filename: str, header: list, rows: Iterable[list]) -> StreamingHttpResponse:
    """A CSV download written row by row, with a BOM so that Excel reads the UTF-8
    Vietnamese text, and no cell that a spreadsheet would run as a formula."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"
        yield writer.writerow([str(label) for label in header])
        for row in rows:
            yield writer.writerow([csv_text(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
