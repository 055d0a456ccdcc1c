import pytest
from django.conf import settings
from django.core.cache import cache

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL")


def test_the_redis_cache_reuses_one_client_and_still_works():
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    cache.set("pooled-check", {"số": 7793}, 10)
    assert cache.get("pooled-check") == {"số": 7793}
    assert cache.get_many(["pooled-check", "missing"]) == {"pooled-check": {"số": 7793}}
