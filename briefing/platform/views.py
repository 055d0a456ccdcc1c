"""Pages of the platform that belong to no business concern: the language switch,
the visit counters, the error pages and the API's description for people."""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from briefing.platform import visits


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


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def api_docs(request):
    """The API described for people, in the reader's language; /api/schema/ is the
    machine-readable OpenAPI document of the same endpoints."""
    return render(request, "briefing/api_docs.html")
