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
from briefing.platform.forms import DateField, DateTimeField, DateTimeInput, NormalisedInput
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
        # Refused files are named in their errors, not among those to choose again.
        self.rejected_names = set()
        for uploaded in files:
            try:
                validate_attachment(uploaded)
            except ValidationError as exc:
                errors.extend(exc.messages)
                self.rejected_names.add(uploaded.name)
        if errors:
            raise ValidationError(errors)
        return files


class AttachmentIdsField(forms.Field):
    """The ids of attached files ticked in a list (checkboxes drawn by the template)."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return sorted({int(pk) for pk in value or ()})
        except (TypeError, ValueError):
            raise ValidationError(_("Choose the files from the list.")) from None


REPLACE_PREFIX = "replace-"


class AttachedFilesForm(forms.Form):
    """An edit form's files already attached (includes/file_field.html lists them):
    each ticked in `remove_files` is removed, and a file posted as "replace-<id>"
    replaces that one, in the same save. Whether the ids belong to the record is the
    service's to check (an id of another record is a 404)."""

    remove_files = AttachmentIdsField()

    def clean(self):
        data = super().clean()
        replace, errors = {}, []
        self.rejected_replacements = set()
        for name, uploaded in self.files.items():
            pk = name.removeprefix(REPLACE_PREFIX)
            if not name.startswith(REPLACE_PREFIX) or not pk.isdigit():
                continue
            try:
                validate_attachment(uploaded)
            except ValidationError as exc:
                errors.extend(exc.messages)
                self.rejected_replacements.add(name)
            else:
                replace[int(pk)] = uploaded
        if errors:
            self.add_error("attachments", errors)
        data["replace"] = replace
        return data

    def file_changes(self) -> dict:
        """The keyword arguments of the services' remove and replace."""
        return {
            "remove": self.cleaned_data["remove_files"],
            "replace": self.cleaned_data["replace"],
        }


def _quarter_choices(pairs) -> list[tuple[str, str]]:
    return [(f"{y}-{q}", quarters.label(y, q)) for y, q in pairs]


def recommendation_quarters(own: str | None = None) -> list[tuple[str, str]]:
    """The briefings a recommendation may be sent to: the next quarter's, the current
    one's, and the previous one's (its briefing is held early in the following quarter),
    plus, when editing, the quarter the recommendation already has. Not every quarter
    since 2020: an old one is a slip of the mouse, never a choice."""
    choices = _quarter_choices(quarters.around(timezone.localdate(), back=1, ahead=1))
    if own and own not in dict(choices):
        year, quarter = (int(part) for part in own.split("-"))
        choices.append((own, quarters.label(year, quarter)))
    return choices


class QuarterField(forms.ChoiceField):
    """Offers the sensible quarters (its choices) and accepts, besides them, any quarter
    from 2020 to the next one, as the Excel import and the API do: a department catching
    up with an older briefing is not refused, it only has no list to scroll through."""

    def valid_value(self, value):
        if super().valid_value(value):
            return True
        year, _sep, quarter = str(value).partition("-")
        if not (year.isdigit() and quarter in {"1", "2", "3", "4"}):
            return False
        latest = quarters.around(timezone.localdate(), back=0, ahead=1)[0]
        return (2020, 1) <= (int(year), int(quarter)) <= latest


def worklist_quarters() -> list[tuple[str, str]]:
    """The quarters some recommendation belongs to, latest first (one query)."""
    pairs = (
        Recommendation.objects.order_by("-period_year", "-period_quarter")
        .values_list("period_year", "period_quarter")
        .distinct()
    )
    return _quarter_choices(pairs)


class FieldChoiceField(forms.ModelChoiceField):
    """A recommendation's field; `known` ({pk: Field}), set by a caller that has read
    the fields already, answers without a query."""

    known: dict | None = None

    def to_python(self, value):
        if self.known and str(value).isdigit() and int(value) in self.known:
            return self.known[int(value)]
        return super().to_python(value)


class RecommendationForm(NormalisedInput, AttachedFilesForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    content = forms.CharField(
        label=_("Content"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the department asks of the Ministry, with the legal basis if any."),
    )
    field = FieldChoiceField(label=_("Field"), queryset=Field.objects.all())
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    quarter = QuarterField(label=_("Briefing quarter"))
    attachments = AttachmentsField(label=_("Attachments"))
    note = forms.CharField(
        label=_("Clarification"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a recommendation returned to you: what you clarified."),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisation=None, own_quarter=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation  # the sender: it must exist in the quarter
        self.fields["quarter"].choices = recommendation_quarters(
            own_quarter or self.initial.get("quarter")
        )

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

    def similar_query(self) -> dict:
        """What the similar list compares: the title and content as typed (a refused
        form has no cleaned ones), bounded like the fields."""
        return {
            "title": self.data.get("title", "")[:300],
            "content": self.data.get("content", "")[:20000],
            "field": self.cleaned_data.get("field"),
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


class UnitPicker(forms.CheckboxSelectMultiple):
    """The organisation picker (templates/widgets/organisation_picker.html): checkboxes
    with a filter that ignores diacritics; plain checkboxes without JavaScript."""

    template_name = "widgets/organisation_picker.html"


class AcceptForm(NormalisedInput, forms.Form):
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=Organisation.objects.none())
    cooperating_units = forms.ModelMultipleChoiceField(
        label=_("Cooperating units"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=UnitPicker,
    )
    deadline = DateField(label=_("Deadline"))
    note = forms.CharField(
        label=_("Instructions to the unit"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = list(ministry_units().alphabetical())
        self.fields["unit"].queryset = ministry_units()
        self.fields["unit"].choices = [("", "---------")] + [(u.pk, u.name) for u in units]
        cooperating = self.fields["cooperating_units"]
        cooperating.queryset = ministry_units()
        cooperating.choices = [
            (OrganisationKind.MINISTRY_UNIT.label, [(u.pk, u.name) for u in units])
        ]
        if not self.is_bound:
            self.initial.setdefault("deadline", timezone.localdate() + datetime.timedelta(days=15))

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise ValidationError(_("The deadline cannot be in the past."))
        return check_date(deadline)


class BulkAcceptForm(AcceptForm):
    """One unit and deadline for several submitted recommendations of the worklist."""

    selected = forms.ModelMultipleChoiceField(
        queryset=Recommendation.objects.filter(status=Status.SUBMITTED),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": _("Select at least one recommendation."),
            "invalid_choice": _("One of the selected recommendations is no longer waiting."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["cooperating_units"]
        self.fields["note"].widget.attrs["rows"] = 2


class DuplicateForm(NormalisedInput, forms.Form):
    """The original is chosen among the similar ones offered (`candidates`), or its
    code typed when it is not among them."""

    candidate = forms.ModelChoiceField(
        label=_("Similar recommendations"),
        required=False,
        queryset=Recommendation.objects.all(),
        widget=forms.RadioSelect,
    )
    original = forms.CharField(
        label=_("Or type the code of the original recommendation"),
        required=False,
        max_length=30,
        help_text=_("For example KN-2020-Q3-0001."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_original(self):
        code = self.cleaned_data["original"].strip().upper()
        if not code:
            return None
        try:
            return Recommendation.objects.get(code=code)
        except Recommendation.DoesNotExist:
            raise ValidationError(
                _("There is no recommendation with the code %(code)s.") % {"code": code}
            ) from None

    def clean(self):
        data = super().clean()
        chosen, typed = data.get("candidate"), data.get("original")
        if "original" in self.errors or "candidate" in self.errors:
            return data
        if chosen and typed and chosen.pk != typed.pk:
            self.add_error(
                "original", _("Choose a similar recommendation or type a code, not both.")
            )
        elif not (chosen or typed):
            self.add_error("candidate", _("Choose the original, or type its code below."))
        else:
            data["original"] = typed or chosen
        return data


class NoteForm(NormalisedInput, forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, transition=None, **kwargs):
        super().__init__(*args, **kwargs)
        if transition is not None:
            self.fields["note"].label = transition.note_label or _("Note")
            self.fields["note"].required = transition.note_required


class AnswerForm(NormalisedInput, AttachedFilesForm):
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
    # From the workspace of a department's leader: what waits for their signature.
    signature = forms.BooleanField(label=_("Waiting for the leader's signature"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORTS)

    def __init__(self, *args, senders=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [("", _("All")), *worklist_quarters()]
        # Only the senders of what the user may see (`senders`: their recommendations).
        self.fields["province"].queryset = Organisation.objects.filter(
            kind__in=(OrganisationKind.PROVINCE, OrganisationKind.CENTRAL_AGENCY),
            pk__in=senders.values("submitting_organisation") if senders is not None else [],
        ).alphabetical()
        self.fields["unit"].queryset = Organisation.objects.ministry_units().alphabetical()


class ScheduleForm(NormalisedInput, forms.Form):
    publish_at = DateTimeField(
        label=_("Publish the approved answer at"),
        required=False,
        # Django names the help (and an error) in aria-describedby.
        widget=DateTimeInput(attrs={"class": "form-control"}),
        help_text=_("Leave it empty to publish as soon as it is approved."),
    )

    def clean_publish_at(self):
        publish_at = self.cleaned_data["publish_at"]
        if publish_at is not None:
            check_date(timezone.localdate(publish_at))
        return publish_at
