"""The preloaded catalogue: the indicators of the Q3/2020 briefing (DOMAIN.md) and the
reporting periods they are reported for. Admin-editable afterwards.

Takes the models as arguments so that the data migration can pass its historical
models and tests (whose transactional flush removes migration rows) the real ones.
"""

import datetime

PROVINCE = "province"
AGENCY = "central_agency"

# (code, name, value type, unit, explanation)
ELEMENTS = [
    ("DVC_TONG", "Tổng số thủ tục hành chính cung cấp dịch vụ công", "count", "thủ tục", ""),
    ("DVC_MUC34", "Số dịch vụ công trực tuyến mức độ 3, 4", "count", "dịch vụ", ""),
    (
        "DVC_MUC34_HS",
        "Số dịch vụ công trực tuyến mức độ 3, 4 có phát sinh hồ sơ trực tuyến",
        "count",
        "dịch vụ",
        "",
    ),
    ("NDXP", "Đã kết nối Nền tảng tích hợp, chia sẻ dữ liệu quốc gia (NDXP)", "boolean", "", ""),
    ("LGSP", "Đã có Nền tảng tích hợp, chia sẻ dữ liệu cấp bộ, cấp tỉnh (LGSP)", "boolean", "", ""),
    ("ATTT_4LOP", "Đã triển khai mô hình bảo đảm an toàn thông tin 4 lớp", "boolean", "", ""),
    (
        "GIAMSAT_QG",
        "Đã kết nối Trung tâm Giám sát an toàn không gian mạng quốc gia",
        "boolean",
        "",
        "",
    ),
    ("QH_BAOCHI", "Đã hoàn thành quy hoạch báo chí của địa phương", "boolean", "", ""),
    ("XA_TONG", "Tổng số xã, phường, thị trấn", "count", "xã", ""),
    ("XA_CO_DAI", "Số xã có đài truyền thanh", "count", "xã", ""),
    ("DAI_XA", "Số đài truyền thanh cấp xã", "count", "đài", ""),
    (
        "DAI_CNTT",
        "Số đài truyền thanh ứng dụng công nghệ thông tin - viễn thông",
        "count",
        "đài",
        "",
    ),
    ("BLUEZONE", "Số lượt cài đặt ứng dụng Bluezone", "count", "lượt", ""),
    ("THUE_BAO", "Số thuê bao điện thoại di động trên địa bàn", "count", "thuê bao", ""),
    ("CDS_XA", "Có xã thí điểm chuyển đổi số", "boolean", "", ""),
    ("DO_THI_TM", "Đã ban hành đề án đô thị thông minh", "boolean", "", ""),
    ("IOC", "Đã vận hành Trung tâm giám sát, điều hành thông minh (IOC)", "boolean", "", ""),
]

# (code, name, method, numerator, denominator, factor, unit, decimals, kinds, owner,
#  target, direction, numerator within denominator)
INDICATORS = [
    (
        "DVCTT_MUC34",
        "Tỷ lệ dịch vụ công trực tuyến mức độ 3, 4",
        "ratio",
        "DVC_MUC34",
        "DVC_TONG",
        100,
        "%",
        2,
        [PROVINCE, AGENCY],
        "CUC-THH",
        None,
        "",
        True,
    ),
    (
        "DVCTT_CO_HS",
        "Tỷ lệ dịch vụ công trực tuyến mức độ 3, 4 có phát sinh hồ sơ trực tuyến",
        "ratio",
        "DVC_MUC34_HS",
        "DVC_MUC34",
        100,
        "%",
        2,
        [PROVINCE, AGENCY],
        "CUC-THH",
        None,
        "",
        True,
    ),
    (
        "NDXP",
        "Số bộ, ngành, địa phương kết nối NDXP",
        "yes_count",
        "NDXP",
        None,
        1,
        "đơn vị",
        0,
        [PROVINCE, AGENCY],
        "CUC-THH",
        None,
        "",
        False,
    ),
    (
        "LGSP",
        "Tỷ lệ bộ, ngành, địa phương có nền tảng LGSP",
        "yes_share",
        "LGSP",
        None,
        100,
        "%",
        2,
        [PROVINCE, AGENCY],
        "CUC-THH",
        None,
        "",
        False,
    ),
    (
        "ATTT_4LOP",
        "Tỷ lệ bộ, tỉnh triển khai mô hình bảo đảm an toàn thông tin 4 lớp",
        "yes_share",
        "ATTT_4LOP",
        None,
        100,
        "%",
        2,
        [PROVINCE, AGENCY],
        "CUC-ATTT",
        None,
        "",
        False,
    ),
    (
        "GIAMSAT_QG",
        "Số tỉnh kết nối Trung tâm Giám sát an toàn không gian mạng quốc gia",
        "yes_count",
        "GIAMSAT_QG",
        None,
        1,
        "tỉnh",
        0,
        [PROVINCE],
        "CUC-ATTT",
        None,
        "",
        False,
    ),
    (
        "QH_BAOCHI",
        "Tỷ lệ địa phương hoàn thành quy hoạch báo chí",
        "yes_share",
        "QH_BAOCHI",
        None,
        100,
        "%",
        0,
        [PROVINCE],
        "CUC-BC",
        None,
        "",
        False,
    ),
    (
        "XA_CO_DAI",
        "Tỷ lệ xã có đài truyền thanh",
        "ratio",
        "XA_CO_DAI",
        "XA_TONG",
        100,
        "%",
        2,
        [PROVINCE],
        "CUC-TTCS",
        None,
        "",
        True,
    ),
    (
        "DAI_XA",
        "Số đài truyền thanh cấp xã",
        "sum",
        "DAI_XA",
        None,
        1,
        "đài",
        0,
        [PROVINCE],
        "CUC-TTCS",
        None,
        "",
        False,
    ),
    (
        "TINH_DAI_CNTT",
        "Số tỉnh có đài truyền thanh ứng dụng CNTT - viễn thông",
        "yes_count",
        "DAI_CNTT",
        None,
        1,
        "tỉnh",
        0,
        [PROVINCE],
        "CUC-TTCS",
        None,
        "",
        False,
    ),
    (
        "DAI_CNTT",
        "Số đài truyền thanh ứng dụng CNTT - viễn thông",
        "sum",
        "DAI_CNTT",
        None,
        1,
        "đài",
        0,
        [PROVINCE],
        "CUC-TTCS",
        None,
        "",
        False,
    ),
    (
        "BLUEZONE",
        "Tỷ lệ cài đặt Bluezone trên số thuê bao di động",
        "ratio",
        "BLUEZONE",
        "THUE_BAO",
        100,
        "%",
        2,
        [PROVINCE],
        "CUC-THH",
        30,
        "at_least",
        False,
    ),
    (
        "CDS_XA",
        "Số tỉnh thí điểm chuyển đổi số cấp xã",
        "yes_count",
        "CDS_XA",
        None,
        1,
        "tỉnh",
        0,
        [PROVINCE],
        "CUC-THH",
        None,
        "",
        False,
    ),
    (
        "DO_THI_TM",
        "Số tỉnh có đề án đô thị thông minh",
        "yes_count",
        "DO_THI_TM",
        None,
        1,
        "tỉnh",
        0,
        [PROVINCE],
        "CUC-THH",
        None,
        "",
        False,
    ),
    (
        "IOC",
        "Số tỉnh vận hành Trung tâm giám sát, điều hành thông minh (IOC)",
        "yes_count",
        "IOC",
        None,
        1,
        "tỉnh",
        0,
        [PROVINCE],
        "CUC-THH",
        None,
        "",
        False,
    ),
]

# "Up 20% on 12/2019": the online-services shares compare with the end of 2019.
BASELINES = {"DVCTT_MUC34": ("quarter", 2019, 4), "DVCTT_CO_HS": ("quarter", 2019, 4)}
# Indicators that only some organisations of a kind report (Indicator.scope). The
# 4-layer security model is tracked for the ministries and ministerial agencies ("12/20
# Bộ"): not for Defence, which protects its own systems, nor for the government
# agencies such as Vietnam Social Security.
SCOPES = {
    "ATTT_4LOP": [
        "BO-CA",
        "BO-NG",
        "BO-NV",
        "BO-TP",
        "BO-KHDT",
        "BO-TC",
        "BO-CT",
        "BO-NNPTNT",
        "BO-GTVT",
        "BO-XD",
        "BO-TNMT",
        "BO-LDTBXH",
        "BO-VHTTDL",
        "BO-KHCN",
        "BO-GDDT",
        "BO-YT",
        "UBDT",
        "NHNN",
        "TTCP",
        "VPCP",
        # Ministries since 1 March 2025.
        "BO-NNMT",
        "BO-DTTG",
    ]
}
FIRST_YEAR, LAST_YEAR = 2019, 2027
# Reports are due 15 days after the period ends.
DUE_AFTER = datetime.timedelta(days=15)


def period_bounds(period_type: str, year: int, number: int):
    if period_type == "year":
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    months = 3 if period_type == "quarter" else 1
    first_month = (number - 1) * months + 1
    after = first_month + months
    start = datetime.date(year, first_month, 1)
    end = datetime.date(year + (after > 12), (after - 1) % 12 + 1, 1) - datetime.timedelta(days=1)
    return start, end


def sync_periods(period_model, years=range(FIRST_YEAR, LAST_YEAR + 1)) -> None:
    for year in years:
        for period_type, numbers in (("quarter", range(1, 5)), ("year", range(1, 2))):
            for number in numbers:
                start, end = period_bounds(period_type, year, number)
                period_model.objects.get_or_create(
                    period_type=period_type,
                    year=year,
                    number=number,
                    defaults={"start": start, "end": end, "due_date": end + DUE_AFTER},
                )


def sync_catalogue(element_model, indicator_model, period_model, organisation_model) -> None:
    sync_periods(period_model)
    elements = {}
    for order, (code, name, value_type, unit, explanation) in enumerate(ELEMENTS, start=1):
        elements[code], _ = element_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "value_type": value_type,
                "unit": unit,
                "help_text": explanation,
                "order": order,
            },
        )
    owners = {o.code: o for o in organisation_model.objects.filter(kind="ministry_unit")}
    for order, row in enumerate(INDICATORS, start=1):
        (code, name, method, num, den, factor, unit, decimals, kinds, owner) = row[:10]
        target, direction, within = row[10:]
        baseline = None
        if code in BASELINES:
            period_type, year, number = BASELINES[code]
            baseline = period_model.objects.get(period_type=period_type, year=year, number=number)
        indicator_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "method": method,
                "numerator": elements[num],
                "denominator": elements[den] if den else None,
                "factor": factor,
                "unit": unit,
                "decimals": decimals,
                "period_type": "quarter",
                "entity_kinds": kinds,
                "owner_unit": owners[owner],
                "target": target,
                "direction": direction,
                "numerator_within_denominator": within,
                "baseline_period": baseline,
                "order": order,
            },
        )


def sync_scopes(indicator_model, organisation_model) -> None:
    """Set the organisations of the indicators listed in SCOPES (a separate step: the
    first catalogue migration ran before indicators had a scope)."""
    for code, organisation_codes in SCOPES.items():
        indicator = indicator_model.objects.get(code=code)
        indicator.scope.set(organisation_model.objects.filter(code__in=organisation_codes))
