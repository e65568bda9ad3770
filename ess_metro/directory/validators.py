"""Django validators for the French identifiers of an organisation (SIRET, RNA, APE/NAF).

The checks themselves are pure, in ``rules.py``; here they become ``ValidationError`` with the
French messages the forms show.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import rules

SIRET_MESSAGES = {
    rules.SIRET_FORMAT: _("A SIRET number has exactly 14 digits (for example 123 456 789 00012)."),
    rules.SIRET_CHECKSUM: _("This SIRET number is not valid: check the digits (checksum error)."),
}


def validate_siret(value: str) -> None:
    error = rules.siret_error(value)
    if error:
        raise ValidationError(SIRET_MESSAGES[error], code=error)


def validate_rna(value: str) -> None:
    if not rules.is_valid_rna(value):
        raise ValidationError(
            _("An RNA number is the letter W followed by 9 digits (for example W381234567)."),
            code="rna_format",
        )


def validate_ape(value: str) -> None:
    if not rules.is_valid_ape(value):
        raise ValidationError(
            _("An APE code is written as 4 digits and a letter, for example 88.99B."),
            code="ape_format",
        )
