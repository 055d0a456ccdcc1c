"""Redis stops while staff work: everyone still signs in and works, nobody sees a 5xx,
and the follow-up work waits in the outbox until Redis is back, then runs once."""

import datetime
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection
from django.test import Client
from django.utils import timezone

from briefing.celery import app
from briefing.models.organisations import Organisation, RoleCode
from briefing.models.platform import OutboxMessage
from briefing.platform.outbox import outbox_sweep
from indicators.models import Status as ReportStatus
from indicators.models import Submission
from proposals.models import Answer, Field, Recommendation, Status
from tests.confirmation import confirmed, send_form
from tests.conftest import PASSWORD, make_user
from tests.indicators.test_views import FORM as INDICATOR_FORM
from tests.indicators.test_views import FULL as INDICATOR_VALUES

PUBLIC_PAGES = ["/", "/answers/", "/answers/?q=chuyen+doi+so", "/indicators/", "/api/v1/answers/"]


class Person:
    """A browser of its own, signed in through the login form as a person would."""

    def __init__(self, role, **kwargs):
        self.user = make_user(role, **kwargs)
        self.client = Client()
        self.seen = []

    def sign_in(self):
        response = self.post(
            "/accounts/login/", {"username": self.user.username, "password": PASSWORD}
        )
        assert response.status_code == 302, response.content[:500]
        return response

    def get(self, url, **kwargs):
        response = self.client.get(url, **kwargs)
        self.seen.append((url, response.status_code))
        return response

    def post(self, url, data, **kwargs):
        response = self.client.post(url, data, **kwargs)
        self.seen.append((url, response.status_code))
        return response


def errors(*people):
    return [(url, status) for person in people for url, status in person.seen if status >= 500]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_sign_in_and_work_while_redis_is_down_and_the_outbox_delivers_after(own_redis):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the worker thread shares the test database")
    province = Person(RoleCode.PROVINCE_LEADER)  # the leader sends to the Ministry
    office = Person(RoleCode.OFFICE_COORDINATOR)
    officer = Person(RoleCode.UNIT_OFFICER)
    leader = Person(RoleCode.UNIT_LEADER)
    reader = Person(RoleCode.SYSTEM_ADMIN)  # signs in, but reads the public pages
    everyone = (province, office, officer, leader, reader)

    own_redis.stop()

    for person in everyone:
        person.sign_in()
    for url in PUBLIC_PAGES:
        assert Client().get(url).status_code == 200, url

    send_form(
        province,
        "/proposals/new/",
        {
            "title": "Đề nghị hướng dẫn kết nối LGSP khi Redis ngừng",
            "content": "Sở đề nghị Bộ hướng dẫn kết nối nền tảng tích hợp cấp tỉnh.",
            "field": Field.objects.get(code="CNTT").pk,
            "channel": "briefing",
            "quarter": "2020-3",
            "submission_key": str(uuid.uuid4()),
            "submit": "1",
        },
    )
    rec = Recommendation.objects.get()
    assert rec.status == Status.SUBMITTED

    office.get("/proposals/")
    office.post(
        f"/proposals/{rec.pk}/accept/",
        {
            "unit": Organisation.objects.get(code="CUC-THH").pk,
            "deadline": (timezone.localdate() + datetime.timedelta(days=10)).strftime("%d/%m/%Y"),
        },
    )
    officer.post(
        f"/proposals/{rec.pk}/answer/",
        {"text": "Bộ đã ban hành hướng dẫn tại văn bản số 2719.", "version": 0, "send": "1"},
    )
    leader.post(f"/proposals/{rec.pk}/do/approve/", confirmed({"note": ""}))
    province.post(INDICATOR_FORM, confirmed(INDICATOR_VALUES | {"submit": "1"}))
    for person in everyone:
        person.get("/workspace/")
    rec.refresh_from_db()

    assert errors(*everyone) == []
    assert rec.status == Status.ANSWER_APPROVED
    assert Submission.objects.get().status == ReportStatus.SUBMITTED
    waiting = OutboxMessage.objects.filter(sent_at__isnull=True)
    assert waiting.count() >= 4  # submit, accept, send to leader, approve: none reached Redis
    assert all("Error" in message.last_error for message in waiting)

    own_redis.start()
    waiting.update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert outbox_sweep() == OutboxMessage.objects.count()
        deadline = timezone.now() + datetime.timedelta(seconds=20)
        while rec.status != Status.PUBLISHED and timezone.now() < deadline:
            rec.refresh_from_db()
    assert rec.status == Status.PUBLISHED
    assert Answer.objects.get(recommendation=rec).published_text.startswith("Bộ đã ban hành")
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    assert Client().get(f"/answers/{rec.code}/").status_code == 200
