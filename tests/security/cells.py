"""One cell of the matrix: a role opens a URL with a method. Whatever the request
writes is rolled back, so that the cells do not depend on their order."""

from dataclasses import dataclass

from django.db import transaction

from tests.security.matrix import RULES, cases
from tests.security.patterns import portal_routes

LOGIN_URL = "/accounts/login/"
ADMIN_LOGIN_URL = "/admin/login/"


@dataclass
class Outcome:
    status: int
    location: str = ""
    headers: dict | None = None
    changed: bool = False  # the Case's state differs after the request
    error: str = ""

    def shown(self) -> str:
        if self.error:
            return f"raised {self.error}"
        text = str(self.status)
        if self.status in (301, 302, 303, 307, 308):
            text += f" to {self.location}"
        return text + (" and changed the state" if self.changed else "")


def _send(client, method: str, url: str, case):
    if method == "GET":
        return client.get(url)
    if case.json:
        return client.post(url, case.data, content_type="application/json")
    return client.post(url, case.data)


def request(client, method: str, url: str, case, ids: dict) -> Outcome:
    """The response's status, Location and headers, and whether the request changed
    the Case's state. Streamed and file responses are read to the end: a failure while
    streaming is the cell's failure."""
    try:
        with transaction.atomic():
            before = case.state(ids) if case.state else None
            response = _send(client, method, url, case)
            if response.streaming:
                # The test client closes the response at the end of its content, as a
                # WSGI server would. Never close a response again: a second close fires
                # request_finished, which drops the database connection mid-test.
                b"".join(response.streaming_content)
            changed = case.state is not None and case.state(ids) != before
            transaction.set_rollback(True)
    except Exception as exc:  # reported with the cell; the other cells still run
        return Outcome(500, error=f"{type(exc).__name__}: {exc}")
    return Outcome(
        response.status_code,
        response.headers.get("Location", ""),
        dict(response.headers.items()),
        changed,
    )


def sign_in(client, user) -> None:
    """Sign the client in as `user` (None: nobody), again if a cell (signing out, a
    password change) ended or changed the session."""
    if user is None:
        if client.cookies:
            client.logout()
    elif client.session.get("_auth_user_id") != str(user.pk):
        client.force_login(user)


def run_role(client, world, role: str, methods=("GET", "POST")):
    """Yield (route, method, url, case, outcome) for every cell of `role`."""
    user = world.users[role]
    for route in portal_routes():
        # A route without a rule fails test_every_url_pattern_has_a_rule, by name.
        for case in cases(route) if route in RULES else ():
            url = case.url.format(**world.ids)
            for method in methods:
                sign_in(client, user)
                yield route, method, url, case, request(client, method, url, case, world.ids)
