"""What every form of the portal does to its input before validating it."""

import unicodedata

from django import forms
from django.utils.datastructures import MultiValueDict


def nfc(value):
    """Text in the composed form (NFC), as Vietnamese keyboards type it.

    The same words pasted from some programs arrive decomposed (NFD: "ị" as "i" and two
    combining marks). Stored that way they look identical yet match no search, sort
    apart and slip past duplicate checks, so text is composed before anything reads it.
    """
    if isinstance(value, str) and not value.isascii():
        return unicodedata.normalize("NFC", value)
    return value


def nfc_data(data):
    """A copy of a form's data (a QueryDict or a dict) with every text in NFC."""
    if isinstance(data, MultiValueDict):
        normalised = data.copy()
        for key, values in data.lists():
            normalised.setlist(key, [nfc(value) for value in values])
        return normalised
    return {key: nfc(value) for key, value in data.items()}


def _uploads(files) -> list:
    if isinstance(files, MultiValueDict):
        return [uploaded for _name, several in files.lists() for uploaded in several]
    return list(files.values())


class NormalisedInput:
    """Mixin for a form (before forms.Form or forms.ModelForm in the bases): the bound
    data and the names of uploaded files are normalised to NFC once, before the fields,
    the clean methods and a re-rendered page read them."""

    def full_clean(self):
        if self.is_bound:
            self.data = nfc_data(self.data)
            for uploaded in _uploads(self.files):
                uploaded.name = nfc(uploaded.name)  # kept as the name to download it by
        super().full_clean()


# One date input everywhere: the browser's own (type="date", "datetime-local"). Phones
# show their picker, screen readers announce a date, and the browser displays it in
# the reader's format while sending ISO (2020-09-07), so the server reads one format.
# A browser without a picker shows a text box: the Vietnamese way (07/09/2020) is
# accepted there too.
ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"
DATE_INPUT_FORMATS = [ISO_DATE, "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = [ISO_DATETIME, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_DATETIME)


class DateField(forms.DateField):
    widget = DateInput
    input_formats = DATE_INPUT_FORMATS


class DateTimeField(forms.DateTimeField):
    widget = DateTimeInput
    input_formats = DATETIME_INPUT_FORMATS
