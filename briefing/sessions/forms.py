from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from briefing.models.organisations import Organisation, OrganisationKind
from briefing.models.sessions import BriefingSession, TaskStatus
from briefing.platform.dates import check_date
from briefing.platform.forms import DateField, DateInput, NormalisedInput
from proposals.attachments import MAX_ATTACHMENT_BYTES, PRESENTATION_KINDS, describe


class ProgressForm(NormalisedInput, forms.Form):
    text = forms.CharField(
        label=_("Progress"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
    date = DateField(label=_("Date"), initial=timezone.localdate)

    def clean_date(self):
        return check_date(self.cleaned_data["date"], latest=timezone.localdate())


def _organisations(day):
    """Organisations that existed on `day`: ministry units, agencies, provinces."""
    return (
        Organisation.objects.valid_on(day)
        .exclude(kind=OrganisationKind.MINISTRY)
        .named_on(day)  # by their names then: Sở TT&TT in 2020
        .alphabetical()
    )


class OrganisationPicker(forms.CheckboxSelectMultiple):
    """About 140 organisations as checkboxes grouped by kind, with a filter that
    ignores diacritics, "select all shown" per group and a live count (static/js/
    forms.js). Without JavaScript it is a plain list of checkboxes."""

    template_name = "widgets/organisation_picker.html"


def _pick_organisations(field, organisations) -> None:
    """Give `field` (an OrganisationPicker) these organisations, grouped by kind."""
    field.queryset = organisations
    # Django's message names the organisation by its id, which means nothing to anyone.
    field.error_messages["invalid_choice"] = _(
        "One of the chosen organisations did not exist on the day of the briefing."
    )
    groups = {kind: [] for kind in OrganisationKind}
    for org in organisations:
        groups[org.kind].append((org.pk, org.name))
    field.choices = [(kind.label, choices) for kind, choices in groups.items() if choices]


class SessionForm(NormalisedInput, forms.ModelForm):
    """The briefing session as the Ministry Office prepares it. Year and quarter are
    chosen once, when it is created."""

    class Meta:
        model = BriefingSession
        fields = [
            "year",
            "quarter",
            "title",
            "date",
            "form",
            "bridge_points",
            "chair",
            "participants",
            "participants_note",
            "agenda",
        ]
        widgets = {
            "date": DateInput,
            "participants": OrganisationPicker,
            "participants_note": forms.Textarea(attrs={"rows": 2}),
            "agenda": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["year"], self.fields["quarter"]
            day = self.instance.date or timezone.localdate()
        else:
            self.fields["year"].initial = timezone.localdate().year
            day = timezone.localdate()
        _pick_organisations(self.fields["participants"], _organisations(day))

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Enter a year between 2000 and 2100."))
        return year

    def clean_date(self):
        day = self.cleaned_data["date"]
        return day and check_date(day)

    def clean(self):
        data = super().clean()
        year, quarter = data.get("year"), data.get("quarter")
        if (
            not self.instance.pk
            and year
            and quarter
            and BriefingSession.objects.filter(year=year, quarter=quarter).exists()
        ):
            self.add_error(
                "quarter",
                _("There is already a briefing for quarter %(quarter)s/%(year)s.")
                % {"quarter": quarter, "year": year},
            )
        return data


class DocumentForm(NormalisedInput, forms.Form):
    prefix = "document"  # on the same page as the session form: ids must differ
    title = forms.CharField(label=_("Title"), max_length=300)
    presenter = forms.ModelChoiceField(
        label=_("Presented by"), queryset=Organisation.objects.none(), required=False
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("%(types)s, up to %(size)s MB.")
        % {"types": describe(PRESENTATION_KINDS), "size": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
    )

    def __init__(self, *args, session: BriefingSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = _organisations(session.date or timezone.localdate())


class ConclusionForm(NormalisedInput, forms.Form):
    prefix = "conclusion"
    text = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}))


class TaskForm(NormalisedInput, forms.Form):
    prefix = "task"
    conclusion = forms.ModelChoiceField(label=_("Conclusion"), queryset=None)
    text = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 2}))
    assignees = forms.ModelMultipleChoiceField(
        label=_("Assigned organisations"),
        queryset=Organisation.objects.none(),
        widget=OrganisationPicker,
    )
    deadline = DateField(label=_("Deadline"), required=False)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        return deadline and check_date(deadline, earliest=timezone.localdate())

    def __init__(self, *args, session: BriefingSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conclusion"].queryset = session.conclusions.order_by("number")
        self.fields["conclusion"].label_from_instance = lambda c: f"{c.number}. {c.text[:80]}"
        _pick_organisations(
            self.fields["assignees"], _organisations(session.date or timezone.localdate())
        )
