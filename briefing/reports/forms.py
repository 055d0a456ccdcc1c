"""The particulars the Ministry Office gives an official document (Decree 30/2020/NĐ-CP):
number and symbol, issuing body, place and date, signer, recipients."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from briefing.platform.dates import check_date
from briefing.platform.forms import DateField, NormalisedInput

SYMBOL = re.compile(r"^[A-ZĐ0-9&]+(-[A-ZĐ0-9&]+)*$")
MAX_RECIPIENTS = 30


class ParticularsForm(NormalisedInput, forms.Form):
    number = forms.CharField(
        label=_("Number"),
        max_length=10,
        required=False,
        help_text=_("Digits only. Leave it blank until the registry numbers the document."),
    )
    symbol = forms.CharField(
        label=_("Symbol"), max_length=30, help_text=_("For example BC-VP or TB-BTTTT.")
    )
    parent_body = forms.CharField(
        label=_("Managing body"),
        max_length=150,
        required=False,
        help_text=_("Above the issuing body, when it has one."),
    )
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=150)
    place = forms.CharField(label=_("Place"), max_length=60)
    issued_on = DateField(
        label=_("Date of the document"),
        required=False,
        help_text=_("Leave it blank until the document is signed."),
    )
    signer_authority = forms.CharField(
        label=_("Signing on behalf of"),
        max_length=60,
        required=False,
        help_text=_(
            "For example TL. BỘ TRƯỞNG or KT. BỘ TRƯỞNG; blank when signing in one's own name."
        ),
    )
    signer_title = forms.CharField(label=_("Position of the signer"), max_length=150)
    signer_name = forms.CharField(label=_("Name of the signer"), max_length=150, required=False)
    recipients = forms.CharField(
        label=_("Recipients"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line; the last is usually “Lưu: VT, …”."),
    )

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if number and not number.isdigit():
            raise ValidationError(_("The number is written in digits only, e.g. 125."))
        return number

    def clean_symbol(self):
        symbol = self.cleaned_data["symbol"].strip().upper()
        if not SYMBOL.match(symbol):
            raise ValidationError(
                _("Capital letters and digits joined by hyphens, for example BC-VP.")
            )
        return symbol

    def clean_issued_on(self):
        day = self.cleaned_data["issued_on"]
        return check_date(day) if day else None

    def clean_recipients(self):
        lines = [line.strip() for line in self.cleaned_data["recipients"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise ValidationError(_("Name at least one recipient."))
        if len(lines) > MAX_RECIPIENTS:
            raise ValidationError(
                _("At most %(count)s recipients, one per line.") % {"count": MAX_RECIPIENTS}
            )
        if any(len(line) > 200 for line in lines):
            raise ValidationError(_("A recipient's line is at most 200 characters."))
        return "\n".join(lines)
