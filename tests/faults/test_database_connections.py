"""PostgreSQL ends every connection of the portal between two requests (a restart, a
fail-over, an administrator's pg_terminate_backend): the next requests recover.

gunicorn with a sync worker, as deployed, keeps its database connection from one
request to the next (CONN_MAX_AGE = 60 s in settings.py), so after the termination it
holds a dead one, which CONN_HEALTH_CHECKS finds before a request uses it.
pytest-django's live server would not show this: it opens a connection per request and
closes it at the end.
"""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from briefing.models.organisations import RoleCode
from tests.conftest import PASSWORD, make_user
from tests.faults.browser import Browser

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PUBLIC_PAGES = ["/", "/answers/", "/indicators/", "/api/v1/answers/"]
STAFF_PAGES = ["/proposals/", "/workspace/"]


def terminate_connections() -> int:
    """End every other session on the test database, from a connection of its own;
    returns how many were ended."""
    connection.close()  # this test's own would be ended too; it reconnects when used
    raw = connection.get_new_connection(connection.get_connection_params())
    raw.autocommit = True
    with raw.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        ended = sum(1 for (done,) in cursor.fetchall() if done)
    raw.close()
    return ended


def visit(reader: Browser, officer: Browser) -> list[tuple[str, int]]:
    """A reader on the public pages and an officer on their worklist, in turns."""
    seen = []
    for public, staff in zip(PUBLIC_PAGES, STAFF_PAGES * 2, strict=True):
        seen.append((public, reader.get(public).status))
        seen.append((staff, officer.get(staff).status))
    return seen


@pytest.fixture
def browsers(gunicorn):
    """A reader and a signed-in officer who have each used the portal (so gunicorn's
    worker holds a database connection); gunicorn skips the test unless on PostgreSQL."""
    user = make_user(RoleCode.PROVINCE_OFFICER)
    # gunicorn checks passwords with the settings' hashers, not the tests' fast one.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])
    officer = Browser(gunicorn.url)
    officer.sign_in(user.username, PASSWORD)
    reader = Browser(gunicorn.url)
    before = visit(reader, officer)
    assert all(status == 200 for _path, status in before), before
    return reader, officer


def test_no_request_fails_after_postgresql_ends_the_connections(gunicorn, browsers):
    # CONN_HEALTH_CHECKS: a kept connection is checked before a request uses it (without
    # it the first request of each worker after the termination was a 500).
    reader, officer = browsers
    for _time in range(2):
        assert terminate_connections() >= 1  # gunicorn's worker's, kept between requests
        after = visit(reader, officer) + visit(reader, officer)
        assert all(status == 200 for _path, status in after), after
