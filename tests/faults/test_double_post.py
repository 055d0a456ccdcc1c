"""A form posted twice at once (a double-click, a second tab) makes one record: two
threads send the same form at the same moment to the live server, in one signed-in
browser, and neither answer is a server error."""

import functools
import threading

import pytest
from django.db import connection

from briefing.models.organisations import RoleCode
from indicators.models import Event as ReportEvent
from indicators.models import Status as ReportStatus
from indicators.models import Submission, Value
from proposals.models import Event, Field, Recommendation, Status
from tests.confirmation import confirmed
from tests.conftest import PASSWORD, make_user
from tests.faults.browser import Browser, hidden_value
from tests.indicators.test_views import FORM as INDICATOR_FORM
from tests.indicators.test_views import FULL as INDICATOR_VALUES

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Each round is one double-click; which request gets ahead differs from round to round.
ROUNDS = 4


@pytest.fixture(autouse=True)
def _database_server(transactional_db):
    # The SQLite test database lives in memory, shared by the live server's threads
    # under table locks: two writes at once fail there ("database table is locked")
    # whatever the portal does. The portal is deployed on PostgreSQL.
    if connection.vendor != "postgresql":
        pytest.skip("two requests writing at once need PostgreSQL")


def at_once(*calls):
    """Run the calls in threads released together; their results, in order."""
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        start.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(result is not None for result in results), "a request did not finish"
    return results


def signed_in_browser(live_server) -> Browser:
    browser = Browser(live_server.url)
    user = make_user(RoleCode.PROVINCE_LEADER)  # who sends to the Ministry
    browser.sign_in(user.username, PASSWORD)
    return browser


def test_a_recommendation_posted_twice_at_once_is_created_once(live_server, own_redis):
    browser = signed_in_browser(live_server)
    field = Field.objects.get(code="CNTT")
    for number in range(ROUNDS):
        page = browser.get("/proposals/new/")
        assert page.status == 200
        form = {
            "title": f"Đề nghị hướng dẫn kết nối LGSP, lần bấm đúp {number}",
            "content": "Sở đề nghị Bộ hướng dẫn kết nối nền tảng tích hợp cấp tỉnh.",
            "field": field.pk,
            "channel": "briefing",
            "quarter": "2020-3",
            "submission_key": hidden_value(page.text, "submission_key"),
            "submit": "1",
        }
        click = functools.partial(browser.post, "/proposals/new/", form)
        first, second = at_once(click, click)

        rec = Recommendation.objects.get(submission_key=form["submission_key"])
        # Both clicks save the one draft and land on its confirmation page, as if the
        # second had not happened; both clicks of "confirm" send it once.
        assert (first.status, second.status) == (302, 302), (first.text[:300], second.text[:300])
        confirm_url = f"/proposals/{rec.pk}/do/submit/"
        assert first.headers["Location"] == second.headers["Location"] == confirm_url
        assert rec.status == Status.DRAFT
        confirm = functools.partial(browser.post, confirm_url, confirmed({"note": ""}))
        first, second = at_once(confirm, confirm)
        assert first.headers["Location"] == second.headers["Location"] == f"/proposals/{rec.pk}/"
        rec.refresh_from_db()
        assert rec.status == Status.SUBMITTED
        # Submitted once: one event, so one e-mail to the Ministry Office.
        assert Event.objects.filter(recommendation=rec, action="submit").count() == 1
    # The click that lost the race gave its number back: no gaps in the codes.
    codes = sorted(Recommendation.objects.values_list("code", flat=True))
    assert codes == [f"KN-2020-Q3-{n:04d}" for n in range(1, ROUNDS + 1)]


def test_an_indicator_report_posted_twice_at_once_is_submitted_once(live_server, own_redis):
    browser = signed_in_browser(live_server)
    assert browser.get(INDICATOR_FORM).status == 200
    values = confirmed(INDICATOR_VALUES | {"submit": "1"})

    click = functools.partial(browser.post, INDICATOR_FORM, values)
    answers = at_once(click, click)

    statuses = sorted(answer.status for answer in answers)
    # One was taken; the other found it sent already and says so, showing what was sent
    # (409), rather than errors about a report that is no longer a draft.
    assert statuses == [302, 409], [a.text[:500] for a in answers]
    submission = Submission.objects.get()
    assert submission.status == ReportStatus.SUBMITTED
    assert Value.objects.filter(submission=submission).count() == len(INDICATOR_VALUES)
    assert ReportEvent.objects.filter(submission=submission, action="submit").count() == 1
