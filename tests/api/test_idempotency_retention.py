"""Idempotency-Keys are kept API_IDEMPOTENCY_DAYS: the periodic job deletes older ones in
batches, and an older one not yet deleted is not replayed (the retry acts anew)."""

import datetime

from django.conf import settings
from django.utils import timezone

from briefing.models.api_tokens import ApiIdempotencyKey
from briefing.organisations import api_tokens
from briefing.organisations.tasks import prune_idempotency_keys
from proposals.models import Recommendation
from tests.api.test_recommendations import item, post


def _age(key: str, *, days: float) -> None:
    ApiIdempotencyKey.objects.filter(key=key).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_the_job_deletes_expired_keys_in_batches_and_keeps_recent_ones(client, key):
    for name in ("cu-1", "cu-2", "cu-3", "moi"):
        assert post(client, item(), key, HTTP_IDEMPOTENCY_KEY=name).status_code == 201
    for name in ("cu-1", "cu-2", "cu-3"):
        _age(name, days=settings.API_IDEMPOTENCY_DAYS + 0.01)
    _age("moi", days=settings.API_IDEMPOTENCY_DAYS - 0.01)

    assert api_tokens.prune_idempotency_keys(batch_size=2) == 3  # two batches
    assert list(ApiIdempotencyKey.objects.values_list("key", flat=True)) == ["moi"]
    assert prune_idempotency_keys() == 0  # the task: nothing left to delete
    again = post(client, item(), key, HTTP_IDEMPOTENCY_KEY="moi")
    assert again["Idempotent-Replayed"] == "true"  # the recent one still replays
    assert Recommendation.objects.count() == 4


def test_an_expired_key_is_not_replayed_but_acts_anew(client, key):
    first = post(client, item(), key, HTTP_IDEMPOTENCY_KEY="lan-gui-cu")
    assert first.status_code == 201
    _age("lan-gui-cu", days=settings.API_IDEMPOTENCY_DAYS + 0.01)

    again = post(client, item(), key, HTTP_IDEMPOTENCY_KEY="lan-gui-cu")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert again.json()["code"] != first.json()["code"]
    assert Recommendation.objects.count() == 2
    # The key now holds the new answer, which a retry replays.
    third = post(client, item(), key, HTTP_IDEMPOTENCY_KEY="lan-gui-cu")
    assert third["Idempotent-Replayed"] == "true" and third.json() == again.json()
    assert ApiIdempotencyKey.objects.get(key="lan-gui-cu").response == again.json()


def test_an_expired_key_with_another_body_is_not_a_conflict(client, key):
    assert post(client, item(), key, HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    _age("k", days=settings.API_IDEMPOTENCY_DAYS + 0.01)
    other = post(client, item(title="Một đề nghị khác hẳn"), key, HTTP_IDEMPOTENCY_KEY="k")
    assert other.status_code == 201


def test_pruning_is_in_the_beat_schedule():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "briefing.prune_idempotency_keys" in tasks
    assert prune_idempotency_keys.name == "briefing.prune_idempotency_keys"
