from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from briefing.models.organisations import OrganisationKind


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
        self.fields["password"].label = _("Password")


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *OrganisationKind.choices],
    )
    valid_on = forms.DateField(
        label=_("Existing on"),
        required=False,
        help_text=_("dd/mm/yyyy"),
    )
