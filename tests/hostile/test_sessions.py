"""Hostile input to the briefing's forms: the session, its presentations, conclusions,
follow-up tasks and their progress."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from briefing.models.organisations import Organisation
from briefing.models.sessions import BriefingSession, Conclusion, FollowUpTask
from briefing.sessions import services
from tests.hostile.conftest import (
    FEW,
    HOSTILE,
    NFD_TEXT,
    assert_answered,
    assert_saved_clean,
    assert_unchanged,
    hostile_choice,
    hostile_text,
    mixed,
    post,
    row_counts,
    undone,
)
from tests.proposals.conftest import make_people

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def session(db):
    return BriefingSession.objects.create(year=2020, quarter=3, date=datetime.date(2020, 9, 7))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _org(code):
    return str(Organisation.objects.get(code=code).pk)


SESSION_VALID = {
    "title": NFD_TEXT,
    "date": "2020-09-07",
    "form": "online",
    "bridge_points": "63",
    "chair": "Bộ trưởng",
    "participants": lambda: [_org("CUC-THH"), _org("CUC-ATTT")],
    "participants_note": NFD_TEXT,
    "agenda": NFD_TEXT,
}
SESSION_HOSTILE = {
    "title": hostile_text,
    "date": hostile_choice,
    "form": hostile_choice,
    "bridge_points": hostile_choice,
    "chair": hostile_text,
    "participants": st.lists(hostile_choice, max_size=3),
    "participants_note": hostile_text,
    "agenda": hostile_text,
}


@HOSTILE
@given(
    data=mixed(
        SESSION_VALID | {"year": "2021", "quarter": "1", "date": "2021-02-15"},
        SESSION_HOSTILE | {"year": hostile_choice, "quarter": hostile_choice},
    )
)
def test_new_session_form_takes_hostile_input(client, people, data):
    client.force_login(people["office"])
    with undone():
        data = {k: v() if callable(v) else v for k, v in data.items()}
        before = row_counts()
        response = post(client, reverse("briefings:new"), data)
        assert_answered(response, sent=data.values())
        if response.status_code == 302:
            assert_saved_clean(before, BriefingSession.objects.latest("pk"))
        else:
            assert response.status_code == 400
            assert_unchanged(before)


@HOSTILE
@given(data=mixed(SESSION_VALID, SESSION_HOSTILE))
def test_session_edit_form_takes_hostile_input(client, people, session, data):
    client.force_login(people["office"])
    url = reverse("briefings:edit", args=[2020, 3])
    with undone():
        data = {k: v() if callable(v) else v for k, v in data.items()}
        stored = BriefingSession.objects.values().get(pk=session.pk)
        before = row_counts()
        response = post(client, url, data)
        assert_answered(response, sent=data.values())
        if response.status_code == 302:
            assert_saved_clean(before, session)
        else:
            assert response.status_code == 400
            assert_unchanged(before)
            assert BriefingSession.objects.values().get(pk=session.pk) == stored


@FEW
@given(
    data=mixed(
        {"document-title": NFD_TEXT, "document-presenter": lambda: _org("T63-37")},
        {"document-title": hostile_text, "document-presenter": hostile_choice},
    ),
    filename=st.one_of(st.just("tham-luan.pdf"), hostile_text.map(lambda n: n[:200] + ".pdf")),
    content=st.one_of(st.just(PDF), st.binary(max_size=64)),
)
@example(
    data={"document-title": "Tham luận", "document-presenter": ""},
    filename="..\\..\\x\x00.pdf",
    content=PDF,
)
def test_document_form_takes_hostile_input(client, people, session, media, data, filename, content):
    client.force_login(people["office"])
    url = reverse("briefings:document_add", args=[2020, 3])
    with undone():
        data = {k: v() if callable(v) else v for k, v in data.items()}
        data["document-file"] = SimpleUploadedFile(
            filename.encode("utf-8", "replace").decode("utf-8"), content
        )
        before = row_counts()
        response = post(client, url, data, multipart=True)
        assert_answered(response, sent=data.values())
        if response.status_code == 302:
            assert_saved_clean(before)
        else:
            assert response.status_code == 400
            assert_unchanged(before)


@HOSTILE
@given(text=st.one_of(hostile_text, st.just(NFD_TEXT)))
@example(text="Kết luận\x00")
def test_conclusion_form_takes_hostile_input(client, people, session, text):
    client.force_login(people["office"])
    url = reverse("briefings:conclusion_add", args=[2020, 3])
    with undone():
        before = row_counts()
        response = post(client, url, {"conclusion-text": text})
        assert_answered(response, sent=[text])
        if response.status_code == 302:
            assert_saved_clean(before, Conclusion.objects.get())
        else:
            assert response.status_code == 400
            assert_unchanged(before)


@pytest.fixture
def conclusion(people, session):
    return services.conclusion_add(
        session=session, actor=people["office"], text="Các Sở hoàn thành kết nối LGSP."
    )


@HOSTILE
@given(
    data=mixed(
        {
            "task-conclusion": "CONCLUSION",
            "task-text": NFD_TEXT,
            "task-assignees": lambda: [_org("T63-37")],
            "task-deadline": "",
        },
        {
            "task-conclusion": hostile_choice,
            "task-text": hostile_text,
            "task-assignees": st.lists(hostile_choice, max_size=3),
            "task-deadline": hostile_choice,
        },
    )
)
def test_task_form_takes_hostile_input(client, people, conclusion, data):
    client.force_login(people["office"])
    url = reverse("briefings:task_add", args=[2020, 3])
    with undone():
        data = {k: v() if callable(v) else v for k, v in data.items()}
        if data["task-conclusion"] == "CONCLUSION":
            data["task-conclusion"] = str(conclusion.pk)
        before = row_counts()
        response = post(client, url, data)
        assert_answered(response, sent=data.values())
        if response.status_code == 302:
            assert_saved_clean(before, FollowUpTask.objects.get())
        else:
            assert response.status_code == 400
            assert_unchanged(before)


@pytest.fixture
def task(people, conclusion):
    return services.task_add(
        conclusion=conclusion,
        actor=people["office"],
        text="Kết nối LGSP",
        assignees=[Organisation.objects.get(code="T63-37")],
        deadline=None,
    )


@HOSTILE
@given(
    data=mixed(
        {"text": NFD_TEXT, "status": "in_progress", "date": "07/09/2020"},
        {"text": hostile_text, "status": hostile_choice, "date": hostile_choice},
    )
)
@example(data={"text": "Tiến độ\x00", "status": "in_progress", "date": "07/09/2020"})
def test_progress_form_takes_hostile_input(client, people, task, data):
    client.force_login(people["province"])
    url = reverse("briefings:task_progress", args=[task.pk])
    with undone():
        before = row_counts()
        response = post(client, url, data)
        assert_answered(response, sent=data.values())
        if response.status_code == 302:
            assert_saved_clean(before)
        else:
            assert response.status_code == 400
            assert_unchanged(before)
