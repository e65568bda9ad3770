"""Validators for French identifiers of organisations (SIRET, SIREN, RNA, APE/NAF)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LA_POSTE_SIREN = "356000000"


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalize_siret(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def is_valid_siret(value: str) -> bool:
    siret = normalize_siret(value)
    if not re.fullmatch(r"\d{14}", siret):
        return False
    if siret.startswith(LA_POSTE_SIREN):
        # La Poste establishments: the plain sum of the 14 digits is a multiple of 5.
        return sum(int(char) for char in siret) % 5 == 0
    return luhn_valid(siret[:9]) and luhn_valid(siret)


def validate_siret(value: str) -> None:
    siret = normalize_siret(value)
    if not re.fullmatch(r"\d{14}", siret):
        raise ValidationError(
            _("A SIRET number has exactly 14 digits (for example 123 456 789 00012)."),
            code="siret_format",
        )
    if not is_valid_siret(siret):
        raise ValidationError(
            _("This SIRET number is not valid: check the digits (checksum error)."),
            code="siret_checksum",
        )


def validate_rna(value: str) -> None:
    if not re.fullmatch(r"W\d{9}", value or ""):
        raise ValidationError(
            _("An RNA number is the letter W followed by 9 digits (for example W381234567)."),
            code="rna_format",
        )


def validate_ape(value: str) -> None:
    if not re.fullmatch(r"\d{2}\.\d{2}[A-Z]", value or ""):
        raise ValidationError(
            _("An APE code is written as 4 digits and a letter, for example 88.99B."),
            code="ape_format",
        )


def normalize_ape(value: str) -> str:
    value = re.sub(r"\s", "", value or "").upper()
    if re.fullmatch(r"\d{4}[A-Z]", value):
        value = f"{value[:2]}.{value[2:]}"
    return value
