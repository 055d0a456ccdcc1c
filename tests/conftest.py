import importlib
import os
from urllib.parse import urlsplit, urlunsplit

import django_otp
import pytest
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefing.models.organisations import Organisation, Role, RoleCode
from briefing.organisations import services, two_factor
from briefing.organisations.reference_data import sync_organisations, sync_roles
from indicators.catalogue import sync_catalogue, sync_scopes
from indicators.models import DataElement, Indicator, ReportingPeriod
from proposals.models import Field

# One account per role, on the organisations the demo data uses.
ROLE_ACCOUNTS = {
    RoleCode.OFFICE_COORDINATOR: ("t-vanphong", "VPB"),
    RoleCode.UNIT_OFFICER: ("t-cuc-thh", "CUC-THH"),
    RoleCode.UNIT_LEADER: ("t-cuc-thh-lead", "CUC-THH"),
    RoleCode.PROVINCE_OFFICER: ("t-so-ninhbinh", "T63-37"),
    RoleCode.PROVINCE_LEADER: ("t-so-ninhbinh-lead", "T63-37"),
    RoleCode.SYSTEM_ADMIN: ("t-quantri", "VPB"),
}
PASSWORD = "Mat-khau-thu-nghiem-2020"


def pytest_configure(config):
    """With `pytest -n N` (pytest-xdist) each worker has its own test database
    (pytest-django) and here its own Redis database, next to REDIS_URL's: the tests
    empty the cache and count rate limits, which must not reach the other worker's."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or not settings.REDIS_URL:
        return
    parts = urlsplit(settings.REDIS_URL)
    number = int(parts.path.strip("/") or 0) + int(worker[2:])
    url = urlunsplit(parts._replace(path=f"/{number}"))
    settings.REDIS_URL = settings.CELERY_BROKER_URL = url
    settings.CACHES["default"]["LOCATION"] = url


@pytest.fixture(autouse=True)
def _clean_cache():
    """Tests share one Redis: start each from an empty cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The real hasher is deliberately slow; tests sign in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _second_factor_given(sender, request, user, **kwargs):
    """Sign-in in tests (force_login or the password form) also gives the second factor
    for the accounts that need one, as if the person had typed the app's code."""
    if not two_factor.needs_second_factor(user):
        return
    device = two_factor.app_device(user) or two_factor.demo_device(user, TEST_TOTP_SECRET)
    request.session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id


TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture(autouse=True)
def _second_factor_at_sign_in(request):
    """Hundreds of tests sign ministry staff in with force_login: their sessions count
    as verified. Tests of two-factor sign-in itself ask for `real_two_factor`."""
    if "real_two_factor" in request.fixturenames:
        yield
        return
    user_logged_in.connect(_second_factor_given, dispatch_uid="tests-second-factor")
    yield
    user_logged_in.disconnect(dispatch_uid="tests-second-factor")


@pytest.fixture
def real_two_factor():
    """Sign-in goes through the real second step: enrolment, codes, lockout."""


def make_user(role: str, username: str | None = None, org_code: str | None = None):
    default_username, default_org = ROLE_ACCOUNTS[role]
    return services.user_upsert(
        username=username or default_username,
        organisation=Organisation.objects.get(code=org_code or default_org),
        role_codes=[role],
        password=PASSWORD,
        first_name="Thử",
        last_name="Nghiệm",
    )


@pytest.fixture
def user_for_role(db):
    return make_user


@pytest.fixture
def signed_in(client, db):
    """signed_in(role) -> a client signed in as a fresh user holding that role."""

    def sign_in(role: str, **kwargs):
        user = make_user(role, **kwargs)
        client.force_login(user)
        return user

    return sign_in


def count_queries(client, url: str, params: dict | None = None) -> int:
    """Queries of one GET, after a first GET that warms the session and caches."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"]
    return f"database: {engine}; cache: {settings.CACHES['default']['BACKEND']}"


@pytest.fixture
def reference_data(transactional_db):
    """Roles, organisations, fields and the indicator catalogue with its periods, which
    migrations load and a transactional test flushes.

    Serialized rollback cannot restore them after the browser tests: once Playwright's
    event loop has run in this thread, Django hands out a fresh connection object without
    the saved contents.
    """
    sync_roles(Role)
    sync_organisations(Organisation)
    fields = importlib.import_module("proposals.migrations.0002_fields").FIELDS
    for order, (code, name) in enumerate(fields, start=1):
        Field.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    sync_catalogue(DataElement, Indicator, ReportingPeriod, Organisation)
    sync_scopes(Indicator, Organisation)
