"""The publication schedule on a recommendation's page: a refused time is shown next
to its field, as typed, on the page re-rendered; a valid one is saved."""

import datetime
import re

import pytest
from django.utils import timezone

from proposals.models import Status
from tests.proposals.conftest import bring_to

pytestmark = pytest.mark.django_db


def _schedule(client, rec, value):
    return client.post(f"/proposals/{rec.pk}/schedule/", {"publish_at": value})


def _schedule_form(response) -> str:
    html = response.content.decode()
    return re.search(r"<form[^>]*data-schedule.*?</form>", html, re.DOTALL).group(0)


def _input(form_html: str) -> str:
    return re.search(r'<input[^>]*name="publish_at"[^>]*>', form_html).group(0)


def _error(form_html: str) -> str:
    match = re.search(r'<div id="id_publish_at_error"[^>]*>(.*?)</div>', form_html, re.DOTALL)
    return match.group(1) if match else ""


@pytest.fixture
def drafted(people, client):
    client.force_login(people["office"])
    return bring_to(Status.ANSWER_DRAFTED, people)


def test_a_time_out_of_range_is_shown_next_to_the_field_as_typed(client, drafted):
    response = _schedule(client, drafted, "9999-12-31T08:00")
    assert response.status_code == 400
    form = _schedule_form(response)
    field = _input(form)
    assert 'value="9999-12-31T08:00"' in field
    assert "is-invalid" in field and 'aria-invalid="true"' in field
    assert 'aria-describedby="id_publish_at_helptext id_publish_at_error"' in field
    assert "Chọn một ngày từ 01/01/2000 đến" in _error(form)
    # Only next to the field, not as a message at the top of the page.
    assert not list(response.context["messages"])
    drafted.refresh_from_db()
    assert drafted.publish_at is None


def test_a_past_time_refused_by_the_service_is_shown_next_to_the_field(client, drafted):
    response = _schedule(client, drafted, "2020-01-01T08:00")
    assert response.status_code == 400
    form = _schedule_form(response)
    assert 'value="2020-01-01T08:00"' in _input(form)
    assert "Vui lòng chọn một thời điểm trong tương lai." in _error(form)
    drafted.refresh_from_db()
    assert drafted.publish_at is None


def test_text_that_is_no_time_is_kept_with_the_message(client, drafted):
    response = _schedule(client, drafted, "sáng mai")
    assert response.status_code == 400
    form = _schedule_form(response)
    assert 'value="sáng mai"' in _input(form)
    assert "Nhập một ngày/thời gian hợp lệ." in _error(form)


def test_the_page_opened_shows_no_error(client, drafted):
    form = _schedule_form(client.get(f"/proposals/{drafted.pk}/"))
    assert "is-invalid" not in _input(form) and not _error(form)
    assert 'aria-describedby="id_publish_at_helptext"' in _input(form)


def test_a_valid_time_is_saved_and_the_page_reloaded(client, drafted):
    later = timezone.localtime() + datetime.timedelta(days=2)
    response = _schedule(client, drafted, later.strftime("%Y-%m-%dT%H:%M"))
    assert response.status_code == 302 and response.url == f"/proposals/{drafted.pk}/"
    drafted.refresh_from_db()
    stored = timezone.localtime(drafted.publish_at)
    assert stored.strftime("%Y-%m-%dT%H:%M") == later.strftime("%Y-%m-%dT%H:%M")
    page = client.get(response.url)
    assert "Đã lưu thời điểm công bố." in [str(m) for m in page.context["messages"]]
    assert f'value="{later.strftime("%Y-%m-%dT%H:%M")}"' in _input(_schedule_form(page))


def test_an_empty_time_clears_the_schedule(client, drafted, people):
    _schedule(client, drafted, (timezone.localtime() + datetime.timedelta(days=1)).isoformat())
    drafted.refresh_from_db()
    assert drafted.publish_at is not None
    assert _schedule(client, drafted, "").status_code == 302
    drafted.refresh_from_db()
    assert drafted.publish_at is None


def test_a_recommendation_no_longer_schedulable_says_why(client, people):
    rec = bring_to(Status.PUBLISHED, people)
    client.force_login(people["office"])
    response = _schedule(client, rec, "9999-12-31T08:00")
    # The page no longer has the form: the reason is the message of the page.
    assert response.status_code == 302
    page = client.get(response.url)
    assert [m.level_tag for m in page.context["messages"]] == ["error"]
    assert "không thể “Hẹn giờ công bố”" in str(list(page.context["messages"])[0])
    assert "data-schedule" not in page.content.decode()


@pytest.mark.parametrize("value", ["", "9999-12-31T08:00"])
def test_a_unit_may_not_schedule_even_with_a_wrong_time(client, people, value):
    rec = bring_to(Status.ANSWER_DRAFTED, people)
    client.force_login(people["leader"])
    assert _schedule(client, rec, value).status_code == 403
    rec.refresh_from_db()
    assert rec.publish_at is None


def test_another_department_gets_404(client, people):
    rec = bring_to(Status.ANSWER_DRAFTED, people)
    client.force_login(people["other_province"])
    assert _schedule(client, rec, "9999-12-31T08:00").status_code == 404
