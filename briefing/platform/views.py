"""Pages of the platform that belong to no business concern: the language switch,
the visit counters, the error pages and the API's description for people."""

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from rest_framework.exceptions import NotFound

from briefing.platform import visits
from briefing.platform.api_errors import error_body
from briefing.platform.middleware import API_PREFIX


def set_language(request, code):
    """The language switch. A plain link (GET) rather than a form, so that public pages
    carry no per-visitor CSRF token and can be cached for everyone."""
    languages = dict(settings.LANGUAGES)
    if code not in languages:
        raise Http404
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        httponly=False,
        samesite="Lax",
    )
    return response


def visit_counters(request):
    """The visitor counters, filled into the cached public pages by static/js/visits.js."""
    response = JsonResponse(visits.counters())
    response["Cache-Control"] = "no-store"
    return response


# What crawlers leave alone: the staff areas (behind sign-in anyway), the personal links
# of a citizen's question and subscription, and the API (machines read /api/schema/).
ROBOTS_DISALLOW = [
    "/accounts/",
    "/admin/",
    "/api/v1/",
    "/notifications/",
    "/organisations/",
    "/proposals/",
    "/security-log",
    "/start/",
    "/workspace/",
    "/indicators/report/",
    "/indicators/review/",
    "/indicators/periods/",
    "/indicators/reports/",
    "/indicators/staff/",
    "/answers/track/",
    "/answers/ask/",
    "/answers/subscribe/",
    "/language/",
    "/visits.json",
    "/healthz",
]


def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def page_not_found(request, exception):
    if request.path.startswith(API_PREFIX):
        # An address under /api/v1/ that no endpoint has: the API's error, not a page.
        return JsonResponse(error_body(NotFound()), status=404)
    return render(request, "404.html", status=404)


def api_docs(request):
    """The API described for people, in the reader's language; /api/schema/ is the
    machine-readable OpenAPI document of the same endpoints."""
    return render(request, "briefing/api_docs.html")
