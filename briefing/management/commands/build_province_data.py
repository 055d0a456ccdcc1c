"""Regenerate briefing/organisations/data/provinces.json from the vietnamadminunits package.

The province lists (63 before 1 July 2025, 34 after) and the merger mapping are not
typed by hand: this command copies them from a maintained package and records which
version they came from. Run it after upgrading that package, review the diff, then run
`manage.py sync_organisations`.
"""

import json
from importlib import metadata, resources

from django.core.management.base import BaseCommand, CommandError

from briefing.organisations.reference_data import PROVINCES_FILE


def _load(name: str) -> dict:
    return json.loads(
        resources.files("vietnamadminunits").joinpath("data", name).read_text(encoding="utf-8")
    )["DICT_PROVINCE"]


class Command(BaseCommand):
    help = (
        "Regenerate briefing/organisations/data/provinces.json from the vietnamadminunits package."
    )

    def handle(self, *args, **options):
        try:
            version = metadata.version("vietnamadminunits")
        except metadata.PackageNotFoundError:
            raise CommandError(
                "vietnamadminunits is not installed: pip install -r requirements-dev.txt"
            ) from None
        legacy = _load("parser_legacy.json")
        current = _load("parser_from_2025.json")
        mapping = _load("converter_2025.json")

        def entry(record):
            return {
                "admin_code": record["provinceCode"],
                "name": record["province"],
                "short_name": record["provinceShort"],
            }

        data = {
            "source": (
                f"vietnamadminunits {version} (PyPI): data/parser_legacy.json, "
                "data/parser_from_2025.json, data/converter_2025.json"
            ),
            "legacy": sorted((entry(r) for r in legacy.values()), key=lambda e: e["admin_code"]),
            "current": sorted(
                (
                    {
                        **entry(current[key]),
                        "predecessors": sorted(legacy[old]["provinceCode"] for old in olds),
                    }
                    for key, olds in mapping.items()
                ),
                key=lambda e: e["admin_code"],
            ),
        }
        if len(data["legacy"]) != 63 or len(data["current"]) != 34:
            raise CommandError(
                f"Expected 63 and 34 provinces, got {len(data['legacy'])} and "
                f"{len(data['current'])}: check the package before using its data."
            )
        PROVINCES_FILE.write_text(
            json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        self.stdout.write(f"Wrote {PROVINCES_FILE} from vietnamadminunits {version}.")
