"""What the demo quarter holds: its dates, the units that answer each field, what
citizens, enterprises and departments wrote about, the states of the recommendations
and the chair's conclusions (texts from the article in shared/seed/)."""

import datetime

from proposals.models import Status as RecStatus

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
