from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core import validators
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from briefing.models.organisations import (
    EmailPreference,
    Organisation,
    OrganisationKind,
    SecurityEventKind,
)
from briefing.platform.dates import check_date
from briefing.platform.forms import DateField


class LoginForm(AuthenticationForm):
    error_messages = {
        # One message for an unknown user and a wrong password alike, so that the
        # form does not tell an attacker which user names exist.
        "invalid_login": _("The user name or password is not correct. Both are case-sensitive."),
        "inactive": _("The user name or password is not correct. Both are case-sensitive."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("User name")
        # Django's form limits the length in the browser only; a longer name sent
        # anyway must be refused here, before the lockout records it.
        username = self.fields["username"]
        username.validators.append(validators.MaxLengthValidator(username.max_length))
        self.fields["password"].label = _("Password")


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *OrganisationKind.choices],
    )
    valid_on = DateField(label=_("Existing on"), required=False)


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class EnrolmentForm(SecondFactorForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("The 6-digit code the app shows after scanning.")
        self.fields["code"].widget.attrs["inputmode"] = "numeric"


class SecondFactorResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("For example: new phone, confirmed by telephone with the person."),
    )


class SecurityLogFilterForm(forms.Form):
    person = forms.CharField(label=_("Person"), required=False, max_length=150)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.alphabetical(),
        empty_label=_("All organisations"),
    )
    kind = forms.ChoiceField(
        label=_("Event"),
        required=False,
        choices=[("", _("All events")), *SecurityEventKind.choices],
    )
    start = DateField(label=_("From"), required=False)
    end = DateField(label=_("To"), required=False)

    def clean_start(self):
        value = self.cleaned_data["start"]
        return value and check_date(value)

    def clean_end(self):
        value = self.cleaned_data["end"]
        return value and check_date(value)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date is before the start date."))
        return data


class EmailPreferenceForm(forms.Form):
    email_preference = forms.ChoiceField(
        label=_("E-mail me"),
        choices=EmailPreference.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )


class _TodayFirstIterator(ModelChoiceIterator):
    """Today's organisations first, then, under their own heading, those that no longer
    exist (by the names their papers carry): 34 departments, then the 63 of before."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        today = timezone.localdate()
        current, former = [], []
        for organisation in self.queryset:
            group = current if organisation.is_valid_on(today) else former
            group.append(self.choice(organisation))
        if current:
            yield (_("Existing today"), current)
        if former:
            yield (_("No longer existing"), former)

    def __len__(self):
        return self.queryset.count() + (self.field.empty_label is not None)


class OrganisationFilterField(forms.ModelChoiceField):
    """A filter over things of every date: the organisations of today and the former
    ones are offered apart, never mixed in one list."""

    iterator = _TodayFirstIterator
