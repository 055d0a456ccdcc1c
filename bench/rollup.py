"""Benchmark of the quarterly roll-up: 1,000,000 recommendations over 8 quarters and 8
quarters of indicator values for every province and central agency, generated in SQL
(generate_series); the roll-up of one quarter (what the Celery task does, snapshot
included) against hand-written SQL GROUP BY queries computing the same figures, in the
same run. Peak Python memory of the roll-up at 100,000 and at 1,000,000 rows shows it
does not grow with the rows. Run by `make bench` with DATABASE_URL set to PostgreSQL.

Target: ≤ 1.5× the SQL; peak memory flat between 100,000 and 1,000,000 rows.
"""

import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "briefing.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import get_runner  # noqa: E402

ROUNDS = 3
YEAR, QUARTER = 2020, 3
QUARTERS = [(2019, q) for q in (1, 2, 3, 4)] + [(2020, q) for q in (1, 2, 3, 4)]
STATUSES = [
    "submitted",
    "returned",
    "accepted",
    "answer_drafted",
    "answer_approved",
    "published",
    "published",
    "published",
    "merged",
    "rejected",
    "withdrawn",
    "draft",
]
SOURCES = ["citizen", "enterprise", "organisation", "province", "agency"]


def line(name, ours, reference):
    ratio = ours / reference if reference else float("inf")
    print(
        f"{name:<48} ours {ours * 1000:9.2f} ms  "
        f"reference {reference * 1000:9.2f} ms  ratio {ratio:6.2f}"
    )


def generate_recommendations(first: int, last: int) -> None:
    """Rows first..last (inclusive), spread over the 8 quarters, fields, sources,
    statuses, channels and units, in one INSERT ... SELECT."""
    quarters = [y * 10 + q for y, q in QUARTERS]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH f AS (SELECT array_agg(id ORDER BY id) a FROM proposals_field),
                 u AS (SELECT array_agg(id ORDER BY id) a FROM briefing_organisation
                       WHERE kind = 'ministry_unit'),
                 q AS (SELECT %(quarters)s::int[] a),
                 st AS (SELECT %(statuses)s::text[] a),
                 so AS (SELECT %(sources)s::text[] a)
            INSERT INTO proposals_recommendation (
                code, title, content, field_id, source_kind, submitter_name,
                submitter_email, submitter_phone, submitter_address, channel,
                period_year, period_quarter, status, responsible_unit_id, deadline,
                submission_key, created_at, submitted_at, updated_at)
            SELECT 'B-' || i, 'Kiến nghị ' || i, 'Nội dung kiến nghị số ' || i,
                   f.a[1 + i %% array_length(f.a, 1)],
                   so.a[1 + i %% 5], '', '', '', '',
                   CASE WHEN i %% 5 >= 3 AND i %% 7 = 0 THEN 'briefing' ELSE 'regular' END,
                   q.a[1 + i %% 8] / 10, q.a[1 + i %% 8] %% 10,
                   st.a[1 + (i / 8) %% array_length(st.a, 1)],
                   u.a[1 + i %% array_length(u.a, 1)],
                   DATE '2019-01-01' + (i %% 730),
                   gen_random_uuid(), now(), now(), now()
            FROM generate_series(%(first)s, %(last)s) i, f, u, q, st, so
            """,
            {
                "quarters": quarters,
                "statuses": STATUSES,
                "sources": SOURCES,
                "first": first,
                "last": last,
            },
        )
        cursor.execute("ANALYZE proposals_recommendation")


def generate_indicators() -> None:
    """An approved report per entity, owner unit and quarter with a value for each of
    the owner's elements (booleans 0/1, counts 0-999)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO indicators_submission (
                organisation_id, period_id, owner_unit_id, status, warning_comment,
                submitted_at, decided_at, updated_at)
            SELECT DISTINCT o.id, p.id, i.owner_unit_id, 'approved', '', now(), now(), now()
            FROM briefing_organisation o
            JOIN indicators_reportingperiod p
              ON p.period_type = 'quarter' AND p.year * 10 + p.number = ANY(%s)
            JOIN indicators_indicator i ON i.entity_kinds ? o.kind
            WHERE (o.valid_from IS NULL OR o.valid_from <= p."end")
              AND (o.valid_to IS NULL OR o.valid_to >= p."end")
            """,
            [[y * 10 + q for y, q in QUARTERS]],
        )
        cursor.execute(
            """
            INSERT INTO indicators_value (submission_id, element_id, value)
            SELECT DISTINCT ON (s.id, e.id) s.id, e.id,
                   CASE WHEN e.value_type = 'boolean' THEN (random() < 0.6)::int
                        ELSE floor(random() * 1000) END
            FROM indicators_submission s
            JOIN briefing_organisation o ON o.id = s.organisation_id
            JOIN indicators_indicator i
              ON i.owner_unit_id = s.owner_unit_id AND i.entity_kinds ? o.kind
            JOIN indicators_dataelement e ON e.id IN (i.numerator_id, i.denominator_id)
            """
        )
        cursor.execute("ANALYZE indicators_value")
        cursor.execute("ANALYZE indicators_submission")


REFERENCE_SQL = [
    # Totals by group (the three groups, overall), as the roll-up defines them.
    """
    SELECT count(*),
      count(*) FILTER (WHERE status IN ('answer_approved','published','merged','rejected',
                                        'withdrawn')),
      count(*) FILTER (WHERE status IN ('submitted','returned','accepted','answer_drafted')),
      count(*) FILTER (WHERE status IN ('accepted','answer_drafted') AND deadline < now()),
      count(*) FILTER (WHERE source_kind IN ('citizen','enterprise','organisation')),
      count(*) FILTER (WHERE channel = 'regular' AND source_kind IN ('province','agency')),
      count(*) FILTER (WHERE channel = 'briefing' AND source_kind IN ('province','agency')),
      count(*) FILTER (WHERE channel = 'briefing' AND source_kind IN ('province','agency')
                       AND status IN ('answer_approved','published')),
      max(updated_at)
    FROM proposals_recommendation
    WHERE period_year = %(y)s AND period_quarter = %(q)s AND status <> 'draft'
    """,
    """
    SELECT source_kind, count(*), count(*) FILTER (WHERE status = 'published')
    FROM proposals_recommendation
    WHERE period_year = %(y)s AND period_quarter = %(q)s AND status <> 'draft'
    GROUP BY source_kind
    """,
    """
    SELECT f.code, f.name, count(*), count(*) FILTER (WHERE r.status = 'published')
    FROM proposals_recommendation r JOIN proposals_field f ON f.id = r.field_id
    WHERE r.period_year = %(y)s AND r.period_quarter = %(q)s AND r.status <> 'draft'
    GROUP BY f.code, f.name, f."order"
    """,
    """
    SELECT o.code, count(*), count(*) FILTER (WHERE r.status = 'published')
    FROM proposals_recommendation r LEFT JOIN briefing_organisation o
      ON o.id = r.responsible_unit_id
    WHERE r.period_year = %(y)s AND r.period_quarter = %(q)s AND r.status <> 'draft'
    GROUP BY o.code
    """,
    # Indicator totals of the quarter, the previous one and Q4 of last year.
    """
    SELECT s.period_id, v.element_id, o.kind, SUM(v.value), COUNT(*),
           COUNT(*) FILTER (WHERE v.value > 0)
    FROM indicators_value v
    JOIN indicators_submission s ON s.id = v.submission_id
    JOIN briefing_organisation o ON o.id = s.organisation_id
    JOIN indicators_reportingperiod p ON p.id = s.period_id
    WHERE s.status = 'approved' AND p.period_type = 'quarter'
      AND ((p.year = %(y)s AND p.number IN (%(q)s, %(q)s - 1)) OR (p.year = %(y)s - 1
           AND p.number = 4))
      AND (o.valid_from IS NULL OR o.valid_from <= p."end")
      AND (o.valid_to IS NULL OR o.valid_to >= p."end")
    GROUP BY s.period_id, v.element_id, o.kind
    """,
]


def reference() -> None:
    with connection.cursor() as cursor:
        for sql in REFERENCE_SQL:
            cursor.execute(sql, {"y": YEAR, "q": QUARTER})
            cursor.fetchall()


def ours():
    from briefing.models.reports import ReportSnapshot
    from briefing.reports.rollup import report_rollup

    # A fresh version each round (identical figures would otherwise keep the version).
    ReportSnapshot.objects.all().delete()
    snapshot, created = report_rollup(year=YEAR, quarter=QUARTER)
    assert created
    return snapshot


def measure(label: str, rows: int) -> float:
    ours()  # warm the caches of both
    reference()
    ours_times, ref_times = [], []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        reference()
        ref_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        snapshot = ours()
        ours_times.append(time.perf_counter() - start)
    line(f"roll-up of Q3/2020, {label} recommendations", min(ours_times), min(ref_times))
    tracemalloc.start()
    ours()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    total = snapshot.data["recommendations"]["groups"]["all"]["total"]
    print(f"  {total:,} received in the quarter of {rows:,}; peak memory {peak / 1e6:.2f} MB")
    return peak


def main():
    from proposals.models import Recommendation

    generate_indicators()
    start = time.perf_counter()
    generate_recommendations(1, 100_000)
    print(f"generated 100,000 recommendations in {time.perf_counter() - start:.1f} s")
    small = measure("100,000", 100_000)
    start = time.perf_counter()
    generate_recommendations(100_001, 1_000_000)
    print(f"generated 900,000 more in {time.perf_counter() - start:.1f} s")
    assert Recommendation.objects.count() >= 1_000_000
    large = measure("1,000,000", 1_000_000)
    print(f"peak memory 1,000,000 / 100,000 rows: {large / small:.2f}")


if __name__ == "__main__":
    if connection.vendor != "postgresql":
        sys.exit("bench/rollup.py needs DATABASE_URL pointing at PostgreSQL")
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        main()
    finally:
        runner.teardown_databases(old)
