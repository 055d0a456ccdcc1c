"""What every Excel upload shares (the file checks and the row/column error) and what
every Excel download shares (a table written row by row)."""

import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    """An error in an uploaded workbook: row 0 and no column for the whole file."""

    row: int
    column: str
    message: str


class ExcelUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not zipfile.is_zipfile(uploaded):
            raise forms.ValidationError(
                _("This is not an Excel file (.xlsx). Download the template and fill it in.")
            )
        uploaded.seek(0)
        return uploaded


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CELL_LIMIT = 32767  # characters a spreadsheet cell holds


def text_cell(sheet, value: str) -> WriteOnlyCell:
    """Text as text: a title starting with "=" must not become a live formula, and
    control characters (pasted from other programs) are not allowed in the file."""
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value)[:CELL_LIMIT])
    cell.data_type = "s"
    return cell


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
        sheet.append([text_cell(sheet, v) if isinstance(v, str) else v for v in row])
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    workbook.save(file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
