"""Committed and paid amounts of programme lines, drawn from what links to each line.

``programme`` never imports the apps that feed it. Each of them registers a *source* in its
``AppConfig.ready()``::

    from programme.totals import register_source

    def convention_amounts(line_ids):  # one aggregate query, whatever the number of lines
        ...
        return {line_id: LineAmounts(committed=Decimal(...), paid=Decimal(...)), ...}

    register_source("conventions", convention_amounts)

``amounts_by_line(line_ids)`` sums every source: the number of queries is the number of
sources, constant in the number of lines.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class LineAmounts:
    committed: Decimal = ZERO
    paid: Decimal = ZERO

    def __add__(self, other: "LineAmounts") -> "LineAmounts":
        return LineAmounts(self.committed + other.committed, self.paid + other.paid)


def _cents(amount) -> Decimal:
    return Decimal(amount or 0).quantize(CENT, rounding=ROUND_HALF_UP)


Source = Callable[[list[int]], dict[int, LineAmounts]]
_sources: dict[str, Source] = {}


def register_source(name: str, source: Source) -> None:
    """Register (or replace) the source called ``name``."""
    _sources[name] = source


def registered_sources() -> dict[str, Source]:
    return dict(_sources)


def amounts_by_line(line_ids: Iterable[int]) -> dict[int, LineAmounts]:
    ids = list(line_ids)
    totals = {line_id: LineAmounts() for line_id in ids}
    if not ids:
        return totals
    for source in _sources.values():
        for line_id, amounts in source(ids).items():
            if line_id in totals:
                # Sources may sum on databases that return more places: keep exact cents.
                totals[line_id] = totals[line_id] + LineAmounts(
                    _cents(amounts.committed), _cents(amounts.paid)
                )
    return totals
