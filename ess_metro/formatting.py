"""French formatting of money and numbers, shared by HTML pages, PDFs and exports."""

from django.utils import formats

from ess_metro.money import parse_money as to_decimal  # rounded to the cent, None if unreadable

NBSP = "\u00a0"
NNBSP = "\u202f"


def money(value, decimals: int = 2) -> str:
    """``12500`` → ``12 500,00 €`` in French (non-breaking spaces), ``12,500.00 €`` in English."""
    amount = to_decimal(value)
    if amount is None:
        return ""
    number = formats.number_format(amount, decimals, use_l10n=True, force_grouping=True)
    return f"{number}{NBSP}€"


def number(value, decimals: int = 0) -> str:
    if value is None or value == "":
        return ""
    return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)


def percent(value, decimals: int = 0) -> str:
    if value is None or value == "":
        return ""
    return f"{formats.number_format(value, decimals, use_l10n=True)}{NBSP}%"
