"""List the French catalogue's untranslated or fuzzy entries, or fill them from a JSON file.

python tools/untranslated.py                  # print untranslated msgids as JSON
python tools/untranslated.py fill FILE.json   # {"msgid": "traduction", ...}; plurals as lists
"""

import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def main(argv):
    po = polib.pofile(str(PO), wrapwidth=0)
    if len(argv) > 2 and argv[1] == "fill":
        mapping = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
        for entry in po:
            value = mapping.get(entry.msgid)
            if value is None or (entry.translated() and "fuzzy" not in entry.flags):
                continue  # never overwrite a translation (the same msgid may have contexts)
            if entry.msgid_plural:
                singular, plural = value if isinstance(value, list) else (value, value)
                entry.msgstr_plural = {0: singular, 1: plural}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.metadata_is_fuzzy = False
        po.metadata["Language"] = "fr"
        po.save()
        po.save_as_mofile(str(PO.with_suffix(".mo")))
        return 0
    missing = {
        entry.msgid: ([entry.msgid, entry.msgid_plural] if entry.msgid_plural else "")
        for entry in po
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    }
    print(json.dumps(missing, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
