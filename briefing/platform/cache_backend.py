"""Django's Redis cache, made to degrade instead of failing, and keeping one client per
connection pool.

A cache is an optimisation: when Redis is down or unreachable, every operation acts as
a miss (reads give the default, writes store nothing), so pages are rendered afresh,
rate limits let people through and sessions (in the database) carry on; nobody sees an
error. After a failure the process leaves Redis alone for `RETRY_SECONDS`, so a Redis
that does not answer costs one timeout now and then, not one per operation.

Django builds a new redis.Redis object for every cache operation (about 0.15 ms each
here); the cached public pages do two or three operations per request, so reusing the
client is a measurable share of their time. Clients are thread-safe and share the
pool's connections.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

RETRY_SECONDS = 5
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class _PooledClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


def _degrade(fallback):
    """Run the operation unless Redis failed lately; on failure return `fallback(*args,
    **kwargs)` and stay away for RETRY_SECONDS."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < self._down_until:
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except UNAVAILABLE as exc:
                self._down_until = time.monotonic() + RETRY_SECONDS
                log.warning("cache unavailable for %ss: %s", RETRY_SECONDS, exc)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


def _false(*args, **kwargs):
    return False


def _none(*args, **kwargs):
    return None


def _no_keys(*args, **kwargs):
    return {}


def _all_failed(data, *args, **kwargs):
    return list(data)


def _delta(key, delta=1, *args, **kwargs):
    # As if the counter had just started: rate limits let the request through.
    return delta


class PooledRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _PooledClient
        self._down_until = 0.0

    get = _degrade(_default)(RedisCache.get)
    set = _degrade(_none)(RedisCache.set)
    add = _degrade(_false)(RedisCache.add)
    touch = _degrade(_false)(RedisCache.touch)
    delete = _degrade(_false)(RedisCache.delete)
    has_key = _degrade(_false)(RedisCache.has_key)
    incr = _degrade(_delta)(RedisCache.incr)
    get_many = _degrade(_no_keys)(RedisCache.get_many)
    set_many = _degrade(_all_failed)(RedisCache.set_many)
    delete_many = _degrade(_none)(RedisCache.delete_many)
    clear = _degrade(_false)(RedisCache.clear)
