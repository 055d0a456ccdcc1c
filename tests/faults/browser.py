"""A browser over real HTTP (urllib): cookies, the CSRF token, the login form, no
redirects followed, so a test sees every status the server gave."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Response:
    status: int
    headers: dict
    text: str


class Browser:
    """One person's browser. Thread-safe: two threads may post at once, as a
    double-click does."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect
        )
        self.seen: list[tuple[str, str, int]] = []

    def _cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    def request(self, method: str, path: str, data: dict | None = None) -> Response:
        body = None
        headers = {"Accept-Language": "vi"}
        if data is not None:
            form = dict(data)
            token = self._cookie("csrftoken")
            if token:
                form.setdefault("csrfmiddlewaretoken", token)
            body = urllib.parse.urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(  # noqa: S310 (http to the test's own server)
            self.base_url + path, data=body, method=method, headers=headers
        )
        try:
            with self.opener.open(request, timeout=30) as reply:
                response = Response(reply.status, dict(reply.headers), reply.read().decode())
        except urllib.error.HTTPError as error:
            response = Response(error.code, dict(error.headers), error.read().decode())
        self.seen.append((method, path, response.status))
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> Response:
        return self.request("POST", path, data)

    def sign_in(self, username: str, password: str) -> None:
        assert self.get("/accounts/login/").status == 200
        response = self.post("/accounts/login/", {"username": username, "password": password})
        assert response.status == 302, response.text[:500]


def hidden_value(html: str, name: str) -> str:
    """The value of a form's hidden input, as the browser would send it back."""
    match = re.search(rf'name="{name}" value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    assert match, f"no hidden input {name!r} in the page"
    return match.group(1)
