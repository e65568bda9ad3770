"""Reference data of the directory: the 49 communes of Grenoble-Alpes Métropole."""

import csv
from pathlib import Path

from django.utils.text import slugify

COMMUNES_CSV = Path(__file__).parent / "data" / "communes-metro.csv"
# Only the INSEE codes known for sure; staff enter the others.
KNOWN_INSEE_CODES = {"Grenoble": "38185", "Échirolles": "38151"}


def commune_rows():
    with COMMUNES_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = row["name"].strip()
            if name:
                yield {
                    "name": name,
                    "slug": slugify(name),
                    "insee_code": KNOWN_INSEE_CODES.get(name, ""),
                }


def load_communes(commune_model) -> int:
    """Create the missing communes; returns how many were created. Idempotent."""
    created = 0
    for row in commune_rows():
        _obj, was_created = commune_model.objects.get_or_create(
            name=row["name"], defaults={"slug": row["slug"], "insee_code": row["insee_code"]}
        )
        created += was_created
    return created
