"""Every URL pattern of the portal, and which of them the rules table leaves out."""

from collections.abc import Iterable, Iterator

from django.urls import URLPattern, URLResolver, get_resolver

# Django's admin is one family: its pages (a hundred and more, one set per model) share
# one gate, BriefingAdminSite.has_permission; the matrix opens a sample of them.
ADMIN_PREFIX = "admin/"


def walk(patterns: Iterable, prefix: str = "") -> Iterator[str]:
    """The full route of every pattern, through includes and namespaces, as written
    in the urls modules ("proposals/<int:pk>/edit/")."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def portal_routes(urlconf=None) -> list[str]:
    """The routes the matrix must cover: the admin's as its one family."""
    routes = []
    for route in walk(get_resolver(urlconf).url_patterns):
        if route.startswith(ADMIN_PREFIX):
            route = ADMIN_PREFIX
        if route not in routes:
            routes.append(route)
    return routes


def rule_problems(routes: list[str], rules: dict) -> list[str]:
    """Routes without a rule (a new page must say who may open it) and rules whose
    route is gone (a stale rule proves nothing)."""
    missing = [
        f"URL pattern {route!r} has no entry in tests/security/matrix.py RULES: "
        "say who may open it (GET and POST, every role)"
        for route in routes
        if route not in rules
    ]
    stale = [
        f"RULES has an entry for {route!r}, which is no URL pattern of the portal"
        for route in rules
        if route not in routes
    ]
    return missing + stale
