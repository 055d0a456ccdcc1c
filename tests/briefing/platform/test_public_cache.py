"""The public page cache by section (briefing/platform/public_cache.py): a change makes
stale only the pages it shows on."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefing.models.organisations import RoleCode
from briefing.platform import public_cache
from briefing.platform.public_cache import (
    ANSWERS,
    INDICATORS,
    answer_section,
    public_cache_clear,
    public_sections_bump,
)
from indicators import services as indicator_services
from indicators.models import Status as ReportStatus
from indicators.models import Submission
from proposals.models import Status
from proposals.services import publishing
from tests.conftest import make_user
from tests.indicators.conftest import load
from tests.proposals.conftest import bring_to, make_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return make_people()


def queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_a_publication_refreshes_the_lists_and_keeps_the_other_answers_cached(
    client, people, django_capture_on_commit_callbacks
):
    first = bring_to(Status.PUBLISHED, people, title="Trả lời thứ nhất")
    second = bring_to(Status.PUBLISHED, people, title="Trả lời thứ hai")
    pages = ["/", "/answers/", f"/answers/{first.code}/", f"/answers/{second.code}/"]
    for url in pages:
        client.get(url)
    assert all(queries(client, url)[0] == 0 for url in pages)  # all cached
    third = bring_to(Status.ANSWER_APPROVED, people, title="Trả lời thứ ba")
    with django_capture_on_commit_callbacks(execute=True):
        publishing.answer_publish(recommendation_id=third.pk)
    for url in ("/", "/answers/"):
        number, html = queries(client, url)
        assert number > 0 and "Trả lời thứ ba" in html, url
    # The other answers' pages did not change: still served from the cache.
    assert queries(client, f"/answers/{first.code}/")[0] == 0
    assert queries(client, f"/answers/{second.code}/")[0] == 0


def test_while_one_reader_renders_a_changed_page_the_others_get_it_as_it_was(
    client, people, monkeypatch
):
    bring_to(Status.PUBLISHED, people, title="Trả lời thứ nhất")
    client.get("/answers/")
    bring_to(Status.PUBLISHED, people, title="Trả lời thứ hai")
    public_sections_bump(ANSWERS)
    monkeypatch.setattr(public_cache, "_rendering", lambda key, version: True)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/answers/")
    html = response.content.decode()
    assert captured.captured_queries == []  # not rendered: as it was
    assert "Trả lời thứ nhất" in html and "Trả lời thứ hai" not in html
    assert "max-age=0" in response["Cache-Control"]  # no browser keeps it
    monkeypatch.undo()
    number, html = queries(client, "/answers/")  # nobody renders it: this reader does
    assert number > 0 and "Trả lời thứ hai" in html
    assert "max-age=60" in client.get("/answers/")["Cache-Control"]


def test_one_reader_at_a_time_renders_a_page_under_a_version():
    assert public_cache._rendering("public:page:vi:x", "1") is False  # this one renders
    assert public_cache._rendering("public:page:vi:x", "1") is True  # another one waits
    assert public_cache._rendering("public:page:vi:x", "2") is False  # a newer change
    assert public_cache._rendering("public:page:en:x", "1") is False  # another page


def test_an_answer_section_bump_refreshes_that_page_only(client, people):
    first = bring_to(Status.PUBLISHED, people, title="Trả lời thứ nhất")
    second = bring_to(Status.PUBLISHED, people, title="Trả lời thứ hai")
    for rec in (first, second):
        client.get(f"/answers/{rec.code}/")
    public_sections_bump(answer_section(first.code.lower()))  # any case of the code
    assert queries(client, f"/answers/{first.code}/")[0] > 0
    assert queries(client, f"/answers/{second.code}/")[0] == 0


def test_a_change_shown_everywhere_refreshes_every_page(client, people):
    rec = bring_to(Status.PUBLISHED, people)
    pages = ["/", "/answers/", f"/answers/{rec.code}/", "/indicators/"]
    for url in pages:
        client.get(url)
    public_cache_clear()  # e.g. an organisation's new name
    assert all(queries(client, url)[0] > 0 for url in pages)


def test_the_indicator_pages_are_cached_until_a_report_is_approved(
    client, django_capture_on_commit_callbacks
):
    office = make_user(RoleCode.OFFICE_COORDINATOR)
    officer = make_user(RoleCode.UNIT_OFFICER)
    load(office, "Q3/2020", "CUC-THH", {"T63-37": {"DVC_TONG": 1000}}, approve=True)
    [report] = load(office, "Q3/2020", "CUC-THH", {"T63-30": {"DVC_TONG": 500}}, approve=False)
    pages = ["/indicators/", "/indicators/?period=Q3-2020"]
    for url in pages:
        client.get(url)
    assert all(queries(client, url)[0] == 0 for url in pages)
    # A report sent (not yet approved) changes no public figure: still cached.
    assert queries(client, "/indicators/")[0] == 0
    with django_capture_on_commit_callbacks(execute=True):
        indicator_services.report_approve(submission_id=report.pk, actor=officer)
    assert Submission.objects.get(pk=report.pk).status == ReportStatus.APPROVED
    assert all(queries(client, url)[0] > 0 for url in pages)


def test_locking_a_period_refreshes_the_indicator_pages_only(
    client, people, django_capture_on_commit_callbacks
):
    rec = bring_to(Status.PUBLISHED, people)
    office = make_user(RoleCode.OFFICE_COORDINATOR)
    load(office, "Q3/2020", "CUC-THH", {"T63-37": {"DVC_TONG": 1000}}, approve=True)
    period = Submission.objects.get().period
    for url in ("/indicators/", f"/answers/{rec.code}/"):
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        indicator_services.period_lock(period_id=period.pk, actor=office)
    assert queries(client, "/indicators/")[0] > 0
    assert queries(client, f"/answers/{rec.code}/")[0] == 0


def test_bumping_sections_with_a_dead_cache_is_no_error(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    public_sections_bump(INDICATORS)  # logs a warning; the pages expire on their own
