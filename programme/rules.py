"""Pure rules of the programme: the totals of a programme and its rates.

No database, no request: amounts in, amounts out. The selectors fetch the lines and what is
linked to them, these rules add them up. Money and percentages follow ``ess_metro.money``:
amounts kept to the cent, rates rounded half away from zero, None for a zero base.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from ess_metro.money import ZERO, percentage, to_money


@dataclass(frozen=True)
class LineAmounts:
    """What is committed and paid on one programme line (given by a totals source)."""

    committed: Decimal = ZERO
    paid: Decimal = ZERO

    def __add__(self, other: "LineAmounts") -> "LineAmounts":
        return LineAmounts(self.committed + other.committed, self.paid + other.paid)


def in_cents(amounts: LineAmounts) -> LineAmounts:
    """A source's amounts rounded to the cent (some databases sum with more places)."""
    return LineAmounts(to_money(amounts.committed), to_money(amounts.paid))


def add_source(
    totals: dict[int, LineAmounts], found: Mapping[int, LineAmounts]
) -> dict[int, LineAmounts]:
    """``totals`` plus what one source ``found``, in cents; lines not asked for are ignored."""
    merged = dict(totals)
    for line_id, amounts in found.items():
        if line_id in merged:
            merged[line_id] = merged[line_id] + in_cents(amounts)
    return merged


def sum_by_origin(
    lineage: Iterable[tuple[int, int | None]], by_line: Mapping[int, LineAmounts]
) -> dict[int, LineAmounts]:
    """Amounts per line *origin*: the versions of a line (``(pk, origin_id)``) share theirs."""
    by_origin: dict[int, LineAmounts] = {}
    for pk, origin_id in lineage:
        key = origin_id or pk
        by_origin[key] = by_origin.get(key, LineAmounts()) + by_line.get(pk, LineAmounts())
    return by_origin


def rate(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a whole percentage of ``whole``; None when ``whole`` is zero."""
    return percentage(part, whole)


def achievement_rate(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    """An indicator's actual value as a whole percentage of its target (None if unmeasurable)."""
    return percentage(actual, target)


@dataclass(frozen=True)
class Amounts:
    """Planned, committed and paid: of a line, an axis, an orientation or a whole programme."""

    planned: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO

    def __add__(self, other: "Amounts") -> "Amounts":
        return Amounts(
            self.planned + other.planned,
            self.committed + other.committed,
            self.paid + other.paid,
        )

    @property
    def committed_rate(self) -> Decimal | None:
        """Committed as a percentage of planned."""
        return rate(self.committed, self.planned)

    @property
    def paid_rate(self) -> Decimal | None:
        """Paid as a percentage of planned."""
        return rate(self.paid, self.planned)

    @property
    def remaining(self) -> Decimal:
        """Planned but not committed yet (never negative)."""
        return max(self.planned - self.committed, ZERO)


def line_total(planned: Decimal, linked: LineAmounts) -> Amounts:
    """The amounts of one line: its planned amount and what is linked to it."""
    return Amounts(planned, linked.committed, linked.paid)


def total_of(parts: Iterable[Amounts]) -> Amounts:
    """The sum of lines (an axis), of axes (an orientation) or of orientations (a programme)."""
    total = Amounts()
    for part in parts:
        total = total + part
    return total
