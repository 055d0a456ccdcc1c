import pytest
from django.test import override_settings

from briefing.platform import health
from briefing.reports import files as report_files
from tests.briefing.conftest import rolled_back
from tests.security.world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The people and objects of the matrix, made once for the tests of a module and
    rolled back after the last of them, id sequences included (the matrix's refused
    requests write security-log rows that are rolled back, but take ids); each test
    runs in its own savepoint inside."""
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), rolled_back(django_db_blocker):
        yield build_world()


@pytest.fixture
def fast(monkeypatch):
    """What costs a second a cell and says nothing about who may enter: the wait for
    Celery workers that do not run here (/healthz), and WeasyPrint (report.pdf)."""
    monkeypatch.setitem(health.CHECKS, "workers", lambda: "not asked in this test")
    monkeypatch.setattr(report_files, "pdf", lambda request, context: b"%PDF-1.4\n%%EOF\n")
