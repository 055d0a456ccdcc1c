import time

import pytest
from django.conf import settings
from django.core.cache import cache

from briefing.platform.cache_backend import PooledRedisCache


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL")
def test_the_redis_cache_reuses_one_client_and_still_works():
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    cache.set("pooled-check", {"số": 7793}, 10)
    assert cache.get("pooled-check") == {"số": 7793}
    assert cache.get_many(["pooled-check", "missing"]) == {"pooled-check": {"số": 7793}}


def test_a_dead_redis_acts_as_a_miss_and_is_left_alone_for_a_while(monkeypatch):
    dead = PooledRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    assert dead.get("k", "mặc định") == "mặc định"
    assert dead.get_many(["a", "b"]) == {}
    assert dead.add("k", 1) is False
    assert dead.incr("counter") == 1  # rate limits let people through
    assert dead.set_many({"a": 1}) == ["a"]

    # Within RETRY_SECONDS the backend does not even try (no timeout per operation).
    def refuse(*args, **kwargs):
        raise AssertionError("Redis was tried again too soon")

    monkeypatch.setattr(dead._cache, "get_client", refuse)
    assert dead.get("k") is None
    monkeypatch.setattr(dead, "_down_until", time.monotonic() - 1)
    with pytest.raises(AssertionError, match="too soon"):
        dead.get("k")
