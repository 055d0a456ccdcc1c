import datetime
import io
import json

import pytest
from django.core.management import call_command

from briefing.management.commands import build_province_data
from briefing.models.organisations import Organisation, OrganisationKind
from briefing.organisations import reference_data

BRIEFING_DAY = datetime.date(2020, 9, 7)
AFTER_MERGER = datetime.date(2025, 7, 1)

pytestmark = pytest.mark.django_db


def test_63_provinces_in_2020_and_34_after_the_merger():
    provinces = Organisation.objects.provinces()
    assert provinces.valid_on(BRIEFING_DAY).count() == 63
    assert provinces.valid_on(datetime.date(2025, 6, 30)).count() == 63
    assert provinces.valid_on(AFTER_MERGER).count() == 34


def test_every_old_province_has_a_successor_that_exists_after_the_merger():
    old = Organisation.objects.provinces().valid_on(BRIEFING_DAY).select_related("successor")
    for province in old:
        assert province.successor is not None, province
        assert province.successor.is_valid_on(AFTER_MERGER)
    successors = {p.successor_id for p in old}
    assert len(successors) == 34


def test_known_mergers_follow_the_2025_resolution():
    def successor_of(short):
        return Organisation.objects.get(
            kind=OrganisationKind.PROVINCE, short_name=f"Sở TT&TT {short}"
        ).successor.short_name

    assert successor_of("Hải Dương") == "Sở KH&CN Hải Phòng"
    assert successor_of("Nam Định") == "Sở KH&CN Ninh Bình"
    assert successor_of("Hà Nam") == "Sở KH&CN Ninh Bình"
    assert successor_of("Hà Nội") == "Sở KH&CN Hà Nội"


def test_the_ministry_units_named_in_the_issue_exist():
    for code in ["VPB", "CUC-THH", "CUC-VT", "CUC-ATTT", "CUC-BC", "CUC-PTTH", "CUC-XBIPH"]:
        assert Organisation.objects.ministry_units().filter(code=code).exists(), code
    for code in ["CUC-TTCS", "VU-BC", "VU-KHTC", "TTB"]:
        assert Organisation.objects.ministry_units().filter(code=code).exists(), code


def test_each_record_names_its_source():
    assert not Organisation.objects.filter(source="").exists()
    assert Organisation.objects.provinces().first().source.startswith("vietnamadminunits")


def test_sync_is_idempotent():
    before = list(Organisation.objects.order_by("code").values())
    call_command("sync_organisations")
    after = list(Organisation.objects.order_by("code").values())
    assert before == after


def test_sync_restores_an_edited_reference_row():
    Organisation.objects.filter(code="CUC-THH").update(name="Sai tên")
    call_command("sync_organisations")
    assert Organisation.objects.get(code="CUC-THH").name == "Cục Tin học hóa"


def test_committed_province_file_matches_the_package(tmp_path, monkeypatch):
    pytest.importorskip("vietnamadminunits")
    regenerated = tmp_path / "provinces.json"
    monkeypatch.setattr(build_province_data, "PROVINCES_FILE", regenerated)
    call_command("build_province_data", stdout=io.StringIO())
    committed = json.loads(reference_data.PROVINCES_FILE.read_text(encoding="utf-8"))
    assert json.loads(regenerated.read_text(encoding="utf-8")) == committed
