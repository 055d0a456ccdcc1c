"""Forms validate and normalise input; the services decide and write."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from briefing.models.organisations import Organisation, OrganisationKind
from briefing.organisations.forms import OrganisationFilterField
from briefing.platform import quarters
from briefing.platform.dates import check_date
from briefing.platform.forms import NormalisedInput
from proposals.attachments import ALLOWED_DESCRIPTION, MAX_ATTACHMENT_BYTES, validate_attachment
from proposals.models import Channel, Field, Recommendation, Status
from proposals.services.recommendations import quarter_problem


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files at once, each checked by content and size."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("%(types)s; up to %(size)s MB each.")
            % {"types": ALLOWED_DESCRIPTION, "size": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
        )
        super().__init__(**kwargs)
        self.widget.attrs["multiple"] = True

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        errors = []
        for uploaded in files:
            try:
                validate_attachment(uploaded)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return files


def _quarter_choices():
    year = timezone.localdate().year
    return [
        (f"{y}-{q}", quarters.label(y, q)) for y in range(year + 1, 2019, -1) for q in (4, 3, 2, 1)
    ]


class RecommendationForm(NormalisedInput, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    content = forms.CharField(
        label=_("Content"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the department asks of the Ministry, with the legal basis if any."),
    )
    field = forms.ModelChoiceField(label=_("Field"), queryset=Field.objects.all())
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    quarter = forms.ChoiceField(label=_("Briefing quarter"))
    attachments = AttachmentsField(label=_("Attachments"))
    note = forms.CharField(
        label=_("Clarification"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a recommendation returned to you: what you clarified."),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation  # the sender: it must exist in the quarter
        self.fields["quarter"].choices = _quarter_choices()

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) < 5:
            raise ValidationError(_("The title is too short: at least 5 characters."))
        return title

    def clean_content(self):
        content = self.cleaned_data["content"].strip()
        if len(content) < 10:
            raise ValidationError(_("The content is too short: at least 10 characters."))
        return content

    def clean_quarter(self):
        year, quarter = (int(part) for part in self.cleaned_data["quarter"].split("-"))
        problem = quarter_problem(self.organisation, year, quarter)
        if problem:
            raise ValidationError(problem)
        return year, quarter

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        year, quarter = data["quarter"]
        return {
            "title": data["title"],
            "content": data["content"],
            "field": data["field"],
            "channel": data["channel"],
            "period_year": year,
            "period_quarter": quarter,
            "files": data["attachments"],
        }

    @classmethod
    def initial_for(cls, rec: Recommendation) -> dict:
        return {
            "title": rec.title,
            "content": rec.content,
            "field": rec.field_id,
            "channel": rec.channel,
            "quarter": f"{rec.period_year}-{rec.period_quarter}",
        }


def ministry_units():
    return Organisation.objects.ministry_units().valid_on(timezone.localdate())


class AcceptForm(NormalisedInput, forms.Form):
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=Organisation.objects.none())
    cooperating_units = forms.ModelMultipleChoiceField(
        label=_("Cooperating units"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    deadline = forms.DateField(label=_("Deadline"), help_text=_("dd/mm/yyyy"))
    note = forms.CharField(
        label=_("Instructions to the unit"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = ministry_units()
        self.fields["cooperating_units"].queryset = ministry_units()
        if not self.is_bound:
            self.initial.setdefault("deadline", timezone.localdate() + datetime.timedelta(days=15))

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise ValidationError(_("The deadline cannot be in the past."))
        return check_date(deadline)


class DuplicateForm(NormalisedInput, forms.Form):
    original = forms.CharField(
        label=_("Code of the original recommendation"),
        max_length=30,
        help_text=_("For example KN-2020-Q3-0001."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_original(self):
        code = self.cleaned_data["original"].strip().upper()
        try:
            return Recommendation.objects.get(code=code)
        except Recommendation.DoesNotExist:
            raise ValidationError(
                _("There is no recommendation with the code %(code)s.") % {"code": code}
            ) from None


class NoteForm(NormalisedInput, forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, transition=None, **kwargs):
        super().__init__(*args, **kwargs)
        if transition is not None:
            self.fields["note"].label = transition.note_label or _("Note")
            self.fields["note"].required = transition.note_required


class AnswerForm(NormalisedInput, forms.Form):
    text = forms.CharField(
        label=_("Answer"), max_length=50000, widget=forms.Textarea(attrs={"rows": 12})
    )
    attachments = AttachmentsField(label=_("Attachments to the answer"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note = forms.CharField(
        label=_("Note to the leader"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_text(self):
        return self.cleaned_data["text"].strip()


class WorklistFilterForm(NormalisedInput, forms.Form):
    SORTS = [
        ("-created", _("Newest first")),
        ("created", _("Oldest first")),
        ("deadline", _("Deadline")),
        ("code", _("Code")),
    ]

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Status.choices
    )
    field = forms.ModelChoiceField(
        label=_("Field"), required=False, queryset=Field.objects.all(), empty_label=_("All")
    )
    province = OrganisationFilterField(
        label=_("Sent by"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("All"),
    )
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("All"),
    )
    quarter = forms.ChoiceField(label=_("Quarter"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORTS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [("", _("All"))] + _quarter_choices()
        self.fields["province"].queryset = Organisation.objects.filter(
            kind__in=(OrganisationKind.PROVINCE, OrganisationKind.CENTRAL_AGENCY)
        ).alphabetical()
        self.fields["unit"].queryset = Organisation.objects.ministry_units().alphabetical()


class ScheduleForm(NormalisedInput, forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish the approved answer at"),
        required=False,
        help_text=_("dd/mm/yyyy hh:mm; leave empty to publish as soon as it is approved."),
    )

    def clean_publish_at(self):
        publish_at = self.cleaned_data["publish_at"]
        if publish_at is not None:
            check_date(timezone.localdate(publish_at))
        return publish_at
