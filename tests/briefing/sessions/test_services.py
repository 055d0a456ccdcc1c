"""The briefing services check their actor themselves, whoever calls them: only the
Ministry Office prepares a briefing, and a refusal saves nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from briefing.models.organisations import Organisation, RoleCode
from briefing.models.sessions import (
    BriefingDocument,
    BriefingSession,
    Conclusion,
    FollowUpTask,
    ProgressUpdate,
    TaskStatus,
)
from briefing.sessions import services
from tests.conftest import make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOT_THE_OFFICE = [
    RoleCode.UNIT_OFFICER,
    RoleCode.UNIT_LEADER,
    RoleCode.PROVINCE_OFFICER,
    RoleCode.PROVINCE_LEADER,
    RoleCode.SYSTEM_ADMIN,
]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def session(db):
    return BriefingSession.objects.create(year=2020, quarter=3, date=datetime.date(2020, 9, 7))


@pytest.fixture
def conclusion(session):
    return Conclusion.objects.create(session=session, number=1, text="Kết luận")


def _saved() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (BriefingDocument, Conclusion, FollowUpTask, ProgressUpdate)
    }


@pytest.mark.parametrize("role", NOT_THE_OFFICE)
def test_only_the_office_may_call_the_briefing_services(role, session, conclusion, media):
    actor = make_user(role)
    document = BriefingDocument.objects.create(session=session, title="Tham luận")
    before = _saved()
    calls = {
        "document_add": lambda: services.document_add(
            session=session,
            actor=actor,
            title="Tham luận",
            presenter=None,
            uploaded=SimpleUploadedFile("tham-luan.pdf", PDF),
        ),
        "document_delete": lambda: services.document_delete(document=document, actor=actor),
        "conclusion_add": lambda: services.conclusion_add(
            session=session, actor=actor, text="Kết luận thêm"
        ),
        "task_add": lambda: services.task_add(
            conclusion=conclusion,
            actor=actor,
            text="Nhiệm vụ",
            assignees=Organisation.objects.filter(code="T63-37"),
            deadline=datetime.date(2030, 12, 31),
        ),
    }
    for name, call in calls.items():
        with pytest.raises(PermissionDenied):
            call()
        assert _saved() == before, name
    assert BriefingDocument.objects.filter(pk=document.pk).exists()
    assert not (media.exists() and any(p.is_file() for p in media.rglob("*")))


def test_the_office_may_call_them(session, conclusion, media):
    office = make_user(RoleCode.OFFICE_COORDINATOR)
    document = services.document_add(
        session=session,
        actor=office,
        title="Tham luận",
        presenter=None,
        uploaded=SimpleUploadedFile("tham-luan.pdf", PDF),
    )
    assert services.conclusion_add(session=session, actor=office, text="Hai").number == 2
    task = services.task_add(
        conclusion=conclusion,
        actor=office,
        text="Nhiệm vụ",
        assignees=Organisation.objects.filter(code="T63-37"),
        deadline=datetime.date(2030, 12, 31),
    )
    assert list(task.assignees.values_list("code", flat=True)) == ["T63-37"]
    services.document_delete(document=document, actor=office)
    assert not BriefingDocument.objects.exists()


def test_progress_of_a_task_is_refused_to_organisations_not_assigned(conclusion):
    task = FollowUpTask.objects.create(conclusion=conclusion, text="Nhiệm vụ")
    task.assignees.set(Organisation.objects.filter(code="T63-30"))
    stranger = make_user(RoleCode.PROVINCE_OFFICER)  # Ninh Bình, not assigned
    with pytest.raises(PermissionDenied):
        services.progress_update_add(
            task_id=task.pk,
            actor=stranger,
            text="Đã xong",
            date=datetime.date(2020, 10, 15),
            status=TaskStatus.DONE,
        )
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and not ProgressUpdate.objects.exists()
