import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _keep_sequences(request):
    """Put PostgreSQL's id sequences back after each database test of this folder.

    Sequences ignore rollbacks, and the demo quarter takes thousands of ids; tests that
    run later (the browser tests) would otherwise see ids above 1,000, which Vietnamese
    number formatting writes "1.234" wherever a template forgets `unlocalize`.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    if marker is None or transactional or connection.vendor != "postgresql":
        yield
        return
    request.getfixturevalue("_django_db_helper")
    with connection.cursor() as cursor:
        cursor.execute("SELECT schemaname, sequencename, last_value FROM pg_sequences")
        before = cursor.fetchall()
    yield
    with connection.cursor() as cursor:
        for schema, name, last in before:
            if last is None:
                cursor.execute("SELECT setval(%s, 1, false)", [f'"{schema}"."{name}"'])
            else:
                cursor.execute("SELECT setval(%s, %s, true)", [f'"{schema}"."{name}"', last])
