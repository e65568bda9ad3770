"""French formatting of money and numbers, shared by HTML pages, PDFs and exports."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats

NBSP = "\u00a0"
NNBSP = "\u202f"


def to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return None


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
