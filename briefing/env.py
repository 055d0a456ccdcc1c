"""Reading settings from the environment.

Every reader raises EnvError naming the variable, so that manage.py, wsgi.py and the
Celery app can print one line instead of a traceback.
"""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class EnvError(ImproperlyConfigured):
    pass


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        if required:
            raise EnvError(f"{name} must be set (see README, section Production).")
        return default
    return value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise EnvError(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise EnvError(f"{name} must be a whole number; got {value!r}.") from None


def env_positive_int(name: str, default: int) -> int:
    value = env_int(name, default)
    if value < 1:
        raise EnvError(f"{name} must be at least 1; got {value!r}.")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_url(name: str, schemes: set[str]) -> str | None:
    """Return the URL in `name` after checking its scheme, or None when unset."""
    value = env_str(name)
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in schemes:
        expected = ", ".join(sorted(f"{s}://" for s in schemes))
        raise EnvError(f"{name} must start with one of {expected}; got {value!r}.")
    if parts.scheme not in {"sqlite", "console", "locmem", "dummy"} and not parts.hostname:
        raise EnvError(f"{name} has no host name; got {value!r}.")
    return value


def email_settings(url: str | None) -> dict:
    """Translate EMAIL_URL (smtp://user:pass@host:587?tls=1, console://, locmem://)
    into every EMAIL_* setting; the console backend when it is not set."""
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
    }
    local = {
        "EMAIL_HOST": "localhost",
        "EMAIL_PORT": 25,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": False,
    }
    if url is None:
        return {"EMAIL_BACKEND": backends["console"], **local}
    parts = urlsplit(url)
    if parts.scheme in backends:
        return {"EMAIL_BACKEND": backends[parts.scheme], **local}
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        raise EnvError(f"EMAIL_URL has an invalid port; got {url!r}.") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": query.get("tls", "").lower() in _TRUE,
    }
