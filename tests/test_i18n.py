"""The French catalogue is complete, compiled and up to date with the sources."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
FR_PO = LOCALE / "fr" / "LC_MESSAGES" / "django.po"
SOURCES = ["ess_metro", "programme", "projects", "governance", "communication", "demo", "templates"]


def test_every_french_entry_is_translated():
    po = polib.pofile(str(FR_PO))
    missing = [entry.msgid for entry in po if not entry.obsolete and not entry.translated()]
    fuzzy = [entry.msgid for entry in po if "fuzzy" in entry.flags]
    assert missing == [], f"Missing French translations: {missing}"
    assert fuzzy == [], f"Fuzzy French translations: {fuzzy}"


def test_compiled_catalogue_matches_the_po_file():
    po = polib.pofile(str(FR_PO))
    mo = polib.mofile(str(FR_PO.with_suffix(".mo")))
    compiled = {(entry.msgid, entry.msgstr) for entry in mo if not entry.msgid_plural}
    expected = {
        (entry.msgid, entry.msgstr)
        for entry in po
        if not entry.obsolete and not entry.msgid_plural and entry.msgid
    }
    assert expected - compiled == set(), "Run `make messages`: the .mo file is out of date."


def test_english_catalogue_exists():
    assert (LOCALE / "en" / "LC_MESSAGES" / "django.po").exists()
    assert (LOCALE / "en" / "LC_MESSAGES" / "django.mo").exists()


def test_catalogue_is_up_to_date_with_the_sources(tmp_path):
    """Extract the strings again in a copy of the project: none may be missing."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext) is required in CI to check the catalogue.")
        pytest.skip("GNU gettext (xgettext) is not installed on this machine.")
    base = Path(settings.BASE_DIR)
    for name in [*SOURCES, "manage.py", "locale"]:
        source = base / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "ess_metro.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-location", "--no-obsolete"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    untranslated = sorted(entry.msgid for entry in fresh if not entry.translated())
    assert untranslated == [], f"Strings without a French translation: {untranslated}"
