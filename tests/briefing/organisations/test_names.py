"""Issue #14, "names out of their time": every organisation, the ministry included, by
its name on the date that matters (today for the portal, the quarter for a report)."""

import datetime

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from briefing.models.organisations import Organisation, OrganisationKind, OrganisationName, RoleCode
from briefing.organisations import selectors
from briefing.organisations.reference_data import sync_organisations
from briefing.sessions.forms import _organisations
from indicators import selectors as indicator_selectors
from indicators.models import Indicator
from proposals.models import Recommendation, Status
from proposals.public_forms import AnswerFilterForm
from tests.indicators.conftest import load, people, period  # noqa: F401 (fixture)
from tests.proposals.conftest import bring_to, make_people

pytestmark = pytest.mark.django_db

Q3_2020 = datetime.date(2020, 9, 30)
SPRING_2025 = datetime.date(2025, 4, 15)  # 63 provinces, their departments already "KH&CN"
DECEMBER_2026 = datetime.date(2026, 12, 1)


def ninh_binh():
    return Organisation.objects.get(code="T63-37")


class TestReferenceData:
    def test_the_ministry_is_an_organisation_with_its_two_names(self):
        ministry = Organisation.objects.get(code=Organisation.MINISTRY_CODE)
        assert ministry.kind == OrganisationKind.MINISTRY
        assert [(n.valid_from, n.name) for n in ministry.names.all()] == [
            (datetime.date(2025, 3, 1), "Bộ Khoa học và Công nghệ")
        ]
        assert selectors.ministry_name_on(Q3_2020) == "Bộ Thông tin và Truyền thông"
        assert (
            selectors.ministry_name_on(datetime.date(2025, 2, 28)) == "Bộ Thông tin và Truyền thông"
        )
        assert selectors.ministry_name_on(datetime.date(2025, 3, 1)) == "Bộ Khoa học và Công nghệ"
        assert selectors.ministry_name_on(DECEMBER_2026, short=True) == "Bộ KH&CN"

    def test_the_ministry_has_its_english_names(self):
        with translation.override("en"):
            assert (
                selectors.ministry_name_on(Q3_2020) == "Ministry of Information and Communications"
            )
            assert selectors.ministry_name_on(DECEMBER_2026) == "Ministry of Science and Technology"

    def test_the_63_departments_were_called_kh_cn_from_march_2025(self):
        assert selectors.organisation_name_on(ninh_binh(), Q3_2020) == (
            "Sở Thông tin và Truyền thông Ninh Bình"
        )
        assert selectors.organisation_name_on(ninh_binh(), SPRING_2025, short=True) == (
            "Sở KH&CN Ninh Bình"
        )
        assert OrganisationName.objects.filter(organisation__code__startswith="T63-").count() == 63
        assert not OrganisationName.objects.filter(organisation__code__startswith="T34-").exists()

    def test_sync_is_safe_to_run_again_and_keeps_names_given_in_the_back_office(self):
        OrganisationName.objects.create(
            organisation=Organisation.objects.get(code="CUC-THH"),
            valid_from=datetime.date(2025, 3, 1),
            name="Cục Chuyển đổi số quốc gia",
            short_name="Cục CĐSQG",
        )
        before = OrganisationName.objects.count()
        sync_organisations(Organisation)
        assert OrganisationName.objects.count() == before


class TestNamedOn:
    def test_a_list_reads_every_name_of_its_date_in_one_query(self):
        with CaptureQueriesContext(connection) as ctx:
            spring = list(selectors.organisations_on(SPRING_2025, OrganisationKind.PROVINCE))
        assert len(ctx.captured_queries) == 1
        assert len(spring) == 63
        assert all(o.name.startswith("Sở Khoa học và Công nghệ ") for o in spring)
        in_2020 = list(selectors.organisations_on(Q3_2020, OrganisationKind.PROVINCE))
        assert len(in_2020) == 63 and all(o.short_name.startswith("Sở TT&TT ") for o in in_2020)
        today = list(selectors.organisations_on(DECEMBER_2026, OrganisationKind.PROVINCE))
        assert len(today) == 34 and {o.code[:4] for o in today} == {"T34-"}

    def test_the_filter_reads_names_from_the_cache_without_a_query(self):
        selectors.ministry_name_on()  # loads the names once
        organisation = ninh_binh()
        with CaptureQueriesContext(connection) as ctx:
            names = [selectors.organisation_name_on(organisation, Q3_2020) for _ in range(50)]
        assert len(ctx.captured_queries) == 0
        assert set(names) == {"Sở Thông tin và Truyền thông Ninh Bình"}

    def test_the_template_filter_answers_name_of_x_on_d(self):
        template = Template(
            "{% load organisation_names %}{{ org|name_on:d1 }}|{{ org|short_name_on:d2 }}"
            "|{% ministry_name d1 %}|{% ministry_name %}"
        )
        text = template.render(Context({"org": ninh_binh(), "d1": Q3_2020, "d2": SPRING_2025}))
        assert text == (
            "Sở Thông tin và Truyền thông Ninh Bình|Sở KH&amp;CN Ninh Bình"
            "|Bộ Thông tin và Truyền thông|Bộ Khoa học và Công nghệ"
        )


class TestRankings:
    pytestmark = pytest.mark.arithmetic

    def test_the_q3_2020_ranking_keeps_the_2020_names(self, people):  # noqa: F811
        load(
            people["office"],
            "Q3/2020",
            "CUC-THH",
            {
                "T63-37": {"BLUEZONE": 40, "THUE_BAO": 100},
                "T63-01": {"BLUEZONE": 10, "THUE_BAO": 100},
            },
        )
        rows = list(
            indicator_selectors.entity_rows(
                Indicator.objects.get(code="BLUEZONE"), period("Q3/2020")
            )
        )
        assert [(r.short_name, r.rank) for r in rows[:2]] == [
            ("Sở TT&TT Ninh Bình", 1),
            ("Sở TT&TT Hà Nội", 2),
        ]
        assert float(rows[0].score) == pytest.approx(40)

    def test_a_spring_2025_ranking_uses_the_names_of_that_quarter(self, people):  # noqa: F811
        load(people["office"], "Q2/2025", "CUC-BC", {"T63-37": {"QH_BAOCHI": 1}})
        rows = list(
            indicator_selectors.entity_rows(
                Indicator.objects.get(code="QH_BAOCHI"), period("Q2/2025")
            )
        )
        assert len(rows) == 63
        assert rows[0].short_name == "Sở KH&CN Ninh Bình" and rows[0].rank == 1


class TestPortalPages:
    def test_the_header_and_footer_say_today_s_ministry(self, client, settings):
        html = client.get("/").content.decode()
        assert "Bộ Thông tin và Truyền thông" not in html
        assert html.count("Bộ Khoa học và Công nghệ") >= 2  # header and footer

    def test_a_page_reads_the_names_once_for_header_and_footer(self, client, monkeypatch):
        reads = []
        names_over_time = selectors._names_over_time
        monkeypatch.setattr(
            selectors, "_names_over_time", lambda: reads.append(1) or names_over_time()
        )
        html = client.get("/answers/").content.decode()
        assert html.count("Bộ Khoa học và Công nghệ") >= 2
        assert len(reads) == 1

    def test_english_pages_give_the_english_name(self, client):
        client.cookies["giaoban_language"] = "en"
        html = client.get("/").content.decode()
        assert "Ministry of Science and Technology" in html
        assert "Ministry Office, Ministry of Science and Technology" in html
        assert "Information and Communications" not in html

    def test_a_rename_in_the_back_office_shows_at_once_on_cached_public_pages(
        self, client, signed_in, django_capture_on_commit_callbacks
    ):
        assert "Bộ Khoa học và Công nghệ" in client.get("/").content.decode()  # now cached
        assert client.get("/").content.decode().count("Bộ Kiểm thử") == 0
        admin = client.__class__()
        signed = signed_in(RoleCode.SYSTEM_ADMIN)
        admin.force_login(signed)
        ministry = Organisation.objects.get(code="BO")
        url = f"/admin/briefing/organisation/{ministry.pk}/change/"
        existing = list(ministry.names.all())
        data = {
            "code": ministry.code,
            "name": ministry.name,
            "short_name": ministry.short_name,
            "name_en": ministry.name_en,
            "kind": ministry.kind,
            "admin_code": "",
            "valid_from": "",
            "valid_to": "",
            "successor": "",
            "source": ministry.source,
            "names-TOTAL_FORMS": str(len(existing) + 1),
            "names-INITIAL_FORMS": str(len(existing)),
            "names-MIN_NUM_FORMS": "0",
            "names-MAX_NUM_FORMS": "1000",
        }
        for i, row in enumerate(existing):
            data |= {
                f"names-{i}-id": str(row.pk),
                f"names-{i}-organisation": str(ministry.pk),
                f"names-{i}-valid_from": row.valid_from.strftime("%d/%m/%Y"),
                f"names-{i}-name": row.name,
                f"names-{i}-short_name": row.short_name,
                f"names-{i}-name_en": row.name_en,
                f"names-{i}-source": row.source,
            }
        new = len(existing)
        data |= {
            f"names-{new}-organisation": str(ministry.pk),
            f"names-{new}-valid_from": datetime.date(2026, 1, 1).strftime("%d/%m/%Y"),
            f"names-{new}-name": "Bộ Kiểm thử",
            f"names-{new}-short_name": "Bộ KT",
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = admin.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        html = client.get("/").content.decode()
        assert "Bộ Kiểm thử" in html
        assert selectors.ministry_name_on(Q3_2020) == "Bộ Thông tin và Truyền thông"


class TestLists:
    def test_the_answers_filter_offers_today_s_senders_apart_from_former_ones(self):
        field = AnswerFilterForm().fields["province"]
        groups = dict(list(field.choices)[1:])
        assert len(groups) == 2  # "Existing today", "No longer existing"
        today, former = list(groups.values())
        today_names = [label for _value, label in today]
        former_names = [label for _value, label in former]
        assert sum(n.startswith("Sở Khoa học và Công nghệ ") for n in today_names) == 34
        assert sum(n.startswith("Sở Thông tin và Truyền thông ") for n in former_names) == 63
        assert not any(n.startswith("Sở Thông tin") for n in today_names)
        assert "Bộ Khoa học và Công nghệ" in today_names  # the agency, listed once
        assert today_names.count("Bộ Khoa học và Công nghệ") == 1  # not the ministry itself

    def test_the_organisation_list_shows_the_names_of_the_chosen_day(self, client, signed_in):
        signed_in(RoleCode.OFFICE_COORDINATOR)
        for day, count, prefix in [
            ("30/09/2020", 63, "Sở Thông tin và Truyền thông "),
            ("15/04/2025", 63, "Sở Khoa học và Công nghệ "),
            ("01/12/2026", 34, "Sở Khoa học và Công nghệ "),
        ]:
            response = client.get("/organisations/", {"kind": "province", "valid_on": day})
            page = response.context["page"]
            assert page.paginator.count == count
            assert all(o.name.startswith(prefix) for o in page), day

    def test_the_organisation_list_finds_a_department_by_a_later_name(self, client, signed_in):
        signed_in(RoleCode.OFFICE_COORDINATOR)
        response = client.get("/organisations/", {"q": "Sở KH&CN Ninh Bình"})
        codes = {o.code for o in response.context["page"]}
        assert codes == {"T63-37", "T34-37"}

    def test_a_2020_session_offers_the_2020_organisations_by_their_2020_names(self):
        choices = list(_organisations(Q3_2020))
        names = {o.code: o.name for o in choices}
        assert names["T63-37"] == "Sở Thông tin và Truyền thông Ninh Bình"
        assert "BO" not in names and not any(c.startswith("T34-") for c in names)


@pytest.mark.parametrize(
    ("quarter", "name"),
    [
        ((2020, 3), "Sở Thông tin và Truyền thông Ninh Bình"),
        ((2025, 2), "Sở Khoa học và Công nghệ Ninh Bình"),
    ],
)
def test_an_answer_page_names_the_sender_as_it_was_called_in_its_quarter(client, quarter, name):
    rec = bring_to(Status.PUBLISHED, make_people())
    year, number = quarter
    Recommendation.objects.filter(pk=rec.pk).update(period_year=year, period_quarter=number)
    html = client.get(f"/answers/{rec.code}/").content.decode()
    assert name in html
