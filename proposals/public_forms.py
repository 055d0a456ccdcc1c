from django import forms
from django.utils.translation import gettext_lazy as _

from briefing.models.organisations import Organisation, OrganisationKind
from briefing.organisations.forms import OrganisationFilterField
from briefing.platform import quarters
from briefing.platform.forms import NormalisedInput
from proposals.models import Field, Recommendation

SENDER_KINDS = (OrganisationKind.PROVINCE, OrganisationKind.CENTRAL_AGENCY)


def _published_quarters():
    rows = (
        Recommendation.objects.filter(answer__published_at__isnull=False)
        .values_list("period_year", "period_quarter")
        .distinct()
        .order_by("-period_year", "-period_quarter")
    )
    return [(f"{y}-{q}", quarters.label(y, q)) for y, q in rows]


class AnswerFilterForm(NormalisedInput, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    quarter = forms.ChoiceField(label=_("Briefing quarter"), required=False)
    field = forms.ModelChoiceField(
        label=_("Field"), required=False, queryset=Field.objects.all(), empty_label=_("All")
    )
    province = OrganisationFilterField(
        label=_("Sent by"),
        required=False,
        queryset=Organisation.objects.filter(kind__in=SENDER_KINDS).alphabetical(),
        empty_label=_("All"),
    )
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"),
        required=False,
        queryset=Organisation.objects.ministry_units().alphabetical(),
        empty_label=_("All"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A callable: the query runs only when the choices are used (validation or
        # rendering), not when the form's rendering comes from the fragment cache.
        self.fields["quarter"].choices = lambda: [("", _("All"))] + _published_quarters()

    def selected(self) -> str:
        """The chosen filters, as a key for the cached rendering of this form."""
        return "|".join(str(self.data.get(name, "")) for name in self.fields)


class SubscriptionForm(NormalisedInput, forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    field = forms.ModelChoiceField(
        label=_("Field"),
        queryset=Field.objects.all(),
        required=False,
        empty_label=_("Every field"),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the Ministry Office keeps this address to send me these e-mails, "
            "until I unsubscribe."
        ),
        error_messages={"required": _("Tick this box to receive the e-mails.")},
    )
