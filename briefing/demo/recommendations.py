"""A few recommendations in every state, so that a fresh `make run` shows a living
portal. Created through the real services; safe to run again (keyed on the title)."""

import datetime

from django.utils import timezone

from briefing.models.organisations import Organisation, User
from briefing.platform import quarters
from proposals.models import Field, Recommendation, Status
from proposals.services import publishing, recommendations

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
        ["so-ninhbinh", "so-haiphong", "vanphong", "cuc-thh", "cuc-thh-lead"],
        field_name="username",
    )
    office = users["vanphong"]
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
        if final == Status.SUBMITTED:
            continue
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
            continue
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
            continue
        recommendations.recommendation_act(
            recommendation_id=rec.pk, actor=users["cuc-thh-lead"], action="approve"
        )
        if final == Status.PUBLISHED:
            # The approval has queued the publishing job already (it runs at once in
            # the embedded mode); running the job's service again is a no-op then.
            publishing.answer_publish(recommendation_id=rec.pk)
    return created
