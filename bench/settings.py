"""Settings of the benchmark server: the portal's own settings plus bench/urls.py.

`make bench` runs every bench/*.py as a script; this file is a module, so run as a
script it does nothing.
"""

if __name__ == "__main__":
    raise SystemExit(0)

from briefing.settings import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
# collectstatic's copy for the benchmark's servers, outside the project's STATIC_ROOT:
# WhiteNoise reads STATIC_ROOT each time its middleware is made, so 1,100 collected
# files there slow every test client of the suite by a third.
STATIC_ROOT = BASE_DIR / ".cache" / "bench-static"  # noqa: F405
