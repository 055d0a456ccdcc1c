"""The briefing of 7 September 2020: the session, its presentations, the chair's
conclusions and the follow-up tasks they gave."""

from briefing.demo.q3_2020.content import BRIEFING_DAY, CONCLUSIONS, QUARTER, YEAR
from briefing.models.sessions import (
    BriefingDocument,
    BriefingForm,
    BriefingSession,
    Conclusion,
    FollowUpTask,
    TaskStatus,
)


def briefing_session(provinces, agencies, units) -> BriefingSession:
    session = BriefingSession.objects.create(
        year=YEAR,
        quarter=QUARTER,
        date=BRIEFING_DAY,
        title="Hội nghị trực tuyến giao ban quản lý nhà nước Quý III/2020",
        form=BriefingForm.ONLINE,
        bridge_points=len(provinces),
        chair="Bộ trưởng Bộ Thông tin và Truyền thông Nguyễn Mạnh Hùng",
        participants_note=(
            "Các Thứ trưởng; lãnh đạo các đơn vị, doanh nghiệp thuộc Bộ; đại diện 10 cơ "
            "quan chuyên trách về CNTT của các bộ, ngành; Sở TT&TT 63 tỉnh, thành phố qua "
            "các điểm cầu."
        ),
        agenda=(
            "1. Chánh Văn phòng Bộ thông báo tóm tắt công tác quản lý nhà nước Quý III/2020 "
            "và kết quả giải quyết kiến nghị.\n"
            "2. Tham luận của Sở TT&TT Ninh Bình và Cục Tin học hóa.\n"
            "3. Bộ trưởng kết luận Hội nghị."
        ),
    )
    session.participants.set([*units.values(), *provinces, *agencies[:10]])
    ninh_binh = next(p for p in provinces if p.short_name.endswith("Ninh Bình"))
    BriefingDocument.objects.bulk_create(
        [
            BriefingDocument(
                session=session,
                title="Kinh nghiệm thí điểm chuyển đổi số cho xã Yên Hòa (huyện Yên Mô, "
                "tỉnh Ninh Bình)",
                presenter=ninh_binh,
            ),
            BriefingDocument(
                session=session,
                title="Cách nghĩ, cách làm mới để thúc đẩy phát triển Chính phủ số",
                presenter=units["CUC-THH"],
            ),
        ]
    )
    for number, (text, task_text, assignees, deadline) in enumerate(CONCLUSIONS, start=1):
        conclusion = Conclusion.objects.create(session=session, number=number, text=text)
        task = FollowUpTask.objects.create(
            conclusion=conclusion,
            text=task_text,
            deadline=deadline,
            status=TaskStatus.DONE if number == 2 else TaskStatus.IN_PROGRESS,
        )
        task.assignees.set(
            provinces if assignees == "provinces" else [units[c] for c in assignees.split()]
        )
    return session
