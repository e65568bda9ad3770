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
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LineAmounts:
    committed: Decimal = ZERO
    paid: Decimal = ZERO

    def __add__(self, other: "LineAmounts") -> "LineAmounts":
        return LineAmounts(self.committed + other.committed, self.paid + other.paid)


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
                totals[line_id] = totals[line_id] + amounts
    return totals
