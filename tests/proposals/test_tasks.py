import datetime

import pytest
from django.core import mail
from django.utils import timezone

from proposals.models import OverdueDigest, Recommendation, Status
from proposals.tasks import send_overdue_digests
from tests.proposals.conftest import bring_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(people):
    people["leader"].email = "lanhdao@thh.gov.vn"
    people["leader"].save()
    recs = [bring_to(Status.ACCEPTED, people), bring_to(Status.ANSWER_DRAFTED, people)]
    Recommendation.objects.filter(pk__in=[r.pk for r in recs]).update(
        deadline=timezone.localdate() - datetime.timedelta(days=3)
    )
    bring_to(Status.ACCEPTED, people)  # not yet due
    mail.outbox.clear()
    return recs


def test_digest_lists_the_overdue_items_to_the_unit_leader(overdue):
    assert send_overdue_digests.apply().get() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lanhdao@thh.gov.vn"]
    for rec in overdue:
        assert rec.code in message.body
    assert message.body.count("KN-") == 2


def test_digest_is_sent_once_a_day_even_if_the_job_runs_twice(overdue):
    send_overdue_digests.apply()
    send_overdue_digests.apply()
    assert len(mail.outbox) == 1
    assert OverdueDigest.objects.count() == 1


def test_no_digest_without_overdue_items(people):
    bring_to(Status.ACCEPTED, people)
    mail.outbox.clear()
    assert send_overdue_digests.apply().get() == 0
    assert mail.outbox == []


def test_approved_answers_are_not_overdue(people, overdue):
    Recommendation.objects.filter(pk=overdue[1].pk).update(status=Status.ANSWER_APPROVED)
    send_overdue_digests.apply()
    assert overdue[1].code not in mail.outbox[0].body
