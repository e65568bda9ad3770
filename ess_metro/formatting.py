"""French formatting of money and numbers, shared by HTML pages, PDFs and exports."""

from decimal import Decimal, InvalidOperation

from django.utils import formats

from ess_metro.money import parse_money as to_decimal  # rounded to the cent, None if unreadable
from ess_metro.money import round_percent


def _rounded(value, decimals: int):
    """``value`` rounded half away from zero to ``decimals`` places (Django's number_format
    cuts the extra digits off: 82.7 would read 82)."""
    try:
        return round_percent(Decimal(str(value)), decimals)
    except (InvalidOperation, ValueError):
        return value


NBSP = "\u00a0"
NNBSP = "\u202f"


def money(value, decimals: int = 2) -> str:
    """``12500`` → ``12 500,00 €`` in French (non-breaking spaces), ``12,500.00 €`` in English."""
    amount = to_decimal(value)
    if amount is None:
        return ""
    number = formats.number_format(
        _rounded(amount, decimals), decimals, use_l10n=True, force_grouping=True
    )
    return f"{number}{NBSP}€"


def number(value, decimals: int = 0) -> str:
    if value is None or value == "":
        return ""
    return formats.number_format(
        _rounded(value, decimals), decimals, use_l10n=True, force_grouping=True
    )


def percent(value, decimals: int = 0) -> str:
    if value is None or value == "":
        return ""
    return f"{formats.number_format(_rounded(value, decimals), decimals, use_l10n=True)}{NBSP}%"


def number_plain(value) -> str:
    """A count or a measure without useless decimals: ``120.00`` → ``120``, ``12.50`` → ``12,5``."""
    if value is None or value == "":
        return ""
    decimal = Decimal(str(value))
    places = max(0, -decimal.normalize().as_tuple().exponent)
    return number(decimal, places)
