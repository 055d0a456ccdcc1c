"""Publishing and the public answers pages: /answers/, one answer, feed, exports,
sitemap, cache, counters."""

import csv
import datetime
import io
import json

import feedparser
import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from kombu.exceptions import OperationalError
from openpyxl import load_workbook

from briefing.celery import app
from briefing.models.organisations import Organisation
from briefing.models.platform import OutboxMessage, VisitDay
from briefing.platform import visits
from briefing.platform.outbox import outbox_sweep
from proposals import search
from proposals.models import Answer, AnswerRating, Recommendation, Status
from proposals.services import publishing, recommendations
from proposals.tasks import publish_answer, publish_due_answers
from proposals.views.public import EXPORT_COLUMNS
from proposals.workflow import TransitionError
from tests.confirmation import confirmed
from tests.proposals.conftest import bring_to, merge_duplicate, revise_answer
from tests.proposals.test_attachments import pdf_bytes, upload

pytestmark = pytest.mark.django_db


def published(people, **extra) -> Recommendation:
    return bring_to(Status.PUBLISHED, people, **extra)


def detail(rec):
    return f"/answers/{rec.code}/"


class TestPublishing:
    def test_publishing_twice_gives_one_publication(self, people):
        rec = bring_to(Status.ANSWER_APPROVED, people)
        assert publish_answer.apply(kwargs={"recommendation_id": rec.pk}).get() is True
        first = Answer.objects.get(recommendation=rec).published_at
        assert publish_answer.apply(kwargs={"recommendation_id": rec.pk}).get() is False
        answer = Answer.objects.get(recommendation=rec)
        assert answer.published_at == first
        assert rec.events.filter(action="publish").count() == 1
        assert answer.published_text == answer.text

    def test_approval_queues_the_publication_after_commit(
        self, people, django_capture_on_commit_callbacks, settings
    ):
        settings.CELERY_TASK_ALWAYS_EAGER = True
        rec = bring_to(Status.ANSWER_DRAFTED, people)
        with django_capture_on_commit_callbacks(execute=True):
            recommendations.recommendation_act(
                recommendation_id=rec.pk, actor=people["leader"], action="approve"
            )
        rec.refresh_from_db()
        assert rec.status == Status.PUBLISHED

    def test_approval_while_the_broker_is_down_succeeds_and_the_sweep_publishes(
        self, client, people, django_capture_on_commit_callbacks, monkeypatch, settings
    ):
        rec = bring_to(Status.ANSWER_DRAFTED, people)

        def broker_down(*args, **kwargs):
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        for name in ("proposals.publish_answer", "proposals.notify_event"):
            monkeypatch.setattr(app.tasks[name], "apply_async", broker_down)
        client.force_login(people["leader"])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/proposals/{rec.pk}/do/approve/", confirmed({"note": ""}))
        assert response.status_code == 302  # the leader sees success, not a 500
        rec.refresh_from_db()
        assert rec.status == Status.ANSWER_APPROVED
        waiting = OutboxMessage.objects.filter(task="proposals.publish_answer", sent_at=None)
        assert waiting.count() == 1

        monkeypatch.undo()  # the broker is back
        settings.CELERY_TASK_ALWAYS_EAGER = True
        OutboxMessage.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))
        assert outbox_sweep() >= 1
        rec.refresh_from_db()
        assert rec.status == Status.PUBLISHED
        assert client.get(detail(rec)).status_code == 200

    def test_a_scheduled_answer_waits_for_its_time(self, people):
        rec = bring_to(Status.ANSWER_DRAFTED, people)
        later = timezone.now() + datetime.timedelta(hours=2)
        publishing.recommendation_schedule_publication(
            recommendation_id=rec.pk, actor=people["office"], publish_at=later
        )
        recommendations.recommendation_act(
            recommendation_id=rec.pk, actor=people["leader"], action="approve"
        )
        assert publish_answer.apply(kwargs={"recommendation_id": rec.pk}).get() is False
        assert publish_due_answers.apply().get() == 0
        assert publishing.answers_publish_due(now=later + datetime.timedelta(minutes=1)) == 1
        rec.refresh_from_db()
        assert rec.status == Status.PUBLISHED

    def test_scheduling_in_the_past_or_by_a_unit_is_refused(self, people):
        rec = bring_to(Status.ACCEPTED, people)
        with pytest.raises(ValidationError):
            publishing.recommendation_schedule_publication(
                recommendation_id=rec.pk,
                actor=people["office"],
                publish_at=timezone.now() - datetime.timedelta(hours=1),
            )
        with pytest.raises(TransitionError):
            publishing.recommendation_schedule_publication(
                recommendation_id=rec.pk, actor=people["leader"], publish_at=None
            )
        rec.refresh_from_db()
        assert rec.publish_at is None
        assert not rec.history.filter(history_change_reason="schedule").exists()

    def test_a_revised_answer_stays_public_until_republished_then_shows_updated_on(
        self, client, people, django_capture_on_commit_callbacks
    ):
        rec = published(people)
        original = Answer.objects.get(recommendation=rec).published_text
        answer = revise_answer(
            people,
            rec,
            text="Nội dung trả lời đã được sửa lại theo văn bản mới.",
            send_to_leader=True,
            note="Sai số văn bản",
        )
        page = client.get(detail(rec)).content.decode()
        assert original in page and "đã được sửa lại" not in page
        assert "data-updated" not in page

        recommendations.recommendation_act(
            recommendation_id=rec.pk, actor=people["leader"], action="approve"
        )
        with django_capture_on_commit_callbacks(execute=True):
            publishing.answer_publish(recommendation_id=rec.pk)
        page = client.get(detail(rec)).content.decode()
        assert "đã được sửa lại" in page
        assert "data-updated" in page
        answer.refresh_from_db()
        assert answer.republished_at is not None

    def test_a_file_added_to_a_revision_stays_private_until_the_revision_is_published(
        self, client, people, django_capture_on_commit_callbacks
    ):
        rec = bring_to(Status.ACCEPTED, people)
        recommendations.answer_save(
            recommendation_id=rec.pk,
            actor=people["officer"],
            text="Trả lời kèm văn bản số 2719.",
            version=0,
            files=[upload("Van ban 2719.pdf", pdf_bytes())],
            send_to_leader=True,
        )
        recommendations.recommendation_act(
            recommendation_id=rec.pk, actor=people["leader"], action="approve"
        )
        publishing.answer_publish(recommendation_id=rec.pk)
        answer = revise_answer(people, rec, files=[upload("Du thao chua duyet.pdf", pdf_bytes())])
        published_file, draft_file = rec.attachments.filter(part="answer").order_by("pk")

        page = client.get(detail(rec)).content.decode()
        assert "Van ban 2719.pdf" in page and "Du thao chua duyet" not in page
        assert client.get(f"{detail(rec)}files/{published_file.pk}/").status_code == 200
        assert client.get(f"{detail(rec)}files/{draft_file.pk}/").status_code == 404

        answer.refresh_from_db()
        recommendations.answer_save(
            recommendation_id=rec.pk,
            actor=people["officer"],
            text=answer.text,
            version=answer.version,
            send_to_leader=True,
        )
        recommendations.recommendation_act(
            recommendation_id=rec.pk, actor=people["leader"], action="approve"
        )
        assert client.get(f"{detail(rec)}files/{draft_file.pk}/").status_code == 404
        with django_capture_on_commit_callbacks(execute=True):
            publishing.answer_publish(recommendation_id=rec.pk)
        assert "Du thao chua duyet" in client.get(detail(rec)).content.decode()
        assert client.get(f"{detail(rec)}files/{draft_file.pk}/").status_code == 200


class TestSearch:
    @pytest.fixture
    def answers(self, people):
        return [
            published(people, title="Hướng dẫn chuyển đổi số cấp xã"),
            published(people, title="Quy hoạch báo chí địa phương"),
        ]

    @pytest.mark.parametrize("query", ["chuyen doi so", "Chuyển đổi số", "CHUYỂN ĐỔI", "doi so"])
    def test_search_ignores_diacritics_and_case(self, client, answers, query):
        response = client.get("/answers/", {"q": query})
        codes = [row["code"] for row in response.context["rows"]]
        assert codes == [answers[0].code]

    def test_a_word_only_in_the_question_is_found(self, client, people):
        asked = published(
            people,
            title="Kiến nghị thứ nhất",
            content="Sở đề nghị Bộ cho phép dùng chữ ký số trên thiết bị di động.",
        )
        published(people, title="Kiến nghị thứ hai")
        response = client.get("/answers/", {"q": "thiết bị di động"})
        assert [row["code"] for row in response.context["rows"]] == [asked.code]

    def test_a_word_only_in_the_answer_is_found(self, client, people):
        # bring_to answers "... hướng dẫn tại văn bản số 2719.": in no title or question.
        first = published(people, title="Kiến nghị thứ nhất")
        second = published(people, title="Kiến nghị thứ hai")
        assert "2719" not in first.title + first.content + second.title + second.content
        response = client.get("/answers/", {"q": "văn bản 2719"})
        assert sorted(row["code"] for row in response.context["rows"]) == sorted(
            [first.code, second.code]
        )

    def test_d_with_stroke_folds_to_d(self):
        assert search.fold("Đài truyền thanh ĐỊA PHƯƠNG") == "dai truyen thanh dia phuong"

    def test_results_are_ranked_by_relevance(self, client, people):
        weak = published(people, title="Báo cáo định kỳ về viễn thông")
        strong = published(people, title="Chuyển đổi số: chuyển đổi số cho chuyển đổi số")
        response = client.get("/answers/", {"q": "chuyển đổi số"})
        codes = [row["code"] for row in response.context["rows"]]
        assert codes[0] == strong.code
        assert weak.code not in codes

    def test_the_fallback_without_postgresql_finds_the_same(self, answers, monkeypatch):
        monkeypatch.setattr(search.connection, "vendor", "sqlite")
        found = search.search(Answer.objects.filter(published_at__isnull=False), "chuyen doi so")
        assert [a.recommendation.code for a in found] == [answers[0].code]

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL index")
    def test_postgresql_search_can_use_the_gin_index(self, answers):
        from django.db import connection as conn

        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes "
                "WHERE indexname = 'proposals_answer_search_vector_gin'"
            )
            assert "gin" in cursor.fetchone()[0].lower()
        found = search.search(Answer.objects.all(), "chuyen doi so")
        with conn.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # tiny table: force the choice
            plan = found.explain()
        assert "proposals_answer_search_vector_gin" in plan


class TestPages:
    def test_list_is_grouped_by_field_and_filters_apply(self, client, people):
        a = published(people, title="Kiến nghị bưu chính", field=_field("BC"))
        b = published(people, title="Kiến nghị viễn thông", field=_field("VT"))
        html = client.get("/answers/").content.decode()
        assert html.index('data-field-group="BC"') < html.index('data-field-group="VT"')
        response = client.get("/answers/", {"field": _field("VT").pk})
        assert [row["code"] for row in response.context["rows"]] == [b.code]
        unit = Organisation.objects.get(code="CUC-THH")
        assert client.get("/answers/", {"unit": unit.pk}).context["page"].paginator.count == 2
        assert a.code in html

    def test_rows_are_numbered_across_pages_and_a_search_has_no_field_headings(
        self, client, people, monkeypatch
    ):
        monkeypatch.setattr("proposals.views.public.PAGE_SIZE", 2)
        for title in ("Một chuyển đổi số", "Hai chuyển đổi số", "Ba chuyển đổi số"):
            published(people, title=title, field=_field("VT"))
        second = client.get("/answers/", {"page": 2}).content.decode()
        assert '<td class="text-nowrap">3</td>' in second
        assert second.count('data-field-group="VT"') == 1  # the heading opens each page
        found = client.get("/answers/", {"q": "chuyen doi so", "page": 2}).content.decode()
        assert '<td class="text-nowrap">3</td>' in found
        assert "data-field-group" not in found  # ranked by relevance, not by field

    def test_unpublished_answers_are_not_public(self, client, people):
        rec = bring_to(Status.ANSWER_APPROVED, people)
        assert client.get(detail(rec)).status_code == 404
        assert rec.code not in client.get("/answers/").content.decode()

    def test_an_answer_lists_every_province_that_sent_the_question(self, client, people):
        rec = bring_to(Status.SUBMITTED, people)
        merge_duplicate(rec, people)
        _through_to_publication(rec, people)
        html = client.get(detail(rec)).content.decode()
        assert "Sở Thông tin và Truyền thông Ninh Bình" in html
        assert "Sở Thông tin và Truyền thông Hải Dương" in html
        hai_duong = Organisation.objects.get(code="T63-30")
        found = client.get("/answers/", {"province": hai_duong.pk}).context["rows"]
        assert [row["code"] for row in found] == [rec.code]

    def test_script_written_by_users_is_shown_as_text(self, client, people):
        rec = published(
            people,
            title="<script>alert('x')</script> Tiêu đề",
            content="<img src=x onerror=alert(1)> nội dung kiến nghị",
        )
        for url in ("/answers/", detail(rec), "/"):
            html = client.get(url).content.decode()
            assert "<script>alert" not in html
            assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
        html = client.get(detail(rec)).content.decode()
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert "<img src=x" not in html

    def test_a_citizens_question_shows_the_kind_of_sender_not_the_person(self, client, people):
        rec = published(people)
        Recommendation.objects.filter(pk=rec.pk).update(
            source_kind="citizen", submitting_organisation=None, submitter_name="Trần Thị Dân"
        )
        cache.clear()
        for url in (detail(rec), "/answers/"):
            html = client.get(url).content.decode()
            assert "Người dân" in html and "Trần Thị Dân" not in html, url

    def test_no_personal_data_in_any_public_output(self, client, people):
        rec = published(people)
        Recommendation.objects.filter(pk=rec.pk).update(
            submitter_name="Nguyễn Văn Riêngtư",
            submitter_email="rieng.tu@example.vn",
            submitter_phone="0912345678",
            submitter_address="12 Ngõ Bí Mật, Hà Nội",
        )
        people["province"].email = "canbo.so@ninhbinh.gov.vn"
        people["province"].save()
        cache.clear()
        outputs = [
            client.get(url).content.decode()
            for url in (
                "/",
                "/answers/",
                detail(rec),
                "/answers/feed/",
                "/sitemap-answers.xml",
                "/api/v1/answers/",
                f"/api/v1/answers/{rec.code}/",
            )
        ]
        outputs += [
            b"".join(client.get(url).streaming_content).decode()
            for url in ("/answers/export.csv", "/answers/export.json")
        ]
        xlsx = b"".join(client.get("/answers/export.xlsx").streaming_content)
        book = load_workbook(io.BytesIO(xlsx))
        outputs.append(
            " ".join(str(v) for row in book.active.iter_rows(values_only=True) for v in row if v)
        )
        for output in outputs:
            for secret in (
                "Riêngtư",
                "rieng.tu@example.vn",
                "0912345678",
                "Ngõ Bí Mật",
                "canbo.so@ninhbinh.gov.vn",
                people["province"].username,
            ):
                assert secret not in output

    def test_print_copy_link_and_rating_widget(self, client, people):
        rec = published(people)
        html = client.get(detail(rec)).content.decode()
        assert "data-print" in html
        assert f'data-copy-link="http://testserver/answers/{rec.code}/"' in html
        assert "data-rating" in html


def _field(code):
    from proposals.models import Field

    return Field.objects.get(code=code)


def _through_to_publication(rec, people):
    recommendations.recommendation_accept(
        recommendation_id=rec.pk,
        actor=people["office"],
        unit=Organisation.objects.get(code="CUC-THH"),
        cooperating_units=[],
        deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    recommendations.answer_save(
        recommendation_id=rec.pk,
        actor=people["officer"],
        text="Trả lời chung cho các Sở.",
        version=0,
        send_to_leader=True,
    )
    recommendations.recommendation_act(
        recommendation_id=rec.pk, actor=people["leader"], action="approve"
    )
    publishing.answer_publish(recommendation_id=rec.pk)


class TestRating:
    def test_one_vote_per_browser_and_counts(self, client, people):
        rec = published(people)
        url = f"/answers/{rec.code}/rate/"
        first = client.post(url, {"stars": 4, "voter": "browser-a"}).json()
        again = client.post(url, {"stars": 1, "voter": "browser-a"}).json()
        other = client.post(url, {"stars": 5, "voter": "browser-b"}).json()
        assert first == {
            "average": 4.0,
            "votes": 1,
            "summary": "4,0/5 từ 1 lượt đánh giá",
            "counted": True,
        }
        assert again["counted"] is False and again["votes"] == 1
        # An average with the number of votes, never a sum of stars.
        assert (other["average"], other["votes"], other["summary"]) == (
            4.5,
            2,
            "4,5/5 từ 2 lượt đánh giá",
        )

    def test_the_cached_page_shows_the_new_counts_at_once_after_a_vote(self, client, people):
        rec = published(people)
        assert "Chưa có đánh giá" in client.get(detail(rec)).content.decode()  # now cached
        client.post(f"/answers/{rec.code}/rate/", {"stars": 3, "voter": "browser-a"})
        client.post(f"/answers/{rec.code}/rate/", {"stars": 4, "voter": "browser-b"})
        page = client.get(detail(rec)).content.decode()
        assert "3,5/5 từ 2 lượt đánh giá" in page
        english = client.get(detail(rec), HTTP_COOKIE="giaoban_language=en").content.decode()
        assert "3.5/5 from 2 ratings" in english

    def test_made_up_voter_tokens_from_one_address_count_only_up_to_the_limit(self, client, people):
        rec = published(people)
        url = f"/answers/{rec.code}/rate/"
        limit = publishing.VOTES_PER_CLIENT
        for n in range(limit):
            assert client.post(url, {"stars": 5, "voter": f"bot-{n}"}).json()["counted"]
        stuffed = client.post(url, {"stars": 5, "voter": "bot-x"})
        forged = client.post(
            url, {"stars": 5, "voter": "bot-y"}, HTTP_X_FORWARDED_FOR="198.51.100.8"
        )
        assert (stuffed.status_code, forged.status_code) == (429, 429)
        assert "Quá nhiều lượt đánh giá" in stuffed.json()["error"]
        assert AnswerRating.objects.filter(answer__recommendation=rec).count() == limit
        # Another reader, from another address, still votes; so do other answers.
        other = client.post(url, {"stars": 3, "voter": "reader"}, REMOTE_ADDR="203.0.113.4")
        assert other.json()["counted"] and other.json()["votes"] == limit + 1
        second = published(people, title="Một kiến nghị khác")
        assert client.post(f"/answers/{second.code}/rate/", {"stars": 4, "voter": "bot-0"}).json()[
            "counted"
        ]

    @pytest.mark.parametrize("stars", ["0", "6", "x", ""])
    def test_bad_stars_are_refused(self, client, people, stars):
        rec = published(people)
        response = client.post(f"/answers/{rec.code}/rate/", {"stars": stars, "voter": "b"})
        assert response.status_code == 400
        assert "error" in response.json()
        assert not AnswerRating.objects.exists()

    def test_votes_from_another_site_are_refused(self, client, people):
        rec = published(people)
        response = client.post(
            f"/answers/{rec.code}/rate/",
            {"stars": 5, "voter": "b"},
            HTTP_ORIGIN="https://evil.example",
        )
        assert response.status_code == 403
        assert not AnswerRating.objects.exists()


class TestOpenData:
    def test_feed_parses_as_atom_with_the_answers(self, client, people):
        recs = [published(people, title=f"Kiến nghị số {n}") for n in range(3)]
        feed = feedparser.parse(client.get("/answers/feed/").content)
        assert feed.bozo == 0, feed.bozo_exception
        assert feed.version == "atom10"
        titles = {entry.title for entry in feed.entries}
        assert {f"{r.code}: {r.title}" for r in recs} == titles
        assert all(entry.link.endswith("/") for entry in feed.entries)

    def test_csv_export_round_trips_and_filters_apply(self, client, people):
        a = published(people, title="Kiến nghị bưu chính", field=_field("BC"))
        published(people, title="Kiến nghị viễn thông", field=_field("VT"))
        response = client.get("/answers/export.csv")
        assert response.streaming
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert list(rows[0]) == [
            "code", "quarter", "field_code", "field", "title", "question", "sent_by",
            "responsible_unit", "published_at", "updated_at", "answer", "url",
        ]  # fmt: skip
        by_code = {row["code"]: row for row in rows}
        answer = Answer.objects.get(recommendation=a)
        assert by_code[a.code]["answer"] == answer.published_text
        assert by_code[a.code]["title"] == "Kiến nghị bưu chính"
        assert by_code[a.code]["sent_by"] == "Sở Thông tin và Truyền thông Ninh Bình"
        filtered = b"".join(
            client.get("/answers/export.csv", {"field": _field("BC").pk}).streaming_content
        ).decode("utf-8-sig")
        assert [r["code"] for r in csv.DictReader(io.StringIO(filtered))] == [a.code]

    def test_json_export_round_trips(self, client, people):
        rec = published(people)
        response = client.get("/answers/export.json")
        assert response.streaming
        data = json.loads(b"".join(response.streaming_content))
        assert data["columns"][0] == "code"
        [row] = data["answers"]
        assert row["code"] == rec.code
        assert row["answer"] == Answer.objects.get(recommendation=rec).published_text
        assert row["url"] == f"http://testserver/answers/{rec.code}/"

    def test_excel_export_has_the_csv_rows_with_dates_and_inert_text(self, client, people):
        a = published(people, title='=HYPERLINK("http://x") Bưu\x0bchính', field=_field("BC"))
        b = published(people, title="Kiến nghị viễn thông", field=_field("VT"))
        response = client.get("/answers/export.xlsx", {"field": _field("BC").pk})
        assert response["Content-Disposition"].endswith('filename="tra-loi-kien-nghi.xlsx"')
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:4] == ("Mã", "Quý giao ban", "Mã lĩnh vực", "Lĩnh vực")
        assert [row[0] for row in rows[1:]] == [a.code]  # the filter applies
        title = sheet.cell(row=2, column=5)
        assert (title.value, title.data_type) == ('=HYPERLINK("http://x") Bưuchính', "s")
        answer = Answer.objects.get(recommendation=a)
        published_at = rows[1][EXPORT_COLUMNS.index("published_at")]
        assert published_at == timezone.localtime(answer.published_at).replace(
            tzinfo=None, microsecond=0
        )
        assert rows[1][EXPORT_COLUMNS.index("answer")] == answer.published_text
        everything = client.get("/answers/export.xlsx")
        codes = {
            row[0]
            for row in load_workbook(
                io.BytesIO(b"".join(everything.streaming_content))
            ).active.iter_rows(min_row=2, values_only=True)
        }
        assert codes == {a.code, b.code}

    def test_sitemap_lists_the_answers(self, client, people):
        rec = published(people)
        xml = client.get("/sitemap-answers.xml").content.decode()
        assert f"/answers/{rec.code}/</loc>" in xml


def rendered_queries(client, url, params=None) -> int:
    """Queries of one anonymous GET rendered afresh (not served from the page cache)."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    cache.clear()
    return len(ctx.captured_queries)


class TestQueryCounts:
    def test_list_does_not_grow_with_rows(self, client, people, django_assert_num_queries):
        published(people)
        one = rendered_queries(client, "/answers/")
        for n in range(12):
            published(people, title=f"Kiến nghị thêm số {n}")
        cache.clear()
        with django_assert_num_queries(one):
            response = client.get("/answers/")
        assert response.context["page"].paginator.count == 13

    def test_detail_does_not_grow_with_duplicates(self, client, people, django_assert_num_queries):
        rec = published(people)
        few = rendered_queries(client, detail(rec))
        other = bring_to(Status.SUBMITTED, people)
        for n in range(3):
            dup = recommendations.recommendation_create(
                actor=people["other_province"],
                title=f"Trùng lặp số {n}",
                content="Cùng nội dung kiến nghị đã gửi trước.",
                field=other.field,
                channel="briefing",
                period_year=2020,
                period_quarter=3,
                submit=True,
            )
            recommendations.recommendation_mark_duplicate(
                recommendation_id=dup.pk, actor=people["office"], original=other
            )
        _through_to_publication(other, people)
        cache.clear()
        with django_assert_num_queries(few):
            response = client.get(detail(other))
        assert len(response.context["senders"]) == 2


class TestCache:
    def test_anonymous_pages_are_cached_and_cleared_on_publish(
        self, client, people, django_capture_on_commit_callbacks
    ):
        published(people, title="Trả lời thứ nhất")
        client.get("/answers/")
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/answers/")
        assert len(ctx.captured_queries) == 0  # served from the cache
        assert "Trả lời thứ nhất" in response.content.decode()
        rec = bring_to(Status.ANSWER_APPROVED, people, title="Trả lời thứ hai")
        assert "Trả lời thứ hai" not in client.get("/answers/").content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            publishing.answer_publish(recommendation_id=rec.pk)
        assert "Trả lời thứ hai" in client.get("/answers/").content.decode()

    def test_etag_and_last_modified(self, client, people):
        published(people)
        response = client.get("/answers/")
        assert response["ETag"] and response["Last-Modified"]
        again = client.get("/answers/", HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304

    def test_signed_in_pages_are_never_cached_or_shared(self, client, people):
        published(people)
        client.force_login(people["office"])
        signed_in = client.get("/answers/")
        assert "private" in signed_in["Cache-Control"]
        assert str(people["office"]) in signed_in.content.decode()
        client.logout()
        anonymous = client.get("/answers/").content.decode()
        assert str(people["office"]) not in anonymous
        assert "/accounts/login/" in anonymous

    def test_cached_public_pages_carry_no_csrf_token(self, client, people):
        published(people)
        for url in ("/", "/answers/"):
            assert "csrfmiddlewaretoken" not in client.get(url).content.decode()


class TestDeadCache:
    @pytest.fixture
    def _clean_cache(self):
        yield  # these tests point the cache at a dead Redis themselves

    def test_a_dead_cache_still_serves_pages(self, client, people, settings):
        rec = published(people)
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",
                "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
            }
        }
        assert client.get(detail(rec)).status_code == 200
        listed = client.get("/answers/")
        assert listed.status_code == 200 and rec.code in listed.content.decode()


class TestRowFragments:
    """Each answer's list row is rendered once per publication version and language."""

    def test_another_list_reuses_the_rendered_rows(self, client, people):
        rec = published(people)
        cold = rendered_queries(client, "/answers/")
        client.get("/answers/")  # rows now cached, page cached under this URL
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/answers/", {"utm_source": "zalo"})  # a new URL
        # Only the count and the page's ids: the rows, their senders and the filter
        # form's lists come from the cache.
        sql = [q["sql"] for q in ctx.captured_queries]
        assert cold > 4 and len(sql) == 2, sql
        assert not any("LEFT(" in q or "duplicate_of_id" in q for q in sql)
        assert f'data-answer="{rec.code}"' in response.content.decode()
        text = Answer.objects.get(recommendation=rec).published_text
        assert " ".join(text.split()[:5]) in response.content.decode()

    def test_a_merge_into_a_published_question_refreshes_its_row(
        self, client, people, django_capture_on_commit_callbacks
    ):
        rec = published(people)
        assert "Sở TT&amp;TT Hải Dương" not in client.get("/answers/").content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            merge_duplicate(rec, people)
        html = client.get("/answers/", {"after": "merge"}).content.decode()
        assert "Sở TT&amp;TT Hải Dương" in html


class TestVisits:
    def test_a_page_view_never_writes_to_the_database(self, client, people):
        published(people)
        with CaptureQueriesContext(connection) as ctx:
            client.get("/")
            client.get("/answers/")
        writes = [
            q["sql"] for q in ctx.captured_queries
            if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
        ]  # fmt: skip
        assert writes == []

    def test_counters_count_views_and_the_flush_stores_them(self, client, people):
        visits.flush()
        before = visits.counters()
        for _ in range(3):
            client.get("/")
        now = visits.counters()
        assert now["today"] == before["today"] + 3
        assert now["total"] == before["total"] + 3
        assert now["online"] >= 1
        assert visits.flush() == 3
        assert VisitDay.objects.get(day=timezone.localdate()).views >= 3
        assert visits.counters()["total"] == now["total"]  # moved, not doubled

    def test_counters_endpoint(self, client):
        data = client.get("/visits.json").json()
        assert set(data) == {"online", "today", "year", "total"}


def test_home_shows_the_latest_answers(client, people):
    rec = published(people, title="Trả lời mới nhất trên trang chủ")
    html = client.get("/").content.decode()
    assert "Trả lời mới nhất trên trang chủ" in html
    assert f"/answers/{rec.code}/" in html


class TestStaffPublishingPages:
    def test_office_publishes_now_from_the_detail_page(self, client, people):
        rec = bring_to(Status.ANSWER_APPROVED, people)
        client.force_login(people["office"])
        assert 'data-action="publish"' in client.get(f"/proposals/{rec.pk}/").content.decode()
        client.post(f"/proposals/{rec.pk}/do/publish/", confirmed({"note": ""}))
        rec.refresh_from_db()
        assert rec.status == Status.PUBLISHED

    def test_a_unit_cannot_publish(self, client, people):
        rec = bring_to(Status.ANSWER_APPROVED, people)
        client.force_login(people["leader"])
        client.post(f"/proposals/{rec.pk}/do/publish/", confirmed({"note": ""}))
        rec.refresh_from_db()
        assert rec.status == Status.ANSWER_APPROVED
        assert rec.answer.published_at is None
        assert not rec.events.filter(action="publish").exists()

    def test_revise_needs_a_reason(self, client, people):
        rec = published(people)
        client.force_login(people["officer"])
        response = client.post(f"/proposals/{rec.pk}/do/revise/", {"note": ""})
        assert response.status_code == 400
        rec.refresh_from_db()
        assert rec.status == Status.PUBLISHED
        assert not rec.events.filter(action="revise").exists()
        client.post(f"/proposals/{rec.pk}/do/revise/", {"note": "Cập nhật văn bản mới"})
        rec.refresh_from_db()
        assert rec.status == Status.ACCEPTED

    def test_office_schedules_a_publication(self, client, people):
        rec = bring_to(Status.ANSWER_DRAFTED, people)
        client.force_login(people["office"])
        later = timezone.localtime() + datetime.timedelta(days=2)
        client.post(
            f"/proposals/{rec.pk}/schedule/", {"publish_at": later.strftime("%d/%m/%Y %H:%M")}
        )
        rec.refresh_from_db()
        stored = timezone.localtime(rec.publish_at)
        assert stored.strftime("%d/%m/%Y %H:%M") == later.strftime("%d/%m/%Y %H:%M")

    def test_a_unit_cannot_schedule(self, client, people):
        rec = bring_to(Status.ANSWER_DRAFTED, people)
        client.force_login(people["leader"])
        response = client.post(f"/proposals/{rec.pk}/schedule/", {"publish_at": ""})
        assert response.status_code == 403
        rec.refresh_from_db()
        assert rec.publish_at is None
