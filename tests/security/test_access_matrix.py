"""The access-control matrix: every URL pattern of the portal × every role × GET and
POST, against the rules of tests/security/matrix.py, for objects of the user's own
organisation and, through the accounts of another department and another unit, of
an organisation not theirs.

One test per role runs all its cells and fails once, listing every cell that differs;
the objects are made once for the module (tests/security/conftest.py)."""

import types

import pytest
from django.http import HttpResponse
from django.urls import get_resolver, include, path

from tests.security.cells import ADMIN_LOGIN_URL, LOGIN_URL, run_role
from tests.security.matrix import ADMIN_LOGIN, LOGIN, REDIRECT, RULES, cases
from tests.security.patterns import portal_routes, rule_problems
from tests.security.world import ROLES

# The tests of a module share its objects (conftest.py: world); each test also runs
# in a savepoint of its own.
pytestmark = pytest.mark.django_db

METHODS = ("GET", "POST")


def matches(expected, outcome) -> bool:
    if outcome.error:
        return False
    if expected in (LOGIN, ADMIN_LOGIN, REDIRECT):
        if outcome.status != 302:
            return False
        to_login = outcome.location.startswith(LOGIN_URL)
        to_admin_login = outcome.location.startswith(ADMIN_LOGIN_URL)
        return {LOGIN: to_login, ADMIN_LOGIN: to_admin_login}.get(
            expected, not (to_login or to_admin_login)
        )
    if isinstance(expected, set | frozenset):
        return outcome.status in expected
    return outcome.status == expected


def _shown(expected) -> str:
    return " or ".join(map(str, sorted(expected))) if isinstance(expected, set) else str(expected)


def test_every_url_pattern_has_a_rule():
    assert rule_problems(portal_routes(), RULES) == []


def test_a_new_pattern_without_a_rule_fails_with_its_name():
    """The check itself: a page added to the portal (here in a namespaced include, as
    the apps' pages are) without an entry in RULES is named; so is a rule left behind
    by a page that was removed."""
    view = lambda request: HttpResponse()  # noqa: E731
    extra = ([path("secret/<int:pk>/", view, name="secret")], "extra")
    urlconf = types.ModuleType("urlconf_with_a_new_page")
    urlconf.urlpatterns = [*get_resolver().url_patterns, path("extra/", include(extra))]

    assert rule_problems(portal_routes(urlconf), RULES) == [
        "URL pattern 'extra/secret/<int:pk>/' has no entry in tests/security/matrix.py "
        "RULES: say who may open it (GET and POST, every role)"
    ]
    assert rule_problems([r for r in portal_routes() if r != "healthz"], RULES) == [
        "RULES has an entry for 'healthz', which is no URL pattern of the portal"
    ]


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(role, world, client, fast):
    world.prepare()
    wrong = []
    for route, method, url, case, outcome in run_role(client, world, role):
        expected = (case.get if method == "GET" else case.post)[role]
        may_change = method == "POST" and role in case.changed_by
        if not matches(expected, outcome):
            wrong.append(
                f"{method} {url} [{route}]: expected {_shown(expected)}, got {outcome.shown()}"
            )
        elif outcome.changed != may_change and (outcome.changed or method == "POST"):
            what = "left the state as it was" if may_change else "changed the state"
            wrong.append(f"{method} {url} [{route}]: {outcome.status}, but {what}")
    assert not wrong, f"{role}: {len(wrong)} cells differ from matrix.py:\n" + "\n".join(wrong)


def test_every_case_says_what_each_role_gets():
    """Each case names an outcome for every role, on GET and on POST. Prints the size
    of the matrix (seen with `pytest -s` or `-rP`)."""
    routes = [route for route in portal_routes() if route in RULES]
    incomplete = [
        f"{route} {case.url} {method}: {sorted(set(ROLES) - set(expected))}"
        for route in routes
        for case in cases(route)
        for method, expected in (("GET", case.get), ("POST", case.post))
        if set(expected) != set(ROLES)
    ]
    assert incomplete == []
    urls = sum(len(cases(route)) for route in routes)
    print(
        f"access matrix: {len(routes)} URL patterns ({urls} URLs) × {len(ROLES)} roles"
        f" × {len(METHODS)} methods = {urls * len(ROLES) * len(METHODS)} cells"
    )
