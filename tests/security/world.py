"""The people and objects the access matrix tries: one account per role and one object
of each kind a URL names.

Every object belongs to the department of Ninh Bình (T63-37, the "own department") and
is handled by Cục Tin học hóa (CUC-THH, the "own unit"). Two more accounts play the
wrong organisation: an officer of another department (Hải Dương) and of another unit
(Cục Viễn thông), which has no part in any of these objects. An inactive account of
the own department keeps a session it may no longer use.
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from briefing.models.organisations import Organisation, RoleCode
from briefing.models.sessions import (
    BriefingDocument,
    BriefingSession,
    Conclusion,
    FollowUpTask,
)
from briefing.organisations import api_tokens
from briefing.reports import tasks as report_tasks
from briefing.reports.rollup import report_rollup
from indicators import services as indicator_services
from indicators.models import ReportingPeriod
from proposals.models import Attachment, Status, Subscription
from proposals.services import publishing, recommendations
from tests.conftest import make_user
from tests.proposals.conftest import bring_to

ANONYMOUS = "anonymous"
OFFICE = "office_coordinator"
UNIT_OFFICER = "unit_officer"
UNIT_LEADER = "unit_leader"
PROVINCE_OFFICER = "province_officer"
PROVINCE_LEADER = "province_leader"
SYSTEM_ADMIN = "system_admin"
OTHER_DEPARTMENT = "other_department"
OTHER_UNIT = "other_unit"
INACTIVE = "inactive"

ROLES = [
    ANONYMOUS,
    OFFICE,
    UNIT_OFFICER,
    UNIT_LEADER,
    PROVINCE_OFFICER,
    PROVINCE_LEADER,
    SYSTEM_ADMIN,
    OTHER_DEPARTMENT,
    OTHER_UNIT,
    INACTIVE,
]

PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# A complete report of one department to Cục Tin học hóa (tests/indicators/test_views.py).
REPORT_VALUES = {
    "DVC_TONG": "1200",
    "DVC_MUC34": "600",
    "DVC_MUC34_HS": "300",
    "NDXP": "1",
    "LGSP": "1",
    "BLUEZONE": "350000",
    "THUE_BAO": "1000000",
    "CDS_XA": "1",
    "DO_THI_TM": "0",
    "IOC": "0",
}

ROLLUP_RUN = "0123456789abcdef0123456789abcdef"


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role -> user (None: anonymous)
    ids: dict = field(default_factory=dict)  # what the URL templates are filled with

    def prepare(self) -> None:
        """What lives in the cache, which every test starts empty."""
        report_tasks.progress_set(ROLLUP_RUN, state="done", percent=100)


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_users() -> dict:
    users = {
        ANONYMOUS: None,
        OFFICE: make_user(RoleCode.OFFICE_COORDINATOR),
        UNIT_OFFICER: make_user(RoleCode.UNIT_OFFICER),
        UNIT_LEADER: make_user(RoleCode.UNIT_LEADER),
        PROVINCE_OFFICER: make_user(RoleCode.PROVINCE_OFFICER),
        PROVINCE_LEADER: make_user(RoleCode.PROVINCE_LEADER),
        SYSTEM_ADMIN: make_user(RoleCode.SYSTEM_ADMIN),
        OTHER_DEPARTMENT: make_user(
            RoleCode.PROVINCE_OFFICER, username="t-so-haiduong", org_code="T63-30"
        ),
        OTHER_UNIT: make_user(RoleCode.UNIT_OFFICER, username="t-cuc-vt", org_code="CUC-VT"),
        INACTIVE: make_user(RoleCode.PROVINCE_OFFICER, username="t-so-ninhbinh-cu"),
    }
    users[INACTIVE].is_active = False
    users[INACTIVE].save(update_fields=["is_active"])
    return users


def _people(users: dict) -> dict:
    """The names tests/proposals/conftest.py's bring_to() takes its actors by."""
    return {
        "province": users[PROVINCE_OFFICER],
        "office": users[OFFICE],
        "officer": users[UNIT_OFFICER],
        "leader": users[UNIT_LEADER],
    }


def _answered(people: dict, status: str, title: str):
    """A recommendation with a file of the department's and one of the unit's answer,
    taken to the answer drafted (sent to the leader) or to published."""
    rec = bring_to(Status.ACCEPTED, people, title=title, files=[pdf("de-nghi.pdf")])
    recommendations.answer_save(
        recommendation_id=rec.pk,
        actor=people["officer"],
        text="Cục Tin học hóa trả lời: Bộ đã ban hành hướng dẫn tại văn bản số 2719.",
        version=0,
        files=[pdf("tra-loi.pdf")],
        send_to_leader=True,
    )
    if status == Status.PUBLISHED:
        recommendations.recommendation_act(
            recommendation_id=rec.pk, actor=people["leader"], action="approve"
        )
        publishing.answer_publish(recommendation_id=rec.pk)
    rec.refresh_from_db()
    assert rec.status == status
    return rec


def _recommendations(people: dict) -> dict:
    draft = bring_to(Status.DRAFT, people, title="Kiến nghị nháp về nền tảng LGSP")
    submitted = bring_to(Status.SUBMITTED, people, title="Kiến nghị đã gửi về chữ ký số")
    accepted = bring_to(Status.ACCEPTED, people, title="Kiến nghị được giao về nền tảng số")
    drafted = _answered(people, Status.ANSWER_DRAFTED, "Kiến nghị đang trả lời về CSDL")
    published = _answered(people, Status.PUBLISHED, "Kiến nghị đã trả lời về dịch vụ công")
    files = Attachment.objects.filter(recommendation__in=[drafted, published])

    def file_of(rec, part):
        return files.get(recommendation=rec, part=part).pk

    return {
        "draft": draft.pk,
        "submitted": submitted.pk,
        "accepted": accepted.pk,
        "drafted": drafted.pk,
        "published": published.pk,
        "published_code": published.code,
        # The department's own file, and the unit's answer file before approval (which
        # the department may not read yet), on the recommendation being answered.
        "question_file": file_of(drafted, Attachment.Part.RECOMMENDATION),
        "draft_answer_file": file_of(drafted, Attachment.Part.ANSWER),
        "published_file": file_of(published, Attachment.Part.ANSWER),
    }


def _indicators(users: dict) -> dict:
    """The department's report for Q2/2020, approved (so that the public pages have
    figures), and for Q3/2020, submitted and waiting for the unit's review."""
    department = users[PROVINCE_OFFICER].organisation
    reports = {
        label: indicator_services.report_save(
            actor=users[PROVINCE_LEADER],  # the department's leader sends its reports
            organisation=department,
            period=ReportingPeriod.objects.by_label(label),
            owner_unit=Organisation.objects.get(code="CUC-THH"),
            raw_values=REPORT_VALUES,
            submit=True,
        )
        for label in ("Q2/2020", "Q3/2020")
    }
    indicator_services.report_approve(
        submission_id=reports["Q2/2020"].pk, actor=users[UNIT_OFFICER]
    )
    return {"submission": reports["Q3/2020"].pk, "entity": department.pk}


def _briefing(users: dict) -> dict:
    session = BriefingSession.objects.create(year=2020, quarter=3, date=datetime.date(2020, 9, 7))
    document = BriefingDocument(
        session=session,
        title="Tham luận của Sở",
        presenter=users[PROVINCE_OFFICER].organisation,
        original_name="tham-luan.pdf",
    )
    document.file.save("tham-luan.pdf", ContentFile(PDF), save=True)
    conclusion = Conclusion.objects.create(session=session, number=1, text="Kết luận")
    task = FollowUpTask.objects.create(
        conclusion=conclusion,
        text="Hướng dẫn kết nối LGSP",
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    task.assignees.set([Organisation.objects.get(code="CUC-THH")])
    report_rollup(year=2020, quarter=3)
    return {"document": document.pk, "task": task.pk}


def build_world() -> World:
    users = make_users()
    ids = {
        "rollup_run": ROLLUP_RUN,
        "user": users[PROVINCE_OFFICER].pk,
        "unit_officer": users[UNIT_OFFICER].pk,
    }
    ids |= _recommendations(_people(users))
    ids |= _indicators(users)
    ids |= _briefing(users)
    ids["subscription_token"] = Subscription.objects.create(email="ban-doc@example.vn").token
    ids["department"] = users[PROVINCE_LEADER].organisation_id
    ids["api_token"] = api_tokens.token_create(
        actor=users[PROVINCE_LEADER],
        organisation=users[PROVINCE_LEADER].organisation,
        name="Hệ thống văn bản",
        scopes=["read"],
    )[0].pk
    return World(users=users, ids=ids)
