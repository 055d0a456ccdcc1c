"""The demo quarter Q3/2020: the briefing of 7 September 2020, the 7,793 recommendations
of the quarter and the indicator values of Q4/2019, Q2/2020 and Q3/2020, generated so
that the roll-up computes the figures of DOMAIN.md ("The figures of Q3/2020").

Rows are written with bulk_create (7,793 recommendations load in seconds), not through
the workflow services: this is history being loaded, not actions being taken. Safe to
run again: it does nothing once the quarter's briefing exists.
"""

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from briefing.models.organisations import Organisation, OrganisationKind
from briefing.models.sessions import (
    BriefingDocument,
    BriefingForm,
    BriefingSession,
    Conclusion,
    FollowUpTask,
    TaskStatus,
)
from indicators.models import DataElement, Indicator, ReportingPeriod, Status, Submission, Value
from proposals.models import (
    Answer,
    Channel,
    CodeSequence,
    Field,
    Recommendation,
    SourceKind,
)
from proposals.models import (
    Status as RecStatus,
)
from proposals.search import fold

YEAR, QUARTER = 2020, 3
BRIEFING_DAY = datetime.date(2020, 9, 7)
END_OF_QUARTER = datetime.date(2020, 9, 30)
PREFIX = f"KN-{YEAR}-Q{QUARTER}"

UNIT_OF_FIELD = {
    "BC": "VU-BC",
    "VT": "CUC-VT",
    "TS": "CUC-TS",
    "CNTT": "CUC-THH",
    "ATTT": "CUC-ATTT",
    "BCHI": "CUC-BC",
    "PTTH": "CUC-PTTH",
    "XBIPH": "CUC-XBIPH",
    "TTCS": "CUC-TTCS",
    "TTDN": "CUC-TTDN",
    "KHTC": "VU-KHTC",
    "PCTT": "TTB",
    "TCCB": "VU-TCCB",
    "CDS": "CUC-THH",
}

# What citizens, enterprises and organisations write about, by field: (title, answer).
PUBLIC_TOPICS = {
    "BC": [
        (
            "Phản ánh bưu gửi chậm phát tại {place}",
            "Doanh nghiệp bưu chính đã xác minh, "
            "phát bưu gửi và xin lỗi khách hàng; Vụ Bưu chính đã nhắc nhở doanh nghiệp.",
        ),
        (
            "Hỏi về bồi thường bưu gửi bị thất lạc",
            "Mức bồi thường thực hiện theo Điều 24 Luật Bưu chính và hợp đồng cung ứng dịch vụ.",
        ),
    ],
    "VT": [
        (
            "Phản ánh tin nhắn rác quảng cáo từ số thuê bao lạ",
            "Cục Viễn thông đã yêu cầu doanh nghiệp chặn số thuê bao phát tán tin nhắn rác.",
        ),
        (
            "Sóng di động yếu tại khu dân cư ở {place}",
            "Doanh nghiệp viễn thông đã lắp bổ "
            "sung trạm phát sóng, chất lượng dịch vụ đã được cải thiện.",
        ),
        (
            "Đề nghị hỗ trợ chuẩn hóa thông tin thuê bao",
            "Người dùng mang giấy tờ tùy thân "
            "tới điểm giao dịch của nhà mạng để cập nhật thông tin thuê bao.",
        ),
    ],
    "TS": [
        (
            "Can nhiễu sóng vô tuyến điện tại {place}",
            "Trung tâm Tần số vô tuyến điện khu vực đã xác định nguồn can nhiễu và xử lý dứt điểm.",
        ),
    ],
    "CNTT": [
        (
            "Lỗi khi nộp hồ sơ dịch vụ công trực tuyến của {place}",
            "Đơn vị vận hành đã khắc "
            "phục lỗi; người dân có thể nộp lại hồ sơ trên Cổng dịch vụ công.",
        ),
        (
            "Đề nghị hướng dẫn sử dụng chữ ký số cá nhân",
            "Hướng dẫn đã được đăng tải trên Cổng thông tin điện tử của Bộ, mục Chữ ký số.",
        ),
    ],
    "ATTT": [
        (
            "Phản ánh trang web giả mạo cơ quan nhà nước",
            "Cục An toàn thông tin đã phối hợp ngăn chặn tên miền giả mạo và cảnh báo người dùng.",
        ),
        (
            "Cuộc gọi lừa đảo giả danh cơ quan chức năng",
            "Số điện thoại đã bị thu hồi; người dân phản ánh tiếp qua đầu số 5656.",
        ),
    ],
    "BCHI": [
        (
            "Phản ánh bài báo có thông tin sai sự thật về {place}",
            "Cục Báo chí đã yêu cầu cơ quan báo chí kiểm tra, cải chính theo quy định.",
        ),
    ],
    "PTTH": [
        (
            "Phản ánh quảng cáo trên truyền hình trả tiền quá thời lượng",
            "Cục Phát thanh, "
            "truyền hình và Thông tin điện tử đã kiểm tra và nhắc nhở đơn vị cung cấp dịch vụ.",
        ),
        (
            "Đề nghị gỡ bỏ video xuyên tạc trên mạng xã hội",
            "Bộ đã yêu cầu nền tảng mạng xã hội gỡ bỏ nội dung vi phạm pháp luật Việt Nam.",
        ),
    ],
    "XBIPH": [
        (
            "Phản ánh sách in lậu bán tại {place}",
            "Cục Xuất bản, In và Phát hành đã phối hợp với lực lượng quản lý thị trường xử lý.",
        ),
    ],
    "TTCS": [
        (
            "Loa truyền thanh xã hoạt động quá giờ tại {place}",
            "Sở TT&TT đã hướng dẫn xã điều chỉnh khung giờ phát thanh phù hợp.",
        ),
    ],
    "TTDN": [
        (
            "Đề nghị cung cấp tài liệu thông tin đối ngoại về biển đảo",
            "Tài liệu đã được đăng tải trên Cổng thông tin đối ngoại.",
        ),
    ],
    "KHTC": [
        (
            "Hỏi về phí, lệ phí cấp phép trong lĩnh vực thông tin và truyền thông",
            "Mức phí, lệ phí thực hiện theo các Thông tư của Bộ Tài chính hiện hành.",
        ),
    ],
    "PCTT": [
        (
            "Khiếu nại về xử phạt vi phạm hành chính trong lĩnh vực viễn thông",
            "Thanh tra Bộ đã xem xét và trả lời theo quy định của Luật Khiếu nại.",
        ),
    ],
    "TCCB": [
        (
            "Hỏi về tiêu chuẩn chức danh nghề nghiệp viên chức công nghệ thông tin",
            "Tiêu chuẩn quy định tại Thông tư số 45/2017/TT-BTTTT.",
        ),
    ],
    "CDS": [
        (
            "Đề nghị hướng dẫn doanh nghiệp nhỏ chuyển đổi số",
            "Chương trình hỗ trợ doanh "
            "nghiệp nhỏ và vừa chuyển đổi số đã được giới thiệu trên Cổng của Bộ.",
        ),
    ],
}

# What the provincial departments write about, by field.
PROVINCE_TOPICS = {
    "BC": (
        "Hướng dẫn quản lý điểm Bưu điện - Văn hóa xã",
        "Vụ Bưu chính đã ban hành hướng dẫn; Sở phối hợp Bưu điện tỉnh rà soát các điểm.",
    ),
    "VT": (
        "Hướng dẫn dùng chung hạ tầng kỹ thuật viễn thông thụ động",
        "Cục Viễn thông đề nghị Sở thực hiện theo Thông tư số 43/2016/TT-BTTTT.",
    ),
    "TS": (
        "Phối hợp kiểm soát tần số vô tuyến điện trên địa bàn",
        "Cục Tần số vô tuyến điện giao Trung tâm khu vực phối hợp với Sở.",
    ),
    "CNTT": (
        "Hướng dẫn kết nối LGSP với Nền tảng NDXP",
        "Cục Tin học hóa đã ban hành "
        "hướng dẫn kỹ thuật kết nối; Sở liên hệ Cục để được cấp tài khoản.",
    ),
    "ATTT": (
        "Kinh phí triển khai mô hình bảo đảm an toàn thông tin 4 lớp",
        "Kinh phí bố trí từ nguồn chi thường xuyên của tỉnh theo hướng dẫn của Cục ATTT.",
    ),
    "BCHI": (
        "Hướng dẫn sắp xếp cơ quan báo chí theo quy hoạch",
        "Cục Báo chí hướng dẫn Sở tham mưu UBND tỉnh lộ trình sắp xếp.",
    ),
    "PTTH": (
        "Quản lý trang thông tin điện tử tổng hợp trên địa bàn",
        "Cục PTTH&TTĐT đề nghị Sở thực hiện theo Nghị định số 27/2018/NĐ-CP.",
    ),
    "XBIPH": (
        "Phân cấp cấp phép hoạt động in cho Sở",
        "Cục Xuất bản, In và Phát hành đang trình sửa đổi Nghị định về hoạt động in.",
    ),
    "TTCS": (
        "Tiêu chuẩn kỹ thuật đài truyền thanh ứng dụng CNTT - viễn thông",
        "Cục Thông tin cơ sở đã ban hành quy chuẩn kỹ thuật quốc gia.",
    ),
    "TTDN": (
        "Tài liệu thông tin đối ngoại cho địa phương",
        "Cục Thông tin đối ngoại đã gửi bộ tài liệu điện tử cho các Sở.",
    ),
    "KHTC": (
        "Định mức chi cho ứng dụng công nghệ thông tin",
        "Vụ Kế hoạch - Tài chính hướng dẫn tỉnh bố trí 1% ngân sách cho CNTT.",
    ),
    "PCTT": (
        "Thẩm quyền xử phạt vi phạm hành chính của Thanh tra Sở",
        "Thanh tra Bộ hướng dẫn thẩm quyền theo Nghị định số 15/2020/NĐ-CP.",
    ),
    "TCCB": (
        "Vị trí việc làm của Sở TT&TT",
        "Vụ Tổ chức cán bộ hướng dẫn theo Thông tư số 03/2020/TT-BTTTT.",
    ),
    "CDS": (
        "Bộ chỉ số đánh giá chuyển đổi số cấp xã",
        "Bộ đang hoàn thiện bộ chỉ số; Sở tham khảo mô hình thí điểm tại các xã đã triển khai.",
    ),
}

# (status, count) of the 7,610 recommendations of citizens, enterprises and
# organisations: 7,601 resolved and 9 in progress.
PUBLIC_STATUSES = [
    (RecStatus.PUBLISHED, 7400),
    (RecStatus.MERGED, 120),
    (RecStatus.REJECTED, 81),
    (RecStatus.SUBMITTED, 2),
    (RecStatus.RETURNED, 1),
    (RecStatus.ACCEPTED, 4),
    (RecStatus.ANSWER_DRAFTED, 2),
]
TO_UNITS = 19
TO_BRIEFING = 164

CONCLUSIONS = [
    (
        "Các Sở TT&TT tham mưu Tỉnh ủy ban hành Nghị quyết chuyên đề về chuyển đổi số; "
        "UBND tỉnh ban hành chiến lược chuyển đổi số của tỉnh trong năm 2020.",
        "Tham mưu ban hành Nghị quyết và chiến lược chuyển đổi số của tỉnh",
        "provinces",
        datetime.date(2020, 12, 31),
    ),
    (
        "Cục Viễn thông xây dựng kế hoạch phát triển hạ tầng số năm 2021.",
        "Kế hoạch phát triển hạ tầng số năm 2021",
        "CUC-VT",
        datetime.date(2020, 11, 30),
    ),
    (
        "Các Cục Báo chí; PTTH&TTĐT; An toàn thông tin; Tin học hóa; Viễn thông tập trung "
        "làm sạch không gian mạng, bảo vệ Đại hội Đảng các cấp.",
        "Giải pháp kỹ thuật làm sạch không gian mạng",
        "CUC-BC CUC-PTTH CUC-ATTT CUC-THH CUC-VT",
        datetime.date(2020, 12, 31),
    ),
    (
        "Các Sở TT&TT xây dựng kế hoạch năm từ tháng 10, hoàn thiện trong tháng 11.",
        "Kế hoạch năm 2021 của Sở",
        "provinces",
        datetime.date(2020, 11, 30),
    ),
]


def spread(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, as integers adding up to it (largest
    remainders get the units left over)."""
    if not weights:
        return []
    exact = [w * total / sum(weights) for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _orgs(kind: str, day=END_OF_QUARTER) -> list[Organisation]:
    return list(Organisation.objects.filter(kind=kind).valid_on(day).order_by("code"))


def _by_place(provinces, names) -> set[int]:
    wanted = set(names)
    return {p.pk for p in provinces if p.short_name.removeprefix("Sở TT&TT ") in wanted}


def is_loaded() -> bool:
    return BriefingSession.objects.filter(year=YEAR, quarter=QUARTER).exists()


@transaction.atomic
def load_q3_2020() -> bool:
    """Load the demo quarter; False when it is there already."""
    if is_loaded():
        return False
    rng = random.Random(20200907)  # noqa: S311  (repeatable demo data, not secrets)
    provinces = _orgs(OrganisationKind.PROVINCE)
    agencies = _orgs(OrganisationKind.CENTRAL_AGENCY)
    units = {o.code: o for o in _orgs(OrganisationKind.MINISTRY_UNIT)}
    _session(provinces, agencies, units)
    _recommendations(rng, provinces, units)
    _indicators(rng, provinces, agencies, units)
    return True


def _session(provinces, agencies, units) -> BriefingSession:
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


def _recommendations(rng, provinces, units) -> None:
    fields = list(Field.objects.order_by("order"))
    field_weights = {"VT": 30, "CNTT": 14, "BC": 12, "ATTT": 10, "PTTH": 9, "CDS": 5}
    public_fields = rng.choices(
        fields, weights=[field_weights.get(f.code, 2) for f in fields], k=7610
    )
    places = [p.short_name.removeprefix("Sở TT&TT ") for p in provinces]
    recs, answers = [], []
    number = 0
    start = datetime.datetime(2020, 7, 1, 8, tzinfo=datetime.UTC)

    def add(*, field, title, content, answer, source, channel, status, province=None, day):
        nonlocal number
        number += 1
        submitted = start + datetime.timedelta(days=day, minutes=number % 600)
        rec = Recommendation(
            code=f"{PREFIX}-{number:04d}",
            title=title[:300],
            content=content,
            field=field,
            source_kind=source,
            submitting_organisation=province,
            channel=channel,
            period_year=YEAR,
            period_quarter=QUARTER,
            status=status,
            responsible_unit=None
            if status in (RecStatus.SUBMITTED, RecStatus.RETURNED)
            else units[UNIT_OF_FIELD[field.code]],
            deadline=(submitted + datetime.timedelta(days=15)).date(),
            submitted_at=submitted,
        )
        if source in (SourceKind.CITIZEN, SourceKind.ENTERPRISE, SourceKind.ORGANISATION):
            rec.submitter_name = f"Người gửi {number:04d}"
        recs.append(rec)
        if status in (RecStatus.PUBLISHED, RecStatus.ANSWER_DRAFTED):
            published = submitted + datetime.timedelta(days=10)
            if channel == Channel.BRIEFING:
                published = datetime.datetime(2020, 9, 4, 9, tzinfo=datetime.UTC)
            is_published = status == RecStatus.PUBLISHED
            answers.append(
                (
                    rec,
                    Answer(
                        text=answer,
                        version=1,
                        drafted_at=published - datetime.timedelta(days=2),
                        approved_at=published - datetime.timedelta(days=1)
                        if is_published
                        else None,
                        published_text=answer if is_published else "",
                        published_at=published if is_published else None,
                        published_version=1 if is_published else None,
                        search_text=fold(" ".join([rec.code, rec.title, content, answer]))
                        if is_published
                        else "",
                    ),
                )
            )

    sources = [SourceKind.CITIZEN] * 6 + [SourceKind.ENTERPRISE] * 3 + [SourceKind.ORGANISATION]
    statuses = [s for s, n in PUBLIC_STATUSES for _ in range(n)]
    rng.shuffle(statuses)
    for i, (field, status) in enumerate(zip(public_fields, statuses, strict=True)):
        title, answer = rng.choice(PUBLIC_TOPICS[field.code])
        place = rng.choice(places)
        title = title.format(place=place)
        add(
            field=field,
            title=title,
            content=f"{title}. Đề nghị cơ quan chức năng xem xét, giải quyết.",
            answer=answer,
            source=sources[i % len(sources)],
            channel=Channel.REGULAR,
            status=status,
            day=(i * 91) // 7610,
        )
    # Departments to units, during the quarter, and to the briefing (by 31 August).
    for count, channel, last_day in (
        (TO_UNITS, Channel.REGULAR, 90),
        (TO_BRIEFING, Channel.BRIEFING, 60),
    ):
        for i in range(count):
            province = provinces[(i * 7 + (count % 13)) % len(provinces)]
            field = fields[i % len(fields)]
            topic, answer = PROVINCE_TOPICS[field.code]
            place = province.short_name.removeprefix("Sở TT&TT ")
            add(
                field=field,
                title=topic,
                content=f"Sở TT&TT {place} đề nghị Bộ: {topic[0].lower()}{topic[1:]}.",
                answer=answer,
                source=SourceKind.PROVINCE,
                channel=channel,
                status=RecStatus.PUBLISHED,
                province=province,
                day=(i * last_day) // count,
            )
    Recommendation.objects.bulk_create(recs, batch_size=2000)
    for rec, answer in answers:
        answer.recommendation = rec
    Answer.objects.bulk_create([a for _, a in answers], batch_size=2000)
    sequence, _ = CodeSequence.objects.get_or_create(prefix=PREFIX)
    if sequence.last < number:
        sequence.last = number
        sequence.save(update_fields=["last"])


# --- Indicators -------------------------------------------------------------------

# National totals per period: (Q4/2019, Q2/2020, Q3/2020).
TOTALS = {
    "DVC_TONG": (24000, 24000, 24000),
    "DVC_MUC34": (9710, 10800, 11652),  # 40.46% → 48.55%: up 20% on 12/2019
    "DVC_MUC34_HS": (1855, 2900, 3473),  # 19.10% → 29.81%: up 56%
    "XA_TONG": (10614, 10614, 10614),
    "XA_CO_DAI": (9320, 9450, 9534),  # 89.82% of communes
    "DAI_XA": (9320, 9450, 9534),
    "DAI_CNTT": (72, 121, 157),  # +85 on 2019
    "THUE_BAO": (125_000_000, 125_000_000, 125_000_000),
}
# Entities with a yes (or a positive count), per period: (provinces, agencies).
YES = {
    "NDXP": ((28, 12), (45, 17), (55, 21)),
    "LGSP": ((19, 6), (52, 15), (56, 21)),  # 25/92 = 27% at the end of 2019; 77/92
    "ATTT_4LOP": ((15, 4), (28, 8), (39, 12)),
    "GIAMSAT_QG": ((20, 0), (31, 0), (39, 0)),
    "QH_BAOCHI": ((30, 0), (40, 0), (46, 0)),
    "DAI_CNTT": ((25, 0), (35, 0), (42, 0)),
}
PILOTS = {
    "CDS_XA": [
        "Bắc Kạn",
        "Bình Định",
        "Hà Giang",
        "Lai Châu",
        "Quảng Trị",
        "Thái Bình",
        "Tuyên Quang",
        "Ninh Bình",
    ],
    "DO_THI_TM": ["Hậu Giang", "Gia Lai", "Thái Nguyên"],
    "IOC": ["Kon Tum"],
}
# Bluezone installs over mobile subscribers, Q3/2020: these provinces pass 30%.
BLUEZONE_LEADERS = {"Hải Dương": 0.48, "Quảng Ninh": 0.36, "Đà Nẵng": 0.34, "Quảng Nam": 0.31}
OWNER = {
    "CUC-THH": [
        "DVC_TONG",
        "DVC_MUC34",
        "DVC_MUC34_HS",
        "NDXP",
        "LGSP",
        "BLUEZONE",
        "THUE_BAO",
        "CDS_XA",
        "DO_THI_TM",
        "IOC",
    ],
    "CUC-ATTT": ["ATTT_4LOP", "GIAMSAT_QG"],
    "CUC-BC": ["QH_BAOCHI"],
    "CUC-TTCS": ["XA_TONG", "XA_CO_DAI", "DAI_XA", "DAI_CNTT"],
}
PERIODS = [(2019, 4), (2020, 2), (2020, 3)]


def _reporters(entities) -> dict[str, set[int]]:
    """Element code → indices of the entities that report it, from the catalogue (kinds
    of entity and scope: 20 ministries report the 4-layer model, not all 29)."""
    reporters = defaultdict(set)
    for indicator in Indicator.objects.prefetch_related("scope").select_related(
        "numerator", "denominator"
    ):
        for i, entity in enumerate(entities):
            if indicator.applies_to(entity):
                for element in indicator.elements():
                    reporters[element.code].add(i)
    return reporters


def _indicators(rng, provinces, agencies, units) -> None:
    elements = {e.code: e for e in DataElement.objects.all()}
    entities = [*provinces, *agencies]
    n_p = len(provinces)
    reporters = _reporters(entities)
    # Fixed shapes per entity, so that each entity moves plausibly between periods.
    size = [rng.uniform(0.5, 1.5) for _ in entities]
    rate = [rng.uniform(0.6, 1.4) for _ in entities]
    communes = spread(10614, [rng.uniform(0.4, 1.6) for _ in provinces])
    subscribers = spread(125_000_000, [rng.uniform(0.3, 2.5) for _ in provinces])
    names = [p.short_name.removeprefix("Sở TT&TT ") for p in provinces]
    now = timezone.now()
    values = {}  # (entity index, element code, period index) -> value
    for k in range(len(PERIODS)):
        # Online services: totals over provinces and agencies.
        tong = spread(TOTALS["DVC_TONG"][k], size)
        muc34 = spread(TOTALS["DVC_MUC34"][k], [s * r for s, r in zip(size, rate, strict=True)])
        hs = spread(TOTALS["DVC_MUC34_HS"][k], [m * r for m, r in zip(muc34, rate, strict=True)])
        for i in range(len(entities)):
            values[i, "DVC_TONG", k] = tong[i]
            values[i, "DVC_MUC34", k] = min(muc34[i], tong[i])
            values[i, "DVC_MUC34_HS", k] = min(hs[i], values[i, "DVC_MUC34", k])
        for code, per_period in YES.items():
            yes_p, yes_a = per_period[k]
            for i in range(n_p):
                values[i, code, k] = 1 if i < yes_p else 0
            reporting_agencies = sorted(i for i in reporters[code] if i >= n_p)
            for rank, i in enumerate(reporting_agencies):
                values[i, code, k] = 1 if rank < yes_a else 0
        with_station = spread(TOTALS["XA_CO_DAI"][k], communes)
        stations_it = spread(TOTALS["DAI_CNTT"][k], [1.0] * YES["DAI_CNTT"][k][0])
        for i in range(n_p):
            values[i, "XA_TONG", k] = communes[i]
            values[i, "XA_CO_DAI", k] = min(with_station[i], communes[i])
            values[i, "DAI_XA", k] = values[i, "XA_CO_DAI", k]
            values[i, "DAI_CNTT", k] = stations_it[i] if i < len(stations_it) else 0
            values[i, "THUE_BAO", k] = subscribers[i]
            # Bluezone came out in April 2020: none at the end of 2019, fewer in Q2.
            growth = (0, 0.6, 1)[k]
            share = BLUEZONE_LEADERS.get(names[i], rng.uniform(0.05, 0.25)) * growth
            values[i, "BLUEZONE", k] = int(subscribers[i] * share)
            for code, places in PILOTS.items():
                values[i, code, k] = 1 if (names[i] in places and k == 2) else 0
    _check_sums(values, n_p, len(entities))
    for k, (year, quarter) in enumerate(PERIODS):
        period = ReportingPeriod.objects.get(period_type="quarter", year=year, number=quarter)
        submitted_at = datetime.datetime.combine(
            period.end + datetime.timedelta(days=10), datetime.time(9), datetime.UTC
        )
        submissions = []
        for unit_code in OWNER:
            for i, entity in enumerate(entities):
                if not any(i in reporters[code] for code in OWNER[unit_code]):
                    continue
                submissions.append(
                    Submission(
                        organisation=entity,
                        period=period,
                        owner_unit=units[unit_code],
                        status=Status.APPROVED,
                        submitted_at=submitted_at,
                        decided_at=now,
                    )
                )
        Submission.objects.bulk_create(submissions)
        rows = []
        index = {e.pk: i for i, e in enumerate(entities)}
        for submission in submissions:
            i = index[submission.organisation_id]
            for code in OWNER[submission.owner_unit.code]:
                if i not in reporters[code]:
                    continue
                rows.append(
                    Value(
                        submission=submission,
                        element=elements[code],
                        value=Decimal(values[i, code, k]),
                    )
                )
        Value.objects.bulk_create(rows, batch_size=5000)


def _check_sums(values, n_p, n) -> None:
    """The capped per-entity values must still add up to the national totals."""
    for code in ("DVC_MUC34", "DVC_MUC34_HS"):
        for k in range(len(PERIODS)):
            got = sum(values[i, code, k] for i in range(n))
            assert got == TOTALS[code][k], (code, k, got)
    for k in range(len(PERIODS)):
        assert sum(values[i, "XA_CO_DAI", k] for i in range(n_p)) == TOTALS["XA_CO_DAI"][k]
