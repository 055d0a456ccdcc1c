"""Security headers, read on every URL of the access matrix for every role, on static
files, on the API with a token, and from gunicorn started with the portal's config.

The rules (briefing/platform/middleware.py, SecurityHeadersMiddleware):
- a signed-in person's responses: `Cache-Control: private, no-store`, never public;
- the cached public pages keep their caching for anonymous readers (`public`);
- every response: a Permissions-Policy that turns off camera, microphone, geolocation,
  payment, USB and the like; `Cross-Origin-Resource-Policy: same-origin`; no
  `Access-Control-Allow-Origin: *`;
- gunicorn does not name itself in `Server`.
"""

import os
import socket
import urllib.request

import pytest
from django.test import Client, override_settings

from tests.faults.processes import BASE_DIR, GunicornServer
from tests.indicators.test_api import make_key
from tests.security.cells import run_role
from tests.security.matrix import GROUPS
from tests.security.world import PROVINCE_LEADER, ROLES

pytestmark = pytest.mark.django_db

TURNED_OFF = ("camera", "microphone", "geolocation", "payment", "usb")
# The pages of briefing/platform/public_cache.py: one copy for every anonymous reader.
PUBLIC_CACHED = {"", "answers/", "answers/<str:code>/"}


def directives(headers: dict) -> set[str]:
    value = headers.get("Cache-Control", "")
    return {part.strip().split("=")[0] for part in value.split(",") if part.strip()}


def header_problems(headers: dict, *, signed_in: bool, public_page: bool) -> list[str]:
    problems = []
    policy = headers.get("Permissions-Policy", "")
    off = [name for name in TURNED_OFF if f"{name}=()" not in policy]
    if off:
        problems.append(f"Permissions-Policy does not turn off {off}: {policy!r}")
    if headers.get("Cross-Origin-Resource-Policy") not in ("same-origin", "same-site"):
        problems.append(
            f"Cross-Origin-Resource-Policy {headers.get('Cross-Origin-Resource-Policy')!r}"
        )
    if headers.get("Access-Control-Allow-Origin") == "*":
        problems.append("Access-Control-Allow-Origin: *")
    if "gunicorn" in headers.get("Server", "").lower():
        problems.append(f"Server: {headers['Server']}")
    cache = directives(headers)
    if signed_in and not ({"private", "no-store"} <= cache and "public" not in cache):
        problems.append(f"signed in, but Cache-Control {headers.get('Cache-Control')!r}")
    if public_page and not ("public" in cache and not {"private", "no-store"} & cache):
        problems.append(f"a cached public page, but Cache-Control {headers.get('Cache-Control')!r}")
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_headers_on_every_url_of_the_matrix(role, world, client, fast):
    world.prepare()
    signed_in = role in GROUPS["signed_in"]
    wrong = []
    for route, method, url, _case, outcome in run_role(client, world, role, methods=("GET",)):
        if outcome.error:
            continue  # test_access_matrix reports it
        public_page = not signed_in and route in PUBLIC_CACHED and outcome.status == 200
        for problem in header_problems(
            outcome.headers, signed_in=signed_in, public_page=public_page
        ):
            wrong.append(f"{method} {url} ({outcome.status}): {problem}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_the_check_finds_each_missing_header():
    assert header_problems(
        {
            "Cache-Control": "public, max-age=60",
            "Access-Control-Allow-Origin": "*",
            "Server": "gunicorn/23.0.0",
        },
        signed_in=True,
        public_page=False,
    ) == [
        f"Permissions-Policy does not turn off {list(TURNED_OFF)}: ''",
        "Cross-Origin-Resource-Policy None",
        "Access-Control-Allow-Origin: *",
        "Server: gunicorn/23.0.0",
        "signed in, but Cache-Control 'public, max-age=60'",
    ]
    assert header_problems(
        {
            "Cache-Control": "private, no-store",
            "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
            "Cross-Origin-Resource-Policy": "same-origin",
        },
        signed_in=False,
        public_page=True,
    ) == ["a cached public page, but Cache-Control 'private, no-store'"]


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_are_for_this_site_only():
    # A client of its own: WhiteNoise reads its settings when the middleware is made.
    response = Client().get("/static/css/portal.css")
    assert response.status_code == 200
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "camera=()" in response.headers["Permissions-Policy"]
    b"".join(response.streaming_content)


def test_an_api_call_with_a_token_is_not_kept_by_caches(world, client):
    key = make_key(world.users[PROVINCE_LEADER])
    response = client.post(
        "/api/v1/indicators/reports/",
        {},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 400
    assert {"private", "no-store"} <= directives(response.headers)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_with_the_portal_config_does_not_name_itself(tmp_path):
    """gunicorn as deployed (README: --config gunicorn.conf.py), embedded settings: a
    static file needs neither the database nor Redis."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env |= {
        "DEBUG": "1",
        "PYTHONPATH": str(BASE_DIR),
        "DJANGO_SETTINGS_MODULE": "briefing.settings",
    }
    server = GunicornServer("gunicorn", tmp_path / "gunicorn.log").start(env, _free_port())
    try:
        url = f"{server.url}/static/css/portal.css"  # http, built here
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310
            headers = dict(answer.headers.items())
    finally:
        server.stop()
    assert headers["Server"] == "Giao ban"
    assert "gunicorn" not in str(headers).lower()
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "Access-Control-Allow-Origin" not in headers
