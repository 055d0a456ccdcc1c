"""The roll-up rules: weighted ratios, yes/no shares and counts, sums, changes,
completeness and the 63 → 34 province boundary."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indicators import selectors, services
from indicators.models import Indicator, ReportingPeriod, Status, Submission
from tests.indicators.conftest import load, org, period

# Figures people read: `make test` runs these on SQLite (make run) as well as PostgreSQL.
pytestmark = pytest.mark.arithmetic

PROVINCES_2020 = [f"T63-{c}" for c in ("01", "02", "04", "06", "08")]


def provinces(day=datetime.date(2020, 9, 30)):
    from briefing.models.organisations import Organisation

    return list(
        Organisation.objects.provinces()
        .valid_on(day)
        .order_by("code")
        .values_list("code", flat=True)
    )


def figure(code, label, statuses=selectors.PUBLIC_STATUSES):
    indicator = Indicator.objects.get(code=code)
    p = period(label)
    return selectors.figures([indicator], [p], statuses)[(indicator.pk, p.pk)]


def test_ratio_is_weighted_by_denominator_not_a_mean_of_percentages(people):
    load(
        people["office"],
        "Q3/2020",
        "CUC-THH",
        {
            "T63-01": {"DVC_TONG": 10, "DVC_MUC34": 1, "DVC_MUC34_HS": 0},
            "T63-02": {"DVC_TONG": 100, "DVC_MUC34": 90, "DVC_MUC34_HS": 45},
        },
    )
    result = figure("DVCTT_MUC34", "Q3/2020")
    mean_of_percentages = (Decimal(10) + Decimal(90)) / 2
    assert result.numerator == 91 and result.denominator == 110
    assert round(result.value, 2) == Decimal("82.73")
    assert round(result.value, 2) != mean_of_percentages
    assert result.reported == 2
    # The second ratio uses the first's numerator as its denominator: 45 / 91.
    assert round(figure("DVCTT_CO_HS", "Q3/2020").value, 2) == Decimal("49.45")


def test_four_layer_security_is_one_rate_over_both_kinds(people):
    """12/20 ministries and 39/63 provinces: (12 + 39) / (20 + 63) = 61.45%. The
    indicator's scope lists the 20 ministries; the other central agencies of 2020 (29
    in all) neither count in the denominator nor add a yes."""
    from briefing.models.organisations import Organisation

    indicator = Indicator.objects.get(code="ATTT_4LOP")
    day = datetime.date(2020, 9, 30)
    ministries = list(indicator.scope.valid_on(day).order_by("code").values_list("code", flat=True))
    assert len(ministries) == 20
    outside = Organisation.objects.filter(kind="central_agency").valid_on(day)
    outside = list(outside.exclude(code__in=ministries).values_list("code", flat=True))
    assert len(outside) == 9 and "BHXH" in outside
    all_provinces = provinces()
    assert len(all_provinces) == 63
    rows = {code: {"ATTT_4LOP": i < 12} for i, code in enumerate(ministries)}
    rows |= {
        code: {"ATTT_4LOP": "có" if i < 39 else "không"} for i, code in enumerate(all_provinces)
    }
    load(people["office"], "Q3/2020", "CUC-ATTT", rows)
    # A yes stored for an agency outside the scope (say, before it was narrowed).
    stray = Submission.objects.create(
        organisation=org("BHXH"),
        period=period("Q3/2020"),
        owner_unit=org("CUC-ATTT"),
        status=Status.APPROVED,
    )
    stray.values.create(element=indicator.numerator, value=1)

    result = figure("ATTT_4LOP", "Q3/2020")
    assert (result.numerator, result.denominator) == (51, 83)
    assert round(result.value, 2) == Decimal("61.45")
    assert round(result.by_kind["central_agency"].value, 2) == Decimal("60.00")
    assert round(result.by_kind["province"].value, 2) == Decimal("61.90")
    complete = selectors.completeness([indicator], period("Q3/2020"))[indicator.pk]
    assert complete["expected"] == 83 and complete["approved"] == 83
    ranked = selectors.entity_rows(indicator, period("Q3/2020"))
    assert {o.code for o in ranked} == set(ministries) | set(all_provinces)


def test_an_agency_outside_the_scope_is_not_asked_and_its_row_is_refused(people):
    """BHXH reports LGSP to Cục THH but not the 4-layer model to Cục ATTT."""
    bhxh = org("BHXH")
    assert "ATTT_4LOP" not in {i.code for i in selectors.indicators_for(organisation=bhxh)}
    assert "LGSP" in {i.code for i in selectors.indicators_for(organisation=bhxh)}
    assert "ATTT_4LOP" in {i.code for i in selectors.indicators_for(organisation=org("BO-YT"))}
    with pytest.raises(services.ReportInvalid) as refused:
        services.reports_save(
            actor=people["office"],
            period=period("Q3/2020"),
            owner_unit=org("CUC-ATTT"),
            entries=[
                services.Entry(org("BO-YT"), {"ATTT_4LOP": 1}),
                services.Entry(bhxh, {"ATTT_4LOP": 1}),
            ],
            submit=False,
        )
    [problem] = refused.value.entries
    assert problem.index == 1
    assert "BHXH VN" in problem.errors[0].message
    assert not Submission.objects.filter(owner_unit__code="CUC-ATTT").exists()


def test_yes_count_counts_entities_and_sum_adds_counts(people):
    load(
        people["office"],
        "Q3/2020",
        "CUC-TTCS",
        {
            "T63-01": {"XA_TONG": 100, "XA_CO_DAI": 90, "DAI_XA": 95, "DAI_CNTT": 10},
            "T63-02": {"XA_TONG": 50, "XA_CO_DAI": 50, "DAI_XA": 60, "DAI_CNTT": 0},
            "T63-04": {"XA_TONG": 20, "XA_CO_DAI": 10, "DAI_XA": 12, "DAI_CNTT": 2},
        },
    )
    assert figure("TINH_DAI_CNTT", "Q3/2020").value == 2  # provinces with a station
    assert figure("DAI_CNTT", "Q3/2020").value == 12
    assert figure("DAI_XA", "Q3/2020").value == 167
    assert round(figure("XA_CO_DAI", "Q3/2020").value, 2) == Decimal("88.24")  # 150/170
    share = figure("LGSP", "Q3/2020")
    assert share.value is None and share.reported == 0


def test_yes_share_divides_by_every_entity_it_applies_to(people):
    load(
        people["office"],
        "Q3/2020",
        "CUC-BC",
        {"T63-01": {"QH_BAOCHI": 1}, "T63-02": {"QH_BAOCHI": 0}},
    )
    result = figure("QH_BAOCHI", "Q3/2020")
    assert (result.numerator, result.denominator, result.reported) == (1, 63, 2)


def test_public_figures_count_approved_reports_only(people):
    load(
        people["office"],
        "Q3/2020",
        "CUC-TTCS",
        {"T63-01": {"XA_TONG": 10, "XA_CO_DAI": 5, "DAI_XA": 5, "DAI_CNTT": 1}},
        approve=False,
    )
    assert figure("DAI_XA", "Q3/2020").value is None
    assert figure("DAI_XA", "Q3/2020", selectors.STAFF_STATUSES).value == 5
    Submission.objects.update(status=Status.DRAFT)
    assert figure("DAI_XA", "Q3/2020", selectors.STAFF_STATUSES).value is None


def test_change_on_previous_period_and_baseline(people):
    # One province reporting: final only because the owner unit accepts any coverage.
    Indicator.objects.filter(code="DVCTT_MUC34").update(provisional_below=0)
    values = {"Q4/2019": (100, 40), "Q2/2020": (100, 40), "Q3/2020": (100, 48)}
    for label, (total, online) in values.items():
        load(
            people["office"],
            label,
            "CUC-THH",
            {"T63-01": {"DVC_TONG": total, "DVC_MUC34": online, "DVC_MUC34_HS": 0}},
        )
    rows = {r.indicator.code: r for r in selectors.national_table(period("Q3/2020"))}
    row = rows["DVCTT_MUC34"]
    assert row.figure.value == 48
    assert row.change_previous == 20  # 40% → 48% is up 20%
    assert row.change_baseline == 20
    assert row.indicator.baseline_period.label == "Q4/2019"
    assert not row.entities_changed
    assert not row.provisional


def test_a_figure_is_provisional_while_its_period_is_open_or_few_reported(people):
    for label, online in (("Q2/2020", 40), ("Q3/2020", 48)):
        load(
            people["office"],
            label,
            "CUC-THH",
            {"T63-01": {"DVC_TONG": 100, "DVC_MUC34": online, "DVC_MUC34_HS": 0}},
        )
    q3 = period("Q3/2020")

    def row():
        q3.refresh_from_db()
        return {r.indicator.code: r for r in selectors.national_table(q3)}["DVCTT_MUC34"]

    # 1 of 92 entities: a value, but no change arrow and no verdict on the target.
    few = row()
    assert few.figure.value == 48 and (few.figure.reported, few.figure.applicable) == (1, 92)
    assert few.provisional and few.change_previous is None and few.meets_target is None
    # The owner unit's threshold decides what coverage is enough.
    Indicator.objects.filter(code="DVCTT_MUC34").update(provisional_below=1)
    assert not row().provisional and row().change_previous == 20
    # Before its due date an unlocked period is provisional whatever the coverage.
    ReportingPeriod.objects.filter(pk=q3.pk).update(due_date=timezone.localdate())
    assert row().provisional
    ReportingPeriod.objects.filter(pk=q3.pk).update(is_locked=True)
    assert not row().provisional


def test_completeness_counts_reported_on_time_and_approved(people):
    p = period("Q3/2020")
    load(people["office"], "Q3/2020", "CUC-BC", {"T63-01": {"QH_BAOCHI": 1}})
    load(people["office"], "Q3/2020", "CUC-BC", {"T63-02": {"QH_BAOCHI": 1}}, approve=False)
    late = load(people["office"], "Q3/2020", "CUC-BC", {"T63-04": {"QH_BAOCHI": 0}}, approve=False)
    Submission.objects.filter(pk=late[0].pk).update(
        submitted_at=datetime.datetime(2020, 11, 1, tzinfo=datetime.UTC)
    )
    Submission.objects.filter(submitted_at__date__gt=p.due_date).exclude(pk=late[0].pk).update(
        submitted_at=datetime.datetime(2020, 10, 5, tzinfo=datetime.UTC)
    )
    indicator = Indicator.objects.get(code="QH_BAOCHI")
    assert selectors.completeness([indicator], p)[indicator.pk] == {
        "expected": 63,
        "reported": 3,
        "on_time": 2,
        "approved": 1,
    }


def test_a_2025_quarter_rolls_up_over_the_entities_of_that_quarter(people):
    """Q2/2025 over the 63 provinces, Q3/2025 over the 34; the trend says so."""
    old = provinces(datetime.date(2025, 6, 30))
    new = provinces(datetime.date(2025, 9, 30))
    assert (len(old), len(new)) == (63, 34)
    assert all(c.startswith("T63-") for c in old) and all(c.startswith("T34-") for c in new)
    load(people["office"], "Q2/2025", "CUC-BC", {code: {"QH_BAOCHI": 1} for code in old[:21]})
    load(people["office"], "Q3/2025", "CUC-BC", {code: {"QH_BAOCHI": 1} for code in new[:17]})
    q2, q3 = figure("QH_BAOCHI", "Q2/2025"), figure("QH_BAOCHI", "Q3/2025")
    assert (q2.numerator, q2.denominator) == (21, 63)
    assert (q3.numerator, q3.denominator) == (17, 34)
    points = selectors.trend(
        Indicator.objects.get(code="QH_BAOCHI"), [period("Q2/2025"), period("Q3/2025")]
    )
    assert [p.entities for p in points] == [63, 34]
    assert [p.entities_changed for p in points] == [False, True]
    row = next(
        r for r in selectors.national_table(period("Q3/2025")) if r.indicator.code == "QH_BAOCHI"
    )
    assert row.entities_changed


def test_an_old_province_cannot_report_after_the_merger(people):
    from indicators import services

    try:
        load(people["office"], "Q3/2025", "CUC-BC", {"T63-37": {"QH_BAOCHI": 1}})
    except services.ReportInvalid as exc:
        assert "Q3/2025" in exc.entries[0].errors[0].message
    else:
        raise AssertionError("a closed province reported")
    assert not Submission.objects.exists()


def test_figures_take_a_fixed_number_of_queries(people):
    indicators = selectors.indicators_for()
    periods = [period("Q2/2020"), period("Q3/2020")]

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            selectors.figures(indicators, periods)
        return len(ctx.captured_queries)

    load(people["office"], "Q3/2020", "CUC-BC", {"T63-01": {"QH_BAOCHI": 1}})
    few = queries()
    load(people["office"], "Q3/2020", "CUC-BC", {c: {"QH_BAOCHI": 1} for c in provinces()[1:]})
    # Two, and one more for the indicator with a scope (the 4-layer model).
    scoped = [i.code for i in indicators if i.restricted_kinds()]
    assert scoped == ["ATTT_4LOP"]
    assert queries() == few == 3


def test_entity_rows_rank_by_value_in_the_database(people):
    load(
        people["office"],
        "Q3/2020",
        "CUC-THH",
        {
            "T63-01": {"BLUEZONE": 10, "THUE_BAO": 100},
            "T63-02": {"BLUEZONE": 40, "THUE_BAO": 100},
            "T63-04": {"BLUEZONE": 20, "THUE_BAO": 100},
        },
    )
    rows = list(selectors.entity_rows(Indicator.objects.get(code="BLUEZONE"), period("Q3/2020")))
    assert len(rows) == 63
    assert [(r.code, r.rank, round(r.score)) for r in rows[:3]] == [
        ("T63-02", 1, 40),
        ("T63-04", 2, 20),
        ("T63-01", 3, 10),
    ]
    assert rows[3].score is None
    assert org("T63-02").short_name == rows[0].short_name


def test_an_agency_sees_only_the_units_and_forms_it_reports_to(db, client):
    """The report pages of an agency follow the scope: BHXH has no 4-layer form."""
    from tests.conftest import make_user

    bhxh, bo_yt = (
        make_user("province_officer", username=f"u-{code.lower()}", org_code=code)
        for code in ("BHXH", "BO-YT")
    )
    client.force_login(bhxh)
    page = client.get("/indicators/report/?period=Q3-2020")
    assert page.status_code == 200
    assert "/indicators/report/Q3-2020/CUC-THH/" in page.content.decode()
    assert "/CUC-ATTT/" not in page.content.decode()
    assert client.get("/indicators/report/Q3-2020/CUC-ATTT/").status_code == 404
    client.force_login(bo_yt)
    form = client.get("/indicators/report/Q3-2020/CUC-ATTT/")
    assert form.status_code == 200 and "ATTT_4LOP" in form.content.decode()


def test_an_entitys_ratio_keeps_its_fraction_on_every_database(people):
    # 35,000 of 120,000 subscribers is 29.17%; SQLite divided whole numbers as integers
    # and gave 29.00, on the public ranking, the report and its files.
    load(
        people["office"],
        "Q3/2020",
        "CUC-THH",
        {
            "T63-01": {"BLUEZONE": 35000, "THUE_BAO": 120000},
            "T63-02": {"BLUEZONE": 2, "THUE_BAO": 3},
        },
    )
    rows = list(selectors.entity_rows(Indicator.objects.get(code="BLUEZONE"), period("Q3/2020")))
    assert [(r.code, round(r.score, 2)) for r in rows[:2]] == [
        ("T63-02", Decimal("66.67")),
        ("T63-01", Decimal("29.17")),
    ]
