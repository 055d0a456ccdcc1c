"""The particulars of a quarter's official documents (number and symbol, place and date,
signer, recipients): the latest saved, what the form starts from, and the save.

Until the Ministry Office saves them, a document is a draft: it carries the particulars
of the same document of an earlier quarter (offices keep their signer and recipients)
without its number and date, or failing that the usual ones below."""

from django.db import transaction

from briefing.models.reports import DocumentKind, DocumentParticulars
from briefing.reports import rollup

# The usual particulars, in Vietnamese because they are the wording of the documents
# themselves (Decree 30/2020/NĐ-CP, Appendix I), not of the portal; the office changes
# them on the briefing page.
_RECIPIENTS = [
    "Bộ trưởng (để báo cáo)",
    "Các Thứ trưởng",
    "Các cơ quan, đơn vị thuộc Bộ",
    "Sở TT&TT các tỉnh, thành phố trực thuộc Trung ương",
]
USUAL = {
    DocumentKind.REPORT: {
        "symbol": "BC-VP",
        "parent_body": "BỘ THÔNG TIN VÀ TRUYỀN THÔNG",
        "issuing_body": "VĂN PHÒNG",
        "place": "Hà Nội",
        "signer_authority": "",
        "signer_title": "CHÁNH VĂN PHÒNG",
        "recipients": "\n".join([*_RECIPIENTS, "Lưu: VT, VP."]),
    },
    DocumentKind.CONCLUSIONS: {
        "symbol": "TB-BTTTT",
        "parent_body": "",
        "issuing_body": "BỘ THÔNG TIN VÀ TRUYỀN THÔNG",
        "place": "Hà Nội",
        "signer_authority": "TL. BỘ TRƯỞNG",
        "signer_title": "CHÁNH VĂN PHÒNG",
        "recipients": "\n".join([*_RECIPIENTS, "Cổng Thông tin điện tử của Bộ", "Lưu: VT, VP."]),
    },
}
FIELDS = [
    "number",
    "symbol",
    "parent_body",
    "issuing_body",
    "place",
    "issued_on",
    "signer_authority",
    "signer_title",
    "signer_name",
    "recipients",
]


def latest(*, year: int, quarter: int, kind: str) -> DocumentParticulars | None:
    return (
        DocumentParticulars.objects.filter(year=year, quarter=quarter, kind=kind)
        .order_by("-created_at", "-pk")
        .first()
    )


def history(*, year: int, quarter: int) -> list[DocumentParticulars]:
    return list(
        DocumentParticulars.objects.filter(year=year, quarter=quarter)
        .select_related("created_by", "snapshot")
        .order_by("-created_at", "-pk")[:20]
    )


def current(*, year: int, quarter: int, kind: str) -> DocumentParticulars:
    """The saved particulars, or an unsaved draft: an earlier quarter's without number
    and date, or the usual ones."""
    saved = latest(year=year, quarter=quarter, kind=kind)
    if saved is not None:
        return saved
    earlier = (
        DocumentParticulars.objects.filter(kind=kind, year__lte=year)
        .exclude(year=year, quarter__gte=quarter)
        .order_by("-year", "-quarter", "-created_at", "-pk")
        .first()
    )
    values = {f: getattr(earlier, f) for f in FIELDS} if earlier else dict(USUAL[kind])
    values |= {"number": "", "issued_on": None}
    return DocumentParticulars(year=year, quarter=quarter, kind=kind, **values)


def initial(particulars: DocumentParticulars) -> dict:
    return {f: getattr(particulars, f) for f in FIELDS}


def particulars_save(*, year: int, quarter: int, kind: str, actor, values: dict):
    """A new row of the quarter's history; a report's names the version it is for."""
    with transaction.atomic():
        snapshot = (
            rollup.latest_snapshot(year=year, quarter=quarter)
            if kind == DocumentKind.REPORT
            else None
        )
        return DocumentParticulars.objects.create(
            year=year,
            quarter=quarter,
            kind=kind,
            snapshot=snapshot,
            created_by=actor,
            **{f: values[f] for f in FIELDS},
        )
