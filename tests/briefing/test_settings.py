"""Settings come from the environment; bad or missing values are named in one line."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.env import EnvError, email_settings

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = secrets.token_urlsafe(60)


def manage(*args, **env):
    skip = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in skip}
    for key in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"):
        clean.pop(key, None)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_one_line_naming(result, variable):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]


def test_debug_off_without_secret_key_names_it():
    assert_one_line_naming(manage("check", DEBUG="0", ALLOWED_HOSTS="example.vn"), "SECRET_KEY")


def test_debug_off_without_allowed_hosts_names_it():
    assert_one_line_naming(manage("check", DEBUG="0", SECRET_KEY=GOOD_SECRET), "ALLOWED_HOSTS")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "mysql://root@localhost/x"),
        ("DATABASE_URL", "postgres://"),
        ("REDIS_URL", "http://localhost:6379"),
        ("DEBUG", "maybe"),
        ("EMAIL_URL", "smtp://mail.example.vn:notaport"),
        ("SESSION_COOKIE_AGE", "eight hours"),
    ],
)
def test_malformed_variable_is_named_in_one_line(variable, value):
    assert_one_line_naming(manage("check", **{variable: value}), variable)


def test_deploy_check_is_clean_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="giaoban.example.vn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_nothing_set_runs_embedded():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'],"
        " s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_redis_url_switches_to_redis_and_real_workers():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s;"
        "print(s.CACHES['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)",
        REDIS_URL="redis://localhost:6379/3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "briefing.platform.cache_backend.PooledRedisCache",
        "False",
        "redis://localhost:6379/3",
    ]


def test_email_url_smtp_with_tls():
    parsed = email_settings("smtp://user%40bo.vn:p%40ss@mail.example.vn:587?tls=1")
    assert parsed["EMAIL_HOST"] == "mail.example.vn"
    assert parsed["EMAIL_PORT"] == 587
    assert parsed["EMAIL_HOST_USER"] == "user@bo.vn"
    assert parsed["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert parsed["EMAIL_USE_TLS"] is True
    assert parsed["EMAIL_USE_SSL"] is False


def test_email_url_defaults_to_console():
    assert email_settings(None)["EMAIL_BACKEND"].endswith("console.EmailBackend")


def test_bad_email_port_raises_env_error():
    with pytest.raises(EnvError, match="EMAIL_URL"):
        email_settings("smtp://mail.example.vn:99999999")
