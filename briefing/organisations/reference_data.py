"""Reference organisations: the ministry, its units, provinces (63 and 34) and central
agencies, with the names they took over time (OrganisationName).

The data lives in briefing/organisations/data/*.json; `sync_organisations` writes it into the
database and is safe to run again (it updates by code). The data migration and the
`sync_organisations` command both call it.
"""

import datetime
import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
PROVINCES_FILE = DATA_DIR / "provinces.json"
ORGANISATIONS_FILE = DATA_DIR / "organisations.json"

# 63 provinces since Hà Tây joined Hà Nội (1 August 2008) until the 2025 merger.
LEGACY_VALID_FROM = datetime.date(2008, 8, 1)
LEGACY_VALID_TO = datetime.date(2025, 6, 30)
CURRENT_VALID_FROM = datetime.date(2025, 7, 1)
# The provincial Departments of Information and Communications became part of the
# Departments of Science and Technology, as the ministry did (Decree 55/2025/ND-CP).
DEPARTMENT_MERGER = datetime.date(2025, 3, 1)


ROLE_CODES = [
    "office_coordinator",
    "unit_officer",
    "unit_leader",
    "province_officer",
    "province_leader",
    "system_admin",
]


def legacy_province_code(admin_code: str) -> str:
    return f"T63-{admin_code}"


def current_province_code(admin_code: str) -> str:
    return f"T34-{admin_code}"


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def sync_roles(role_model) -> None:
    """The fixed roles (their meaning is code: briefing/organisations/roles.py)."""
    for code in ROLE_CODES:
        role_model.objects.get_or_create(code=code)


def sync_organisations(organisation_model) -> int:
    """Create or update every reference organisation; return how many rows were written.

    Takes the model as an argument so that a migration can pass its historical model.
    """
    provinces = json.loads(PROVINCES_FILE.read_text(encoding="utf-8"))
    others = json.loads(ORGANISATIONS_FILE.read_text(encoding="utf-8"))
    # A migration's historical model may not have the later fields (names, name_en).
    known = {field.name for field in organisation_model._meta.get_fields()}
    by_code = {}
    renames = []

    def put(code, renamed=(), **fields):
        defaults = {key: value for key, value in fields.items() if key in known}
        obj, _ = organisation_model.objects.update_or_create(code=code, defaults=defaults)
        by_code[code] = obj
        renames.extend((obj, *row) for row in renamed)

    if "kind" in known and "names" in known:
        _sync_ministry(put, others["ministry"])
    _sync_central(put, by_code, others)
    _sync_provinces(put, by_code, provinces)
    if "names" in known:
        _sync_names(organisation_model._meta.get_field("names").related_model, renames)
    return len(by_code)


def _sync_ministry(put, ministry) -> None:
    """The ministry itself: its first name, then the names it took later."""
    (_first, name, short_name, name_en), *later = ministry["names"]
    put(
        ministry["code"],
        renamed=[(_date(row[0]), *row[1:], ministry["source"]) for row in later],
        name=name,
        short_name=short_name,
        name_en=name_en,
        kind="ministry",
        source=ministry["source"],
    )


def _sync_names(name_model, renames) -> None:
    """The names from a date on, by (organisation, date): added or updated, never
    deleted (a name given in the back office stays)."""
    for organisation, valid_from, name, short_name, name_en, source in renames:
        name_model.objects.update_or_create(
            organisation=organisation,
            valid_from=valid_from,
            defaults={
                "name": name,
                "short_name": short_name,
                "name_en": name_en,
                "source": source,
            },
        )


def _sync_central(put, by_code, others) -> None:
    """The ministry's units, then the ministries and agencies."""
    for code, name, short_name in others["ministry_units"]:
        put(code, name=name, short_name=short_name, kind="ministry_unit", source=others["source"])
    # Successors first, so that predecessors can point at them.
    agencies = sorted(others["central_agencies"], key=lambda row: row[4] is not None)
    for row in agencies:
        code, name, short_name, valid_to, successor = row[:5]
        valid_from = row[5] if len(row) > 5 else None
        put(
            code,
            name=name,
            short_name=short_name,
            kind="central_agency",
            valid_from=_date(valid_from),
            valid_to=_date(valid_to),
            successor=by_code[successor] if successor else None,
            source=others["source"],
        )


def _sync_provinces(put, by_code, provinces) -> None:
    """The 34 departments of today, then the 63 of before 1 July 2025 pointing at them."""
    # Since March 2025 the provincial Departments of Information and Communications
    # are part of the Departments of Science and Technology: the 63 were so called
    # from then until the provinces merged (DEPARTMENT_MERGER).
    for province in provinces["current"]:
        put(
            current_province_code(province["admin_code"]),
            name=f"Sở Khoa học và Công nghệ {province['short_name']}",
            short_name=f"Sở KH&CN {province['short_name']}",
            kind="province",
            admin_code=province["admin_code"],
            valid_from=CURRENT_VALID_FROM,
            valid_to=None,
            source=provinces["source"],
        )
    successor_of = {
        old: current_province_code(province["admin_code"])
        for province in provinces["current"]
        for old in province["predecessors"]
    }
    for province in provinces["legacy"]:
        merged = (
            DEPARTMENT_MERGER,
            f"Sở Khoa học và Công nghệ {province['short_name']}",
            f"Sở KH&CN {province['short_name']}",
            "",
            provinces["source"],
        )
        put(
            legacy_province_code(province["admin_code"]),
            renamed=[merged],
            name=f"Sở Thông tin và Truyền thông {province['short_name']}",
            short_name=f"Sở TT&TT {province['short_name']}",
            kind="province",
            admin_code=province["admin_code"],
            valid_from=LEGACY_VALID_FROM,
            valid_to=LEGACY_VALID_TO,
            successor=by_code[successor_of[province["admin_code"]]],
            source=provinces["source"],
        )
