"""Hostile input for every form and write endpoint: what is sent, how it is sent, and
what every answer must satisfy whatever was sent.

Each example runs inside a savepoint that is rolled back (`undone()`), so the fixture
objects are made once per test and every example starts from the same rows.
"""

import json
import re
import unicodedata
from contextlib import contextmanager
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Max
from hypothesis import HealthCheck, currently_in_test_context, event, settings
from hypothesis import strategies as st

# Modest and fast: the whole folder runs in well under a minute. No example database:
# the tests must not write a .hypothesis/ folder into the checkout.
HOSTILE = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
FEW = settings(HOSTILE, max_examples=12)

# The same Vietnamese words composed (NFC, as keyboards type them) and decomposed
# (NFD, as some macOS programs and PDF copies paste them).
NFC_TEXT = "Nghị định 47/2020/NĐ-CP về quản lý, kết nối và chia sẻ dữ liệu số"
NFD_TEXT = unicodedata.normalize("NFD", NFC_TEXT)
assert NFC_TEXT != NFD_TEXT

SNIPPETS = [
    "<script>alert(document.cookie)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ request.user }}{% debug %}",
    "%(code)s %s {0}",
    "'; DROP TABLE proposals_recommendation; --",
    "' OR '1'='1",
    "1; SELECT pg_sleep(5)--",
    "KN-2020-Q3-0001' UNION SELECT password FROM auth_user--",
    "\x00",
    "a\x00b",
    "\r\n\t\x0b\x0c\x1b[31m\x7f\x85",
    "\u202eevil\u202c",  # right-to-left override
    "\ufeff\u200b\u200d",  # BOM, zero-width space and joiner
    "\ud800",  # a lone surrogate: invalid UTF-8 on the wire
    "\udfff\ud83d",
    "😀👩‍👩‍👧",
    "𝕹𝖌𝖍𝖎̣ đ𝖎̣𝖓𝖍",
    NFC_TEXT,
    NFD_TEXT,
    "Đề nghị ＫＮ－２０２０",  # full-width forms
    "-1",
    "1e309",
    "NaN",
    "9" * 40,
    "0,5.3",
    "",
    " ",
]

# Characters of every category, surrogates included: they are sent as the bytes a
# broken client would send (see `wire`).
_chars = st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF)


def _long(n_min: int, n_max: int):
    return st.builds(
        lambda unit, n: (unit * n)[:n],
        st.sampled_from(["A", "ự", "<b>", "\x00", NFD_TEXT, "'; --", "\u0301"]),
        st.integers(n_min, n_max),
    )


hostile_text = st.one_of(
    st.sampled_from(SNIPPETS),
    st.text(_chars, max_size=40),
    st.lists(st.sampled_from(SNIPPETS), min_size=2, max_size=5).map("".join),
    st.builds(lambda a, b: a + b, st.sampled_from(SNIPPETS), st.text(_chars, max_size=10)),
    _long(290, 60_000),
)
# What a select, a date or a number receives when the page is tampered with.
hostile_choice = st.one_of(
    st.sampled_from(SNIPPETS),
    st.text(_chars, max_size=12),
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(["31/02/2020", "2020-13-45", "99999-01-01", "0", "00/00/0000", "1/1/1"]),
)


def mixed(valid: dict, hostile: dict):
    """Form data where a random set of fields (maybe none, maybe all) is hostile and the
    others are valid, so that some examples are saved and the saved row is checked.
    A valid value may be a callable, for what needs the database (`resolved`)."""
    names = sorted(hostile)
    return st.sets(st.sampled_from(names)).flatmap(
        lambda chosen: st.fixed_dictionaries(
            {name: hostile[name] if name in chosen else st.just(valid[name]) for name in valid}
        )
    )


def resolved(data: dict) -> dict:
    return {key: value() if callable(value) else value for key, value in data.items()}


def wire(value) -> bytes:
    """A text as the bytes a client sends. Lone surrogates cannot be encoded by a real
    browser, but a script can send their CESU bytes: that is invalid UTF-8."""
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8", "surrogatepass")


def post(client, url: str, data: dict, *, multipart: bool = False, **extra):
    """POST `data` as a browser form would, hostile bytes and all. Values may be lists
    (several values of one name) or uploaded files (then pass multipart=True)."""
    if multipart:
        body = {
            key: value
            if hasattr(value, "read")
            else [wire(v) for v in (value if isinstance(value, list) else [value])]
            for key, value in data.items()
        }
        return client.post(url, body, **extra)
    return client.post(
        url,
        form_body(data),
        content_type="application/x-www-form-urlencoded",
        **extra,
    )


def form_body(data: dict) -> str:
    pairs = {
        key: [wire(v) for v in (value if isinstance(value, list) else [value])]
        for key, value in data.items()
    }
    return urlencode(pairs, doseq=True)


def get(client, url: str, data: dict):
    return client.get(f"{url}?{form_body(data)}")


@contextmanager
def undone():
    """One example: a clean cache, and every row it writes rolled back afterwards."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


_COUNTED_APPS = ("briefing", "proposals", "indicators", "auth")


def _models():
    return [
        model
        for label in _COUNTED_APPS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.proxy
    ]


def row_counts() -> dict:
    """Rows of every model of the portal (history and outbox included): how many, and
    the highest primary key, to find the rows an example added."""
    counts = {}
    for model in _models():
        rows = model._default_manager.all()
        counts[model._meta.label] = (rows.count(), _max_pk(model))
    return counts


def _max_pk(model):
    if not isinstance(model._meta.pk, models.AutoField | models.BigAutoField):
        return None
    return model._default_manager.aggregate(top=Max("pk"))["top"] or 0


def changed(before: dict) -> dict:
    after = row_counts()
    return {
        label: (before[label][0], after[label][0])
        for label in before
        if before[label][0] != after[label][0]
    }


def assert_unchanged(before: dict) -> None:
    assert changed(before) == {}


def new_rows(before: dict) -> list:
    """The rows added since `before` (models with an integer id)."""
    rows = []
    for model in _models():
        top = before[model._meta.label][1]
        if top is not None:
            rows.extend(model._default_manager.filter(pk__gt=top))
    return rows


def assert_saved_clean(before: dict, *objects) -> None:
    """Every text of every row added since `before`, and of `objects` (reloaded), is as
    a form leaves it."""
    for obj in [*new_rows(before), *objects]:
        if obj in objects:
            obj.refresh_from_db()
        for field in obj._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                value = getattr(obj, field.attname)
                assert value is None or clean_text(value), (obj._meta.label, field.name, value[:80])


# The English msgids of Django's and DRF's common errors: none may reach a Vietnamese
# reader.
ENGLISH = [
    "This field is required",
    "This field may not be",
    "Ensure this value has at most",
    "Ensure this value has at least",
    "Ensure this value is",
    "Ensure this field has",
    "Null characters are not allowed",
    "Surrogate characters are not allowed",
    "Enter a valid",
    "Enter a number",
    "Enter a whole number",
    "Select a valid choice",
    "is not one of the available choices",
    "is not a valid",
    "Not a valid",
    "Enter a complete value",
    "Please correct",
    "The submitted data was not a file",
    "No file was submitted",
    "JSON parse error",
    "Expected a dictionary",
    "Invalid data",
    "Must be a valid boolean",
    "Server Error",
    "Traceback",
]
VIETNAMESE = re.compile(
    "[ăâđêôơưĂÂĐÊÔƠƯáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]",
    re.IGNORECASE,
)


def messages_of(response) -> list[str]:
    """What the reader is told: the form errors of the page, the flash messages, the
    errors of a JSON body."""
    found = []
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            errors = getattr(value, "errors", None)
            if hasattr(value, "fields") and errors:
                for field_errors in errors.values():
                    found.extend(str(e) for e in field_errors)
    if hasattr(response, "wsgi_request"):
        found.extend(str(m) for m in get_messages(response.wsgi_request))
    if response.status_code >= 400 and response.get("Content-Type", "").startswith(
        "application/json"
    ):
        found.extend(_json_strings(json.loads(response.content)))
    return found


def _json_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and {"field", "code", "message"} <= set(value):
        # An API error (briefing/platform/api_errors.py): field and code are for programs.
        return [value["message"]]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _json_strings(v)]
    return []


def assert_answered(response, *, sent=()) -> None:
    """No server error, and whatever the reader is told is Vietnamese."""
    assert response.status_code < 500, response.status_code
    if currently_in_test_context():  # --hypothesis-show-statistics shows the mix
        event(f"answered {response.status_code}")
    body = response.content.decode("utf-8", "replace") if not response.streaming else ""
    said = messages_of(response)
    for text in [body, *said]:
        for value in sent:  # an echoed input is not a message
            if isinstance(value, str) and len(value) > 3:
                text = text.replace(value, "")
        for english in ENGLISH:
            assert english not in text, (english, text[:500])
    if response.status_code >= 400:
        assert said or VIETNAMESE.search(body), body[:500]
    for message in said:
        assert VIETNAMESE.search(message), message


def clean_text(value: str) -> bool:
    """Stored text is as a form leaves it: NFC, no NUL, no lone surrogate."""
    return (
        "\x00" not in value
        and not any(0xD800 <= ord(c) <= 0xDFFF for c in value)
        and unicodedata.is_normalized("NFC", value)
    )
