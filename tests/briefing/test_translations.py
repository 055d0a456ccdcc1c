"""The committed catalogues: Vietnamese complete, and the .mo files match the .po files."""

import gettext
import re
import shutil
import subprocess
import sys
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


def _msgids(po: Path) -> set[str]:
    text = subprocess.run(
        [shutil.which("msgattrib"), "--no-wrap", "--no-obsolete", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(re.findall(r'^msgid "(.+)"$', text, re.M))


@needs_msgfmt
def test_every_string_of_the_code_is_in_the_catalogue(tmp_path):
    """A string added without `make messages` shows in English on a Vietnamese page and
    passes the two tests above; extracting the messages again finds it."""
    root = LOCALE.parent
    for name in ("briefing", "proposals", "indicators", "templates", "locale"):
        shutil.copytree(root / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(root / "manage.py", tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-obsolete"],
        cwd=tmp_path,
        capture_output=True,
        check=True,
    )
    fresh = _msgids(tmp_path / "locale" / "vi" / "LC_MESSAGES" / "django.po")
    missing = fresh - _msgids(LOCALE / "vi" / "LC_MESSAGES" / "django.po")
    assert not missing, f"run `make messages` and translate: {sorted(missing)}"
