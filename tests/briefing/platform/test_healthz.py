"""/healthz: database, cache, broker and workers; 200 when all answer, 503 otherwise."""

import time

import pytest
from celery.contrib.testing.worker import start_worker

from briefing.celery import app
from briefing.models.organisations import RoleCode

pytestmark = pytest.mark.django_db

MONITORING_TOKEN = "mat-ma-giam-sat-0123456789"
DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.CELERY_BROKER_URL = DEAD_REDIS
    settings.CELERY_TASK_ALWAYS_EAGER = False


@pytest.fixture(autouse=True)
def monitoring(settings, client):
    """The calls below are monitoring's, with its token, unless a test says otherwise."""
    settings.HEALTHZ_TOKEN = MONITORING_TOKEN
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {MONITORING_TOKEN}"


@pytest.fixture
def _clean_cache():
    """Overrides the autouse fixture: these tests point the cache at a dead Redis."""
    yield


def test_503_while_redis_is_unreachable(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["workers"]["ok"] is False


def test_anonymous_callers_learn_the_status_and_nothing_of_the_hosts(client, redis_down):
    del client.defaults["HTTP_AUTHORIZATION"]
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer wrong-token"}):
        response = client.get("/healthz", **headers)
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable"}
        assert "127.0.0.1" not in response.content.decode()


def test_a_system_administrator_reads_the_details(client, redis_down, signed_in):
    del client.defaults["HTTP_AUTHORIZATION"]
    signed_in(RoleCode.SYSTEM_ADMIN)
    body = client.get("/healthz").json()
    assert "127.0.0.1" in body["checks"]["cache"]["detail"] + body["checks"]["broker"]["detail"]


def test_embedded_mode_is_healthy_without_services(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["workers"] == {"ok": True, "detail": "eager"}


def test_healthz_is_never_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]


needs_broker = pytest.mark.skipif(
    app.conf.task_always_eager or not app.conf.broker_url,
    reason="needs REDIS_URL (make test sets it)",
)


@needs_broker
def test_503_when_redis_answers_but_no_worker_does(client):
    body = client.get("/healthz").json()
    assert body["checks"]["cache"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert body["checks"]["workers"]["ok"] is False


@needs_broker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_200_with_redis_and_a_running_worker(client):
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        deadline = time.monotonic() + 15
        while True:
            response = client.get("/healthz")
            if response.status_code == 200 or time.monotonic() > deadline:
                break
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["workers"]["detail"] == "1 answering"
