"""Quarters, the rhythm of the briefings: which quarter a day falls in, the quarter
before, its first and last day, and the two ways people write one ("Q3/2020" in lists,
"III/2020" in the titles of official reports)."""

import datetime

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def previous_quarter(day: datetime.date) -> tuple[int, int]:
    year, quarter = quarter_of(day)
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """The first and the last day of the quarter."""
    first = datetime.date(year, 3 * quarter - 2, 1)
    after = (
        datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    )
    return first, after - datetime.timedelta(days=1)


def label(year: int, quarter: int) -> str:
    """The short form used in lists and filters: Q3/2020."""
    return f"Q{quarter}/{year}"


def roman_label(year: int, quarter: int) -> str:
    """The form of official titles: III/2020."""
    return f"{ROMAN[quarter]}/{year}"


def shift(year: int, quarter: int, by: int) -> tuple[int, int]:
    """The quarter `by` quarters after (or, negative, before) the given one."""
    index = year * 4 + quarter - 1 + by
    return index // 4, index % 4 + 1


def around(day: datetime.date, *, back: int = 1, ahead: int = 1) -> list[tuple[int, int]]:
    """The quarters from `ahead` after the one of `day` down to `back` before it, latest
    first: what a form offers for work of now (a recommendation for a briefing)."""
    year, quarter = quarter_of(day)
    return [shift(year, quarter, by) for by in range(ahead, -back - 1, -1)]
