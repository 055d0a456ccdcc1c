"""Recommendation pages: who may open what, forms that keep input, the worklist."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from briefing.models.organisations import Organisation, RoleCode
from briefing.platform import quarters
from proposals.models import Answer, Field, Recommendation, Status
from proposals.services import recommendations
from tests.confirmation import confirmed, send_form
from tests.conftest import count_queries
from tests.proposals.conftest import bring_to, new_recommendation

pytestmark = pytest.mark.django_db

LIST = "/proposals/"


def url(name, rec=None, action=None):
    if name == "action":
        return f"/proposals/{rec.pk}/do/{action}/"
    return {
        "list": "/proposals/",
        "create": "/proposals/new/",
        "import": "/proposals/import/",
        "template": "/proposals/import/template.xlsx",
        "detail": f"/proposals/{rec.pk}/" if rec else None,
        "edit": f"/proposals/{rec.pk}/edit/" if rec else None,
        "accept": f"/proposals/{rec.pk}/accept/" if rec else None,
        "merge": f"/proposals/{rec.pk}/duplicate/" if rec else None,
        "answer": f"/proposals/{rec.pk}/answer/" if rec else None,
    }[name]


def add_copies(template: Recommendation, count: int) -> None:
    """`count` accepted copies of `template` (bulk: no workflow), for query counts."""
    Recommendation.objects.bulk_create(
        Recommendation(
            code=f"KN-2020-Q3-9{n:03d}",
            title=f"Kiến nghị số {n}",
            content=template.content,
            field=template.field,
            period_year=2020,
            period_quarter=3,
            status=Status.ACCEPTED,
            submitting_organisation=template.submitting_organisation,
            responsible_unit=template.responsible_unit,
            deadline=template.deadline,
        )
        for n in range(count)
    )


# (page, state of the recommendation) -> expected GET status per person.
# 404: may not see the recommendation at all; 403: may see it, may not use this page.
MATRIX = {
    ("detail", Status.DRAFT): {
        "province": 200,
        "province_leader": 200,
        "other_province": 404,
        "office": 200,
        "officer": 404,
        "leader": 404,
        "other_officer": 404,
        "admin": 403,
    },
    ("detail", Status.ACCEPTED): {
        "province": 200,
        "other_province": 404,
        "office": 200,
        "officer": 200,
        "leader": 200,
        "other_officer": 404,
        "other_leader": 404,
        "admin": 403,
    },
    ("edit", Status.DRAFT): {
        "province": 200,
        "province_leader": 200,
        "other_province": 404,
        "office": 403,
        "officer": 404,
    },
    ("edit", Status.SUBMITTED): {"province": 403, "office": 403, "other_province": 404},
    ("accept", Status.SUBMITTED): {
        "office": 200,
        "province": 403,
        "other_province": 404,
        "officer": 404,
    },
    ("merge", Status.SUBMITTED): {"office": 200, "province": 403, "other_province": 404},
    ("answer", Status.ACCEPTED): {
        "officer": 200,
        "leader": 200,
        "office": 403,
        "province": 403,
        "other_officer": 404,
        "other_province": 404,
    },
    # The form of "reject": only the office may take it (the department saw it before).
    ("action", Status.SUBMITTED): {
        "office": 200,
        "province": 403,
        "province_leader": 403,
        "other_province": 404,
        "officer": 404,
    },
}


@pytest.mark.parametrize(
    ("page", "state", "who", "expected"),
    [(p, s, w, e) for (p, s), row in MATRIX.items() for w, e in row.items()],
)
def test_permission_matrix(client, people, page, state, who, expected):
    rec = bring_to(state, people)
    client.force_login(people[who])
    response = client.get(url(page, rec, action="reject" if page == "action" else None))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("state", "action", "who", "expected"),
    [
        (Status.SUBMITTED, "withdraw", "province", 200),
        (Status.SUBMITTED, "withdraw", "office", 403),
        (Status.ACCEPTED, "withdraw", "province", 403),  # too late: it is assigned
        (Status.ANSWER_DRAFTED, "approve", "leader", 200),
        (Status.ANSWER_DRAFTED, "approve", "officer", 403),
        (Status.PUBLISHED, "approve", "leader", 403),
    ],
)
def test_an_action_form_opens_only_for_whoever_may_take_it_now(
    client, people, state, action, who, expected
):
    rec = bring_to(state, people)
    client.force_login(people[who])
    assert client.get(url("action", rec, action=action)).status_code == expected


@pytest.mark.parametrize(
    ("page", "who", "expected"),
    [
        ("list", "province", 200),
        ("list", "office", 200),
        ("list", "officer", 200),
        ("create", "province", 200),
        ("create", "office", 403),
        ("create", "officer", 403),
        ("import", "province", 200),
        ("import", "officer", 403),
        ("template", "province", 200),
        ("template", "leader", 403),
    ],
)
def test_pages_without_an_id(client, people, page, who, expected):
    client.force_login(people[who])
    assert client.get(url(page)).status_code == expected


@pytest.mark.parametrize("page", ["list", "create", "detail", "answer", "import"])
def test_anonymous_visitors_are_sent_to_sign_in(client, people, page):
    rec = bring_to(Status.SUBMITTED, people)
    response = client.get(url(page, rec))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_unknown_id_is_404(client, people):
    client.force_login(people["office"])
    assert client.get("/proposals/999999/").status_code == 404


def test_post_of_a_forbidden_action_by_another_province_is_404(client, people):
    rec = bring_to(Status.SUBMITTED, people)
    events_before = rec.events.count()
    client.force_login(people["other_province"])
    response = client.post(url("action", rec, "withdraw"), {"note": "x"})
    assert response.status_code == 404
    rec.refresh_from_db()
    assert rec.status == Status.SUBMITTED
    assert rec.events.count() == events_before


def form_data(**overrides):
    data = {
        "title": "Đề nghị hướng dẫn triển khai chuyển đổi số cấp xã",
        "content": "Sở đề nghị Bộ ban hành hướng dẫn chi tiết cho các xã thí điểm.",
        "field": Field.objects.get(code="CDS").pk,
        "channel": "briefing",
        "quarter": "2020-3",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


class TestCreateForm:
    def test_submit_creates_and_submits(self, client, people):
        client.force_login(people["province_leader"])
        response = client.post("/proposals/new/", form_data(submit="1"))
        rec = Recommendation.objects.get()
        # Saved as a draft (input and files kept), then the confirmation page of "submit".
        assert rec.status == Status.DRAFT and not rec.events.exists()
        assert response["Location"] == f"/proposals/{rec.pk}/do/submit/"
        response = client.post(response["Location"], confirmed({"note": ""}), follow=True)
        rec.refresh_from_db()
        assert rec.status == Status.SUBMITTED
        assert rec.submitting_organisation.code == "T63-37"
        assert rec.code in response.content.decode()

    def test_a_submission_takes_a_bounded_number_of_queries(
        self, client, people, django_assert_max_num_queries
    ):
        # Session, user (with roles and organisation in one query), field, the code (one
        # statement), the row and its history, and the test transaction's savepoint:
        # tests/perf/ pins every submission request at 10 or so.
        client.force_login(people["province_leader"])
        send_form(client, "/proposals/new/", form_data(submit="1"))
        data = form_data(submit="1")
        with django_assert_max_num_queries(10):
            response = client.post("/proposals/new/", data)
        assert response.status_code == 302
        # The confirmation: session, user, roles, the row, then the transition (savepoint,
        # lock, update, history, event, outbox, the webhooks' lookup, release).
        with django_assert_max_num_queries(12):
            response = client.post(response["Location"], confirmed({"note": ""}))
        assert response.status_code == 302
        assert Recommendation.objects.filter(status=Status.SUBMITTED).count() == 2

    def test_an_officer_saves_and_asks_the_leaders_to_sign(self, client, people, mailoutbox):
        client.force_login(people["province"])
        response = client.get("/proposals/new/")
        assert "Submit to the Ministry" not in response.content.decode()
        client.post("/proposals/new/", form_data(submit="1"))
        rec = Recommendation.objects.get()
        assert rec.status == Status.DRAFT
        assert list(rec.events.values_list("action", "actor")) == [
            ("ask_signature", people["province"].pk)
        ]

    def test_an_officer_cannot_submit_unless_the_department_lets_officers_send(
        self, client, people
    ):
        rec = new_recommendation(people["province"])
        client.force_login(people["province"])
        client.post(f"/proposals/{rec.pk}/do/submit/", confirmed({"note": ""}))
        rec.refresh_from_db()
        assert rec.status == Status.DRAFT
        Organisation.objects.filter(code="T63-37").update(officers_may_send=True)
        client.post(f"/proposals/{rec.pk}/do/submit/", confirmed({"note": ""}))
        rec.refresh_from_db()
        assert rec.status == Status.SUBMITTED

    def test_save_keeps_a_draft(self, client, people):
        client.force_login(people["province"])
        client.post("/proposals/new/", form_data(save="1"))
        assert Recommendation.objects.get().status == Status.DRAFT

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"title": ""}, "title"),
            ({"title": "x" * 301}, "title"),
            ({"title": "abc"}, "title"),
            ({"content": ""}, "content"),
            ({"content": "y" * 20001}, "content"),
            ({"field": "999999"}, "field"),
            ({"quarter": "2020-7"}, "quarter"),
        ],
    )
    def test_bad_input_is_explained_next_to_the_field_and_kept(
        self, client, people, overrides, field
    ):
        client.force_login(people["province"])
        data = form_data(submit="1", **overrides)
        response = client.post("/proposals/new/", data)
        assert response.status_code == 400
        assert field in response.context["form"].errors
        html = response.content.decode()
        assert f'id="error_1_id_{field}"' in html  # crispy puts the error under the field
        if field != "title":
            assert data["title"] in html
        assert Recommendation.objects.count() == 0

    def test_double_clicked_submit_creates_one(self, client, people):
        client.force_login(people["province"])
        data = form_data(submit="1")
        first = client.post("/proposals/new/", data)
        second = client.post("/proposals/new/", data)
        assert first.status_code == second.status_code == 302
        assert Recommendation.objects.count() == 1
        assert Recommendation.objects.get().events.count() == 1


class TestAcceptForm:
    def test_past_deadline_is_refused_next_to_the_field(self, client, people):
        rec = bring_to(Status.SUBMITTED, people)
        client.force_login(people["office"])
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        response = client.post(
            url("accept", rec),
            {
                "unit": Organisation.objects.get(code="CUC-THH").pk,
                "deadline": yesterday.strftime("%d/%m/%Y"),
                "note": "Giao Cục THH",
            },
        )
        assert response.status_code == 400
        assert "deadline" in response.context["form"].errors
        assert "Giao Cục THH" in response.content.decode()
        rec.refresh_from_db()
        assert rec.status == Status.SUBMITTED
        assert (rec.responsible_unit, rec.deadline) == (None, None)
        assert not rec.events.filter(action="accept").exists()

    def test_a_deadline_in_year_9999_is_refused_next_to_the_field(self, client, people):
        rec = bring_to(Status.SUBMITTED, people)
        client.force_login(people["office"])
        response = client.post(
            url("accept", rec),
            {"unit": Organisation.objects.get(code="CUC-THH").pk, "deadline": "31/12/9999"},
        )
        assert response.status_code == 400
        assert "Chọn một ngày từ" in response.context["form"].errors["deadline"][0]
        rec.refresh_from_db()
        assert rec.status == Status.SUBMITTED and rec.deadline is None
        assert rec.responsible_unit is None
        assert not rec.events.filter(action="accept").exists()

    def test_assigns_the_unit(self, client, people):
        rec = bring_to(Status.SUBMITTED, people)
        client.force_login(people["office"])
        deadline = timezone.localdate() + datetime.timedelta(days=10)
        response = client.post(
            url("accept", rec),
            {
                "unit": Organisation.objects.get(code="CUC-THH").pk,
                "cooperating_units": [Organisation.objects.get(code="CUC-VT").pk],
                "deadline": deadline.strftime("%d/%m/%Y"),
            },
        )
        assert response.status_code == 302
        rec.refresh_from_db()
        assert (rec.status, rec.responsible_unit.code, rec.deadline) == (
            Status.ACCEPTED,
            "CUC-THH",
            deadline,
        )

    def test_accepting_twice_shows_a_message_not_an_error(self, client, people):
        rec = bring_to(Status.ACCEPTED, people)
        client.force_login(people["office"])
        response = client.post(
            url("accept", rec),
            {
                "unit": Organisation.objects.get(code="CUC-VT").pk,
                "deadline": (timezone.localdate() + datetime.timedelta(days=3)).strftime(
                    "%d/%m/%Y"
                ),
            },
            follow=True,
        )
        assert response.status_code == 200
        assert list(response.context["messages"])[0].level_tag == "error"
        rec.refresh_from_db()
        assert rec.responsible_unit.code == "CUC-THH"
        assert rec.events.filter(action="accept").count() == 1


def test_reject_without_a_reason_keeps_the_state_and_says_why(client, people):
    rec = bring_to(Status.SUBMITTED, people)
    client.force_login(people["office"])
    response = client.post(url("action", rec, "reject"), confirmed({"note": ""}))
    assert response.status_code == 400
    assert "note" in response.context["form"].errors
    rec.refresh_from_db()
    assert rec.status == Status.SUBMITTED
    assert not rec.events.filter(action="reject").exists()


def test_merge_with_an_unknown_code_is_explained(client, people):
    rec = bring_to(Status.SUBMITTED, people)
    client.force_login(people["office"])
    response = client.post(url("merge", rec), {"original": "KN-1999-Q1-0001"})
    assert response.status_code == 400
    assert "original" in response.context["form"].errors
    assert 'value="KN-1999-Q1-0001"' in response.content.decode()
    rec.refresh_from_db()
    assert rec.status == Status.SUBMITTED and rec.duplicate_of is None
    assert not rec.events.filter(action="merge").exists()


class TestAnswerLocking:
    def test_the_second_save_from_a_stale_copy_is_refused_and_its_text_kept(self, client, people):
        rec = bring_to(Status.ACCEPTED, people)
        # Both officers open the empty answer (version 0).
        client.force_login(people["officer"])
        client.post(url("answer", rec), {"text": "Bản trả lời của người thứ nhất", "version": 0})
        client.force_login(people["leader"])
        response = client.post(
            url("answer", rec), {"text": "Bản trả lời của người thứ hai", "version": 0}
        )
        assert response.status_code == 409
        html = response.content.decode()
        assert "Bản trả lời của người thứ hai" in html  # their text is kept in the form
        assert "Bản trả lời của người thứ nhất" in html  # and the saved one is shown
        answer = Answer.objects.get(recommendation=rec)
        assert answer.text == "Bản trả lời của người thứ nhất"
        assert answer.version == 1
        assert answer.history.count() == 1
        # The form now carries the current version, so saving again works.
        assert response.context["form"].data["version"] == 1

    def test_save_with_the_current_version_succeeds(self, client, people):
        rec = bring_to(Status.ACCEPTED, people)
        client.force_login(people["officer"])
        client.post(url("answer", rec), {"text": "Lần một", "version": 0})
        client.post(url("answer", rec), {"text": "Lần hai", "version": 1})
        assert Answer.objects.get(recommendation=rec).text == "Lần hai"

    def test_send_to_leader_needs_text(self, client, people):
        rec = bring_to(Status.ACCEPTED, people)
        client.force_login(people["officer"])
        response = client.post(url("answer", rec), {"text": "", "version": 0, "send": "1"})
        assert response.status_code == 400
        rec.refresh_from_db()
        assert rec.status == Status.ACCEPTED
        assert not Answer.objects.filter(recommendation=rec).exists()
        assert not rec.events.filter(action="send_to_leader").exists()


class TestWorklist:
    def test_each_role_sees_only_its_own(self, client, people):
        mine = bring_to(Status.SUBMITTED, people)
        theirs = new_recommendation(people["other_province"], title="Kiến nghị của Hải Dương")
        client.force_login(people["province"])
        codes = [r.code for r in client.get(LIST).context["page"]]
        assert codes == [mine.code]
        client.force_login(people["office"])
        assert {r.code for r in client.get(LIST).context["page"]} == {mine.code, theirs.code}
        client.force_login(people["officer"])
        assert list(client.get(LIST).context["page"]) == []

    def test_counts_per_status_and_status_filter(self, client, people):
        bring_to(Status.SUBMITTED, people)
        bring_to(Status.SUBMITTED, people)
        bring_to(Status.RETURNED, people)
        client.force_login(people["office"])
        response = client.get(LIST, {"status": "submitted"})
        counts = {row["status"]: row["total"] for row in response.context["status_counts"]}
        assert counts == {"submitted": 2, "returned": 1}
        assert response.context["page"].paginator.count == 2

    def test_overdue_items_are_highlighted_and_filterable(self, client, people):
        late = bring_to(Status.ACCEPTED, people)
        Recommendation.objects.filter(pk=late.pk).update(
            deadline=timezone.localdate() - datetime.timedelta(days=2)
        )
        bring_to(Status.ACCEPTED, people)
        client.force_login(people["leader"])
        response = client.get(LIST, {"overdue": "on"})
        assert [r.pk for r in response.context["page"]] == [late.pk]
        assert "data-overdue" in response.content.decode()

    def test_search_filters_and_sort(self, client, people):
        bring_to(Status.SUBMITTED, people, title="Kiến nghị về bưu chính công ích")
        bring_to(Status.SUBMITTED, people, title="Kiến nghị về tần số vô tuyến")
        client.force_login(people["office"])
        response = client.get(LIST, {"q": "tần số", "sort": "code"})
        assert [r.title for r in response.context["page"]] == ["Kiến nghị về tần số vô tuyến"]

    def test_assigned_to_me(self, client, people):
        rec = bring_to(Status.ANSWER_DRAFTED, people)
        bring_to(Status.ACCEPTED, people)
        client.force_login(people["officer"])
        response = client.get(LIST, {"mine": "on"})
        assert [r.pk for r in response.context["page"]] == [rec.pk]

    @pytest.mark.parametrize("who", ["office", "province", "leader"])
    def test_query_count_is_the_same_for_1_and_200_rows(
        self, client, people, who, django_assert_num_queries
    ):
        bring_to(Status.ACCEPTED, people)
        client.force_login(people[who])
        one = count_queries(client, LIST)
        add_copies(Recommendation.objects.get(), 199)
        with django_assert_num_queries(one):
            response = client.get(LIST)
        assert response.context["page"].paginator.count == 200


def test_detail_shows_timeline_and_history_to_staff_only(client, people):
    rec = bring_to(Status.ANSWER_DRAFTED, people)
    client.force_login(people["office"])
    html = client.get(url("detail", rec)).content.decode()
    assert 'data-event="accept"' in html and 'data-event="send_to_leader"' in html
    assert "data-history" in html
    assert "Tiếp nhận và giao xử lý" in html  # the history names the action in words
    client.force_login(people["province"])
    html = client.get(url("detail", rec)).content.decode()
    assert 'data-event="accept"' in html
    assert "data-history" not in html
    assert "data-answer" not in html  # the draft answer is not the province's to read yet


def test_detail_query_count_does_not_grow_with_events(client, people, django_assert_num_queries):
    rec = bring_to(Status.ANSWER_DRAFTED, people)
    client.force_login(people["office"])
    few = count_queries(client, url("detail", rec))
    rec2 = bring_to(Status.ANSWER_APPROVED, people)
    assert rec2.events.count() > rec.events.count()
    with django_assert_num_queries(few):
        client.get(url("detail", rec2))


class TestDepartmentsAcrossThe2025Merger:
    """The 63 provincial departments merged into 34 on 1 July 2025: each sends for the
    quarters in which it existed."""

    def test_an_old_department_cannot_send_for_a_quarter_after_the_merger(self, client, people):
        client.force_login(people["province"])  # Sở TT&TT Ninh Bình (63-province era)
        response = client.post("/proposals/new/", form_data(quarter="2025-3", save="1"))
        assert response.status_code == 400
        [message] = response.context["form"].errors["quarter"]
        assert "Sở TT&TT Ninh Bình" in message and "Sở KH&CN Ninh Bình" in message
        assert "01/07/2025" in message
        assert 'value="Đề nghị hướng dẫn triển khai chuyển đổi số cấp xã"' in (
            response.content.decode()
        )
        assert not Recommendation.objects.exists()
        assert client.post("/proposals/new/", form_data(quarter="2025-2")).status_code == 302

    def test_a_new_department_cannot_send_for_a_quarter_before_it_began(self, client, signed_in):
        signed_in(RoleCode.PROVINCE_OFFICER, username="t-so-khcn-ninhbinh", org_code="T34-37")
        early = client.post("/proposals/new/", form_data(quarter="2025-2"))
        assert early.status_code == 400
        assert "01/07/2025" in early.context["form"].errors["quarter"][0]
        assert not Recommendation.objects.exists()
        assert client.post("/proposals/new/", form_data(quarter="2025-3")).status_code == 302

    def test_the_service_refuses_it_too(self, people):
        with pytest.raises(ValidationError) as refused:
            recommendations.recommendation_create(
                actor=people["province"],
                title="Đề nghị sau sáp nhập",
                content="Nội dung đủ dài để hợp lệ.",
                field=Field.objects.get(code="CDS"),
                channel="briefing",
                period_year=2026,
                period_quarter=1,
            )
        assert "quarter" in refused.value.message_dict
        assert not Recommendation.objects.exists()


def test_the_new_recommendation_form_proposes_the_current_quarter(client, people):
    client.force_login(people["province"])
    year, quarter = quarters.quarter_of(timezone.localdate())
    html = client.get("/proposals/new/").content.decode()
    assert f'<option value="{year}-{quarter}" selected>' in html


class TestExport:
    """The worklist as a spreadsheet: what the page shows the user, nothing more."""

    @staticmethod
    def rows(client, params=None):
        import io

        from openpyxl import load_workbook

        response = client.get("/proposals/export.xlsx", params)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith('attachment; filename="kien-nghi-')
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        return list(sheet.iter_rows(values_only=True))

    def test_each_user_gets_the_rows_they_may_see_and_the_filters_apply(self, client, people):
        mine = bring_to(Status.ACCEPTED, people, title="=1+1 Kiến nghị của Ninh Bình")
        draft = bring_to(Status.DRAFT, people)
        other = new_recommendation(people["other_province"], title="Kiến nghị của Hải Dương")
        recommendations.recommendation_act(
            recommendation_id=other.pk, actor=people["other_province"], action="submit"
        )
        client.force_login(people["office"])
        rows = self.rows(client)
        assert rows[0][:4] == ("Mã", "Quý giao ban", "Lĩnh vực", "Tiêu đề")
        assert {row[0] for row in rows[1:]} == {mine.code, draft.code, other.code}
        assert [row[0] for row in self.rows(client, {"status": Status.ACCEPTED})[1:]] == [mine.code]
        by_code = {row[0]: row for row in rows[1:]}
        assert by_code[mine.code][3] == "=1+1 Kiến nghị của Ninh Bình"  # text, not a formula
        assert by_code[mine.code][5] == "Sở Thông tin và Truyền thông Ninh Bình"
        assert by_code[mine.code][6] == "Cục Tin học hóa"
        assert by_code[mine.code][9] == "Đã giao đơn vị xử lý"

        client.force_login(people["officer"])  # Cục THH: what was assigned to it
        assert [row[0] for row in self.rows(client)[1:]] == [mine.code]
        client.force_login(people["other_officer"])
        assert self.rows(client)[1:] == []
        client.force_login(people["other_province"])
        assert [row[0] for row in self.rows(client)[1:]] == [other.code]
        client.force_login(people["province"])
        assert {row[0] for row in self.rows(client)[1:]} == {mine.code, draft.code}

    def test_the_list_links_to_it_with_its_filters(self, client, people):
        bring_to(Status.ACCEPTED, people)
        client.force_login(people["office"])
        html = client.get(LIST, {"status": Status.ACCEPTED, "page": 1}).content.decode()
        assert f'href="/proposals/export.xlsx?status={Status.ACCEPTED}"' in html

    def test_outsiders_get_no_export(self, client, people):
        assert client.get("/proposals/export.xlsx")["Location"].startswith("/accounts/login/")

    def test_query_count_does_not_grow_with_rows(self, client, people, django_assert_num_queries):
        template = bring_to(Status.ACCEPTED, people)
        client.force_login(people["office"])
        client.get("/proposals/export.xlsx")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as one:
            self.rows(client)
        add_copies(template, 120)
        with django_assert_num_queries(len(one.captured_queries)):
            assert len(self.rows(client)) == 1 + 121
