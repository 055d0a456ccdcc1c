"""What every form of the portal does to its input before validating it."""

import unicodedata

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
