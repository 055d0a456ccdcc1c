"""The one validation service: types, signs, numerator ≤ denominator, required values and
warnings on big changes."""

from decimal import Decimal

import pytest

from indicators import selectors, validation
from indicators.models import Indicator
from tests.indicators.conftest import org


@pytest.fixture
def thh(db):
    indicators = selectors.indicators_for(kind="province", owner=org("CUC-THH"))
    return indicators, selectors.elements_of(indicators)


FULL = {
    "DVC_TONG": "1.200",
    "DVC_MUC34": "600",
    "DVC_MUC34_HS": 300,
    "NDXP": "Có",
    "LGSP": True,
    "BLUEZONE": "350000",
    "THUE_BAO": 1000000,
    "CDS_XA": "không",
    "DO_THI_TM": "0",
    "IOC": "yes",
}


def check(thh, raw, previous=None, complete=True):
    indicators, elements = thh
    return validation.validate(
        elements=elements, indicators=indicators, raw=raw, previous=previous, complete=complete
    )


def test_a_complete_report_is_read_into_numbers(thh):
    result = check(thh, FULL)
    assert result.is_valid and not result.warnings
    assert result.values["DVC_TONG"] == 1200  # 1.200 is one thousand two hundred
    assert result.values["NDXP"] == 1 and result.values["CDS_XA"] == 0
    assert result.values["IOC"] == 1


@pytest.mark.parametrize(
    ("code", "raw", "words"),
    [
        ("DVC_TONG", "nhiều", "vui lòng nhập số nguyên"),
        ("DVC_TONG", "12,5", "vui lòng nhập số nguyên"),
        ("DVC_TONG", "-3", "không được là số âm"),
        ("BLUEZONE", "1e400", "số quá lớn"),
        ("NDXP", "có lẽ", "Có hoặc Không"),
    ],
)
def test_a_wrong_value_is_an_error_naming_the_element(thh, code, raw, words):
    result = check(thh, FULL | {code: raw})
    assert [issue.element for issue in result.errors] == [code]
    message = result.errors[0].message
    assert words in message
    element = next(e for e in thh[1] if e.code == code)
    assert message.startswith(element.name)


def test_numerator_over_denominator_is_an_error(thh):
    result = check(thh, FULL | {"DVC_MUC34": "1300"})
    assert [i.element for i in result.errors] == ["DVC_MUC34"]
    assert "1.300" in result.errors[0].message and "1.200" in result.errors[0].message
    # Bluezone installs may exceed subscribers (visitors, several devices): no rule.
    assert check(thh, FULL | {"BLUEZONE": 2_000_000}).is_valid


def test_required_values_are_needed_to_submit_not_to_save(thh):
    partial = {"DVC_TONG": "10"}
    assert check(thh, partial, complete=False).is_valid
    missing = {i.element for i in check(thh, partial).errors}
    assert missing == set(FULL) - {"DVC_TONG"}


def test_an_unknown_element_is_an_error(thh):
    result = check(thh, FULL | {"KHONG_CO": 1})
    assert [i.element for i in result.errors] == ["KHONG_CO"]


def test_a_big_change_on_the_previous_period_is_a_warning_not_an_error(thh):
    previous = {"DVC_TONG": Decimal(1000), "DVC_MUC34": Decimal(200), "NDXP": Decimal(0)}
    result = check(thh, FULL, previous)
    assert result.is_valid
    # 200 → 600 is +200%; 1000 → 1200 is +20% (within 50%); yes/no never warns.
    assert [w.element for w in result.warnings] == ["DVC_MUC34"]
    assert "200%" in result.warnings[0].message


def test_the_share_that_warns_is_set_per_element(thh):
    Indicator.objects.get(code="DVCTT_MUC34").numerator.__class__.objects.filter(
        code="DVC_TONG"
    ).update(max_change_share=Decimal("0.1"))
    indicators = selectors.indicators_for(kind="province", owner=org("CUC-THH"))
    elements = selectors.elements_of(indicators)
    result = validation.validate(
        elements=elements,
        indicators=indicators,
        raw=FULL,
        previous={"DVC_TONG": Decimal(1000)},
        complete=True,
    )
    assert [w.element for w in result.warnings] == ["DVC_TONG"]
