"""The portal's URLs and handlers, with two addresses that fail: one under /api/, one a
page (tests/api/test_server_error.py)."""

from django.urls import path

from briefing import urls as portal_urls


def fail(request):
    raise RuntimeError("database password is hunter2")  # a detail that must not leak


urlpatterns = [
    path("api/v1/fail/", fail),
    path("api/schema/fail/", fail),
    path("fail/", fail),
    *portal_urls.urlpatterns,
]

handler404 = portal_urls.handler404
handler403 = portal_urls.handler403
handler500 = portal_urls.handler500
