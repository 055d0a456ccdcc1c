"""Triage: similar recommendations, the accept and duplicate pages, bulk accept, the
worklist's search without diacritics and its sender filter."""

import datetime

import pytest
from django.utils import timezone
from django.utils.translation import override

from briefing.models.organisations import Organisation
from proposals.models import Recommendation, Status
from proposals.services import recommendations as service
from proposals.similar import similar_recommendations
from tests.conftest import count_queries
from tests.proposals.conftest import bring_to

pytestmark = pytest.mark.django_db

LIST = "/proposals/"
RADIO = "Đề nghị hướng dẫn tiêu chuẩn kỹ thuật đài truyền thanh cấp xã ứng dụng CNTT"
RADIO_TEXT = "Sở đề nghị Bộ ban hành tiêu chuẩn kỹ thuật cho đài truyền thanh cấp xã."


def _deadline(days=10):
    return (timezone.localdate() + datetime.timedelta(days=days)).strftime("%d/%m/%Y")


def _three(people):
    near = bring_to(Status.SUBMITTED, people, title=RADIO, content=RADIO_TEXT)
    other = bring_to(
        Status.SUBMITTED,
        people,
        title="Kiến nghị về cấp phép tần số vô tuyến điện cho tàu cá",
        content="Đề nghị rút gọn thủ tục cấp giấy phép sử dụng tần số cho ngư dân.",
    )
    new = bring_to(
        Status.SUBMITTED,
        people,
        title="De nghi huong dan tieu chuan ky thuat dai truyen thanh cap xa",
        content="So de nghi Bo ban hanh tieu chuan ky thuat cho dai truyen thanh cap xa.",
    )
    return near, other, new


def test_a_near_duplicate_ranks_first_and_an_unrelated_one_is_absent(people):
    near, other, new = _three(people)
    found = similar_recommendations(
        people["office"], title=new.title, content=new.content, exclude=new
    )
    codes = [s.recommendation.code for s in found]
    assert codes[0] == near.code
    assert other.code not in codes and new.code not in codes


def test_a_department_sees_only_its_own_and_published_ones(people):
    near, _other, new = _three(people)
    found = similar_recommendations(people["other_province"], title=new.title, content=new.content)
    assert found == []
    published = bring_to(Status.PUBLISHED, people, title=RADIO, content=RADIO_TEXT)
    found = similar_recommendations(people["other_province"], title=new.title, content=new.content)
    assert [s.recommendation.code for s in found] == [published.code]
    assert found[0].published and not found[0].visible


def test_the_similar_endpoint_answers_a_fragment_and_a_page(client, people):
    near, _other, _new = _three(people)
    client.force_login(people["province"])
    data = {"title": RADIO, "content": RADIO_TEXT}
    fragment = client.post("/proposals/similar/", data, headers={"X-Requested-With": "fetch"})
    assert fragment.status_code == 200
    assert f'data-similar-item="{near.code}"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    page = client.post("/proposals/similar/", data)
    assert "<html" in page.content.decode() and near.code in page.content.decode()


def test_a_nul_character_sent_to_the_similar_endpoint_is_ignored(client, people):
    near, _other, _new = _three(people)
    client.force_login(people["province"])
    data = {"title": f"{RADIO}\x00", "content": f"\x00{RADIO_TEXT}"}
    response = client.post("/proposals/similar/", data, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 200
    assert f'data-similar-item="{near.code}"' in response.content.decode()


def test_the_form_offers_the_check(client, people):
    client.force_login(people["province"])
    html = client.get("/proposals/new/").content.decode()
    assert "data-similar-check" in html and 'formaction="/proposals/similar/"' in html


class TestDuplicatePage:
    def test_offers_the_similar_ones_and_marks_the_chosen_one(self, client, people):
        near, other, new = _three(people)
        client.force_login(people["office"])
        response = client.get(f"/proposals/{new.pk}/duplicate/")
        html = response.content.decode()
        assert f'data-candidate="{near.code}"' in html
        assert f'data-candidate="{other.code}"' not in html
        assert new.content in html and "data-rec-content" in html
        response = client.post(f"/proposals/{new.pk}/duplicate/", {"candidate": near.pk})
        assert response.status_code == 302
        new.refresh_from_db()
        assert new.status == Status.MERGED and new.duplicate_of == near

    def test_nothing_chosen_is_explained_next_to_the_list(self, client, people):
        _near, _other, new = _three(people)
        client.force_login(people["office"])
        response = client.post(f"/proposals/{new.pk}/duplicate/", {"note": "Trùng"})
        assert response.status_code == 400
        assert "candidate" in response.context["form"].errors
        assert "Trùng" in response.content.decode()
        new.refresh_from_db()
        assert new.status == Status.SUBMITTED

    def test_a_typed_code_still_works(self, client, people):
        near, _other, new = _three(people)
        client.force_login(people["office"])
        response = client.post(f"/proposals/{new.pk}/duplicate/", {"original": near.code.lower()})
        assert response.status_code == 302
        new.refresh_from_db()
        assert new.duplicate_of == near


class TestAcceptPage:
    def test_shows_the_text_and_proposes_the_fields_usual_unit(self, client, people):
        bring_to(Status.ACCEPTED, people)  # the field's earlier one went to Cục THH
        rec = bring_to(Status.SUBMITTED, people, title=RADIO, content=RADIO_TEXT)
        client.force_login(people["office"])
        with override("en"):
            response = client.get(f"/proposals/{rec.pk}/accept/")
        html = response.content.decode()
        assert RADIO in html and RADIO_TEXT in html
        assert rec.submitting_organisation.name in html and rec.field.name in html
        assert "Q3/2020" in html or rec.quarter_label in html
        thh = Organisation.objects.get(code="CUC-THH")
        assert response.context["form"].initial["unit"] == thh.pk
        assert f'<option value="{thh.pk}" selected>' in html
        assert "data-picker" in html  # cooperating units: the organisation picker

    def test_no_earlier_one_proposes_nothing(self, client, people):
        rec = bring_to(Status.SUBMITTED, people)
        client.force_login(people["office"])
        response = client.get(f"/proposals/{rec.pk}/accept/")
        assert response.context["form"].initial["unit"] is None
        assert "data-proposed-unit" not in response.content.decode()


class TestBulkAccept:
    def test_assigns_each_and_reports_the_one_refused(self, client, people):
        one = bring_to(Status.SUBMITTED, people)
        two = bring_to(Status.SUBMITTED, people)
        taken = bring_to(Status.SUBMITTED, people)
        client.force_login(people["office"])
        # A colleague accepted `taken` after the list was shown.
        bring_accept = {
            "unit": Organisation.objects.get(code="CUC-VT").pk,
            "deadline": _deadline(3),
        }
        assert client.post(f"/proposals/{taken.pk}/accept/", bring_accept).status_code == 302
        unit = Organisation.objects.get(code="CUC-THH")
        response = client.post(
            "/proposals/bulk-accept/?status=submitted",
            {"selected": [one.pk, two.pk], "unit": unit.pk, "deadline": _deadline()},
        )
        assert (
            response.status_code == 302 and response["Location"] == "/proposals/?status=submitted"
        )
        for rec in (one, two):
            rec.refresh_from_db()
            assert (rec.status, rec.responsible_unit) == (Status.ACCEPTED, unit)
        with override("en"):
            response = client.post(
                "/proposals/bulk-accept/",
                {"selected": [taken.pk], "unit": unit.pk, "deadline": _deadline()},
                follow=True,
            )
        # No longer submitted: refused by the form, nothing changes.
        assert response.status_code == 400
        assert "selected" in response.context["bulk_form"].errors
        taken.refresh_from_db()
        assert taken.responsible_unit.code == "CUC-VT"

    def test_the_service_refusal_is_reported_per_item(self, client, people, monkeypatch):
        one = bring_to(Status.SUBMITTED, people)
        two = bring_to(Status.SUBMITTED, people)
        client.force_login(people["office"])
        Recommendation.objects.filter(pk=two.pk).update(status=Status.SUBMITTED)
        real = service.recommendation_accept

        def refuse_two(**kwargs):
            if kwargs["recommendation_id"] == two.pk:
                raise service.TransitionError("taken meanwhile")
            return real(**kwargs)

        monkeypatch.setattr(service, "recommendation_accept", refuse_two)
        unit = Organisation.objects.get(code="CUC-THH")
        response = client.post(
            "/proposals/bulk-accept/",
            {"selected": [one.pk, two.pk], "unit": unit.pk, "deadline": _deadline()},
            follow=True,
        )
        texts = [str(m) for m in response.context["messages"]]
        assert any(one.code in t for t in texts)
        assert any(two.code in t and "taken meanwhile" in t for t in texts)
        one.refresh_from_db(), two.refresh_from_db()
        assert one.status == Status.ACCEPTED and two.status == Status.SUBMITTED

    def test_errors_show_next_to_the_fields_and_keep_the_selection(self, client, people):
        rec = bring_to(Status.SUBMITTED, people)
        client.force_login(people["office"])
        response = client.post("/proposals/bulk-accept/", {"selected": [rec.pk], "deadline": ""})
        assert response.status_code == 400
        assert {"unit", "deadline"} <= set(response.context["bulk_form"].errors)
        assert f'value="{rec.pk}" id="select_{rec.pk}"' in response.content.decode()
        assert "checked" in response.content.decode()

    @pytest.mark.parametrize("who", ["province", "officer", "leader"])
    def test_only_the_office(self, client, people, who):
        rec = bring_to(Status.SUBMITTED, people)
        client.force_login(people[who])
        unit = Organisation.objects.get(code="CUC-THH")
        response = client.post(
            "/proposals/bulk-accept/",
            {"selected": [rec.pk], "unit": unit.pk, "deadline": _deadline()},
        )
        assert response.status_code == 403
        rec.refresh_from_db()
        assert rec.status == Status.SUBMITTED
        assert 'id="bulk-accept"' not in client.get(LIST).content.decode()

    def test_the_list_offers_checkboxes_for_submitted_ones_only(self, client, people):
        submitted = bring_to(Status.SUBMITTED, people)
        accepted = bring_to(Status.ACCEPTED, people)
        client.force_login(people["office"])
        html = client.get(LIST).content.decode()
        assert f'id="select_{submitted.pk}"' in html and f'id="select_{accepted.pk}"' not in html


@pytest.mark.parametrize("query", ["truyền thanh", "truyen thanh", "TRUYỀN THANH", "Truyen Thanh"])
def test_search_ignores_diacritics_and_case(client, people, query):
    radio = bring_to(Status.SUBMITTED, people, title=RADIO, content=RADIO_TEXT)
    bring_to(Status.SUBMITTED, people, title="Kiến nghị về tần số vô tuyến")
    client.force_login(people["office"])
    response = client.get(LIST, {"q": query})
    assert [r.pk for r in response.context["page"]] == [radio.pk]


def test_search_finds_a_code(client, people):
    rec = bring_to(Status.SUBMITTED, people)
    client.force_login(people["office"])
    response = client.get(LIST, {"q": rec.code.lower()})
    assert [r.pk for r in response.context["page"]] == [rec.pk]


class TestSenderFilter:
    def test_options_are_the_senders_the_user_may_see(self, client, people):
        ours = bring_to(Status.ACCEPTED, people)
        other_rec = bring_to(Status.SUBMITTED, people)
        haiduong = people["other_province"].organisation
        Recommendation.objects.filter(pk=other_rec.pk).update(submitting_organisation=haiduong)
        ninhbinh = ours.submitting_organisation

        def options(who):
            client.force_login(people[who])
            form = client.get(LIST).context["form"]
            return set(form.fields["province"].queryset)

        assert options("office") == {ninhbinh, haiduong}
        assert options("province") == {ninhbinh}
        assert options("other_province") == {haiduong}
        assert options("leader") == {ninhbinh}  # the unit: senders of what it was assigned
        assert options("other_leader") == set()

    @pytest.mark.parametrize("who", ["office", "province", "leader"])
    def test_query_count_does_not_grow_with_senders(
        self, client, people, who, django_assert_num_queries
    ):
        bring_to(Status.ACCEPTED, people)
        client.force_login(people[who])
        one = count_queries(client, LIST)
        haiduong = people["other_province"].organisation
        for _n in range(3):
            rec = bring_to(Status.ACCEPTED, people)
            Recommendation.objects.filter(pk=rec.pk).update(submitting_organisation=haiduong)
        with django_assert_num_queries(one):
            client.get(LIST)


def test_list_query_count_with_bulk_form_does_not_grow(client, people, django_assert_num_queries):
    bring_to(Status.SUBMITTED, people)
    client.force_login(people["office"])
    one = count_queries(client, LIST)
    for _n in range(4):
        bring_to(Status.SUBMITTED, people)
    with django_assert_num_queries(one):
        client.get(LIST)
