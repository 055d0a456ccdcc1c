"""Helpers to bring a recommendation to any state through the real services."""

import datetime

import pytest
from django.utils import timezone

from briefing.models.organisations import Organisation, RoleCode, User
from proposals.models import Answer, Field, Recommendation, Status
from proposals.services import publishing, recommendations
from tests.conftest import make_user


@pytest.fixture
def people(db):
    return make_people()


def make_people() -> dict:
    """One user per role: the department of Ninh Bình, the office, Cục THH; plus a
    second department (Hải Dương) and a second unit (Cục VT) for wrong-organisation
    checks."""
    return {
        "province": make_user(RoleCode.PROVINCE_OFFICER),
        "province_leader": make_user(RoleCode.PROVINCE_LEADER),
        "other_province": make_user(
            RoleCode.PROVINCE_LEADER, username="t-so-haiduong", org_code="T63-30"
        ),
        "office": make_user(RoleCode.OFFICE_COORDINATOR),
        "officer": make_user(RoleCode.UNIT_OFFICER),
        "leader": make_user(RoleCode.UNIT_LEADER),
        "other_officer": make_user(RoleCode.UNIT_OFFICER, username="t-cuc-vt", org_code="CUC-VT"),
        "other_leader": make_user(
            RoleCode.UNIT_LEADER, username="t-cuc-vt-lead", org_code="CUC-VT"
        ),
        "admin": make_user(RoleCode.SYSTEM_ADMIN),
    }


def new_recommendation(actor, *, title="Đề nghị hướng dẫn triển khai nền tảng LGSP", **extra):
    kwargs = {
        "title": title,
        "content": "Sở đề nghị Bộ hướng dẫn kết nối nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh.",
        "field": Field.objects.get(code="CNTT"),
        "channel": "briefing",
        "period_year": 2020,
        "period_quarter": 3,
    }
    kwargs.update(extra)
    return recommendations.recommendation_create(actor=actor, **kwargs)


def _department_leader(people):
    """The leader of the department (Ninh Bình) who signs what it sends: made here for
    the `people` fixtures of other test packages that do not have one."""
    if "province_leader" not in people:
        # One already made keeps its password (a new one would sign its sessions out).
        people["province_leader"] = User.objects.filter(
            organisation=people["province"].organisation, roles__code=RoleCode.PROVINCE_LEADER
        ).first() or make_user(RoleCode.PROVINCE_LEADER)
    return people["province_leader"]


def bring_to(status: str, people: dict, **extra) -> Recommendation:
    """A recommendation of Sở TT&TT Ninh Bình, taken through the workflow to `status`."""
    rec = new_recommendation(people["province"], **extra)
    if status == Status.DRAFT:
        return rec
    path = {
        Status.SUBMITTED: ["submit"],
        Status.RETURNED: ["submit", "return"],
        Status.WITHDRAWN: ["withdraw"],
        Status.REJECTED: ["submit", "reject"],
        Status.MERGED: ["submit", "merge"],
        Status.ACCEPTED: ["submit", "accept"],
        Status.ANSWER_DRAFTED: ["submit", "accept", "send_to_leader"],
        Status.ANSWER_APPROVED: ["submit", "accept", "send_to_leader", "approve"],
        Status.PUBLISHED: ["submit", "accept", "send_to_leader", "approve", "publish"],
    }[status]
    for step in path:
        if step == "accept":
            recommendations.recommendation_accept(
                recommendation_id=rec.pk,
                actor=people["office"],
                unit=Organisation.objects.get(code="CUC-THH"),
                cooperating_units=[Organisation.objects.get(code="CUC-ATTT")],
                deadline=timezone.localdate() + datetime.timedelta(days=10),
            )
        elif step == "merge":
            original = bring_to(Status.SUBMITTED, people, title="Bản gốc của kiến nghị trùng")
            recommendations.recommendation_mark_duplicate(
                recommendation_id=rec.pk, actor=people["office"], original=original
            )
        elif step == "publish":
            publishing.answer_publish(recommendation_id=rec.pk)
        elif step == "send_to_leader":
            recommendations.answer_save(
                recommendation_id=rec.pk,
                actor=people["officer"],
                text="Cục Tin học hóa trả lời: Bộ đã ban hành hướng dẫn tại văn bản số 2719.",
                version=0,
                send_to_leader=True,
            )
        else:
            actor = {
                # Sending to the Ministry is the department leader's signature.
                "submit": _department_leader(people),
                "withdraw": people["province"],
                "return": people["office"],
                "reject": people["office"],
                "approve": people["leader"],
            }[step]
            recommendations.recommendation_act(
                recommendation_id=rec.pk, actor=actor, action=step, note="Ghi chú thử nghiệm"
            )
    rec.refresh_from_db()
    assert rec.status == status
    return rec


def revise_answer(people, rec, *, text=None, files=(), send_to_leader=False, note="Bổ sung"):
    """The office reopens a published answer and the unit officer saves a new draft
    (the published text again when `text` is None), with `files`."""
    recommendations.recommendation_act(
        recommendation_id=rec.pk, actor=people["office"], action="revise", note=note
    )
    answer = Answer.objects.get(recommendation=rec)
    return recommendations.answer_save(
        recommendation_id=rec.pk,
        actor=people["officer"],
        text=answer.text if text is None else text,
        version=answer.version,
        files=files,
        send_to_leader=send_to_leader,
    )


def merge_duplicate(rec, people, *, title="Cùng nội dung do Hải Dương gửi") -> Recommendation:
    """Sở TT&TT Hải Dương sends the same question; the office merges it into `rec`.
    Returns the merged duplicate."""
    duplicate = recommendations.recommendation_create(
        actor=people["other_province"],
        title=title,
        content="Sở đề nghị Bộ hướng dẫn kết nối nền tảng tích hợp.",
        field=rec.field,
        channel="briefing",
        period_year=2020,
        period_quarter=3,
        submit=True,
    )
    recommendations.recommendation_mark_duplicate(
        recommendation_id=duplicate.pk, actor=people["office"], original=rec
    )
    return duplicate
