"""Forms read the input and show errors; indicators.validation checks the values and the
services write."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from briefing.platform.forms import NormalisedInput
from indicators import validation
from indicators.models import DataElement, ValueType


def as_input(value: Decimal | None) -> str:
    """A stored value as the text of an input (no grouping: it is read back)."""
    if value is None:
        return ""
    value = value.normalize()
    text = format(value, "f")
    return text.replace(".", ",") if "." in text else text


class ReportForm(NormalisedInput, forms.Form):
    """One field per data element (named by its code), and the comment explaining big
    changes against the previous period."""

    comment = forms.CharField(
        label=_("Explanation of the changes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to submit when a value changed a lot on the previous period."),
    )

    def __init__(
        self,
        *args,
        elements: list[DataElement],
        indicators,
        previous: dict,
        submit: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.elements = elements
        self.indicators = indicators
        self.previous = previous
        self.submit = submit
        self.warnings = []
        for element in elements:
            label = element.name + (f" ({element.unit})" if element.unit else "")
            if element.value_type == ValueType.BOOLEAN:
                field = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[("", "—"), ("1", _("Yes")), ("0", _("No"))],
                    widget=forms.Select(attrs={"class": "form-select"}),
                )
            else:
                field = forms.CharField(
                    label=label,
                    required=False,
                    max_length=40,
                    widget=forms.TextInput(
                        attrs={
                            "inputmode": "decimal",
                            "autocomplete": "off",
                            "class": "form-control",
                        }
                    ),
                )
            field.element = element
            self.fields[element.code] = field
        # The comment goes last, after the values it explains.
        self.fields["comment"] = self.fields.pop("comment")

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = attrs.get("class", "") + " is-invalid"
                attrs["aria-invalid"] = "true"

    def clean(self):
        cleaned = super().clean()
        raw = {e.code: self.data.get(e.code, "") for e in self.elements}
        result = validation.validate(
            elements=self.elements,
            indicators=self.indicators,
            raw=raw,
            previous=self.previous,
            complete=self.submit,
        )
        for issue in result.errors:
            self.add_error(issue.element if issue.element in self.fields else None, issue.message)
        self.warnings = result.warnings
        if self.submit and result.warnings and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("Explain the changes flagged above before submitting."))
        cleaned["raw"] = raw
        return cleaned


class NoteForm(NormalisedInput, forms.Form):
    note = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PeriodChoiceForm(NormalisedInput, forms.Form):
    period = forms.ChoiceField(label=_("Reporting period"), required=False)

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.slug, p.label) for p in periods]


class ProvisionalThresholdForm(NormalisedInput, forms.Form):
    provisional_below = forms.DecimalField(
        label=_("Provisional while fewer than this share of entities have reported (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        max_digits=5,
    )
