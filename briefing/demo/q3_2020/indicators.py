"""The indicator values of the demo quarter: per-entity values of Q4/2019, Q2/2020 and
Q3/2020 spread so that the national figures are those of DOMAIN.md, written as approved
submissions."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from indicators.models import DataElement, Indicator, ReportingPeriod, Status, Submission, Value

# National totals per period: (Q4/2019, Q2/2020, Q3/2020).
TOTALS = {
    "DVC_TONG": (24000, 24000, 24000),
    "DVC_MUC34": (9710, 10800, 11652),  # 40.46% → 48.55%: up 20% on 12/2019
    "DVC_MUC34_HS": (1855, 2900, 3473),  # 19.10% → 29.81%: up 56%
    "XA_TONG": (10614, 10614, 10614),
    "XA_CO_DAI": (9320, 9450, 9534),  # 89.82% of communes
    "DAI_XA": (9320, 9450, 9534),
    "DAI_CNTT": (72, 121, 157),  # +85 on 2019
    "THUE_BAO": (125_000_000, 125_000_000, 125_000_000),
}
# Entities with a yes (or a positive count), per period: (provinces, agencies).
YES = {
    "NDXP": ((28, 12), (45, 17), (55, 21)),
    "LGSP": ((19, 6), (52, 15), (56, 21)),  # 25/92 = 27% at the end of 2019; 77/92
    "ATTT_4LOP": ((15, 4), (28, 8), (39, 12)),
    "GIAMSAT_QG": ((20, 0), (31, 0), (39, 0)),
    "QH_BAOCHI": ((30, 0), (40, 0), (46, 0)),
    "DAI_CNTT": ((25, 0), (35, 0), (42, 0)),
}
PILOTS = {
    "CDS_XA": [
        "Bắc Kạn",
        "Bình Định",
        "Hà Giang",
        "Lai Châu",
        "Quảng Trị",
        "Thái Bình",
        "Tuyên Quang",
        "Ninh Bình",
    ],
    "DO_THI_TM": ["Hậu Giang", "Gia Lai", "Thái Nguyên"],
    "IOC": ["Kon Tum"],
}
# Bluezone installs over mobile subscribers, Q3/2020: these provinces pass 30%.
BLUEZONE_LEADERS = {"Hải Dương": 0.48, "Quảng Ninh": 0.36, "Đà Nẵng": 0.34, "Quảng Nam": 0.31}
OWNER = {
    "CUC-THH": [
        "DVC_TONG",
        "DVC_MUC34",
        "DVC_MUC34_HS",
        "NDXP",
        "LGSP",
        "BLUEZONE",
        "THUE_BAO",
        "CDS_XA",
        "DO_THI_TM",
        "IOC",
    ],
    "CUC-ATTT": ["ATTT_4LOP", "GIAMSAT_QG"],
    "CUC-BC": ["QH_BAOCHI"],
    "CUC-TTCS": ["XA_TONG", "XA_CO_DAI", "DAI_XA", "DAI_CNTT"],
}
PERIODS = [(2019, 4), (2020, 2), (2020, 3)]


def spread(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, as integers adding up to it (largest
    remainders get the units left over)."""
    if not weights:
        return []
    exact = [w * total / sum(weights) for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _reporters(entities) -> dict[str, set[int]]:
    """Element code → indices of the entities that report it, from the catalogue (kinds
    of entity and scope: 20 ministries report the 4-layer model, not all 29)."""
    reporters = defaultdict(set)
    for indicator in Indicator.objects.prefetch_related("scope").select_related(
        "numerator", "denominator"
    ):
        for i, entity in enumerate(entities):
            if indicator.applies_to(entity):
                for element in indicator.elements():
                    reporters[element.code].add(i)
    return reporters


def indicator_values(rng, provinces, agencies, units) -> None:
    entities = [*provinces, *agencies]
    reporters = _reporters(entities)
    values = _values(rng, provinces, entities, reporters)
    _check_sums(values, len(provinces), len(entities))
    for k, (year, quarter) in enumerate(PERIODS):
        period = ReportingPeriod.objects.get(period_type="quarter", year=year, number=quarter)
        _save_period(period, k, values, entities, reporters, units)


def _values(rng, provinces, entities, reporters) -> dict:
    """(entity index, element code, period index) → value, for the three periods."""
    n_p = len(provinces)
    # Fixed shapes per entity, so that each entity moves plausibly between periods.
    size = [rng.uniform(0.5, 1.5) for _ in entities]
    rate = [rng.uniform(0.6, 1.4) for _ in entities]
    communes = spread(10614, [rng.uniform(0.4, 1.6) for _ in provinces])
    subscribers = spread(125_000_000, [rng.uniform(0.3, 2.5) for _ in provinces])
    names = [p.short_name.removeprefix("Sở TT&TT ") for p in provinces]
    values = {}
    for k in range(len(PERIODS)):
        # Online services: totals over provinces and agencies.
        tong = spread(TOTALS["DVC_TONG"][k], size)
        muc34 = spread(TOTALS["DVC_MUC34"][k], [s * r for s, r in zip(size, rate, strict=True)])
        hs = spread(TOTALS["DVC_MUC34_HS"][k], [m * r for m, r in zip(muc34, rate, strict=True)])
        for i in range(len(entities)):
            values[i, "DVC_TONG", k] = tong[i]
            values[i, "DVC_MUC34", k] = min(muc34[i], tong[i])
            values[i, "DVC_MUC34_HS", k] = min(hs[i], values[i, "DVC_MUC34", k])
        for code, per_period in YES.items():
            yes_p, yes_a = per_period[k]
            for i in range(n_p):
                values[i, code, k] = 1 if i < yes_p else 0
            reporting_agencies = sorted(i for i in reporters[code] if i >= n_p)
            for rank, i in enumerate(reporting_agencies):
                values[i, code, k] = 1 if rank < yes_a else 0
        with_station = spread(TOTALS["XA_CO_DAI"][k], communes)
        stations_it = spread(TOTALS["DAI_CNTT"][k], [1.0] * YES["DAI_CNTT"][k][0])
        for i in range(n_p):
            values[i, "XA_TONG", k] = communes[i]
            values[i, "XA_CO_DAI", k] = min(with_station[i], communes[i])
            values[i, "DAI_XA", k] = values[i, "XA_CO_DAI", k]
            values[i, "DAI_CNTT", k] = stations_it[i] if i < len(stations_it) else 0
            values[i, "THUE_BAO", k] = subscribers[i]
            # Bluezone came out in April 2020: none at the end of 2019, fewer in Q2.
            growth = (0, 0.6, 1)[k]
            share = BLUEZONE_LEADERS.get(names[i], rng.uniform(0.05, 0.25)) * growth
            values[i, "BLUEZONE", k] = int(subscribers[i] * share)
            for code, places in PILOTS.items():
                values[i, code, k] = 1 if (names[i] in places and k == 2) else 0
    return values


def _save_period(period, k, values, entities, reporters, units) -> None:
    """The period's submissions, one per entity and owner unit, approved, with values."""
    elements = {e.code: e for e in DataElement.objects.all()}
    now = timezone.now()
    submitted_at = datetime.datetime.combine(
        period.end + datetime.timedelta(days=10), datetime.time(9), datetime.UTC
    )
    submissions = [
        Submission(
            organisation=entity,
            period=period,
            owner_unit=units[unit_code],
            status=Status.APPROVED,
            submitted_at=submitted_at,
            decided_at=now,
        )
        for unit_code in OWNER
        for i, entity in enumerate(entities)
        if any(i in reporters[code] for code in OWNER[unit_code])
    ]
    Submission.objects.bulk_create(submissions)
    index = {e.pk: i for i, e in enumerate(entities)}
    rows = [
        Value(
            submission=submission,
            element=elements[code],
            value=Decimal(values[index[submission.organisation_id], code, k]),
        )
        for submission in submissions
        for code in OWNER[submission.owner_unit.code]
        if index[submission.organisation_id] in reporters[code]
    ]
    Value.objects.bulk_create(rows, batch_size=5000)


def _check_sums(values, n_p, n) -> None:
    """The capped per-entity values must still add up to the national totals."""
    for code in ("DVC_MUC34", "DVC_MUC34_HS"):
        for k in range(len(PERIODS)):
            got = sum(values[i, code, k] for i in range(n))
            assert got == TOTALS[code][k], (code, k, got)
    for k in range(len(PERIODS)):
        assert sum(values[i, "XA_CO_DAI", k] for i in range(n_p)) == TOTALS["XA_CO_DAI"][k]
