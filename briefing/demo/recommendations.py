"""A few recommendations in every state, so that a fresh `make run` shows a living
portal. Created through the real services; safe to run again (keyed on the title)."""

import datetime

from django.utils import timezone

from briefing.models.organisations import Organisation, User
from briefing.platform import quarters
from proposals.models import Field, PublicSubmission, ReceivedVia, Recommendation, Status
from proposals.services import public_intake, publishing, recommendations

# title, field code, sender, content, answer (None: stop before answering), final state
DEMO = [
    (
        "Hướng dẫn kết nối Nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP) với NDXP",
        "CNTT",
        "so-ninhbinh",
        "Sở KH&CN Ninh Bình đề nghị Bộ hướng dẫn quy trình kỹ thuật kết nối LGSP của tỉnh "
        "với Nền tảng tích hợp, chia sẻ dữ liệu quốc gia (NDXP), trong đó có danh mục dịch "
        "vụ dữ liệu dùng chung ưu tiên.",
        "Cục Tin học hóa đã ban hành hướng dẫn kết nối tại Công văn số 1552/THH-CPĐT; Sở "
        "liên hệ Trung tâm hỗ trợ kỹ thuật của Cục để được cấp tài khoản kết nối thử nghiệm.",
        Status.PUBLISHED,
    ),
    (
        "Đề nghị hướng dẫn chuyển đổi số cấp xã giai đoạn thí điểm",
        "CDS",
        "so-ninhbinh",
        "Đề nghị Bộ ban hành bộ tiêu chí và hướng dẫn triển khai chuyển đổi số cấp xã để "
        "các xã thí điểm của tỉnh có căn cứ thực hiện.",
        "Bộ đang hoàn thiện Bộ chỉ số đánh giá chuyển đổi số cấp xã; trong thời gian chờ ban "
        "hành, Sở tham khảo mô hình thí điểm tại Công văn số 2719/BTTTT-THH.",
        Status.PUBLISHED,
    ),
    (
        "Quy hoạch hệ thống đài truyền thanh cấp xã ứng dụng CNTT - viễn thông",
        "TTCS",
        "so-haiphong",
        "Đề nghị Bộ hướng dẫn tiêu chuẩn kỹ thuật đài truyền thanh ứng dụng CNTT - viễn "
        "thông để tỉnh lập kế hoạch chuyển đổi các đài truyền thanh có dây đã xuống cấp.",
        "Cục Thông tin cơ sở đã ban hành Quy chuẩn kỹ thuật quốc gia về thiết bị đài truyền "
        "thanh ứng dụng CNTT - viễn thông; Sở căn cứ quy chuẩn để lập dự toán.",
        Status.ANSWER_APPROVED,
    ),
    (
        "Cấp phép thiết lập mạng viễn thông dùng riêng cho khu công nghiệp",
        "VT",
        "so-haiphong",
        "Đề nghị Bộ làm rõ thủ tục cấp phép thiết lập mạng viễn thông dùng riêng cho ban "
        "quản lý các khu công nghiệp trên địa bàn tỉnh.",
        "Dự thảo: thủ tục thực hiện theo Nghị định số 25/2011/NĐ-CP, hồ sơ nộp trực tuyến.",
        Status.ANSWER_DRAFTED,
    ),
    (
        "Kinh phí duy trì mô hình bảo đảm an toàn thông tin 4 lớp",
        "ATTT",
        "so-ninhbinh",
        "Đề nghị Bộ hướng dẫn nguồn kinh phí duy trì mô hình bảo đảm an toàn thông tin 4 "
        "lớp sau khi kết thúc giai đoạn đầu tư.",
        None,
        Status.ACCEPTED,
    ),
    (
        "Hướng dẫn quy hoạch báo chí địa phương sau sắp xếp",
        "BCHI",
        "so-haiphong",
        "Đề nghị Bộ hướng dẫn việc sắp xếp các cơ quan báo chí của tỉnh theo Quy hoạch "
        "phát triển và quản lý báo chí toàn quốc.",
        None,
        Status.SUBMITTED,
    ),
]

UNIT_FOR_FIELD = {"ATTT": "CUC-ATTT", "BCHI": "CUC-BC"}


def load_demo_recommendations() -> int:
    users = User.objects.in_bulk(
        ["so-ninhbinh", "so-ninhbinh-lead", "so-haiphong", "vanphong", "cuc-thh", "cuc-thh-lead"],
        field_name="username",
    )
    # Ninh Bình signs off inside the department: its officer drafts, its leader sends.
    # Hải Phòng (no leader account in the demo) lets its officers send themselves.
    haiphong = users["so-haiphong"].organisation
    if not haiphong.officers_may_send:
        haiphong.officers_may_send = True
        haiphong.save(update_fields=["officers_may_send"])
    year, quarter = quarters.quarter_of(timezone.localdate())
    created = 0
    for title, field_code, sender, content, answer, final in DEMO:
        if Recommendation.objects.filter(title=title).exists():
            continue
        created += 1
        rec = recommendations.recommendation_create(
            actor=users[sender],
            title=title,
            content=content,
            field=Field.objects.get(code=field_code),
            channel="briefing",
            period_year=year,
            period_quarter=quarter,
            submit=True,
        )
        if rec.status == Status.DRAFT:  # the officer asked the leader to sign: it does
            rec = recommendations.recommendation_act(
                recommendation_id=rec.pk, actor=users["so-ninhbinh-lead"], action="submit"
            )
        if final != Status.SUBMITTED:
            _handle(rec, users, field_code=field_code, answer=answer, final=final)
    return created


def _handle(rec, users, *, field_code: str, answer: str | None, final: str) -> None:
    """Take a sent recommendation on to `final`: assigned, answered, approved, published."""
    office = users["vanphong"]
    # The demo accounts answer for Cục Tin học hóa only, so what gets answered goes
    # there; the rest goes to the unit of its field.
    unit = "CUC-THH" if answer else UNIT_FOR_FIELD[field_code]
    recommendations.recommendation_accept(
        recommendation_id=rec.pk,
        actor=office,
        unit=Organisation.objects.get(code=unit),
        cooperating_units=[],
        deadline=timezone.localdate() + datetime.timedelta(days=20),
    )
    if answer is None:
        return
    if final == Status.ANSWER_APPROVED:
        # Approved, waiting for the publication time the office chose.
        publishing.recommendation_schedule_publication(
            recommendation_id=rec.pk,
            actor=office,
            publish_at=timezone.now() + datetime.timedelta(days=3),
        )
    recommendations.answer_save(
        recommendation_id=rec.pk,
        actor=users["cuc-thh"],
        text=answer,
        version=0,
        send_to_leader=True,
    )
    if final == Status.ANSWER_DRAFTED:
        return
    recommendations.recommendation_act(
        recommendation_id=rec.pk, actor=users["cuc-thh-lead"], action="approve"
    )
    if final == Status.PUBLISHED:
        # The approval has queued the publishing job already (it runs at once in
        # the embedded mode); running the job's service again is a no-op then.
        publishing.answer_publish(recommendation_id=rec.pk)


# Recommendations from citizens, enterprises and organisations, one in each state the
# sender's status page shows: (title, field, kind, name, how it came, final state).
# The e-mail addresses are the demo domain's; the console shows the e-mails.
PUBLIC_DEMO = [
    (
        "Sóng di động yếu ở thôn Nà Khoang, xã Cao Sơn",
        "VT",
        "citizen",
        "Hoàng Văn Sơn",
        ReceivedVia.WEB,
        Status.PUBLISHED,
    ),
    (
        "Thời hạn cấp giấy phép cung cấp dịch vụ trò chơi điện tử G1",
        "PTTH",
        "enterprise",
        "Công ty Cổ phần Trò chơi Sao Việt",
        ReceivedVia.WEB,
        Status.ACCEPTED,
    ),
    (
        "Đề nghị công khai danh sách điểm bưu điện văn hóa xã còn hoạt động",
        "BC",
        "organisation",
        "Hội Người cao tuổi xã Yên Mỹ",
        ReceivedVia.WEB,
        Status.SUBMITTED,
    ),
    (
        "Tin nhắn rác quảng cáo bất động sản gửi liên tục",
        "VT",
        "citizen",
        "Trần Thị Mai",
        ReceivedVia.LETTER,
        Status.SUBMITTED,
    ),
    (
        "Đề nghị Bộ giải quyết tranh chấp đất đai tại thôn Đông",
        "CNTT",
        "citizen",
        "Lê Văn Đông",
        ReceivedVia.NATIONAL_PORTAL,
        Status.REJECTED,
    ),
    (
        "Hỏi về lệ phí đăng ký tên miền .vn cho hộ kinh doanh",
        "CNTT",
        "citizen",
        "Phạm Quốc Bảo",
        ReceivedVia.WEB,
        Status.WITHDRAWN,
    ),
    (
        "Hướng dẫn thủ tục xin cấp phép xuất bản bản tin nội bộ",
        "XBIPH",
        "organisation",
        "Hiệp hội Doanh nghiệp nhỏ và vừa tỉnh Bắc Ninh",
        ReceivedVia.WEB,
        Status.DRAFT,
    ),
]
PUBLIC_CONTENT = (
    "Kính gửi Bộ, chúng tôi đề nghị Bộ xem xét, hướng dẫn và trả lời nội dung nêu ở tiêu "
    "đề để người dân, doanh nghiệp có căn cứ thực hiện."
)
PUBLIC_ANSWER = (
    "Bộ đã yêu cầu doanh nghiệp viễn thông lắp đặt trạm phát sóng 4G phục vụ thôn Nà "
    "Khoang; dự kiến hoàn thành trong quý tới."
)


def _public_item(number: int, row, office):
    title, field_code, kind, name, via, _final = row
    sender = public_intake.Sender(
        kind=kind, name=name, email=f"nguoi-gui-{number}@demo.giaoban.local", phone="0912 345 678"
    )
    question = public_intake.Question(
        field=Field.objects.get(code=field_code), title=title, content=PUBLIC_CONTENT
    )
    if via != ReceivedVia.WEB:
        public_intake.intake_register(
            actor=office,
            sender=sender,
            question=question,
            received_via=via,
            received_on=timezone.localdate() - datetime.timedelta(days=2),
            note=f"Số đến {100 + number}/VP",
        )
        return PublicSubmission.objects.get(recommendation__title=title)
    submission = public_intake.submission_send(sender=sender, question=question)
    if row[5] != Status.DRAFT:
        public_intake.submission_confirm(submission=submission)
    return submission


def _take_public_to(submission, final, users) -> None:
    rec_id = submission.recommendation_id
    office = users["vanphong"]
    if final == Status.WITHDRAWN:
        public_intake.submission_withdraw(submission=submission)
    elif final == Status.REJECTED:
        recommendations.recommendation_act(
            recommendation_id=rec_id,
            actor=office,
            action="reject",
            note="Nội dung thuộc thẩm quyền của Ủy ban nhân dân cấp huyện.",
        )
    elif final in (Status.ACCEPTED, Status.PUBLISHED):
        recommendations.recommendation_accept(
            recommendation_id=rec_id,
            actor=office,
            unit=Organisation.objects.get(code="CUC-THH"),
            cooperating_units=[],
            deadline=timezone.localdate() + datetime.timedelta(days=15),
        )
    if final != Status.PUBLISHED:
        return
    recommendations.answer_save(
        recommendation_id=rec_id,
        actor=users["cuc-thh"],
        text=PUBLIC_ANSWER,
        version=0,
        send_to_leader=True,
    )
    recommendations.recommendation_act(
        recommendation_id=rec_id, actor=users["cuc-thh-lead"], action="approve"
    )
    publishing.answer_publish(recommendation_id=rec_id)


def load_demo_public_submissions() -> tuple[int, str]:
    """The public's recommendations in every state; returns how many were created and
    the status page of the answered one (its link is the sender's key)."""
    users = User.objects.in_bulk(["vanphong", "cuc-thh", "cuc-thh-lead"], field_name="username")
    created = 0
    for number, row in enumerate(PUBLIC_DEMO, start=1):
        if Recommendation.objects.filter(title=row[0]).exists():
            continue
        created += 1
        submission = _public_item(number, row, users["vanphong"])
        _take_public_to(submission, row[5], users)
    answered = PublicSubmission.objects.filter(
        recommendation__title=PUBLIC_DEMO[0][0], token__isnull=False
    ).first()
    return created, (f"/answers/track/{answered.token}/" if answered else "")
