"""The portal under load: readers, 34 departments and ministry staff at once.

Deployed as the README's production runs it (docs/operations.md, "Two pools"): two
gunicorn pools of 2 gthread workers x 4 threads each (bench/public_pages.py's server),
one for the public site's anonymous pages and one for everything else (nginx routes the
requests; here the simulated browsers do: readers to the public pool, signed-in people
and departments' systems to the other), one Celery worker, PostgreSQL and Redis, all on
127.0.0.1. Browsers are simulated by
threads in CLIENT_PROCESSES processes, each with its own keep-alive connection and
cookies; signed-in users go through the real forms with their CSRF token and session,
behind what the server takes for the README's TLS proxy (X-Forwarded-Proto: https).

Phases, in one run:

1. minimal: bench/public_pages.py's reference view (bench/urls.py), measured as that
   benchmark measures it (its load generator), requests per second; measured again
   after the load, and the mean of the two is the reference (other processes on the
   machine change it from minute to minute);
2. alone: public readers only, at READ_RATE requests per second over the home page,
   /answers/, an answer page and /indicators/: latency by page;
3. load, for LOAD_SECONDS: the same readers, plus
   - the 34 departments of today's provinces (T34-xx), each alternating a recommendation
     and an indicator report for the open quarters in which the department exists:
     FORM_DEPARTMENTS of them through the forms, as their leader (GET /proposals/new/,
     POST with "submit", confirm, follow the redirect; GET /indicators/report/<period>/
     <unit>/, POST with "submit", confirm, follow the redirect), the others through
     their own systems with an API token their leader made (POST /api/v1/
     recommendations/ with API_BATCH recommendations a call, what its people entered
     since the last sync, and /api/v1/indicators/reports/ with one report a call; each
     call with an Idempotency-Key);
   - the Ministry Office (2 coordinators) accepting submitted recommendations from the
     worklist and assigning them to the four units that own indicators;
   - in each of these units an officer drafting answers and sending them to the leader,
     and a leader approving answers (the worker then publishes them) and indicator
     reports.
   Departments are scheduled at OFFERED x the rate the target asks for (0.05 x the
   minimal view's requests per second, shared by the 34), and go back to back when the
   portal falls behind: the run shows whether the portal keeps up with that rate and
   what it costs the readers. Staff work through their lists without pause while there
   is work, and look again every IDLE seconds when there is none.

Afterwards, once the worker has drained (outbox sent, queue empty), every accepted
submission (each 302 after a "submit") is looked up: stored exactly once, with what was
sent; every approval the leaders saw succeed is published, once.

Printed: requests per second and p50/p95/p99 latency by kind of request in each phase,
errors, the checks, and the targets as "name ours reference ratio" lines with MET or
MISSED:
- errors = 0 and lost work = 0 (the exit code is non-zero when either fails, or when the
  benchmark could not run);
- accepted submissions per second >= 0.05 x the minimal view's requests per second;
- each public page's p95 under load <= 3 x its p95 alone.
The timing targets, like those of the other benchmarks, never change the exit code.

Run from the project root (what `make bench` does):

    DATABASE_URL=postgres://postgres@localhost:5432/giaoban \\
    REDIS_URL=redis://localhost:6379/1 .venv/bin/python bench/load.py [--seconds 60]

It works on its own database (giaoban_bench_load, created and dropped) and Redis database
(12, flushed before and after), and talks to 127.0.0.1 only. Settings by environment:
BENCH_LOAD_SECONDS (default 30, or --seconds), BENCH_ALONE_SECONDS (default 10),
BENCH_SECONDS (the minimal view's measurement, default 5, as in bench/public_pages.py),
BENCH_READ_RATE (readers' requests per second, default 40), BENCH_SUBMIT_RATE (the
departments' scheduled submissions per second in all; 0 means back to back; default:
OFFERED x the target's rate), BENCH_FORM_DEPARTMENTS (departments using the forms,
default 10 of 34), BENCH_API_BATCH (recommendations in one API call, default 5; 1 for one a call),
BENCH_POOLS (2, the default: a public pool and a staff pool; 1: one
pool for everything, the deployment before), BENCH_STAFF_NICE (the staff pool's and the
worker's nice value, default 0).
"""

import argparse
import collections
import http.client
import json
import math
import multiprocessing
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
# Before bench/ (this script's folder, first on the path), whose indicators.py would hide
# the indicators app.
sys.path.insert(0, str(BASE_DIR))

from bench import public_pages as pp  # noqa: E402

BENCH_DATABASE = "giaoban_bench_load"
BENCH_REDIS_DB = 12

LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS") or 30)
ALONE_SECONDS = float(os.environ.get("BENCH_ALONE_SECONDS") or 10)
WARM_UP = 3.0
READ_RATE = float(os.environ.get("BENCH_READ_RATE") or 40)
FORM_DEPARTMENTS = int(os.environ.get("BENCH_FORM_DEPARTMENTS") or 10)
POOLS = int(os.environ.get("BENCH_POOLS") or 2)
STAFF_NICE = int(os.environ.get("BENCH_STAFF_NICE") or 0)
# Recommendations in one API call of a department's system: what its people entered since
# the last sync (the API takes up to 100, all or nothing). 1: one a call.
API_BATCH = int(os.environ.get("BENCH_API_BATCH") or 5)
SUBMIT_RATE = os.environ.get("BENCH_SUBMIT_RATE")
CLIENT_PROCESSES = 2
READERS = 8
OFFICE_COORDINATORS = 2
# The units that own the indicators: they answer recommendations and review reports.
UNITS = ("CUC-THH", "CUC-ATTT", "CUC-BC", "CUC-TTCS")
WORKER_CONCURRENCY = 2
IDLE = 0.5
TIMEOUT = 30
DRAIN_SECONDS = 120

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 (the run's authenticator app)
SUBMIT_TARGET = 0.05  # accepted submissions per second / minimal view's requests per second
P95_TARGET = 3.0  # public pages' p95 under load / alone
OFFERED = 1.2

PUBLIC_KINDS = ("public /", "public /answers/", "public /answers/<code>/", "public /indicators/")
CONFIRM_PAGE = re.compile(r"/do/\w+/")  # where a saved form sends its author to confirm
PROPOSAL_LINK = re.compile(r'href="/proposals/(\d+)/"')
REPORT_LINK = re.compile(r'href="/indicators/reports/(\d+)/"')
MESSAGE = re.compile(r'<div class="alert alert-(\w+)" role="alert">(.*?)</div>', re.S)
ERRORS_IN_PAGE = re.compile(
    r'class="(?:invalid-feedback|alert alert-danger)[^"]*"[^>]*>\s*(?:<strong>)?(.*?)<', re.S
)


def say(text: str = "") -> None:
    print(text, flush=True)


# --- environment, database, Redis, servers ------------------------------------------


def _with_path(url: str, path) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{path}"))


def environment(media: str) -> dict:
    """bench/public_pages.py's environment (production settings, 127.0.0.1 only), on
    this benchmark's own database and Redis database."""
    env = pp.environment(media)
    env["DATABASE_URL"] = _with_path(env["DATABASE_URL"], BENCH_DATABASE)
    env["REDIS_URL"] = env["CELERY_BROKER_URL"] = _with_path(env["REDIS_URL"], BENCH_REDIS_DB)
    return env


def start_worker(env: dict, log) -> subprocess.Popen:
    command = (["nice", "-n", str(STAFF_NICE)] if STAFF_NICE else []) + [
        str(pp.BIN_DIR / "celery"),
        "-A",
        "briefing",
        "worker",
        "--pool",
        "prefork",
        "--concurrency",
        str(WORKER_CONCURRENCY),
        "--loglevel",
        "WARNING",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--hostname",
        f"bench-load-{os.getpid()}@%h",
    ]
    worker = subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    from briefing.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"the Celery worker exited with {worker.returncode} at start.")
        replies = app.control.ping(timeout=1.0)
        if any(f"bench-load-{os.getpid()}@" in name for reply in replies for name in reply):
            return worker
    raise RuntimeError("the Celery worker did not answer within 60 seconds.")


def stop_process(process: subprocess.Popen, seconds: float = 20) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # its own session: it and its children
        process.wait(timeout=5)


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs so far (Linux /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


# --- data ---------------------------------------------------------------------------


def make_users(password: str) -> dict:
    """The accounts of the run: coordinators, an officer and a leader per unit, the
    leader of each department (who signs what it sends, on the forms or through the
    token of its system). Returns {"office": [...], "units": {code: (officer, leader)},
    "departments": [(code, username), ...]}."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.test.utils import override_settings
    from django.utils import timezone

    from briefing.models.organisations import Organisation, RoleCode, User
    from briefing.organisations.services import user_upsert

    today = timezone.localdate()
    departments = list(
        Organisation.objects.provinces().valid_on(today).filter(code__startswith="T34-")
    )
    if len(departments) != 34 or any(
        d.valid_from and d.valid_from > datetime.date(2025, 7, 1) for d in departments
    ):
        raise RuntimeError(f"expected the 34 departments valid from 2025-07-01: {departments}")
    people = []
    office = Organisation.objects.get(code=Organisation.MINISTRY_OFFICE_CODE)
    for number in range(1, OFFICE_COORDINATORS + 1):
        people.append((f"bench-vpb-{number}", office, RoleCode.OFFICE_COORDINATOR))
    for code in UNITS:
        unit = Organisation.objects.get(code=code)
        people.append((f"bench-{code.lower()}", unit, RoleCode.UNIT_OFFICER))
        people.append((f"bench-{code.lower()}-lead", unit, RoleCode.UNIT_LEADER))
    for department in departments:
        people.append((f"bench-{department.code.lower()}", department, RoleCode.PROVINCE_LEADER))
    # One real hash for all (the server checks it at sign-in); each account written with
    # a fast one first, rather than paying the slow hasher 46 times here.
    hashed = make_password(password)
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        for username, organisation, role in people:
            user_upsert(
                username=username,
                organisation=organisation,
                role_codes=[role],
                password=password,
                first_name="Tải",
                last_name="Thử",
                email=f"{username}@bench.invalid",
            )
    User.objects.filter(username__startswith="bench-").update(password=hashed)
    # Ministry staff sign in with a second factor: an authenticator app with a known
    # secret, whose codes sign_in() types.
    from briefing.organisations import two_factor

    for username, _organisation, role in people:
        if role != RoleCode.PROVINCE_LEADER:
            two_factor.demo_device(User.objects.get(username=username), TOTP_SECRET)
    return {
        "office": [f"bench-vpb-{n}" for n in range(1, OFFICE_COORDINATORS + 1)],
        "units": {code: (f"bench-{code.lower()}", f"bench-{code.lower()}-lead") for code in UNITS},
        "departments": [(d.code, f"bench-{d.code.lower()}") for d in departments],
    }


def report_plan(department_code: str) -> list[tuple[str, str]]:
    """(period slug, unit code) of every indicator report the department can send now:
    open quarters it existed in, oldest first, and the units whose indicators it reports."""
    from briefing.models.organisations import Organisation
    from indicators import selectors

    organisation = Organisation.objects.get(code=department_code)
    periods = [
        p
        for p in selectors.reportable_periods().filter(is_locked=False, period_type="quarter")
        if organisation.is_valid_on(p.start) and organisation.is_valid_on(p.end)
    ]
    units = [u.code for u in selectors.owner_units_for(organisation, "quarter")]
    return [(p.slug, u) for p in sorted(periods, key=lambda p: p.start) for u in units]


def make_tokens(departments: list[tuple[str, str]]) -> dict[str, str]:
    """An API token for each department's system, made by its leader: {code: key}."""
    from briefing.models.api_tokens import ApiScope
    from briefing.models.organisations import User
    from briefing.organisations.api_tokens import token_create

    keys = {}
    for code, username in departments:
        leader = User.objects.select_related("organisation").get(username=username)
        _token, keys[code] = token_create(
            actor=leader,
            organisation=leader.organisation,
            name="Hệ thống một cửa (tải thử)",
            scopes=[ApiScope.RECOMMENDATIONS, ApiScope.INDICATOR_REPORTS],
        )
    return keys


def api_reports(department_code: str, plan: list[tuple[str, str]], number: int) -> list:
    """For a department's system: (period slug, unit code, the JSON values, the values as
    the check reads them) of each report of `plan`, every value filled in."""
    from briefing.models.organisations import Organisation
    from indicators import selectors
    from indicators.models import ValueType

    organisation = Organisation.objects.get(code=department_code)
    reports = []
    for slug, unit_code in plan:
        period = selectors.period_from_slug(slug)
        indicators = selectors.indicators_for(
            organisation=organisation,
            period_type=period.period_type,
            owner=Organisation.objects.get(code=unit_code),
        )
        elements = selectors.elements_of(indicators)
        boolean = {e.code for e in elements if e.value_type == ValueType.BOOLEAN}
        values = {e.code: True if e.code in boolean else number for e in elements}
        sent = {code: "1" if code in boolean else str(number) for code in values}
        reports.append((slug, unit_code, values, sent))
    return reports


def queries_per_action(accounts: dict, tokens: dict, api_plans: dict) -> dict:
    """(SQL queries, CPU ms of this process) of one request of each kind the load sends,
    measured in this process (django.test.Client; for each kind the second of two alike,
    after the caches warmed) inside a transaction rolled back at the end, so that nothing
    stays (nor is anything handed to the worker); savepoints are not counted."""
    import django_otp
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from briefing.models.organisations import Organisation, User
    from briefing.organisations import two_factor
    from briefing.platform import quarters
    from proposals.models import Answer
    from proposals.tasks import publish_answer

    counts = {}

    def count(name, call):
        with CaptureQueriesContext(connection) as queries:
            cpu = time.process_time()
            response = call()
            cpu = time.process_time() - cpu
        number = sum(
            1
            for q in queries.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO"))
        )
        counts[name] = (number, 1000 * cpu)
        return response

    def client(username):
        browser = Client(HTTP_HOST="127.0.0.1")
        user = User.objects.get(username=username)
        browser.force_login(user)
        device = two_factor.app_device(user)
        if device is not None:  # signed in with the second factor too
            session = browser.session
            session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return browser

    def confirmed(browser, name, path, response):
        """The action's end, after its confirmation when the portal asks for one (on its
        own page, or on the page a redirect leads to); the confirming steps counted."""
        where = path
        if response.status_code == 302 and CONFIRM_PAGE.search(response["Location"]):
            where = response["Location"]
            response = count(
                name.replace("(POST)", "confirmation (GET)"), lambda: browser.get(where)
            )
        if response.status_code == 200 and b'name="confirmed"' in response.content:
            form = find_form(response.content.decode(), "confirmed")
            extra = [(form.confirm_button, "")] if form.confirm_button else []
            data = dict(form.data() + extra)
            response = count(
                name.replace("(POST)", "confirmed (POST)"),
                lambda: browser.post(form.action or where, data),
            )
        if response.status_code != 302:
            raise RuntimeError(
                f"in process, {name} answered {response.status_code}: "
                + page_errors(response.content)
            )
        return response

    def act(browser, path, field, name, values, action=None, extra=()):
        """GET the form at `path`, fill it in, POST it (and confirm): counted as `name`."""
        page = browser.get(path)
        try:
            form = find_form(page.content.decode(), field)
        except LookupError:
            raise RuntimeError(
                f"in process, GET {path} answered {page.status_code} without the form: "
                + page_errors(page.content)
            ) from None
        if "field" in form.options and "field" not in values:
            values = {**values, "field": form.options["field"][0]}
        data = dict(form.data(**values) + list(extra))
        response = count(name, lambda: browser.post(action or path, data))
        return confirmed(browser, name, path, response)

    def api(name, path, payload, key):
        response = count(
            name,
            lambda: Client(HTTP_HOST="127.0.0.1").post(
                path,
                json.dumps(payload),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {key}",
                HTTP_IDEMPOTENCY_KEY=secrets.token_hex(16),
            ),
        )
        if response.status_code not in (200, 201):
            raise RuntimeError(
                f"in process, {name} answered {response.status_code}: {response.content[:300]}"
            )

    class Rollback(Exception):
        pass

    code, username = accounts["departments"][0]
    unit = Organisation.objects.get(code=UNITS[0])
    officer_name, leader_name = accounts["units"][UNITS[0]]
    try:
        with transaction.atomic():
            department = client(username)
            office, officer, leader = (
                client(accounts["office"][0]),
                client(officer_name),
                client(leader_name),
            )
            pks = []
            for attempt in range(2):
                count("recommendation form (GET)", lambda: department.get("/proposals/new/"))
                response = act(
                    department,
                    "/proposals/new/",
                    "title",
                    "recommendation submit (POST)",
                    {
                        "title": f"Đếm truy vấn {attempt}",
                        "content": "Nội dung kiến nghị để đếm truy vấn.",
                    },
                    extra=[("submit", "")],
                )
                pks.append(int(response["Location"].strip("/").rsplit("/", 1)[1]))
                count("recommendation page (GET)", lambda r=response: department.get(r["Location"]))
            for slug, report_unit in report_plan(code)[:2]:
                path = f"/indicators/report/{slug}/{report_unit}/"
                page = count("report form (GET)", lambda path=path: department.get(path))
                data = dict(report_values(find_form(page.content.decode(), "comment"), 100))
                response = count(
                    "report submit (POST)", lambda path=path, data=data: department.post(path, data)
                )
                confirmed(department, "report submit (POST)", path, response)
            system_code = next(iter(tokens))
            year, quarter = quarters.quarter_of(timezone.localdate())
            for attempt in range(2):
                api(
                    "recommendation (API POST)",
                    "/api/v1/recommendations/",
                    {
                        "title": f"Đếm truy vấn qua API {attempt}",
                        "content": "Nội dung kiến nghị để đếm truy vấn.",
                        "field": "CNTT",
                        "channel": "briefing",
                        "quarter": f"{year}-Q{quarter}",
                        "send": True,
                    },
                    tokens[system_code],
                )
            for slug, report_unit, values, _sent in api_plans[system_code][:2]:
                api(
                    "report (API POST)",
                    "/api/v1/indicators/reports/",
                    {"period": slug, "unit": report_unit, "values": values, "submit": True},
                    tokens[system_code],
                )
            for path in ["/proposals/?status=submitted&sort=created"] * 2:
                count("office worklist (GET)", lambda path=path: office.get(path))
            for pk in pks:
                act(office, f"/proposals/{pk}/accept/", "unit", "accept (POST)", {"unit": unit.pk})
            for pk in pks:
                act(
                    officer,
                    f"/proposals/{pk}/answer/",
                    "text",
                    "answer and send (POST)",
                    {"text": "Trả lời để đếm truy vấn."},
                    extra=[("send", "")],
                )
            for pk in pks:
                act(leader, f"/proposals/{pk}/do/approve/", "note", "approve (POST)", {})
            for pk in pks:
                count("publish (worker task)", lambda pk=pk: publish_answer(recommendation_id=pk))
            reader = Client(HTTP_HOST="127.0.0.1")
            code = Answer.objects.filter(published_at__isnull=False).values_list(
                "recommendation__code", flat=True
            )[0]
            for kind in PUBLIC_KINDS:
                path = kind.split(" ", 1)[1].replace("<code>", code)
                for _twice in range(2):  # the second from the page cache, where there is one
                    count(f"{kind} (GET)", lambda path=path: reader.get(path))
            raise Rollback
    except Rollback:
        return counts


# --- a browser ----------------------------------------------------------------------


class Form:
    def __init__(self, attrs: dict):
        self.method = (attrs.get("method") or "get").lower()
        self.action = attrs.get("action") or ""
        self.multipart = (attrs.get("enctype") or "").lower() == "multipart/form-data"
        self.fields: list[list[str]] = []  # what a browser sends before the user types
        self.options: dict[str, list[str]] = {}
        self.files: list[str] = []
        self.names: set[str] = set()
        self.confirm_button = ""  # the name of a confirmation's button, if it has one

    def data(self, **values) -> list[tuple[str, str]]:
        """The form's fields with `values` typed in (a value replaces the field's)."""
        data = [(n, v) for n, v in self.fields if n not in values]
        return data + [(n, str(v)) for n, v in values.items()]


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form = self.select = self.option = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = Form(attrs)
            self.forms.append(self.form)
            return
        name = attrs.get("name")
        if self.form is None or not name:
            if tag == "option" and self.select is not None:
                self.option = [attrs.get("value"), "", "selected" in attrs]
            return
        self.form.names.add(name)
        if tag == "button" and "data-confirm-button" in attrs:
            self.form.confirm_button = name
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind == "file":
                self.form.files.append(name)
            elif kind in ("checkbox", "radio") and "checked" not in attrs:
                pass  # not sent unless ticked
            elif kind not in ("submit", "button", "image", "reset"):
                self.form.fields.append([name, attrs.get("value") or ""])
        elif tag == "select":
            self.select = {"name": name, "options": [], "multiple": "multiple" in attrs}
        elif tag == "textarea":
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        if self.option is not None:
            self.option[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "option" and self.option is not None:
            value, text, selected = self.option
            self.select["options"].append((text.strip() if value is None else value, selected))
            self.option = None
        elif tag == "select" and self.select is not None:
            options = self.select["options"]
            chosen = [v for v, selected in options if selected]
            if not chosen and options and not self.select["multiple"]:
                chosen = [options[0][0]]
            self.form.fields.extend([self.select["name"], v] for v in chosen)
            self.form.options[self.select["name"]] = [v for v, _s in options if v]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.form.fields.append([name, text[1:] if text.startswith("\n") else text])
            self.textarea = None


def find_form(html: str, field: str) -> Form:
    """The first form of the page with a field named `field`."""
    parser = _FormParser()
    parser.feed(html)
    for form in parser.forms:
        if field in form.names:
            return form
    raise LookupError(f"no form with a field {field!r}")


def multipart(data, files) -> tuple[bytes, str]:
    boundary = "----giaobanbench" + secrets.token_hex(12)
    parts = []
    for name, value in data:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    for name in files:  # an empty file input, as a browser sends it
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename=""\r\n'
            "Content-Type: application/octet-stream\r\n\r\n\r\n"
        )
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"


def report_values(form: Form, number: int) -> list[tuple[str, str]]:
    """Every value of an indicator report filled in: yes, or `number` (the same for
    numerators and denominators, and for every period: no change to explain)."""
    typed = {}
    for name, _value in form.fields:
        if name in ("csrfmiddlewaretoken", "comment"):
            continue
        typed[name] = "1" if name in form.options else str(number)
    data = form.data(**typed, comment="")
    return data + [("submit", "")]


class Page:
    def __init__(self, status, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        parts = urlsplit(self.headers.get("Location", ""))
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def message(self) -> tuple[str, str]:
        """(level, text) of the first message shown (Django messages), or ("", "")."""
        found = MESSAGE.search(self.text)
        return (found.group(1), " ".join(found.group(2).split())) if found else ("", "")


def page_errors(body: bytes) -> str:
    text = body.decode("utf-8", errors="replace")
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    errors = [" ".join(e.split()) for e in ERRORS_IN_PAGE.findall(text) if e.strip()]
    head = " ".join(title.group(1).split()) if title else text[:120].replace("\n", " ")
    return (head + (": " + " | ".join(errors[:3]) if errors else ""))[:300]


class Recorder:
    """What one client process saw: latencies of responses completed in the measured
    window by kind, every error, and the work the server confirmed."""

    def __init__(self, start_at: float, stop_at: float):
        self.start_at, self.stop_at = start_at, stop_at
        self.lock = threading.Lock()
        self.latency = collections.defaultdict(list)
        self.done = collections.Counter()  # every response, window or not
        self.errors = collections.Counter()  # (kind, status) -> count
        self.error_samples = []
        self.work = collections.defaultdict(list)

    def response(self, kind, began, ended):
        with self.lock:
            self.done[kind] += 1
            if self.start_at <= ended <= self.stop_at:
                self.latency[kind].append(ended - began)

    def error(self, kind, status, detail):
        with self.lock:
            self.errors[(kind, status)] += 1
            if len(self.error_samples) < 20:
                self.error_samples.append((kind, status, detail))

    def confirmed(self, what, item, ended):
        with self.lock:
            self.work[what].append((item, self.start_at <= ended <= self.stop_at))

    def result(self) -> dict:
        return {
            "latency": dict(self.latency),
            "done": dict(self.done),
            "errors": dict(self.errors),
            "error_samples": self.error_samples,
            "work": dict(self.work),
        }


class Browser:
    """One person's browser: a keep-alive connection, cookies, CSRF from the forms."""

    def __init__(self, port: int, recorder: Recorder | None, cookies: dict | None = None):
        self.port, self.recorder = port, recorder
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies = dict(cookies or {})
        self.connection = None
        self.used = 0.0

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(
        self,
        kind,
        method,
        path,
        body=None,
        content_type=None,
        referer=None,
        expect=(200,),
        extra_headers=None,
    ):
        # gunicorn closes a connection idle for 5 s (--keep-alive 5): a browser notices
        # and opens another; reopening before 4 s saves a failed first write.
        if self.connection is not None and time.time() - self.used > 4:
            self.close()
        headers = {
            "Accept": "text/html",
            "Accept-Language": "vi",
            "User-Agent": "giaoban-bench-load",
            "X-Forwarded-Proto": "https",  # the TLS proxy of the README's production
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + (referer or path)
            headers["Content-Type"] = content_type
        headers.update(extra_headers or {})
        began = time.time()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=TIMEOUT
                )
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            if self.recorder:
                self.recorder.error(kind, type(exc).__name__, f"{method} {path}: {exc}")
            return None
        ended = self.used = time.time()
        if response.will_close:
            self.close()
        for header in response.msg.get_all("Set-Cookie") or []:
            pair, _sep, attributes = header.partition(";")
            name, _eq, value = pair.strip().partition("=")
            if "max-age=0" in attributes.lower().replace(" ", ""):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if self.recorder:
            self.recorder.response(kind, began, ended)
        page = Page(response.status, response.msg, content)
        page.ended = ended
        if response.status not in expect:
            if self.recorder:
                self.recorder.error(
                    kind, response.status, f"{method} {path}: {page_errors(content)}"
                )
            return None
        return page

    def get(self, kind, path, expect=(200,)):
        return self.request(kind, "GET", path, expect=expect)

    def _post(self, kind, path, form: Form, data, referer, expect):
        if form.multipart:
            body, content_type = multipart(data, form.files)
        else:
            body, content_type = urlencode(data).encode(), "application/x-www-form-urlencoded"
        return self.request(kind, "POST", path, body, content_type, referer, expect=expect)

    def post(self, kind, path, form: Form, data, referer):
        """POST a form as its user does: when the portal asks to confirm first (on a page
        of its own, or on the page a redirect leads to), confirm. The redirect that ends
        the action, or None (an error recorded)."""
        done = self._post(kind, path, form, data, referer, expect=(200, 302))
        for _step in range(2):
            if done is None:
                return None
            where = path
            if done.status == 302 and not CONFIRM_PAGE.search(done.location):
                return done  # done, no confirmation asked
            if done.status == 302:  # saved; the confirmation is the page it leads to
                where = done.location
                done = self.get(kind.replace("(POST)", "confirmation (GET)"), where)
                if done is None:
                    return None
            try:
                confirm = find_form(done.text, "confirmed")
            except LookupError:  # the form came back with its errors
                if self.recorder:
                    self.recorder.error(kind, 200, f"POST {path}: {page_errors(done.body)}")
                return None
            action = confirm.action or where
            extra = [(confirm.confirm_button, "")] if confirm.confirm_button else []
            done = self._post(
                kind.replace("(POST)", "confirmed (POST)"),
                action,
                confirm,
                confirm.data() + extra,
                where,
                expect=(200, 302),
            )
        if done is not None and done.status != 302:
            if self.recorder:
                self.recorder.error(kind, done.status, f"POST {path}: {page_errors(done.body)}")
            return None
        return done

    def api(self, kind, path, payload: dict, key: str):
        """A department's system: a JSON POST with its token and an Idempotency-Key."""
        return self.request(
            kind,
            "POST",
            path,
            json.dumps(payload).encode(),
            "application/json",
            expect=(200, 201),
            extra_headers={
                "Authorization": f"Bearer {key}",
                "Accept": "application/json",
                "Idempotency-Key": secrets.token_hex(16),
            },
        )

    def follow(self, kind, page: Page) -> Page | None:
        """The page a redirect leads to, with the action's message."""
        after = self.get(kind, page.location)
        if after is not None and after.message()[0] == "danger" and self.recorder:
            self.recorder.error(kind, "refused", after.message()[1][:200])
        return after


# --- the people ---------------------------------------------------------------------

TOPICS = pp.TOPICS
ASKS = pp.ASKS


class Clock:
    def __init__(self, begin_at, start_at, stop_at):
        self.begin_at, self.start_at, self.stop_at = begin_at, start_at, stop_at

    def over(self) -> bool:
        return time.time() >= self.stop_at

    def wait_until(self, moment: float) -> bool:
        """Sleep until `moment`; False when the run ends first."""
        time.sleep(max(0.0, min(moment, self.stop_at) - time.time()))
        return not self.over()

    def idle(self):
        self.wait_until(time.time() + IDLE)


def reader(browser: Browser, spec, clock: Clock, rng):
    interval = spec["interval"]
    next_at = clock.begin_at + rng.uniform(0, interval)
    number = spec["index"]
    while clock.wait_until(next_at):
        kind = PUBLIC_KINDS[number % len(PUBLIC_KINDS)]
        path = kind.split(" ", 1)[1].replace("<code>", rng.choice(spec["codes"]))
        browser.get(kind, path)
        number += 1
        next_at = max(next_at + interval, time.time())


def send_recommendation(browser: Browser, spec, number: int, rng):
    page = browser.get("recommendation form (GET)", "/proposals/new/")
    if page is None:
        return
    form = find_form(page.text, "title")
    topic = rng.choice(TOPICS)
    title = f"{spec['prefix']} {spec['code']} số {number}: {rng.choice(ASKS)} {topic}"[:300]
    data = form.data(
        title=title,
        content=(
            f"Thời gian qua, Sở đã tham mưu Ủy ban nhân dân tỉnh triển khai {topic} nhưng "
            "còn gặp nhiều vướng mắc. Đề nghị Bộ hướng dẫn cụ thể để địa phương thực hiện."
        ),
        field=rng.choice(form.options["field"]),
    ) + [("submit", "")]
    done = browser.post("recommendation submit (POST)", "/proposals/new/", form, data, None)
    if done is None:
        return
    pk = int(done.location.strip("/").rsplit("/", 1)[1])
    key = dict(data)["submission_key"]
    browser.recorder.confirmed("recommendations", (title, pk, key), done.ended)
    browser.follow("recommendation page (GET)", done)


def send_report(browser: Browser, spec, plan):
    slug, unit = plan
    path = f"/indicators/report/{slug}/{unit}/"
    page = browser.get("report form (GET)", path)
    if page is None:
        return
    form = find_form(page.text, "comment")
    data = report_values(form, spec["number"])
    done = browser.post("report submit (POST)", path, form, data, None)
    if done is None:
        return
    values = {n: v for n, v in data if n not in ("csrfmiddlewaretoken", "comment", "submit")}
    browser.recorder.confirmed("reports", (spec["code"], slug, unit, values), done.ended)
    browser.follow("report list (GET)", done)


def api_recommendation(browser: Browser, spec, number: int, rng):
    """API_BATCH recommendations in one call, each counted once stored."""
    payload = []
    for item in range(API_BATCH):
        topic = rng.choice(TOPICS)
        ask = rng.choice(ASKS)
        title = f"{spec['prefix']} {spec['code']} số {number}.{item}: {ask} {topic}"[:300]
        payload.append(
            {
                "title": title,
                "content": (
                    f"Thời gian qua, Sở đã tham mưu Ủy ban nhân dân tỉnh triển khai {topic} "
                    "nhưng còn gặp nhiều vướng mắc. Đề nghị Bộ hướng dẫn cụ thể để địa "
                    "phương thực hiện."
                ),
                "field": rng.choice(spec["fields"]),
                "channel": "briefing",
                "quarter": spec["quarter"],
                "send": True,
            }
        )
    done = browser.api(
        "recommendations (API POST)", "/api/v1/recommendations/", payload, spec["token"]
    )
    if done is not None:
        for sent, stored in zip(payload, json.loads(done.body), strict=True):
            browser.recorder.confirmed(
                "recommendations", (sent["title"], stored["code"], None), done.ended
            )


def api_report(browser: Browser, spec, report):
    slug, unit, values, sent = report
    payload = {"period": slug, "unit": unit, "values": values, "submit": True}
    done = browser.api("report (API POST)", "/api/v1/indicators/reports/", payload, spec["token"])
    if done is not None:
        browser.recorder.confirmed("reports", (spec["code"], slug, unit, sent), done.ended)


def _alternate(spec, clock: Clock, rng, reports: list, send_report, send_recommendation_):
    """A recommendation and an indicator report in turn (while reports remain), one every
    spec["interval"] seconds, back to back when the portal falls behind."""
    interval = spec["interval"]
    next_at = clock.begin_at + rng.uniform(0, interval or 0.5)
    number = 0
    while clock.wait_until(next_at):
        if reports and number % 2:
            send_report(reports.pop(0))
        else:
            send_recommendation_(number)
        number += 1
        next_at = max(next_at + interval, time.time())


def system(browser: Browser, spec, clock: Clock, rng):
    """A department's own system, sending through the API what its people enter there,
    as the forms' departments do."""
    _alternate(
        spec,
        clock,
        rng,
        list(spec["api_reports"]),
        lambda report: api_report(browser, spec, report),
        lambda number: api_recommendation(browser, spec, number, rng),
    )


def department(browser: Browser, spec, clock: Clock, rng):
    _alternate(
        spec,
        clock,
        rng,
        list(spec["reports"]),
        lambda report: send_report(browser, spec, report),
        lambda number: send_recommendation(browser, spec, number, rng),
    )


def _first(browser, kind, path, link, keep=lambda pk: True) -> int | None:
    page = browser.get(kind, path)
    if page is None:
        return None
    return next((int(pk) for pk in link.findall(page.text) if keep(int(pk))), None)


def _act(browser, form_kind, path, field, values, post_kind, after_kind, action=None):
    """Open the form at `path`, type `values`, post it (to `action`, else to `path`),
    follow the redirect; the page after it, or None."""
    page = browser.get(form_kind, path)
    if page is None:
        return None
    form = find_form(page.text, field)
    data = form.data(**values)
    done = browser.post(post_kind, action or path, form, data, path)
    if done is None:
        return None
    after = browser.follow(after_kind, done)
    return after if after is not None and after.message()[0] == "success" else None


def office(browser: Browser, spec, clock: Clock, rng):
    """A coordinator accepts submitted recommendations (her share of them, by number:
    two coordinators never take the same one) and assigns them in turn to the units."""
    turn = spec["index"]

    def share(pk):
        return pk % spec["count"] == spec["index"]

    while not clock.over():
        pk = _first(
            browser,
            "worklist (GET)",
            "/proposals/?status=submitted&sort=created",
            PROPOSAL_LINK,
            share,
        )
        if pk is None:
            clock.idle()
            continue
        unit = spec["units"][turn % len(spec["units"])]
        turn += 1
        _act(
            browser,
            "accept form (GET)",
            f"/proposals/{pk}/accept/",
            "unit",
            {"unit": unit, "note": "Đề nghị đơn vị nghiên cứu, trả lời."},
            "accept (POST)",
            "recommendation page (GET)",
        )


def officer(browser: Browser, spec, clock: Clock, rng):
    """A unit officer answers the recommendations assigned to the unit, oldest first,
    and sends each answer to the leader."""
    while not clock.over():
        pk = _first(
            browser, "worklist (GET)", "/proposals/?status=accepted&sort=created", PROPOSAL_LINK
        )
        if pk is None:
            clock.idle()
            continue
        text = (
            f"Về nội dung này, {spec['unit']} trả lời như sau: Bộ đã ban hành văn bản hướng dẫn "
            f"{rng.choice(TOPICS)}; đề nghị Sở nghiên cứu, tham mưu Ủy ban nhân dân tỉnh "
            "triển khai."
        )
        page = browser.get("answer form (GET)", f"/proposals/{pk}/answer/")
        if page is None:
            continue
        form = find_form(page.text, "text")
        data = form.data(text=text) + [("send", "")]
        done = browser.post("answer and send (POST)", f"/proposals/{pk}/answer/", form, data, None)
        if done is not None:
            browser.follow("recommendation page (GET)", done)


def leader(browser: Browser, spec, clock: Clock, rng):
    """A unit leader approves drafted answers (the worker publishes them) and the
    indicator reports sent to the unit, taking turns."""
    while not clock.over():
        worked = False
        pk = _first(
            browser,
            "worklist (GET)",
            "/proposals/?status=answer_drafted&sort=created",
            PROPOSAL_LINK,
        )
        if pk is not None:
            after = _act(
                browser,
                "approve form (GET)",
                f"/proposals/{pk}/do/approve/",
                "note",
                {"note": "Đồng ý."},
                "approve (POST)",
                "recommendation page (GET)",
            )
            if after is not None:
                browser.recorder.confirmed("approvals", pk, after.ended)
            worked = True
        pk = _first(browser, "report review list (GET)", "/indicators/review/", REPORT_LINK)
        if pk is not None:
            after = _act(
                browser,
                "report page (GET)",
                f"/indicators/reports/{pk}/",
                "note",
                {"note": ""},
                "report approve (POST)",
                "report page (GET)",
                action=f"/indicators/reports/{pk}/approve/",
            )
            if after is not None:
                browser.recorder.confirmed("report approvals", pk, after.ended)
            worked = True
        if not worked:
            clock.idle()


PEOPLE = {
    "reader": reader,
    "department": department,
    "system": system,
    "office": office,
    "officer": officer,
    "leader": leader,
}


def run_people(port, specs, begin_at, start_at, stop_at, seed) -> dict:
    """One client process: a thread per person from begin_at to stop_at (each finishes
    what it is doing); responses completed in [start_at, stop_at] are counted."""
    recorder = Recorder(start_at, stop_at)
    clock = Clock(begin_at, start_at, stop_at)

    def live(spec, number):
        browser = Browser(spec.get("port", port), recorder, spec.get("cookies"))
        rng = random.Random(f"{seed}-{number}")
        try:
            PEOPLE[spec["role"]](browser, spec, clock, rng)
        except Exception as exc:  # a page the script could not read: an error, not a crash
            recorder.error(spec["role"], type(exc).__name__, str(exc)[:300])
        finally:
            browser.close()

    cpu = time.process_time()
    threads = [threading.Thread(target=live, args=(s, n)) for n, s in enumerate(specs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = recorder.result()
    result["cpu"] = time.process_time() - cpu
    return result


def totp_code() -> str:
    """The code the staff's authenticator app shows now (RFC 6238, 30 s, 6 digits)."""
    import base64
    import hashlib
    import hmac
    import struct

    counter = struct.pack(">Q", int(time.time()) // 30)
    digest = hmac.new(base64.b32decode(TOTP_SECRET), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def sign_in(port: int, username: str, password: str) -> dict:
    browser = Browser(port, None)
    page = browser.get("sign-in", "/accounts/login/")
    if page is None:
        raise RuntimeError("the sign-in page did not answer 200")
    form = find_form(page.text, "username")
    data = form.data(username=username, password=password)
    done = browser.post("sign-in", "/accounts/login/", form, data, None)
    # Ministry staff: the second step, the code of their app (a redirect for others).
    page = browser.get("sign-in", "/accounts/two-factor/", expect=(200, 302))
    if done is not None and page is not None and page.status == 200:
        form = find_form(page.text, "code")
        data = form.data(code=totp_code())
        done = browser.post("sign-in", form.action or "/accounts/two-factor/", form, data, None)
        check = browser.get("sign-in", "/accounts/two-factor/", expect=(200, 302))
        if check is None or check.status != 302:
            raise RuntimeError(f"{username}: the second factor was refused")
    browser.close()
    if done is None or "sessionid" not in browser.cookies:
        raise RuntimeError(f"{username} could not sign in")
    return browser.cookies


# --- phases and figures -------------------------------------------------------------


def run_phase(pool, port, groups: list[list[dict]], seconds: float, label: str) -> dict:
    begin_at = time.time() + 1.0
    start_at = begin_at + WARM_UP
    stop_at = start_at + seconds
    futures = [
        pool.submit(run_people, port, specs, begin_at, start_at, stop_at, f"{label}-{n}")
        for n, specs in enumerate(groups)
    ]
    parts = [future.result(timeout=seconds + WARM_UP + 4 * TIMEOUT + 60) for future in futures]
    merged = {"seconds": seconds, "cpu": sum(p["cpu"] for p in parts)}
    for key in ("latency", "work"):
        merged[key] = collections.defaultdict(list)
        for part in parts:
            for name, items in part[key].items():
                merged[key][name].extend(items)
    for key in ("done", "errors"):
        merged[key] = collections.Counter()
        for part in parts:
            merged[key].update(part[key])
    merged["error_samples"] = [s for p in parts for s in p["error_samples"]]
    return merged


def log_summary(text: str) -> collections.Counter:
    """Lines of a log by how often they occur, without the time stamps, the blank lines
    and the Celery worker's start-up banner."""
    lines = collections.Counter()
    for line in text.splitlines():
        line = re.sub(r"^\[[^\]]*\]\s*", "", line.strip())
        if line and not re.match(r"^[-*.\[]|^\w+$", line) and "(collider)" not in line:
            lines[" ".join(line.split())[:160]] += 1
    return lines


def tracebacks(text: str) -> list[str]:
    """The distinct errors of a log, each as the line before its traceback, the frames
    of the project's own code and the exception."""
    found = {}
    lines = text.splitlines()
    project = str(BASE_DIR) + "/"
    for number, line in enumerate(lines):
        if not line.startswith("Traceback (most recent call last)"):
            continue
        end = number + 1
        while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end]):
            end += 1
        frames = []
        for at in range(number + 1, end):
            if lines[at].strip().startswith(f'File "{project}') and "/.venv/" not in lines[at]:
                frames += [lines[at], lines[at + 1] if at + 1 < end else ""]
        error = lines[end] if end < len(lines) else ""
        found.setdefault(error, "\n".join([lines[number - 1] if number else "", *frames, error]))
    return list(found.values())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def table(phase: dict, name: str) -> None:
    say(f"{name}: {phase['seconds']:.0f} s counted")
    say(
        f"  {'kind':<30} {'count':>7} {'per s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f" {'errors':>6}"
    )
    errors = collections.Counter()
    for (kind, _status), number in phase["errors"].items():
        errors[kind] += number
    kinds = sorted(set(phase["done"]) | set(errors), key=lambda k: (not k.startswith("public"), k))
    total = 0
    for kind in kinds:
        values = phase["latency"].get(kind, [])
        total += len(values)
        say(
            f"  {kind:<30} {len(values):>7} {len(values) / phase['seconds']:>7.1f}"
            f" {1000 * percentile(values, 0.50):>8.1f} {1000 * percentile(values, 0.95):>8.1f}"
            f" {1000 * percentile(values, 0.99):>8.1f} {errors[kind]:>6}"
        )
    say(f"  {'all':<30} {total:>7} {total / phase['seconds']:>7.1f}")


def line(name: str, ours: str, reference: str, ratio, target: str, met: bool) -> None:
    ratio = "-" if ratio is None else f"{ratio:.3f}"
    say(
        f"{name:<38} ours {ours:>12}  reference {reference:>12}  ratio {ratio:>7}"
        f"  (target {target}) {'MET' if met else 'MISSED'}"
    )


class LockWatch(threading.Thread):
    """Samples pg_stat_activity of the benchmark database: what the server's queries
    are waiting for while the load runs."""

    def __init__(self, database_url: str):
        super().__init__(daemon=True)
        self.database_url = database_url
        self.stop = threading.Event()
        self.samples = 0
        self.active = 0
        self.waits = collections.Counter()
        self.waiting_queries = collections.Counter()

    def run(self):
        import psycopg2

        parts = urlsplit(self.database_url)
        connection = psycopg2.connect(
            dbname=BENCH_DATABASE,
            user=parts.username or "postgres",
            password=parts.password or None,
            host=parts.hostname,
            port=parts.port or 5432,
        )
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                while not self.stop.wait(0.2):
                    cursor.execute(
                        "SELECT wait_event_type, wait_event, left(query, 90) "
                        "FROM pg_stat_activity WHERE datname = %s AND state = 'active' "
                        "AND pid <> pg_backend_pid()",
                        [BENCH_DATABASE],
                    )
                    self.samples += 1
                    for kind, event, query in cursor.fetchall():
                        self.active += 1
                        if kind == "Lock":
                            self.waits[f"{kind}:{event}"] += 1
                            self.waiting_queries[" ".join(query.split())] += 1
                        elif kind:
                            self.waits[f"{kind}:{event}"] += 1
        finally:
            connection.close()


def database_counters(database_url: str) -> dict:
    import psycopg2

    parts = urlsplit(database_url)
    connection = psycopg2.connect(
        dbname=BENCH_DATABASE,
        user=parts.username or "postgres",
        password=parts.password or None,
        host=parts.hostname,
        port=parts.port or 5432,
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT xact_commit, xact_rollback, deadlocks, tup_inserted, tup_updated "
                "FROM pg_stat_database WHERE datname = %s",
                [BENCH_DATABASE],
            )
            row = cursor.fetchone()
    finally:
        connection.close()
    return dict(zip(["commits", "rollbacks", "deadlocks", "inserted", "updated"], row, strict=True))


def drain(redis_url: str) -> tuple[float, dict]:
    """Wait for the worker to finish: outbox sent, Celery queue and unacked empty, no
    approved answer left unpublished. Returns (seconds waited, what is left)."""
    from briefing.models.platform import OutboxMessage
    from proposals.models import Recommendation, Status

    client = pp.redis_client(redis_url)
    began = time.monotonic()
    while True:
        left = {
            "outbox messages not sent": OutboxMessage.objects.filter(sent_at__isnull=True).count(),
            "tasks queued": client.llen("celery"),
            "tasks running": client.hlen("unacked"),
            "approved answers not published": Recommendation.objects.filter(
                status=Status.ANSWER_APPROVED
            ).count(),
        }
        if not any(left.values()) or time.monotonic() - began > DRAIN_SECONDS:
            return time.monotonic() - began, left
        time.sleep(0.5)


def check(work: dict, prefix: str) -> tuple[dict, list[str]]:
    """Every confirmed submission stored once with what was sent, every confirmed
    approval published once. Returns (figures, problems)."""
    from decimal import Decimal

    from django.db.models import Count

    from indicators.models import Status as ReportStatus
    from indicators.models import Submission, Value
    from indicators.selectors import period_from_slug
    from proposals.models import Event, Recommendation, Status

    problems = []
    figures = collections.Counter()
    # Recommendations, by their unique title.
    stored = collections.defaultdict(list)
    for row in Recommendation.objects.filter(title__startswith=prefix).values(
        "pk", "code", "title", "status", "submission_key"
    ):
        stored[row["title"]].append(row)
    confirmed_titles = set()
    # A form's: (title, pk of its 302, submission key); a system's: (title, code, None).
    for (title, pk, key), _in_window in work.get("recommendations", []):
        confirmed_titles.add(title)
        stored_as = (
            (rows[0]["pk"], str(rows[0]["submission_key"])) if (rows := stored.get(title)) else None
        )
        if key is None and rows:
            stored_as = (rows[0]["code"], None)
        rows = stored.get(title, [])
        if not rows:
            figures["lost"] += 1
            problems.append(f"lost: recommendation {title!r} (302 to {pk}) is not stored")
        elif len(rows) > 1:
            figures["duplicated"] += 1
            problems.append(f"stored {len(rows)} times: {title!r}")
        elif stored_as != (pk, key):
            figures["lost"] += 1
            problems.append(f"mismatch: {title!r} stored as {stored_as}, confirmed as {pk}")
        elif rows[0]["status"] == Status.DRAFT:
            figures["lost"] += 1
            problems.append(f"not submitted: {title!r} is a draft")
    unconfirmed = [t for t in stored if t not in confirmed_titles]
    figures["recommendations stored without a 302 seen"] = len(unconfirmed)
    # Indicator reports, by (department, period, unit), with their values.
    for (code, slug, unit, values), _in_window in work.get("reports", []):
        found = list(
            Submission.objects.filter(
                organisation__code=code, owner_unit__code=unit, period=period_from_slug(slug)
            )
        )
        if len(found) != 1 or found[0].status not in (
            ReportStatus.SUBMITTED,
            ReportStatus.APPROVED,
        ):
            figures["lost"] += 1
            problems.append(f"lost: report {code} {slug} {unit}: {[s.status for s in found]}")
            continue
        saved = dict(
            Value.objects.filter(submission=found[0]).values_list("element__code", "value")
        )
        sent = {k: Decimal(v) for k, v in values.items()}
        if {k: saved.get(k) for k in sent} != sent:
            figures["lost"] += 1
            problems.append(f"values differ: report {code} {slug} {unit}")
    # Approvals: the events, each followed by exactly one publication.
    events = collections.defaultdict(collections.Counter)
    for rec_id, action, number in (
        Event.objects.filter(
            recommendation__title__startswith=prefix, action__in=["approve", "publish"]
        )
        .order_by()
        .values("recommendation_id", "action")
        .annotate(number=Count("pk"))
        .values_list("recommendation_id", "action", "number")
    ):
        events[rec_id][action] = number
    statuses = dict(Recommendation.objects.filter(pk__in=list(events)).values_list("pk", "status"))
    seen = {pk for pk, _w in work.get("approvals", [])}
    for pk in seen - {pk for pk, counts in events.items() if counts["approve"]}:
        figures["lost"] += 1
        problems.append(f"lost: approval of {pk} seen by the leader but not recorded")
    for pk, counts in events.items():
        if not counts["approve"]:
            continue
        if statuses.get(pk) != Status.PUBLISHED or counts["publish"] != counts["approve"]:
            figures["lost"] += 1
            problems.append(
                f"approval not published once: {pk} is {statuses.get(pk)}, "
                f"{counts['approve']} approvals, {counts['publish']} publications"
            )
    figures["approvals recorded"] = sum(1 for c in events.values() if c["approve"])
    figures["approvals not seen by a leader"] = len(
        {pk for pk, c in events.items() if c["approve"]} - seen
    )
    report_pks = [pk for pk, _w in work.get("report approvals", [])]
    approved = Submission.objects.filter(pk__in=report_pks, status=ReportStatus.APPROVED).count()
    if approved != len(set(report_pks)):
        figures["lost"] += len(set(report_pks)) - approved
        problems.append(f"report approvals not stored: {len(set(report_pks)) - approved}")
    return figures, problems


# --- main ---------------------------------------------------------------------------


def main() -> int:
    global LOAD_SECONDS, ALONE_SECONDS
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=LOAD_SECONDS, help="load duration")
    parser.add_argument("--alone-seconds", type=float, default=ALONE_SECONDS)
    arguments = parser.parse_args()
    LOAD_SECONDS, ALONE_SECONDS = arguments.seconds, arguments.alone_seconds
    began = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="giaoban-bench-media-") as media,
        tempfile.NamedTemporaryFile(prefix="giaoban-bench-gunicorn-", suffix=".log") as log,
        tempfile.NamedTemporaryFile(prefix="giaoban-bench-worker-", suffix=".log") as worker_log,
    ):
        env = environment(media)
        os.environ.update(env)
        return run(env, log, worker_log, began)


def run(env: dict, log, worker_log, began: float) -> int:  # noqa: C901
    server = staff_server = worker = pool = None
    try:
        pp.create_database(env["DATABASE_URL"], BENCH_DATABASE)
        pp.redis_client(env["REDIS_URL"]).flushdb()
        pp.manage(env, "migrate", "--noinput")
        pp.manage(env, "collectstatic", "--noinput")

        import django

        django.setup()
        from bench.rollup import generate_indicators

        generate_indicators()  # approved reports of 2019-2020: /indicators/ has figures
        pp.generate(pp.ANSWERS, pp.DUPLICATES)
        size, total, _queries = pp.page_in_process()
        password = secrets.token_urlsafe(16)
        accounts = make_users(password)
        from briefing.models.organisations import Organisation
        from proposals.models import Answer

        codes = list(
            Answer.objects.filter(published_at__isnull=False)
            .order_by("?")
            .values_list("recommendation__code", flat=True)[:300]
        )
        unit_ids = dict(Organisation.objects.filter(code__in=UNITS).values_list("code", "pk"))
        plans = {code: report_plan(code) for code, _u in accounts["departments"]}
        by_form = accounts["departments"][:FORM_DEPARTMENTS]
        by_system = accounts["departments"][FORM_DEPARTMENTS:]
        tokens = make_tokens(by_system)
        from django.utils import timezone

        from briefing.platform import quarters
        from proposals.models import Field

        year, quarter = quarters.quarter_of(timezone.localdate())
        field_codes = list(Field.objects.values_list("code", flat=True))
        api_plans = {
            code: api_reports(code, plans[code], 100 + n)
            for n, (code, _u) in enumerate(accounts["departments"])
            if code in tokens
        }
        queries = queries_per_action(accounts, tokens, api_plans)
        # The pages it cached were rendered inside its transaction, rolled back since.
        pp.redis_client(env["REDIS_URL"]).flushdb()
        from django.db import connections

        connections.close_all()
        run_tag = secrets.token_hex(3)
        prefix = f"Tải thử {run_tag}"
        say(
            f"data: {total:,} published answers, approved indicator reports of 2019-2020, "
            f"{len(accounts['departments'])} departments with "
            f"{sum(len(p) for p in plans.values())} reports open to send "
            f"({len(next(iter(plans.values())))} each); set-up {time.monotonic() - began:.0f} s"
        )
        say("one request of each kind, in process: SQL queries, CPU of Django (ms)")
        for name, (number, cpu) in queries.items():
            say(f"  {name:<30} {number:>4} {cpu:>7.1f}")

        port = pp.free_port()
        server = pp.start_gunicorn({**env, "BENCH_BYTES": str(size)}, port, log)
        staff_port = port
        if POOLS == 2:  # the public site's pool above, the staff pool here
            staff_port = pp.free_port()
            staff_server = pp.start_gunicorn(
                {**env, "BENCH_BYTES": str(size)}, staff_port, log, nice=STAFF_NICE
            )
        worker = start_worker(env, worker_log)
        pool_text = f"{pp.SERVER_WORKERS} {pp.WORKER_CLASS} workers" + (
            f" x {pp.SERVER_THREADS} threads" if pp.WORKER_CLASS == "gthread" else ""
        )
        say(
            (
                f"servers: public pool gunicorn 127.0.0.1:{port} ({pool_text}: anonymous "
                f"readers), staff pool 127.0.0.1:{staff_port} ({pool_text}, nice "
                f"{STAFF_NICE}: signed-in people and the API)"
                if POOLS == 2
                else f"server: one gunicorn pool 127.0.0.1:{port}, {pool_text}, for everyone"
            )
            + f"; Celery worker, {WORKER_CONCURRENCY} processes, nice {STAFF_NICE}; "
            f"{CLIENT_PROCESSES} client processes; {os.cpu_count()} CPUs"
        )
        pool = ProcessPoolExecutor(
            max_workers=max(CLIENT_PROCESSES, pp.CLIENT_PROCESSES),
            mp_context=multiprocessing.get_context("spawn"),
        )
        list(pool.map(pp._noop, range(CLIENT_PROCESSES)))

        # 1. The reference, as bench/public_pages.py measures it.
        minimal = pp.combine([pp.measure(pool, port, server.pid, "/bench/minimal/", False, 0)])
        say(pp.describe("minimal", minimal))
        target_rate = SUBMIT_TARGET * minimal["rps"]
        offered = float(SUBMIT_RATE) if SUBMIT_RATE is not None else OFFERED * target_rate
        interval = len(accounts["departments"]) / offered if offered > 0 else 0.0

        # Everyone signs in first, four at a time (the password hash is slow on purpose).
        people = (
            accounts["office"]
            + [name for pair in accounts["units"].values() for name in pair]
            + [username for _code, username in accounts["departments"]]
        )
        signing = time.monotonic()
        with ThreadPoolExecutor(4) as signers:
            cookies = dict(
                zip(
                    people,
                    signers.map(lambda u: sign_in(staff_port, u, password), people),
                    strict=True,
                )
            )
        say(f"signed in: {len(cookies)} people in {time.monotonic() - signing:.1f} s")

        readers = [
            {"role": "reader", "index": n, "interval": READERS / READ_RATE, "codes": codes}
            for n in range(READERS)
        ]
        staff = [
            {
                "role": "office",
                "port": staff_port,
                "cookies": cookies[u],
                "index": n,
                "count": len(accounts["office"]),
                "units": [unit_ids[c] for c in UNITS],
            }
            for n, u in enumerate(accounts["office"])
        ]
        for unit, (officer_name, leader_name) in accounts["units"].items():
            for role, name in (("officer", officer_name), ("leader", leader_name)):
                staff.append(
                    {"role": role, "port": staff_port, "cookies": cookies[name], "unit": unit}
                )
        departments = [
            {
                "role": "system" if code in tokens else "department",
                "port": staff_port,
                "cookies": {} if code in tokens else cookies[username],
                "token": tokens.get(code),
                "code": code,
                "number": 100 + n,
                "reports": plans[code],
                "api_reports": api_plans.get(code, []),
                "fields": field_codes,
                "quarter": f"{year}-Q{quarter}",
                # A system's call of recommendations carries API_BATCH of them: it calls
                # less often for the same offered rate (a report, then a batch, in turn).
                "interval": interval * ((1 + API_BATCH) / 2 if code in tokens else 1),
                "prefix": prefix,
            }
            for n, (code, username) in enumerate(accounts["departments"])
        ]

        def spread(specs):
            return [specs[n::CLIENT_PROCESSES] for n in range(CLIENT_PROCESSES)]

        # 2. Public pages alone.
        alone = run_phase(pool, port, spread(readers), ALONE_SECONDS, "alone")
        # 3. Everyone at once.
        say(
            f"load: {len(readers)} readers at {READ_RATE:.0f} requests/s, "
            f"{len(departments)} departments ({len(by_form)} through the forms, "
            f"{len(by_system)} through their systems and the API, {API_BATCH} "
            "recommendations a call) scheduled at "
            f"{offered:.1f} submissions/s (target {target_rate:.1f}/s), {len(staff)} staff; "
            f"{LOAD_SECONDS:.0f} s counted after {WARM_UP:.0f} s warm-up"
        )
        watch = LockWatch(env["DATABASE_URL"])
        watch.start()
        counters = database_counters(env["DATABASE_URL"])
        busy, ticks = machine_busy()
        cpu = {
            "public": pp.server_cpu(server.pid),
            "staff": pp.server_cpu(staff_server.pid) if staff_server else 0.0,
            "worker": pp.server_cpu(worker.pid),
        }
        span = time.monotonic()
        loaded = run_phase(pool, port, spread(readers + departments + staff), LOAD_SECONDS, "load")
        span = time.monotonic() - span
        cpu = {
            "public": pp.server_cpu(server.pid) - cpu["public"],
            "staff": (pp.server_cpu(staff_server.pid) if staff_server else 0.0) - cpu["staff"],
            "worker": pp.server_cpu(worker.pid) - cpu["worker"],
        }
        cpu["gunicorn"] = cpu["public"] + cpu["staff"]
        busy2, ticks2 = machine_busy()
        after = database_counters(env["DATABASE_URL"])
        watch.stop.set()
        watch.join(timeout=5)
        waited, left = drain(env["REDIS_URL"])
        figures, problems = check(loaded["work"], prefix)
        again = pp.combine([pp.measure(pool, port, server.pid, "/bench/minimal/", False, 1)])
        say(pp.describe("minimal, again", again))
        reference_rps = (minimal["rps"] + again["rps"]) / 2

        say()
        table(alone, "public pages alone")
        table(loaded, "under load")
        requests = sum(loaded["done"].values())
        say(
            f"CPU during the load phase ({span:.0f} s with warm-up and the last requests): "
            f"machine {100 * (busy2 - busy) / max(ticks2 - ticks, 1):.0f}% busy; gunicorn "
            f"{cpu['gunicorn'] / span:.2f} CPU ({1000 * cpu['gunicorn'] / max(requests, 1):.1f} "
            f"ms per request; public pool {cpu['public'] / span:.2f}, staff pool "
            f"{cpu['staff'] / span:.2f}), worker {cpu['worker'] / span:.2f} CPU, load generator "
            f"{loaded['cpu'] / span:.2f} CPU; the rest is PostgreSQL, Redis and whatever else "
            "runs on the machine"
        )
        span_db = {k: after[k] - counters[k] for k in after}
        say(
            "database during the load: "
            + ", ".join(f"{k} {v:,}" for k, v in span_db.items())
            + f"; {watch.samples} samples of active queries: "
            f"{watch.active / max(watch.samples, 1):.1f} active on average"
            + "".join(
                f", {event} {100 * n / max(watch.active, 1):.0f}%"
                for event, n in watch.waits.most_common(4)
            )
        )
        for query, number in watch.waiting_queries.most_common(3):
            say(f"  waiting on a lock ({number} samples): {query}")
        work = loaded["work"]
        in_window = {name: sum(1 for _i, w in items if w) for name, items in work.items()}
        say(
            "confirmed work (all / in the counted window): "
            + ", ".join(f"{name} {len(items)}/{in_window[name]}" for name, items in work.items())
        )
        say(
            f"drained in {waited:.1f} s"
            + (
                ""
                if not any(left.values())
                else "; LEFT: " + ", ".join(f"{k} {v}" for k, v in left.items() if v)
            )
        )
        errors = sum(loaded["errors"].values()) + sum(alone["errors"].values())
        say(
            f"checks: {figures['lost']} lost, {figures['duplicated']} duplicated; "
            f"approvals recorded {figures['approvals recorded']}, not seen by a leader "
            f"{figures['approvals not seen by a leader']}; recommendations stored without a 302 "
            f"seen {figures['recommendations stored without a 302 seen']}"
        )
        for problem in problems[:20]:
            say(f"  {problem}")
        for phase in (alone, loaded):
            for (kind, status), number in sorted(phase["errors"].items(), key=str):
                say(f"  error: {kind}: {status} x {number}")
        for kind, status, detail in (alone["error_samples"] + loaded["error_samples"])[:10]:
            say(f"  e.g. {kind} {status}: {detail}")

        say()
        lost = figures["lost"] + figures["duplicated"] + sum(left.values())
        line("errors", f"{errors}", "0", None, "0", errors == 0)
        line("lost work", f"{lost}", "0", None, "0", lost == 0)
        accepted = in_window.get("recommendations", 0) + in_window.get("reports", 0)
        rate = accepted / LOAD_SECONDS
        ratio = rate / reference_rps if reference_rps else 0.0
        line(
            "accepted submissions per s",
            f"{rate:.1f}/s",
            f"{reference_rps:.1f}/s",
            ratio,
            f">= {SUBMIT_TARGET} of minimal",
            ratio >= SUBMIT_TARGET,
        )
        for kind in PUBLIC_KINDS:
            ours = percentile(loaded["latency"].get(kind, []), 0.95)
            reference = percentile(alone["latency"].get(kind, []), 0.95)
            ratio = ours / reference if reference else float("inf")
            line(
                f"p95 {kind}",
                f"{1000 * ours:.1f} ms",
                f"{1000 * reference:.1f} ms",
                ratio,
                f"<= {P95_TARGET:g} x alone",
                ratio <= P95_TARGET,
            )
        say(f"total time {time.monotonic() - began:.0f} s")
        return 1 if errors or lost else 0
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        for process, output, name in (
            (worker, worker_log, "worker"),
            (staff_server, None, "gunicorn, staff pool"),
            (server, log, "gunicorn"),
        ):
            if process is None:
                continue
            stop_process(process)
            if output is None:  # the staff pool writes to the public pool's log
                continue
            output.seek(0)
            text = output.read().decode(errors="replace")
            lines = log_summary(text)
            if lines:
                say(f"{name} log, most frequent lines:")
                for line_, number in lines.most_common(8):
                    say(f"  {number:>5} x {line_}")
            for trace in tracebacks(text)[:3]:
                say(f"{name} log, an error (the project's frames):\n{trace}")
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        try:
            pp.redis_client(env["REDIS_URL"]).flushdb()
        except Exception as exc:
            say(f"warning: could not flush Redis database {BENCH_REDIS_DB}: {exc}")
        pp.drop_database(env["DATABASE_URL"], BENCH_DATABASE)


if __name__ == "__main__":
    sys.exit(main())
