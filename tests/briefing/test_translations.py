"""The committed catalogues: Vietnamese complete, and the .mo files match the .po files."""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
msgfmt = shutil.which("msgfmt")
needs_msgfmt = pytest.mark.skipif(msgfmt is None, reason="gettext's msgfmt is not installed")


@needs_msgfmt
def test_vietnamese_catalogue_is_complete():
    po = LOCALE / "vi" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


@needs_msgfmt
@pytest.mark.parametrize("language", ["vi", "en"])
def test_committed_mo_matches_its_po(tmp_path, language):
    folder = LOCALE / language / "LC_MESSAGES"
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "-o", str(fresh), str(folder / "django.po")], check=True)

    def catalog(path):
        with open(path, "rb") as handle:
            return gettext.GNUTranslations(handle)._catalog

    assert catalog(folder / "django.mo") == catalog(fresh), "run `make messages` and commit"
