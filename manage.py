#!/usr/bin/env python
"""Django's command-line utility for the Giao ban portal."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "briefing.settings")
    from django.core.management import execute_from_command_line

    from briefing.env import EnvError

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018  (load settings now, to report bad env in one line)
    except EnvError as exc:
        sys.exit(f"Configuration error: {exc}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
