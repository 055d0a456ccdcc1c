"""Hostile input to the indicator pages and API: the report form, the API's POST of a
report, the notes of review actions, period lock and reopen, the provisional
threshold and the period filters."""

import json

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from briefing.models.organisations import RoleCode
from indicators import services
from indicators.models import Indicator, ReportingPeriod, Status, Submission
from tests.confirmation import confirmed
from tests.conftest import make_user
from tests.hostile.conftest import (
    FEW,
    HOSTILE,
    NFD_TEXT,
    SNIPPETS,
    assert_answered,
    assert_saved_clean,
    assert_unchanged,
    get,
    hostile_choice,
    hostile_text,
    mixed,
    post,
    row_counts,
    undone,
    wire,
)
from tests.indicators.conftest import period
from tests.indicators.test_api import make_key
from tests.indicators.test_views import FORM, FULL

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/indicators/reports/"


@pytest.fixture
def people(db):
    return {
        # The department's leader, who sends its reports.
        "province": make_user(RoleCode.PROVINCE_LEADER),
        "officer": make_user(RoleCode.UNIT_OFFICER),
        "office": make_user(RoleCode.OFFICE_COORDINATOR),
    }


hostile_value = st.one_of(hostile_choice, st.sampled_from(["1.200", "1,5", "12 000", "１２", "٣"]))

report_input = mixed(
    FULL | {"comment": NFD_TEXT},
    dict.fromkeys(FULL, hostile_value) | {"comment": hostile_text},
)


@HOSTILE
@given(data=report_input, button=st.sampled_from(["save", "submit"]))
@example(data=FULL | {"DVC_TONG": "12\x0000", "comment": "Ghi chú\x00"}, button="submit")
def test_report_form_takes_hostile_input(client, people, data, button):
    client.force_login(people["province"])
    with undone():
        before = row_counts()
        response = post(client, FORM, confirmed(data | {button: "1"}))
        assert_answered(response, sent=data.values())
        if response.status_code == 302:
            submission = Submission.objects.get()
            assert submission.status == (Status.SUBMITTED if button == "submit" else Status.DRAFT)
            assert_saved_clean(before, submission)
        else:
            assert response.status_code == 400
            assert_unchanged(before)


@pytest.fixture
def token_client(client, people):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {make_key(people['province'])}"
    return client


json_value = st.one_of(
    hostile_value,
    st.none(),
    st.booleans(),
    st.integers(-(2**80), 2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
api_input = mixed(
    {
        "period": "Q3-2020",
        "unit": "CUC-THH",
        "values": {code: int(value) for code, value in FULL.items()},
        "submit": False,
        "comment": NFD_TEXT,
    },
    {
        "period": st.one_of(hostile_choice, json_value),
        "unit": st.one_of(hostile_choice, json_value),
        "values": st.one_of(
            st.dictionaries(st.one_of(st.sampled_from(list(FULL)), hostile_choice), json_value),
            json_value,
        ),
        "submit": st.one_of(hostile_choice, json_value),
        "comment": st.one_of(hostile_text, json_value),
    },
)


def _json_body(data) -> bytes:
    # ensure_ascii: a lone surrogate travels as the escape "\ud800", valid JSON that
    # decodes to a string no database can store.
    return json.dumps(data, ensure_ascii=True, allow_nan=True).encode()


@HOSTILE
@given(data=api_input)
@example(
    data={"period": "Q3-2020", "unit": "CUC-THH", "values": {"DVC_TONG": 1}, "comment": "\x00"}
)
@example(
    data={"period": "Q3-2020", "unit": "CUC-THH", "values": {"DVC_TONG": 1}, "comment": "\ud800"}
)
@example(data={"period": "Q3-2020", "unit": "CUC-THH", "values": {"\ud800": 1, "DVC_TONG": 1}})
@example(data={"period": "Q3-2020", "unit": "CUC-THH", "values": {"\x00": 1, "DVC_TONG": "1\x00"}})
@example(data={"period": "Q3-2020\x00", "unit": "CUC-THH\x00", "values": {}})
def test_api_report_post_takes_hostile_input(token_client, data):
    with undone():
        before = row_counts()
        response = token_client.post(REPORTS, _json_body(data), content_type="application/json")
        assert_answered(response, sent=[str(v) for v in data.values()])
        if response.status_code in (200, 201):
            assert_saved_clean(before, Submission.objects.get())
        else:
            assert response.status_code in (400, 409)
            assert_unchanged(before)


@FEW
@given(body=st.one_of(st.binary(max_size=200), st.sampled_from(SNIPPETS).map(wire)))
@example(body=b'{"period": "Q3-2020", "unit": "CUC-THH", "comment": "\xff\xfe"}')
@example(body=b'{"period": "Q3-2020", "unit": "CUC-THH", "values": {"DVC_TONG": 1e309}}')
@example(body=b'{"period": "Q3-2020", "unit": "CUC-THH", "values": {"DVC_TONG": NaN}}')
@example(body=b"[" * 5000)
def test_api_report_post_takes_broken_json(token_client, body):
    with undone():
        before = row_counts()
        response = token_client.post(REPORTS, body, content_type="application/json")
        assert_answered(response)
        assert response.status_code == 400
        assert_unchanged(before)


@pytest.fixture
def submitted(people):
    return services.report_save(
        actor=people["province"],
        organisation=people["province"].organisation,
        period=period("Q3/2020"),
        owner_unit=Indicator.objects.get(code="DVCTT_MUC34").owner_unit,
        raw_values=FULL,
        submit=True,
    )


@pytest.mark.parametrize("action", ["approve", "return", "reopen"])
def test_review_notes_take_hostile_input(client, people, submitted, action):
    report = Submission.objects.get()
    if action == "reopen":
        services.report_approve(submission_id=report.pk, actor=people["officer"])
    client.force_login(people["officer"])
    url = reverse("indicators:submission_action", args=[report.pk, action])

    @FEW
    @given(note=hostile_text)
    @example(note="Ghi chú\x00")
    def check(note):
        with undone():
            before = row_counts()
            status = Submission.objects.get().status
            response = post(client, url, {"note": note})
            assert_answered(response, sent=[note])
            if Submission.objects.get().status == status:
                assert_unchanged(before)
            else:
                assert_saved_clean(before)

    check()


@pytest.mark.parametrize("action", ["lock", "reopen"])
def test_period_notes_take_hostile_input(client, people, action):
    target = period("Q3/2020")
    if action == "reopen":
        services.period_lock(period_id=target.pk, actor=people["office"])
    client.force_login(people["office"])
    url = reverse("indicators:period_action", args=[target.slug, action])

    @FEW
    @given(note=st.one_of(hostile_text, st.just(NFD_TEXT)))
    @example(note="Lý do\x00")
    def check(note):
        with undone():
            before = row_counts()
            response = post(client, url, {f"p{target.pk}-note": note})
            assert_answered(response, sent=[note])
            locked = ReportingPeriod.objects.get(pk=target.pk).is_locked
            if locked == (action == "reopen"):
                assert_unchanged(before)
            else:
                assert response.status_code == 302
                assert_saved_clean(before)

    check()


@FEW
@given(value=hostile_choice)
@example(value="1e309")
@example(value="NaN")
@example(value="Infinity")
def test_provisional_threshold_takes_hostile_input(client, people, value):
    indicator = Indicator.objects.get(code="DVCTT_MUC34")
    client.force_login(people["officer"])
    url = reverse("indicators:staff_indicator", args=[indicator.code])
    with undone():
        before = row_counts()
        response = post(client, url, {"provisional_below": value})
        assert_answered(response, sent=[value])
        if response.status_code != 302:
            assert_unchanged(before)


@FEW
@given(
    params=st.fixed_dictionaries({}, optional={"period": hostile_choice, "status": hostile_choice})
)
@example(params={"period": "\x00"})
def test_period_filters_take_hostile_input(client, people, params):
    with undone():
        for who, url in [
            ("province", reverse("indicators:report_index")),
            ("officer", reverse("indicators:review")),
            ("officer", reverse("indicators:staff")),
            (None, reverse("indicators:dashboard")),
        ]:
            if who:
                client.force_login(people[who])
            else:
                client.logout()
            response = get(client, url, params)
            assert_answered(response, sent=params.values())
