"""The quarter drop-downs (issue #15): a recommendation offers the briefings it can go
to, not 32 quarters; the worklist filter offers the quarters that have recommendations."""

import datetime

import pytest
from django.utils import translation

from briefing.platform import quarters
from proposals.forms import RecommendationForm, WorklistFilterForm, recommendation_quarters
from tests.proposals.conftest import new_recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(monkeypatch):
    day = datetime.date(2026, 12, 1)
    monkeypatch.setattr("proposals.forms.timezone.localdate", lambda *args: day)
    return day


def test_the_quarters_around_a_day_run_from_the_next_to_the_previous():
    assert quarters.around(datetime.date(2026, 12, 1)) == [(2027, 1), (2026, 4), (2026, 3)]
    assert quarters.around(datetime.date(2026, 1, 15), back=2, ahead=0) == [
        (2026, 1),
        (2025, 4),
        (2025, 3),
    ]
    assert quarters.shift(2020, 1, -1) == (2019, 4)
    assert quarters.shift(2020, 4, 1) == (2021, 1)


def test_a_new_recommendation_offers_next_current_and_previous_quarter(today):
    form = RecommendationForm()
    assert form.fields["quarter"].choices == [
        ("2027-1", "Q1/2027"),
        ("2026-4", "Q4/2026"),
        ("2026-3", "Q3/2026"),
    ]


def test_an_edited_recommendation_keeps_its_own_older_quarter(today):
    shown = RecommendationForm(initial={"quarter": "2020-3"})
    assert ("2020-3", "Q3/2020") in shown.fields["quarter"].choices
    assert len(shown.fields["quarter"].choices) == 4
    sent = RecommendationForm({"quarter": "2020-3"}, own_quarter="2020-3")
    sent.is_valid()
    assert "quarter" not in sent.errors


def test_an_older_quarter_is_not_offered_but_accepted_as_the_import_does(today):
    assert recommendation_quarters("2026-4") == recommendation_quarters()
    form = RecommendationForm({"quarter": "2020-3"})
    form.is_valid()
    assert "quarter" not in form.errors


@pytest.mark.parametrize("typed", ["2027-2", "2019-4", "2020-5", "2020", "x-1", ""])
def test_a_quarter_beyond_the_next_or_before_2020_or_malformed_is_refused(today, typed):
    form = RecommendationForm({"quarter": typed})
    assert not form.is_valid()
    assert "quarter" in form.errors


@translation.override("en")
def test_the_worklist_filter_offers_the_quarters_that_have_recommendations(people, today):
    new_recommendation(people["province"], period_year=2020, period_quarter=2)
    new_recommendation(people["province"], period_year=2020, period_quarter=3)
    new_recommendation(people["province"], period_year=2020, period_quarter=3, title="Thêm một")
    choices = WorklistFilterForm().fields["quarter"].choices
    assert choices == [("", "All"), ("2020-3", "Q3/2020"), ("2020-2", "Q2/2020")]
