"""One date input everywhere (issue #15): the browser's own picker, ISO values, and the
Vietnamese way typed by hand still read."""

import datetime

import pytest
from django import forms
from django.utils import timezone

import briefing.organisations.forms as organisation_forms
import briefing.reports.forms as report_forms
import briefing.sessions.forms as session_forms
import indicators.forms as indicator_forms
import proposals.forms as proposal_forms
import proposals.intake_forms as intake_forms
from briefing.organisations.forms import OrganisationFilterForm
from briefing.platform.forms import DateField, DateInput, DateTimeField, DateTimeInput
from briefing.reports.forms import ParticularsForm
from briefing.sessions.forms import ProgressForm, TaskForm
from proposals.forms import AcceptForm, ScheduleForm
from proposals.intake_forms import IntakeForm


class Dated(forms.Form):
    day = DateField(required=False)
    at = DateTimeField(required=False)


def test_the_inputs_are_the_browsers_own_with_iso_values():
    html = str(Dated(initial={"day": datetime.date(2020, 9, 7)})["day"])
    assert 'type="date"' in html
    assert 'value="2020-09-07"' in html
    at = timezone.make_aware(datetime.datetime(2020, 9, 7, 14, 30))
    html = str(Dated(initial={"at": at})["at"])
    assert 'type="datetime-local"' in html
    assert 'value="2020-09-07T14:30"' in html


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2020-09-07", datetime.date(2020, 9, 7)),  # what a browser's picker sends
        ("07/09/2020", datetime.date(2020, 9, 7)),  # typed where there is no picker
    ],
)
def test_a_date_is_read_from_the_picker_or_typed_the_vietnamese_way(typed, day):
    form = Dated({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == day


@pytest.mark.parametrize("typed", ["2020-09-07T14:30", "07/09/2020 14:30"])
def test_a_date_and_time_is_read_in_the_portals_time_zone(typed):
    form = Dated({"at": typed})
    assert form.is_valid(), form.errors
    at = timezone.localtime(form.cleaned_data["at"])
    assert (at.year, at.month, at.day, at.hour, at.minute) == (2020, 9, 7, 14, 30)


@pytest.mark.parametrize("typed", ["09/07/2020x", "2020-13-01", "07.09.2020"])
def test_a_wrong_date_is_kept_and_shown_with_an_error(typed):
    form = Dated({"day": typed})
    assert not form.is_valid()
    assert form.errors["day"]
    assert f'value="{typed}"' in str(form["day"])  # the input is kept to correct


@pytest.mark.parametrize(
    ("form_class", "field"),
    [
        (ProgressForm, "date"),
        (TaskForm, "deadline"),
        (ParticularsForm, "issued_on"),
        (OrganisationFilterForm, "valid_on"),
        (AcceptForm, "deadline"),
        (IntakeForm, "received_on"),
    ],
)
def test_every_date_field_of_the_portal_uses_the_one_date_input(form_class, field):
    assert isinstance(form_class.base_fields[field].widget, DateInput)
    assert isinstance(form_class.base_fields[field], DateField)


def test_the_publication_schedule_uses_the_one_date_and_time_input():
    assert isinstance(ScheduleForm.base_fields["publish_at"].widget, DateTimeInput)


def test_every_form_date_field_is_the_portals_own():
    """A new forms.DateField would bring back a text box: this finds it."""
    for module in (
        organisation_forms,
        report_forms,
        session_forms,
        proposal_forms,
        intake_forms,
        indicator_forms,
    ):
        for form_class in vars(module).values():
            if isinstance(form_class, type) and issubclass(form_class, forms.BaseForm):
                for name, field in form_class.base_fields.items():
                    if isinstance(field, forms.DateField | forms.DateTimeField):
                        assert isinstance(field.widget, DateInput | DateTimeInput), (
                            form_class,
                            name,
                        )
