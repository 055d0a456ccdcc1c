"""The portal's URLs plus a minimal view, the reference of bench/public_pages.py.

`make bench` runs every bench/*.py as a script; this file is a module, so run as a
script it does nothing.
"""

if __name__ == "__main__":
    raise SystemExit(0)

import os  # noqa: E402

from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

from briefing import urls as portal_urls  # noqa: E402

# The size of the page it is compared with, set by bench/public_pages.py.
BENCH_BYTES = int(os.environ.get("BENCH_BYTES") or 0)


def minimal(request):
    """As little as a Django view can do: the same number of bytes, nothing else."""
    return HttpResponse(b"x" * BENCH_BYTES)


urlpatterns = portal_urls.urlpatterns + [path("bench/minimal/", minimal, name="bench_minimal")]

handler404 = portal_urls.handler404
handler403 = portal_urls.handler403
