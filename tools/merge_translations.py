"""Carry French translations across branches after a merge.

    python tools/merge_translations.py REV [REV ...]

Reads locale/fr/LC_MESSAGES/django.po at each git revision, then fills the working tree's
catalogue (run `make messages` first) with every translation found, and compiles it.
"""

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def translations_at(rev: str) -> dict:
    text = subprocess.run(
        ["git", "show", f"{rev}:locale/fr/LC_MESSAGES/django.po"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # Conflict markers cannot be parsed: skip such revisions' broken entries.
    found = {}
    for entry in polib.pofile(text):
        if entry.obsolete or "fuzzy" in entry.flags or not entry.translated():
            continue
        found[entry.msgid] = dict(entry.msgstr_plural) if entry.msgid_plural else entry.msgstr
    return found


def main(revs):
    known = {}
    for rev in revs:
        known.update({k: v for k, v in translations_at(rev).items() if k not in known})
    po = polib.pofile(str(PO), wrapwidth=0)
    filled = 0
    for entry in po:
        if entry.translated() and "fuzzy" not in entry.flags:
            continue
        value = known.get(entry.msgid)
        if value is None:
            continue
        if entry.msgid_plural and isinstance(value, dict):
            entry.msgstr_plural = value
        elif not entry.msgid_plural and isinstance(value, str):
            entry.msgstr = value
        else:
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    po.metadata_is_fuzzy = False
    po.save()
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    print(f"filled {filled}, still missing {len(missing)}")
    for msgid in missing:
        print("  ", msgid)


if __name__ == "__main__":
    main(sys.argv[1:])
