"""What every Excel upload shares: the file checks and the row/column error."""

import zipfile
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
