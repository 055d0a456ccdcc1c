"""WSGI entry point, used by gunicorn in production."""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "briefing.settings")

from briefing.env import EnvError  # noqa: E402

try:
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
except EnvError as exc:
    sys.exit(f"Configuration error: {exc}")
