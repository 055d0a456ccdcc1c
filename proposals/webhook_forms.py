"""The form of a webhook endpoint: name, address, events, and (for a system
administrator) the organisation it belongs to."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from briefing.models.organisations import Organisation, OrganisationKind
from briefing.platform.forms import NormalisedInput
from proposals.models import WebhookEndpoint, WebhookEventType
from proposals.webhook_delivery import url_problem

SENDER_KINDS = (OrganisationKind.PROVINCE, OrganisationKind.CENTRAL_AGENCY)


class WebhookEndpointForm(NormalisedInput, forms.ModelForm):
    url = forms.URLField(
        label=_("Address (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where the portal sends each event by POST. It must begin with https://."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events to send"),
        choices=WebhookEventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "events"]
        help_texts = {
            "name": _("For you to recognise it, e.g. the document system."),
        }

    def __init__(self, *args, choose_organisation: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("events", list(WebhookEventType.values))
        if choose_organisation:
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Organisation"),
                queryset=Organisation.objects.filter(kind__in=SENDER_KINDS)
                .valid_on(timezone.localdate())
                .alphabetical(),
            )
            self.order_fields(["organisation", "name", "url", "events"])

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        problem = url_problem(url)
        if problem:
            raise forms.ValidationError(problem, code="unsafe_url")
        return url
