"""Nothing irreversible in one click: sending to the Ministry, approving an answer
(which publishes it), rejecting and publishing first show a page that says what will
happen and who will see it; only its confirmed POST acts (no JavaScript needed)."""

import datetime
import uuid

import pytest
from django.utils import timezone

from briefing.models.platform import OutboxMessage
from proposals.models import Field, Status
from tests.confirmation import confirmed
from tests.proposals.conftest import bring_to, new_recommendation

pytestmark = pytest.mark.django_db


def action(rec, name):
    return f"/proposals/{rec.pk}/do/{name}/"


def english(client):
    client.cookies["giaoban_language"] = "en"
    return client


# (action, state, who, note, what the page must say)
CASES = [
    (
        "submit",
        Status.DRAFT,
        "province_leader",
        "",
        [
            "is sent to the Ministry Office in the name of",
            "You can no longer edit it",
            "The Ministry Office: it is e-mailed",
        ],
    ),
    (
        "approve",
        Status.ANSWER_DRAFTED,
        "leader",
        "Đồng ý.",
        [
            "It is published on the public portal at once.",
            "Everyone: the answer is public on the portal.",
            "the subscribers of its field are e-mailed",
        ],
    ),
    (
        "reject",
        Status.SUBMITTED,
        "office",
        "Ngoài phạm vi của Bộ.",
        [
            "is closed as out of scope",
            "This cannot be undone",
            "is e-mailed the reason",
        ],
    ),
    (
        "publish",
        Status.ANSWER_APPROVED,
        "office",
        "",
        ["is published on the public portal now", "Everyone: the answer is public"],
    ),
]
TARGET = {
    "submit": Status.SUBMITTED,
    "approve": Status.ANSWER_APPROVED,
    "reject": Status.REJECTED,
    "publish": Status.PUBLISHED,
}


@pytest.mark.parametrize(("name", "state", "who", "note", "says"), CASES)
def test_a_post_without_confirmation_changes_nothing_and_explains(
    client, people, name, state, who, note, says
):
    rec = bring_to(state, people)
    events, outbox = rec.events.count(), OutboxMessage.objects.count()
    english(client).force_login(people[who])
    for response, posted in (
        (client.get(action(rec, name)), ""),
        (client.post(action(rec, name), {"note": note}), note),
        (client.post(action(rec, name), {"note": note, "confirmed": "yes"}), note),
    ):
        assert response.status_code == 200
        html = response.content.decode()
        assert f'data-confirm="{name}"' in html
        assert 'name="confirmed" value="1"' in html
        assert rec.code in html
        for text in says:
            assert text in html
        assert posted in html  # the note typed on the recommendation's page is kept
    rec.refresh_from_db()
    assert rec.status == state
    assert rec.events.count() == events
    assert OutboxMessage.objects.count() == outbox  # nobody was told anything


@pytest.mark.parametrize(("name", "state", "who", "note", "says"), CASES)
def test_the_confirmed_post_acts(client, people, name, state, who, note, says):
    rec = bring_to(state, people)
    client.force_login(people[who])
    response = client.post(action(rec, name), confirmed({"note": note}))
    assert response.status_code == 302
    assert response["Location"] == f"/proposals/{rec.pk}/"
    rec.refresh_from_db()
    assert rec.status == TARGET[name]
    assert rec.events.filter(action=name).count() == 1


def test_confirming_does_not_bypass_the_rules(client, people):
    """The confirmation is not a permission: an officer of a department whose leaders
    sign gets no confirmation page, and a confirmed POST of theirs is refused."""
    rec = new_recommendation(people["province"])
    client.force_login(people["province"])
    assert client.get(action(rec, "submit")).status_code == 403
    client.post(action(rec, "submit"), confirmed({"note": ""}))
    rec.refresh_from_db()
    assert rec.status == Status.DRAFT
    assert not rec.events.exists()


def test_reject_needs_its_reason_on_the_confirmation_page_too(client, people):
    rec = bring_to(Status.SUBMITTED, people)
    client.force_login(people["office"])
    response = client.post(action(rec, "reject"), confirmed({"note": "  "}))
    assert response.status_code == 400
    assert "note" in response.context["form"].errors
    rec.refresh_from_db()
    assert rec.status == Status.SUBMITTED


def test_the_detail_page_says_a_confirmation_follows(client, people):
    rec = bring_to(Status.ANSWER_DRAFTED, people)
    english(client).force_login(people["leader"])
    html = client.get(f"/proposals/{rec.pk}/").content.decode()
    assert 'data-action="approve" aria-describedby="confirm-note-approve"' in html
    assert "The next page says what will happen and asks you to confirm." in html
    # Sending back is undone by sending again: no confirmation.
    assert 'aria-describedby="confirm-note-send_back"' not in html


def test_an_approval_scheduled_later_says_when(client, people):
    rec = bring_to(Status.ANSWER_DRAFTED, people)
    rec.publish_at = timezone.now() + datetime.timedelta(days=3)
    rec.save()
    english(client).force_login(people["leader"])
    html = client.get(action(rec, "approve")).content.decode()
    assert "the time the Ministry Office set" in html
    assert "at once" not in html


def edit_data(rec, **extra):
    return {
        "title": rec.title,
        "content": rec.content,
        "field": Field.objects.get(code="CNTT").pk,
        "channel": "briefing",
        "quarter": f"{rec.period_year}-{rec.period_quarter}",
        "submission_key": str(uuid.uuid4()),
        **extra,
    }


class TestTheFormsSendButton:
    def test_the_leader_s_send_saves_the_draft_and_asks_to_confirm(self, client, people):
        rec = new_recommendation(people["province"])
        english(client).force_login(people["province_leader"])
        data = edit_data(rec, title="Đề nghị hướng dẫn LGSP (đã sửa)", submit="1")
        response = client.post(f"/proposals/{rec.pk}/edit/", data)
        assert response.status_code == 302
        assert response["Location"] == action(rec, "submit")
        rec.refresh_from_db()
        # The input is kept (saved), nothing is sent yet.
        assert rec.title == "Đề nghị hướng dẫn LGSP (đã sửa)"
        assert rec.status == Status.DRAFT
        assert not rec.events.exists()
        page = client.get(response["Location"]).content.decode()
        assert "was saved as a draft. Confirm below to send it." in page
        assert 'data-confirm="submit"' in page
        client.post(response["Location"], confirmed({"note": ""}))
        rec.refresh_from_db()
        assert rec.status == Status.SUBMITTED

    def test_a_returned_item_s_clarification_reaches_the_confirmation(self, client, people):
        rec = bring_to(Status.RETURNED, people)
        english(client).force_login(people["province_leader"])
        note = "Sở đã bổ sung số liệu quý 3."
        response = client.post(f"/proposals/{rec.pk}/edit/", edit_data(rec, submit="1", note=note))
        assert response["Location"].startswith(action(rec, "submit") + "?note=")
        page = client.get(response["Location"]).content.decode()
        assert note in page
        assert "Your clarification below goes with it." in page
        rec.refresh_from_db()
        assert rec.status == Status.RETURNED
        client.post(action(rec, "submit"), confirmed({"note": note}))
        rec.refresh_from_db()
        assert rec.status == Status.SUBMITTED
        assert rec.events.get(action="submit", from_status=Status.RETURNED).note == note

    def test_an_officer_s_send_asks_the_leaders_at_once(self, client, people):
        rec = new_recommendation(people["province"])
        client.force_login(people["province"])
        response = client.post(f"/proposals/{rec.pk}/edit/", edit_data(rec, submit="1"))
        assert response["Location"] == f"/proposals/{rec.pk}/"
        assert list(rec.events.values_list("action", flat=True)) == ["ask_signature"]
