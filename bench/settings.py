"""Settings of the benchmark server: the portal's own settings plus bench/urls.py.

`make bench` runs every bench/*.py as a script; this file is a module, so run as a
script it does nothing.
"""

if __name__ == "__main__":
    raise SystemExit(0)

from briefing.settings import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
