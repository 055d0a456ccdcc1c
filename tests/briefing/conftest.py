from contextlib import contextmanager

import pytest
from django.db import connection, transaction


def _sequences() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT schemaname, sequencename, last_value FROM pg_sequences")
        return cursor.fetchall()


def _restore_sequences(before: list[tuple]) -> None:
    moved = set(before) - set(_sequences())
    with connection.cursor() as cursor:
        for schema, name, last in moved:
            if last is None:
                cursor.execute("SELECT setval(%s, 1, false)", [f'"{schema}"."{name}"'])
            else:
                cursor.execute("SELECT setval(%s, %s, true)", [f'"{schema}"."{name}"', last])


@contextmanager
def kept_sequences():
    """Put PostgreSQL's id sequences back as they were, whatever ran inside.

    Sequences ignore rollbacks, and the demo quarter takes thousands of ids; tests that
    run later (the browser tests) would otherwise see ids above 1,000, which Vietnamese
    number formatting writes "1.234" wherever a template forgets `unlocalize`.
    """
    if connection.vendor != "postgresql":
        yield
        return
    before = _sequences()
    try:
        yield
    finally:
        _restore_sequences(before)


@contextmanager
def rolled_back(django_db_blocker):
    """Data written inside stays for the tests of one module (or class) and is rolled
    back after the last of them.

    For data the tests only read, such as the 7,793-recommendation demo quarter, which
    costs seconds each time it loads. Each test still runs in its own savepoint inside
    this transaction (pytest-django's `db`), so a test that writes is undone before the
    next one starts.
    """
    with django_db_blocker.unblock(), kept_sequences(), transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _keep_sequences(request):
    """Put the id sequences back after each database test of this folder."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or "db" in request.fixturenames
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None
        and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    )
    if not uses_db or transactional or connection.vendor != "postgresql":
        yield
        return
    request.getfixturevalue("_django_db_helper")
    with kept_sequences():
        yield
