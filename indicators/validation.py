"""The one validation of reported values, used by the form, the Excel upload and any
other way values arrive. It reads raw values (text from a form, numbers or text from
Excel, JSON values) and returns clean values, errors and warnings, each naming the
data element. It writes nothing."""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from indicators.models import DataElement, Indicator, ValueType

YES_WORDS = {"1", "có", "co", "yes", "y", "true", "x", "đã có", "rồi"}
NO_WORDS = {"0", "không", "khong", "no", "n", "false", "chưa", "chưa có"}
# 9534, 9.534, 9,534 or 9 534 are all nine thousand five hundred and thirty-four.
_GROUPED = re.compile(r"^\d{1,3}([.,\s]\d{3})+$")
MAX_VALUE = Decimal("1e15")


@dataclass(frozen=True)
class Issue:
    element: str  # the data element's code; "" for the submission as a whole
    message: str


@dataclass
class Result:
    values: dict[str, Decimal | None] = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


class BadValue(ValueError):
    pass


def _decimal(text: str) -> Decimal:
    text = text.replace("\u00a0", " ").strip()
    if _GROUPED.match(text):
        text = re.sub(r"[.,\s]", "", text)
    elif "," in text:
        # Vietnamese writing: 1.234,5
        text = text.replace(".", "").replace(" ", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise BadValue from None
    if not number.is_finite():
        raise BadValue
    return number


def parse_value(element: DataElement, raw) -> Decimal | None:
    """The raw value as a Decimal (1/0 for yes/no), None when empty; BadValue with a
    message naming the element when it cannot be read."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    name = element.name
    if element.value_type == ValueType.BOOLEAN:
        if isinstance(raw, bool):
            return Decimal(int(raw))
        word = str(raw).strip().lower()
        if isinstance(raw, int | float | Decimal) and raw in (0, 1):
            return Decimal(int(raw))
        if word in YES_WORDS:
            return Decimal(1)
        if word in NO_WORDS:
            return Decimal(0)
        raise BadValue(_("%(element)s: answer yes or no (Có / Không).") % {"element": name})
    if isinstance(raw, bool):
        raise BadValue(_("%(element)s: enter a number.") % {"element": name})
    try:
        number = Decimal(str(raw)) if isinstance(raw, int | float | Decimal) else _decimal(raw)
    except (BadValue, InvalidOperation):
        if element.value_type == ValueType.COUNT:
            raise BadValue(
                _("%(element)s: enter a whole number, e.g. 125.") % {"element": name}
            ) from None
        raise BadValue(_("%(element)s: enter a number.") % {"element": name}) from None
    if not number.is_finite() or abs(number) >= MAX_VALUE:
        raise BadValue(_("%(element)s: the number is too large.") % {"element": name})
    if number < 0:
        raise BadValue(_("%(element)s: cannot be negative.") % {"element": name})
    if element.value_type == ValueType.COUNT and number != number.to_integral_value():
        raise BadValue(_("%(element)s: enter a whole number, e.g. 125.") % {"element": name})
    return number


def _show(number: Decimal) -> str:
    number = number.normalize()
    places = max(0, -number.as_tuple().exponent)
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def validate(
    *,
    elements: list[DataElement],
    indicators: list[Indicator],
    raw: dict,
    previous: dict[str, Decimal | None] | None = None,
    complete: bool,
) -> Result:
    """Check one entity's values for one period.

    `complete` is true on submission: then every required element needs a value.
    Warnings compare with `previous` (the previous period's values by element code).
    """
    result = Result()
    _read_values(result, elements, raw, complete)
    _check_ratios(result, indicators)
    _warn_big_changes(result, elements, previous or {})
    return result


def _read_values(result: Result, elements: list[DataElement], raw: dict, complete: bool) -> None:
    """Each element's value read into `result`, and an error for each value that cannot
    be read, each required one missing on submission and each code that is no element."""
    for element in elements:
        try:
            value = parse_value(element, raw.get(element.code))
        except BadValue as exc:
            result.errors.append(Issue(element.code, str(exc)))
            continue
        result.values[element.code] = value
        if value is None and complete and element.required:
            result.errors.append(
                Issue(
                    element.code,
                    _("%(element)s: a value is required.") % {"element": element.name},
                )
            )
    unknown = sorted(set(raw) - {e.code for e in elements})
    for code in unknown:
        result.errors.append(
            Issue(code, _("“%(code)s” is not a data element of this report.") % {"code": code})
        )


def _check_ratios(result: Result, indicators: list[Indicator]) -> None:
    """An error where a numerator is larger than its denominator (when it cannot be)."""
    for indicator in indicators:
        if not indicator.numerator_within_denominator or indicator.denominator is None:
            continue
        num = result.values.get(indicator.numerator.code)
        den = result.values.get(indicator.denominator.code)
        if num is not None and den is not None and num > den:
            result.errors.append(
                Issue(
                    indicator.numerator.code,
                    _("%(numerator)s (%(n)s) cannot be larger than %(denominator)s (%(d)s).")
                    % {
                        "numerator": indicator.numerator.name,
                        "n": _show(num),
                        "denominator": indicator.denominator.name,
                        "d": _show(den),
                    },
                )
            )


def _warn_big_changes(result: Result, elements: list[DataElement], previous: dict) -> None:
    """A warning for each number that changed on the previous period by more than its
    element's max_change_share (yes/no answers and changes from zero are not compared)."""
    by_code = {e.code: e for e in elements}
    for code, value in result.values.items():
        before = previous.get(code)
        element = by_code[code]
        if value is None or before is None or element.value_type == ValueType.BOOLEAN:
            continue
        if before == 0:
            continue
        share = abs(value - before) / before
        if share > element.max_change_share:
            result.warnings.append(
                Issue(
                    code,
                    _(
                        "%(element)s changed by %(share)s%% on the previous period "
                        "(%(before)s → %(value)s). Check it, and explain the change in the "
                        "comment to submit."
                    )
                    % {
                        "element": element.name,
                        "share": number_format(share * 100, decimal_pos=0),
                        "before": _show(before),
                        "value": _show(value),
                    },
                )
            )
