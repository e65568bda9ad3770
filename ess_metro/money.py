"""Money and percentages: one place for the constants and the two rounding rules.

- **Money** is kept in euros with two decimals (``DecimalField(max_digits=12, decimal_places=2)``)
  and rounded half away from zero (``ROUND_HALF_UP``), the rule of French public accounting:
  ``0,005 €`` becomes ``0,01 €``.
- **Percentages** are rounded the same way, half away from zero, to the number of decimals the
  page shows (``percent(12.5, 0)`` is 13): one rule for every share, rate and score, so a share
  shown on a page, in a PDF and in an export is the same number.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.validators import MinValueValidator
from django.db import models

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONEY_ROUNDING = ROUND_HALF_UP
PERCENT_ROUNDING = ROUND_HALF_UP


def to_money(value) -> Decimal:
    """``value`` (a Decimal, int, str or None) rounded to the cent; None and "" count as zero."""
    if value is None or value == "":
        return ZERO
    return Decimal(str(value)).quantize(CENT, rounding=MONEY_ROUNDING)


def parse_money(value) -> Decimal | None:
    """Like ``to_money``, but None for an empty or unreadable value."""
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
        if not amount.is_finite():
            return None
        return amount.quantize(CENT, rounding=MONEY_ROUNDING)
    except (InvalidOperation, ValueError):
        return None


def round_percent(value, decimals: int = 0) -> Decimal:
    """A percentage rounded half away from zero to ``decimals`` places."""
    step = Decimal(1).scaleb(-decimals)
    return Decimal(value).quantize(step, rounding=PERCENT_ROUNDING)


def percentage(part, whole, decimals: int = 0) -> Decimal | None:
    """``part`` as a percentage of ``whole``; None when ``whole`` is zero or missing."""
    if not whole or part is None:
        return None
    return round_percent(Decimal(part) * 100 / Decimal(whole), decimals)


def money_field(verbose_name, *, allow_negative: bool = False, **kwargs) -> models.DecimalField:
    """A euro amount with two decimals; never negative unless said so."""
    validators = [] if allow_negative else [MinValueValidator(ZERO)]
    return models.DecimalField(
        verbose_name, max_digits=12, decimal_places=2, validators=validators, **kwargs
    )
