"""The particulars of a quarter's official documents (number and symbol, place and date,
signer, recipients): the latest saved, what the form starts from, and the save.

Until the Ministry Office saves them, a document is a draft: it carries the particulars
of the same document of an earlier quarter (offices keep their signer and recipients)
without its number and date, or failing that the usual ones below."""

from django.db import transaction

from briefing.models.reports import DocumentKind, DocumentParticulars
from briefing.organisations.selectors import ministry_name_on
from briefing.platform import quarters
from briefing.reports import assignees, rollup

# The usual particulars, in Vietnamese because they are the wording of the documents
# themselves (Decree 30/2020/NĐ-CP, Appendix I), not of the portal; the office changes
# them on the briefing page. MINISTRY stands for the ministry's name on the quarter's
# last day (Bộ Thông tin và Truyền thông until February 2025, then Bộ Khoa học và Công
# nghệ), its initials for the symbol's ("TB-BTTTT", "TB-BKHCN").
# DEPARTMENTS, the provincial departments' name then ("Sở TT&TT", "Sở KH&CN").
MINISTRY, INITIALS, DEPARTMENTS = "{ministry}", "{initials}", "{departments}"
_RECIPIENTS = [
    "Bộ trưởng (để báo cáo)",
    "Các Thứ trưởng",
    "Các cơ quan, đơn vị thuộc Bộ",
    f"{DEPARTMENTS} các tỉnh, thành phố trực thuộc Trung ương",
]
USUAL = {
    DocumentKind.REPORT: {
        "symbol": "BC-VP",
        "parent_body": MINISTRY,
        "issuing_body": "VĂN PHÒNG",
        "place": "Hà Nội",
        "signer_authority": "",
        "signer_title": "CHÁNH VĂN PHÒNG",
        "recipients": "\n".join([*_RECIPIENTS, "Lưu: VT, VP."]),
    },
    DocumentKind.CONCLUSIONS: {
        "symbol": f"TB-{INITIALS}",
        "parent_body": "",
        "issuing_body": MINISTRY,
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
    if earlier is None:
        values = usual(year, quarter, kind)
    else:
        values = {f: getattr(earlier, f) for f in FIELDS}
        values |= renamed(values, names_of(earlier.year, earlier.quarter), names_of(year, quarter))
    values |= {"number": "", "issued_on": None}
    return DocumentParticulars(year=year, quarter=quarter, kind=kind, **values)


def initials(name: str) -> str:
    """ "Bộ Thông tin và Truyền thông" → "BTTTT": the first letter of every word but "và",
    as the ministry's documents write their symbol."""
    return "".join(word[0] for word in name.split() if word.lower() != "và").upper()


def names_of(year: int, quarter: int) -> dict[str, str]:
    """The names of the quarter's last day that the particulars say (two queries)."""
    day = quarters.quarter_bounds(year, quarter)[1]
    ministry = ministry_name_on(day)
    return {
        MINISTRY: ministry.upper(),
        INITIALS: initials(ministry),
        DEPARTMENTS: assignees.groups_on(day)["provinces_name"] or "Sở",
    }


def renamed(values: dict, before: dict[str, str], after: dict[str, str]) -> dict:
    """`values` with the names of `before` replaced by those of `after`: an earlier
    quarter's particulars carried over a renaming say the new names."""
    changed = {}
    for key, value in values.items():
        if not isinstance(value, str):
            continue
        for placeholder, old in before.items():
            if old and old != after[placeholder]:
                value = value.replace(old, after[placeholder])
        changed[key] = value
    return changed


def usual(year: int, quarter: int, kind: str) -> dict:
    """The usual particulars of a quarter's document, with the names of the quarter's
    last day."""
    values = dict(USUAL[kind])
    return values | renamed(
        values, {p: p for p in (MINISTRY, INITIALS, DEPARTMENTS)}, names_of(year, quarter)
    )


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
