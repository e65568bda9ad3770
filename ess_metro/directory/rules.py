"""Pure checks of the French identifiers of an organisation: SIREN, SIRET, RNA, APE (NAF) code.

Strings in; a boolean, a normalised string or the reason of a refusal out. No Django here:
``validators.py`` turns a refusal into a ``ValidationError`` with its French message.
"""

import re

# La Poste's establishments share this SIREN; their SIRET follows a sum rule, not Luhn's.
LA_POSTE_SIREN = "356000000"

SIRET_FORMAT = "siret_format"
SIRET_CHECKSUM = "siret_checksum"


def luhn_valid(digits: str) -> bool:
    """Luhn's checksum: from the right, every second digit is doubled and the digits of the
    product are added (16 counts 1 + 6); the total is a multiple of 10."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = sum(divmod(value * 2, 10))
        total += value
    return total % 10 == 0


def is_valid_siren(value: str) -> bool:
    """A SIREN (the company): 9 digits passing Luhn's checksum."""
    return re.fullmatch(r"\d{9}", value) is not None and luhn_valid(value)


def normalize_siret(value: str | None) -> str:
    """The digits as typed, without the spaces, dots and dashes of printed notices."""
    return re.sub(r"[\s.\-]", "", value or "")


def siret_error(value: str | None) -> str | None:
    """Why a SIRET is refused (``SIRET_FORMAT`` or ``SIRET_CHECKSUM``), or None if valid."""
    siret = normalize_siret(value)
    if not re.fullmatch(r"\d{14}", siret):
        return SIRET_FORMAT
    if siret.startswith(LA_POSTE_SIREN):
        # La Poste establishments: the plain sum of the 14 digits is a multiple of 5.
        valid = sum(int(char) for char in siret) % 5 == 0
    else:
        valid = is_valid_siren(siret[:9]) and luhn_valid(siret)
    return None if valid else SIRET_CHECKSUM


def is_valid_siret(value: str | None) -> bool:
    return siret_error(value) is None


def is_valid_rna(value: str | None) -> bool:
    """An RNA number (répertoire national des associations): a capital W and 9 digits."""
    return re.fullmatch(r"W\d{9}", value or "") is not None


def is_valid_ape(value: str | None) -> bool:
    """An APE (NAF) code as stored: two digits, a dot, two digits, a capital letter."""
    return re.fullmatch(r"\d{2}\.\d{2}[A-Z]", value or "") is not None


def normalize_ape(value: str | None) -> str:
    """Spaces removed, letter in capitals, and the dot added when typed without one."""
    value = re.sub(r"\s", "", value or "").upper()
    if re.fullmatch(r"\d{4}[A-Z]", value):
        value = f"{value[:2]}.{value[2:]}"
    return value
