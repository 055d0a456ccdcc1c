"""Notifications: who is told what (recommendations and indicator reports), the bell,
the page that lists them, opening one, and e-mail as each person chose."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from briefing.models.organisations import EmailPreference, Notification, RoleCode
from briefing.organisations import notifications
from indicators import notifications as indicator_notices
from indicators import services as indicator_services
from proposals.models import Event, Status
from proposals.tasks import notify_event
from tests.conftest import count_queries, make_user
from tests.indicators.conftest import org, period
from tests.indicators.test_services import submit
from tests.proposals.conftest import bring_to, make_people


@pytest.fixture
def people(db):
    people = make_people()
    for key, person in people.items():
        person.email = f"{key}@gov.vn"
        person.save()
    return people


def run_event(rec, action) -> int:
    event = Event.objects.filter(recommendation=rec, action=action).latest("pk")
    return notify_event.apply(kwargs={"event_id": event.pk}).get()


def officers_send(person) -> None:
    """The person's department lets its officers send to the Ministry themselves."""
    organisation = person.organisation
    organisation.officers_may_send = True
    organisation.save()


def notices_of(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user))


class TestRecommendationEvents:
    def test_acceptance_tells_the_unit_and_the_whole_department(self, people):
        rec = bring_to(Status.ACCEPTED, people)
        mail.outbox.clear()
        run_event(rec, "accept")
        for key in ("province", "province_leader", "officer", "leader"):
            [notice] = notices_of(people[key])
            assert notice.url == f"/proposals/{rec.pk}/"
            assert rec.code in notice.text and "CUC-THH" not in notice.text
        # The office took the step; another department and another unit are not told.
        for key in ("office", "other_province", "other_officer"):
            assert notices_of(people[key]) == []
        assert sorted(mail.outbox[0].to) == [
            "leader@gov.vn",
            "officer@gov.vn",
            "province@gov.vn",
            "province_leader@gov.vn",
        ]

    def test_return_and_answer_reach_the_department(self, people):
        returned = bring_to(Status.RETURNED, people)
        run_event(returned, "return")
        assert len(notices_of(people["province_leader"])) == 1
        answered = bring_to(Status.ANSWER_APPROVED, people)
        run_event(answered, "approve")
        urls = [n.url for n in notices_of(people["province_leader"])]
        assert f"/proposals/{answered.pk}/" in urls

    def test_email_follows_each_persons_choice(self, people):
        people["province_leader"].email_preference = EmailPreference.DIGEST
        people["province_leader"].save()
        people["leader"].email_preference = EmailPreference.NONE
        people["leader"].save()
        rec = bring_to(Status.ACCEPTED, people)
        mail.outbox.clear()
        run_event(rec, "accept")
        assert sorted(mail.outbox[0].to) == ["officer@gov.vn", "province@gov.vn"]
        # Under the bell all the same.
        assert notices_of(people["leader"]) and notices_of(people["province_leader"])
        [digest_one] = notices_of(people["province_leader"])
        assert digest_one.emailed_at is None

    def test_a_rerun_after_a_failed_mail_writes_no_second_notification(self, people):
        rec = bring_to(Status.ACCEPTED, people)
        event = Event.objects.filter(recommendation=rec, action="accept").latest("pk")
        run_event(rec, "accept")
        Event.objects.filter(pk=event.pk).update(notified_at=None)
        run_event(rec, "accept")
        assert len(notices_of(people["officer"])) == 1


class TestPages:
    def test_bell_counts_unread_on_every_page_and_opening_marks_read(self, client, people):
        rec = bring_to(Status.ACCEPTED, people)
        run_event(rec, "accept")
        client.force_login(people["officer"])
        for path in ("/workspace/", "/proposals/", "/answers/"):
            body = client.get(path).content.decode()
            assert 'data-unread-count="1"' in body, path
        [notice] = notices_of(people["officer"])
        listing = client.get("/notifications/").content.decode()
        assert "data-unread" in listing and rec.code in listing
        response = client.get(f"/notifications/{notice.pk}/")
        assert response.status_code == 302 and response["Location"] == f"/proposals/{rec.pk}/"
        notice.refresh_from_db()
        assert notice.read_at is not None
        assert "data-unread-count" not in client.get("/workspace/").content.decode()

    def test_another_persons_notification_is_a_404_and_stays_unread(self, client, people):
        rec = bring_to(Status.ACCEPTED, people)
        run_event(rec, "accept")
        [notice] = notices_of(people["officer"])
        client.force_login(people["other_officer"])
        assert client.get(f"/notifications/{notice.pk}/").status_code == 404
        notice.refresh_from_db()
        assert notice.read_at is None

    def test_mark_all_read(self, client, people):
        for _ in range(3):
            run_event(bring_to(Status.ACCEPTED, people), "accept")
        client.force_login(people["officer"])
        assert client.post("/notifications/read-all/").status_code == 302
        assert not Notification.objects.filter(user=people["officer"], read_at__isnull=True)
        assert notifications.unread_count(people["officer"]) == 0

    def test_anonymous_visitors_see_no_bell(self, client, db):
        assert "data-bell" not in client.get("/answers/").content.decode()

    def test_list_query_count_does_not_grow(self, client, people, django_assert_num_queries):
        user = people["officer"]
        client.force_login(user)
        notifications.notify(users=[user], message="%(code)s changed", params={"code": "A"})
        few = count_queries(client, "/notifications/")
        for i in range(25):
            notifications.notify(users=[user], message="%(code)s changed", params={"code": i})
        client.get("/workspace/")  # the bell's count is cached again
        with django_assert_num_queries(few):
            response = client.get("/notifications/")
        assert len(response.context["page"]) == 26

    def test_the_email_setting_is_saved_and_a_wrong_choice_is_refused(self, client, people):
        user = people["officer"]
        client.force_login(user)
        response = client.post("/notifications/settings/", {"email_preference": "often"})
        assert response.status_code == 200
        assert response.context["form"].errors["email_preference"]
        user.refresh_from_db()
        assert user.email_preference == EmailPreference.EVERY
        response = client.post("/notifications/settings/", {"email_preference": "digest"})
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.email_preference == EmailPreference.DIGEST


class TestEmail:
    def test_every_event_mail_is_sent_once(self, people, django_capture_on_commit_callbacks):
        user = people["officer"]
        [notice] = notifications.notify(
            users=[user], message="%(code)s changed", params={"code": "KN-1"}, url="/proposals/"
        )
        mail.outbox.clear()
        assert notifications.email_notifications(notification_ids=[notice.pk]) == 1
        assert notifications.email_notifications(notification_ids=[notice.pk]) == 0
        assert mail.outbox[0].to == ["officer@gov.vn"]
        assert "KN-1" in mail.outbox[0].subject and "/proposals/" in mail.outbox[0].body

    def test_the_digest_lists_the_days_notifications_once(self, people):
        user = people["province"]
        user.email_preference = EmailPreference.DIGEST
        user.save()
        for code in ("KN-1", "KN-2"):
            notifications.notify(users=[user], message="%(code)s changed", params={"code": code})
        mail.outbox.clear()
        assert notifications.send_digests() == 1
        assert notifications.send_digests() == 0
        assert mail.outbox[0].to == ["province@gov.vn"]
        assert "KN-1" in mail.outbox[0].body and "KN-2" in mail.outbox[0].body
        assert not Notification.objects.filter(user=user, emailed_at__isnull=True)

    def test_no_email_for_those_who_chose_none(self, people):
        user = people["province"]
        user.email_preference = EmailPreference.NONE
        user.save()
        [notice] = notifications.notify(users=[user], message="x")
        mail.outbox.clear()
        assert notifications.email_notifications(notification_ids=[notice.pk]) == 0
        assert notifications.send_digests() == 0
        assert mail.outbox == []


class TestIndicatorReports:
    def test_returned_and_approved_reach_the_department(self, people):
        unit_officer = people["officer"]
        officers_send(people["province"])
        report = submit(people["province"])
        # The owner unit is told a report arrived.
        [arrived] = notices_of(unit_officer)
        assert arrived.url == f"/indicators/reports/{report.pk}/"
        indicator_services.report_return(
            submission_id=report.pk, actor=unit_officer, note="Kiểm tra lại số liệu"
        )
        [returned] = notices_of(people["province_leader"])
        assert returned.params["title"] == "Kiểm tra lại số liệu"
        assert returned.url == "/indicators/report/Q3-2020/CUC-THH/"
        submit(people["province"])
        indicator_services.report_approve(submission_id=report.pk, actor=unit_officer)
        assert len(notices_of(people["province_leader"])) == 2
        # Nobody is told what they did themselves.
        assert all(
            n.user_id != unit_officer.pk
            for n in Notification.objects.exclude(url__startswith="/indicators/reports/")
        )

    def test_due_soon_and_overdue_reminders_are_written_once(self, people):
        q3 = period("Q3/2020")
        due = q3.due_date
        written = indicator_notices.remind_due_reports(today=due - datetime.timedelta(days=2))
        assert written > 0
        [soon] = notices_of(people["province"])
        assert soon.key == f"indicators:due:{q3.pk}" and soon.params["count"] >= 1
        assert indicator_notices.remind_due_reports(today=due - datetime.timedelta(days=1)) == 0
        indicator_notices.remind_due_reports(today=due + datetime.timedelta(days=1))
        keys = {n.key for n in notices_of(people["province"])}
        assert f"indicators:overdue:{q3.pk}" in keys

    def test_a_department_that_sent_everything_is_not_reminded(self, people):
        q3 = period("Q3/2020")
        officers_send(people["province"])
        report = submit(people["province"])
        assert report.status == "submitted"
        indicator_notices.remind_due_reports(today=q3.due_date)
        province = org("T63-37")
        units = {
            i.owner_unit_id
            for i in indicator_notices.selectors.indicators_for(period_type="quarter")
            if i.applies_to(province)
        }
        reminders = [n for n in notices_of(people["province"]) if n.key]
        if units == {org("CUC-THH").pk}:
            assert reminders == []
        else:
            assert reminders[0].params["count"] == len(units) - 1


def test_notify_skips_inactive_people_and_the_actor(db):
    officer = make_user(RoleCode.UNIT_OFFICER)
    leader = make_user(RoleCode.UNIT_LEADER)
    leader.is_active = False
    leader.save()
    assert notifications.notify(users=[officer, leader], message="x", actor=officer) == []
    assert timezone.now()
