"""Benchmark of indicators: import an Excel file of 63 entities × all elements, and the
national figures over 8 quarters of 63 entities, against one hand-written SQL GROUP BY
on the same data. Run by `make bench` with DATABASE_URL set to PostgreSQL.

It creates a temporary test database (Django's test runner machinery), fills it, prints
one line per figure (name, our time, reference time, ratio) and the peak memory, and
drops the database.
"""

import io
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
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import get_runner  # noqa: E402
from openpyxl import Workbook  # noqa: E402

ROUNDS = 5


def best(function, rounds=ROUNDS):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def line(name, ours, reference):
    ratio = ours / reference if reference else float("inf")
    print(
        f"{name:<48} ours {ours * 1000:9.2f} ms  "
        f"reference {reference * 1000:9.2f} ms  ratio {ratio:6.2f}"
    )


def main():
    from briefing.models.organisations import Organisation, RoleCode
    from briefing.organisations.services import user_upsert
    from indicators import importing, selectors, services
    from indicators.models import ReportingPeriod, Status, Submission, Value

    office = user_upsert(
        username="bench-office",
        organisation=Organisation.objects.get(code="VPB"),
        role_codes=[RoleCode.OFFICE_COORDINATOR],
        password=os.environ.get("BENCH_PASSWORD", "bench-" + os.urandom(8).hex()),
        first_name="Bench",
        last_name="Office",
    )
    quarters = [("quarter", 2019, q) for q in (1, 2, 3, 4)] + [
        ("quarter", 2020, q) for q in (1, 2, 3, 4)
    ]

    periods = [ReportingPeriod.objects.get(period_type=t, year=y, number=n) for t, y, n in quarters]
    provinces = list(Organisation.objects.provinces().valid_on(periods[0].end).order_by("code"))
    assert len(provinces) == 63
    units = {i.owner_unit for i in selectors.indicators_for(kind="province")}

    # 1. Excel import: one workbook per owner unit, 63 rows × its elements.
    def workbook(unit, seed):
        indicators = selectors.indicators_for(kind="province", owner=unit)
        elements = selectors.elements_of(indicators)
        book = Workbook()
        sheet = book.active
        sheet.title = importing.SHEET
        sheet.append(importing.headers(elements))
        for i, org in enumerate(provinces):
            row = [org.code, org.name]
            for element in elements:
                if element.value_type == "boolean":
                    row.append("Có" if (i + seed) % 3 else "Không")
                else:
                    row.append(1000 + (i * 37 + seed * 11) % 500)
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return elements, buffer.getvalue()

    # Denominators must hold their numerators: the generator keeps every count in
    # 1000..1499, so fix the ratios whose numerator must fit by making totals larger.
    def fit(entries):
        for entry in entries:
            for total in ("DVC_TONG", "XA_TONG"):
                if total in entry.raw:
                    entry.raw[total] = 5000
            if "DVC_MUC34" in entry.raw:
                entry.raw["DVC_MUC34"] = 2000
        return entries

    tracemalloc.start()
    import_time = 0.0
    for index, period in enumerate(periods):
        for unit in sorted(units, key=lambda u: u.code):
            elements, content = workbook(unit, index)
            start = time.perf_counter()
            entries, numbers, errors = importing.read_workbook(
                SimpleUploadedFile("bench.xlsx", content), elements=elements
            )
            assert not errors, errors[:3]
            services.reports_save(
                actor=office,
                period=period,
                owner_unit=unit,
                entries=fit(entries),
                submit=False,
            )
            if index == len(periods) - 1:
                import_time += time.perf_counter() - start
    _current, peak_import = tracemalloc.get_traced_memory()
    Submission.objects.update(status=Status.APPROVED)
    values = Value.objects.count()
    print(
        f"data: {len(periods)} quarters × 63 provinces × {len(units)} owner units; {values} values"
    )

    # Reference for the import: the same rows written by one plain executemany.
    one_period = periods[-1]
    rows = list(
        Value.objects.filter(submission__period=one_period).values_list(
            "submission_id", "element_id", "value"
        )
    )

    def reference_import():
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE IF NOT EXISTS bench_values (s int, e int, v numeric)")
            cursor.execute("TRUNCATE bench_values")
            cursor.executemany("INSERT INTO bench_values VALUES (%s, %s, %s)", rows)

    reference_time, _ = best(reference_import, 1)
    line("import 63 entities × all elements (1 quarter)", import_time, reference_time)

    # 2. National figures over 8 quarters.
    indicators = selectors.indicators_for()
    tracemalloc.reset_peak()
    ours, found = best(lambda: selectors.figures(indicators, periods))
    _current, peak_figures = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    sql = """
        SELECT s.period_id, v.element_id, o.kind, SUM(v.value), COUNT(*),
               COUNT(*) FILTER (WHERE v.value > 0)
        FROM indicators_value v
        JOIN indicators_submission s ON s.id = v.submission_id
        JOIN briefing_organisation o ON o.id = s.organisation_id
        JOIN indicators_reportingperiod p ON p.id = s.period_id
        WHERE s.status = 'approved' AND s.period_id = ANY(%s) AND v.value IS NOT NULL
          AND (o.valid_from IS NULL OR o.valid_from <= p."end")
          AND (o.valid_to IS NULL OR o.valid_to >= p."end")
        GROUP BY s.period_id, v.element_id, o.kind
    """

    def reference():
        with connection.cursor() as cursor:
            cursor.execute(sql, [[p.pk for p in periods]])
            return cursor.fetchall()

    reference_time, grouped = best(reference)
    line(f"national figures, {len(indicators)} indicators × 8 quarters", ours, reference_time)
    # The two agree: Σ numerator of one ratio in the last quarter.
    indicator = next(i for i in indicators if i.code == "DVCTT_MUC34")
    expected = sum(
        row[3] for row in grouped if row[0] == periods[-1].pk and row[1] == indicator.numerator_id
    )
    assert found[(indicator.pk, periods[-1].pk)].numerator == expected
    print(f"peak memory: import {peak_import / 1e6:.1f} MB, figures {peak_figures / 1e6:.1f} MB")


if __name__ == "__main__":
    if connection.vendor != "postgresql":
        sys.exit("bench/indicators.py needs DATABASE_URL pointing at PostgreSQL")
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        main()
    finally:
        runner.teardown_databases(old)
