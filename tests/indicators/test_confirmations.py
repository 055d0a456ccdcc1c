"""Sending a report to its owner unit, approving it and locking a period first show a
page that says what will happen and who will see it; only the confirmed POST acts."""

import pytest

from briefing.models.organisations import RoleCode
from indicators.models import Event, Status, Submission
from tests.confirmation import confirmed
from tests.conftest import make_user
from tests.indicators.conftest import period, stored
from tests.indicators.test_views import FORM, FULL

pytestmark = pytest.mark.django_db

LOCK = "/indicators/periods/Q3-2020/lock/"


def english(client):
    client.cookies["giaoban_language"] = "en"
    return client


def sent(client, people) -> Submission:
    client.force_login(people["province"])
    client.post(FORM, confirmed(FULL | {"submit": "1"}))
    return Submission.objects.get()


class TestSending:
    def test_the_send_button_shows_what_sending_does_and_stores_nothing(self, client, people):
        english(client).force_login(people["province"])
        before = stored()
        response = client.post(FORM, FULL | {"submit": "1", "comment": "Ghi chú"})
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-confirm="submit"' in html
        assert "is sent to Cục Tin học hóa" in html
        assert "Its values can no longer be changed, unless" in html
        assert "The public sees the values only once" in html
        # Every value goes along unchanged, with the confirmation and the send button.
        assert 'name="DVC_TONG" value="1200"' in html
        assert 'name="comment" value="Ghi chú"' in html
        assert 'name="confirmed" value="1"' in html
        assert 'name="submit"' in html
        assert stored() == before
        assert not Submission.objects.exists()

    def test_the_confirmed_post_sends(self, client, people):
        client.force_login(people["province"])
        response = client.post(FORM, confirmed(FULL | {"submit": "1"}))
        assert response.status_code == 302
        assert Submission.objects.get().status == Status.SUBMITTED

    def test_save_as_a_draft_instead(self, client, people):
        client.force_login(people["province"])
        response = client.post(FORM, confirmed(FULL | {"save": "1"}))
        assert response.status_code == 302
        assert Submission.objects.get().status == Status.DRAFT

    def test_wrong_values_are_shown_on_the_form_before_any_confirmation(self, client, people):
        client.force_login(people["province"])
        response = client.post(FORM, FULL | {"DVC_TONG": "-1", "submit": "1"})
        assert response.status_code == 400
        assert "data-confirm" not in response.content.decode()

    def test_an_officer_asking_the_leaders_to_sign_needs_no_confirmation(self, client, people):
        officer = make_user(RoleCode.PROVINCE_OFFICER)
        client.force_login(officer)
        response = client.post(FORM, FULL | {"submit": "1"})
        assert response.status_code == 302
        report = Submission.objects.get()
        assert report.status == Status.DRAFT
        assert Event.objects.filter(submission=report, action="ask_signature").count() == 1


class TestApproval:
    def test_the_page_says_what_approval_does_and_nothing_changes(self, client, people):
        report = sent(client, people)
        english(client).force_login(people["officer"])
        url = f"/indicators/reports/{report.pk}/approve/"
        for response in (client.get(url), client.post(url, {"note": "Đạt."})):
            assert response.status_code == 200
            html = response.content.decode()
            assert 'data-confirm="approve"' in html
            assert "count in the national figures" in html
            assert "Everyone: the values enter the public figures" in html
            assert "is told the report was approved" in html
        assert "Đạt." in html  # the comment typed on the report's page is kept
        report.refresh_from_db()
        assert report.status == Status.SUBMITTED
        assert not Event.objects.filter(submission=report, action="approve").exists()

    def test_the_confirmed_post_approves(self, client, people):
        report = sent(client, people)
        client.force_login(people["officer"])
        url = f"/indicators/reports/{report.pk}/approve/"
        response = client.post(url, confirmed({"note": "Đạt."}))
        assert response["Location"] == f"/indicators/reports/{report.pk}/"
        report.refresh_from_db()
        assert report.status == Status.APPROVED
        assert Event.objects.get(submission=report, action="approve").note == "Đạt."

    def test_only_the_owner_unit_gets_the_page(self, client, people):
        report = sent(client, people)
        url = f"/indicators/reports/{report.pk}/approve/"
        client.force_login(people["province"])
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 302  # refused, with a message
        client.force_login(people["other_unit"])
        assert client.get(url).status_code == 404
        assert client.get(f"/indicators/reports/{report.pk}/return/").status_code == 405
        report.refresh_from_db()
        assert report.status == Status.SUBMITTED


class TestLock:
    def test_the_page_says_what_locking_does_and_nothing_changes(self, client, people):
        english(client).force_login(people["office"])
        sent(client, people)
        english(client).force_login(people["office"])
        pk = period("Q3/2020").pk
        for response in (client.get(LOCK), client.post(LOCK, {f"p{pk}-note": "Hết hạn"})):
            assert response.status_code == 200
            html = response.content.decode()
            assert 'data-confirm="lock"' in html
            assert "no values can be entered, changed or sent for it" in html
            assert "Reports sent so far: 1, approved: 0." in html
            assert "Every reporting department and ministry unit" in html
        assert "Hết hạn" in html
        assert not period("Q3/2020").is_locked
        assert not Event.objects.filter(action="lock").exists()

    def test_the_confirmed_post_locks(self, client, people):
        client.force_login(people["office"])
        pk = period("Q3/2020").pk
        response = client.post(LOCK, confirmed({f"p{pk}-note": "Hết hạn"}))
        assert response["Location"] == "/indicators/periods/"
        assert period("Q3/2020").is_locked
        assert Event.objects.get(action="lock").note == "Hết hạn"

    def test_reopening_needs_no_confirmation_and_no_get(self, client, people):
        client.force_login(people["office"])
        client.post(LOCK, confirmed())
        pk = period("Q3/2020").pk
        reopen = "/indicators/periods/Q3-2020/reopen/"
        assert client.get(reopen).status_code == 405
        client.post(reopen, {f"p{pk}-note": "Sửa số liệu"})
        assert not period("Q3/2020").is_locked
