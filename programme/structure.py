"""The one reader of a programme's content: orientations, axes, lines, amounts and totals.

The HTML page, the PDF, the XLSX export and the evaluation all call
``build_programme_structure`` so that they show the same figures. It takes a constant number
of queries whatever the number of lines: axes (1), lines (1), their indicators (1), the lines
sharing an origin across versions (1), then one per registered totals source.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from . import review, totals
from .models import AnnualProgramme, Axis, Orientation, ProgrammeLine, ProgrammeStatus

ZERO = Decimal("0.00")


def _rate(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


@dataclass
class Amounts:
    planned: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO

    def add(self, other: "Amounts") -> None:
        self.planned += other.planned
        self.committed += other.committed
        self.paid += other.paid

    @property
    def committed_rate(self):
        """Committed as a percentage of planned."""
        return _rate(self.committed, self.planned)

    @property
    def paid_rate(self):
        """Paid as a percentage of planned."""
        return _rate(self.paid, self.planned)

    @property
    def remaining(self):
        """Planned but not committed yet (never negative)."""
        return max(self.planned - self.committed, ZERO)


@dataclass
class LineRow:
    line: ProgrammeLine
    amounts: Amounts
    indicators: list


@dataclass
class AxisBlock:
    axis: Axis
    lines: list[LineRow] = field(default_factory=list)
    totals: Amounts = field(default_factory=Amounts)

    @property
    def indicators(self):
        return [(row.line, indicator) for row in self.lines for indicator in row.indicators]


@dataclass
class OrientationBlock:
    orientation: Orientation
    axes: list[AxisBlock] = field(default_factory=list)
    totals: Amounts = field(default_factory=Amounts)

    @property
    def line_count(self):
        return sum(len(axis.lines) for axis in self.axes)

    @property
    def indicator_count(self):
        return sum(len(row.indicators) for axis in self.axes for row in axis.lines)


@dataclass
class ProgrammeStructure:
    programme: AnnualProgramme
    orientations: list[OrientationBlock]
    totals: Amounts

    @property
    def line_rows(self):
        return [row for block in self.orientations for axis in block.axes for row in axis.lines]

    @property
    def line_count(self):
        return len(self.line_rows)

    @property
    def indicator_count(self):
        return sum(block.indicator_count for block in self.orientations)


def line_amounts(lines: list[ProgrammeLine]) -> dict[int, totals.LineAmounts]:
    """Committed and paid per line, including what is linked to other versions of the line."""
    keys = {line.origin_key for line in lines}
    if not keys:
        return {}
    lineage = list(
        ProgrammeLine.objects.filter(Q(pk__in=keys) | Q(origin_id__in=keys)).values_list(
            "pk", "origin_id"
        )
    )
    by_line = totals.amounts_by_line(pk for pk, _origin in lineage)
    by_key: dict[int, totals.LineAmounts] = {}
    for pk, origin_id in lineage:
        key = origin_id or pk
        by_key[key] = by_key.get(key, totals.LineAmounts()) + by_line[pk]
    return {line.pk: by_key.get(line.origin_key, totals.LineAmounts()) for line in lines}


def build_programme_structure(programme: AnnualProgramme) -> ProgrammeStructure:
    """Every orientation and axis of the plan with the programme's lines and their totals."""
    axes = list(
        Axis.objects.filter(orientation__plan_id=programme.plan_id)
        .select_related("orientation")
        .order_by("orientation__number", "number")
    )
    lines = list(
        ProgrammeLine.objects.filter(programme=programme)
        .for_structure()
        .order_by("axis__orientation__number", "axis__number", "position", "pk")
    )
    amounts = line_amounts(lines)

    blocks: dict[int, OrientationBlock] = {}
    axis_blocks: dict[int, AxisBlock] = {}
    for axis in axes:
        block = blocks.get(axis.orientation_id)
        if block is None:
            block = blocks[axis.orientation_id] = OrientationBlock(orientation=axis.orientation)
        axis_blocks[axis.pk] = AxisBlock(axis=axis)
        block.axes.append(axis_blocks[axis.pk])

    for line in lines:
        line_total = amounts.get(line.pk, totals.LineAmounts())
        row = LineRow(
            line=line,
            amounts=Amounts(line.planned_amount, line_total.committed, line_total.paid),
            indicators=list(line.indicators.all()),
        )
        axis_blocks[line.axis_id].lines.append(row)

    grand_total = Amounts()
    for block in blocks.values():
        for axis_block in block.axes:
            for row in axis_block.lines:
                axis_block.totals.add(row.amounts)
            block.totals.add(axis_block.totals)
        grand_total.add(block.totals)
    return ProgrammeStructure(
        programme=programme, orientations=list(blocks.values()), totals=grand_total
    )


def programme_document(programme: AnnualProgramme) -> dict:
    """What the programme page, its PDF and its evaluation show, in one dictionary."""
    review_data = review.committee_review(programme) or {}
    transitions = list(programme.transitions.select_related("user"))
    committee_steps = [
        step for step in transitions if step.to_status == ProgrammeStatus.COMMITTEE_OPINION
    ]
    return {
        "programme": programme,
        "structure": build_programme_structure(programme),
        "committee": {
            "colleges": review_data.get("colleges") or [],
            "opinion": review_data.get("opinion"),
            # When no opinion comes from the governance app: the step recorded by staff.
            "step": committee_steps[-1] if committee_steps else None,
        },
        "transitions": transitions,
    }
