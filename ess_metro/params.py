"""Reading numbers from query parameters without trusting them.

``str.isdigit()`` accepts ``²`` and ``٣``, and ``int()`` accepts numbers no database column
holds: a crafted query string must give "no such value", never a server error.
"""

import re

_ASCII_DIGITS = re.compile(r"[0-9]{1,18}")
# PostgreSQL's bigint, the type of every primary key.
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """A primary key written in ASCII digits, or None."""
    if not isinstance(value, str) or not _ASCII_DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def parse_year(value, *, minimum: int = 1900, maximum: int = 2200) -> int | None:
    """A year written in four ASCII digits within bounds, or None."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}", value):
        return None
    year = int(value)
    return year if minimum <= year <= maximum else None
