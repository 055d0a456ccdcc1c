"""Reference organisations: ministry units, provinces (63 and 34) and central agencies.

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
    by_code = {}

    def put(code, **fields):
        obj, _ = organisation_model.objects.update_or_create(code=code, defaults=fields)
        by_code[code] = obj

    _sync_central(put, by_code, others)
    _sync_provinces(put, by_code, provinces)
    return len(by_code)


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
    # are part of the Departments of Science and Technology.
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
        put(
            legacy_province_code(province["admin_code"]),
            name=f"Sở Thông tin và Truyền thông {province['short_name']}",
            short_name=f"Sở TT&TT {province['short_name']}",
            kind="province",
            admin_code=province["admin_code"],
            valid_from=LEGACY_VALID_FROM,
            valid_to=LEGACY_VALID_TO,
            successor=by_code[successor_of[province["admin_code"]]],
            source=provinces["source"],
        )
