"""Forms of recommendations from the public: the portal's own form (with its consent
and abuse checks) and the Ministry Office's registration of what came by letter,
telephone, e-mail or the national portal. They validate and normalise; the service in
proposals.services.public_intake decides and writes."""

import re
import time
import uuid

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from briefing.platform.forms import DateField, NormalisedInput
from proposals.forms import AttachmentsField
from proposals.models import PUBLIC_SOURCE_KINDS, Field, ReceivedVia, SourceKind
from proposals.services.public_intake import Question, Sender

_PHONE = re.compile(r"^\+?[0-9 .()-]{8,20}$")
_MARKUP = re.compile(r"[<>]")
_STARTED_SALT = "proposals.ask.started"

KIND_CHOICES = [(kind.value, kind.label) for kind in PUBLIC_SOURCE_KINDS]


def min_fill_seconds() -> float:
    """A person takes longer than this to fill the form; a script does not."""
    return getattr(settings, "PUBLIC_FORM_MIN_SECONDS", 5)


def started_stamp() -> str:
    """When the form was shown, signed so a script cannot claim an earlier time."""
    return signing.dumps(time.time(), salt=_STARTED_SALT)


class SenderQuestionForm(NormalisedInput, forms.Form):
    sender_kind = forms.ChoiceField(
        label=_("You are"), choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    name = forms.CharField(
        label=_("Full name (or the name of the enterprise or organisation)"), max_length=200
    )
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    phone = forms.CharField(label=_("Telephone"), max_length=20, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    field = forms.ModelChoiceField(
        label=_("Field"), queryset=Field.objects.all(), empty_label=_("Choose a field")
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    content = forms.CharField(
        label=_("Your question or recommendation"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    attachments = AttachmentsField(label=_("Attachments"))
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # The same form sent twice (a double click, a reload) gives one record.
            self.initial.setdefault("submission_key", uuid.uuid4())

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if _MARKUP.search(name):
            raise ValidationError(_("A name cannot contain the characters < or >."))
        if len(name) < 2:
            raise ValidationError(_("Write your full name."))
        return name

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not _PHONE.match(phone):
            raise ValidationError(
                _("Write a telephone number of 8 to 20 digits, e.g. 0912 345 678.")
            )
        return phone

    def clean_address(self):
        address = " ".join(self.cleaned_data["address"].split())
        if _MARKUP.search(address):
            raise ValidationError(_("An address cannot contain the characters < or >."))
        return address

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) < 5:
            raise ValidationError(_("The title is too short: at least 5 characters."))
        return title

    def clean_content(self):
        content = self.cleaned_data["content"].strip()
        if len(content) < 20:
            raise ValidationError(_("The question is too short: at least 20 characters."))
        return content

    def sender(self) -> Sender:
        data = self.cleaned_data
        return Sender(
            kind=data["sender_kind"],
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            address=data["address"],
        )

    def question(self) -> Question:
        data = self.cleaned_data
        return Question(field=data["field"], title=data["title"], content=data["content"])


class AskForm(SenderQuestionForm):
    """The public form at /answers/ask/."""

    consent = forms.BooleanField(
        label=_(
            "I agree that the Ministry Office processes my name and contact details to "
            "answer this recommendation, as described above."
        ),
        error_messages={"required": _("Tick this box to send the recommendation.")},
    )
    # A field people never see (hidden by CSS, skipped by the keyboard and screen
    # readers): a script that fills every input fills this one too.
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound:
            self.initial["started"] = started_stamp()

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise ValidationError(
                _("The form could not be sent. Please check it and send it again.")
            )
        try:
            started = signing.loads(self.data.get("started") or "", salt=_STARTED_SALT)
        except signing.BadSignature:
            started = None
        if not isinstance(started, float) or time.time() - started < min_fill_seconds():
            # The page keeps the text; a new stamp lets a person send it again.
            self.data = self.data.copy()
            self.data["started"] = started_stamp()
            raise ValidationError(
                _("The form was sent too quickly. Please check it and send it again.")
            )
        return data


class IntakeForm(SenderQuestionForm):
    """The Ministry Office registers a recommendation received outside the portal."""

    received_via = forms.ChoiceField(
        label=_("Received via"),
        choices=[(c.value, c.label) for c in ReceivedVia if c != ReceivedVia.WEB],
    )
    received_on = DateField(label=_("Date received"), help_text=_("As on the letter's stamp."))
    reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        required=False,
        help_text=_("The incoming letter's number, the call's ticket or the portal's code."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A letter or a call may come with no e-mail address.
        self.fields["email"].required = False
        self.fields["email"].help_text = _(
            "Optional: without one, the sender is not told of the progress by e-mail."
        )
        self.fields["name"].label = _("Sender's full name (or the enterprise or organisation)")
        self.fields["sender_kind"].label = _("Sender")
        self.fields["content"].label = _("The question or recommendation")
        self.fields["sender_kind"].initial = SourceKind.CITIZEN
        self.fields["attachments"].label = _("Scanned letter and other files")

    def clean_reference(self):
        reference = " ".join(self.cleaned_data["reference"].split())
        if _MARKUP.search(reference):
            raise ValidationError(_("A reference cannot contain the characters < or >."))
        return reference

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise ValidationError(_("The date received cannot be in the future."))
        if received_on.year < 2000:
            raise ValidationError(_("Check the year of the date received."))
        return received_on
