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

from ess_metro.money import ZERO

from .rules import LineAmounts, add_source

__all__ = ["ZERO", "LineAmounts", "amounts_by_line", "register_source", "registered_sources"]

Source = Callable[[list[int]], dict[int, LineAmounts]]
_sources: dict[str, Source] = {}


def register_source(name: str, source: Source) -> None:
    """Register (or replace) the source called ``name``."""
    _sources[name] = source


def registered_sources() -> dict[str, Source]:
    return dict(_sources)


def amounts_by_line(line_ids: Iterable[int]) -> dict[int, LineAmounts]:
    """Committed and paid per line, summed over every registered source, in cents."""
    ids = list(line_ids)
    totals = {line_id: LineAmounts() for line_id in ids}
    if not ids:
        return totals
    for source in _sources.values():
        totals = add_source(totals, source(ids))
    return totals
