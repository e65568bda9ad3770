"""Reads of the programme app: the data of its pages, PDFs and exports, as dataclasses.

The HTML page, the PDF, the XLSX export and the evaluation all call
``build_programme_structure`` so that they show the same figures. It takes a constant number
of queries whatever the number of lines: axes (1), lines (1), their indicators (1), the lines
sharing an origin across versions (1), then one per registered totals source. The sums and
rates themselves are the pure rules of ``programme.rules``.
"""

from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.db.models import Count, Q, Sum

from ess_metro import workflow
from ess_metro.audit import AuditEntry, audit_entries_of
from ess_metro.money import ZERO
from ess_metro.views import optional_queryset

from . import review, rules, totals
from .models import (
    AnnualProgramme,
    Axis,
    DevelopmentTool,
    Orientation,
    Plan,
    ProgrammeLine,
    ProgrammeStatus,
    ProgrammeTransition,
    ToolEndowment,
    ToolKind,
)
from .rules import Amounts, LineAmounts

# --- The structure of a programme: orientations, axes, lines, amounts ---------------------


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


def tool_endowment_amounts(line_ids: list[int]) -> dict[int, LineAmounts]:
    """The "tools" totals source: committed (endowment) and paid per line, in one query."""
    rows = (
        ToolEndowment.objects.filter(line_id__in=line_ids)
        .values("line_id")
        .annotate(committed=Sum("amount"), paid=Sum("paid_amount"))
        .order_by()
    )
    return {
        row["line_id"]: LineAmounts(committed=row["committed"] or ZERO, paid=row["paid"] or ZERO)
        for row in rows
    }


def line_amounts(lines: list[ProgrammeLine]) -> dict[int, LineAmounts]:
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
    by_origin = rules.sum_by_origin(lineage, by_line)
    return {line.pk: by_origin.get(line.origin_key, LineAmounts()) for line in lines}


def _plan_blocks(programme: AnnualProgramme) -> tuple[list[OrientationBlock], dict[int, AxisBlock]]:
    """An empty block for every orientation and axis of the programme's plan."""
    axes = (
        Axis.objects.filter(orientation__plan_id=programme.plan_id)
        .select_related("orientation")
        .order_by("orientation__number", "number")
    )
    blocks: dict[int, OrientationBlock] = {}
    axis_blocks: dict[int, AxisBlock] = {}
    for axis in axes:
        if axis.orientation_id not in blocks:
            blocks[axis.orientation_id] = OrientationBlock(orientation=axis.orientation)
        axis_blocks[axis.pk] = AxisBlock(axis=axis)
        blocks[axis.orientation_id].axes.append(axis_blocks[axis.pk])
    return list(blocks.values()), axis_blocks


def _line_rows(programme: AnnualProgramme) -> list[LineRow]:
    lines = list(
        ProgrammeLine.objects.filter(programme=programme)
        .for_structure()
        .order_by("axis__orientation__number", "axis__number", "position", "pk")
    )
    amounts = line_amounts(lines)
    return [
        LineRow(
            line=line,
            amounts=rules.line_total(line.planned_amount, amounts.get(line.pk, LineAmounts())),
            indicators=list(line.indicators.all()),
        )
        for line in lines
    ]


def build_programme_structure(programme: AnnualProgramme) -> ProgrammeStructure:
    """Every orientation and axis of the plan with the programme's lines and their totals."""
    orientations, axis_blocks = _plan_blocks(programme)
    for row in _line_rows(programme):
        axis_blocks[row.line.axis_id].lines.append(row)
    for block in orientations:
        for axis_block in block.axes:
            axis_block.totals = rules.total_of(row.amounts for row in axis_block.lines)
        block.totals = rules.total_of(axis_block.totals for axis_block in block.axes)
    return ProgrammeStructure(
        programme=programme,
        orientations=orientations,
        totals=rules.total_of(block.totals for block in orientations),
    )


# --- The programme's document: page, PDF, evaluation --------------------------------------


@dataclass
class Context:
    """A page's data; ``as_context()`` gives it to a template as a dictionary."""

    def as_context(self, **extra) -> dict:
        return {item.name: getattr(self, item.name) for item in fields(self)} | extra


@dataclass
class CommitteeReview:
    colleges: list
    opinion: dict | None
    # When no opinion comes from the governance app: the step recorded by staff.
    step: ProgrammeTransition | None


@dataclass
class ProgrammeDocument(Context):
    programme: AnnualProgramme
    structure: ProgrammeStructure
    committee: CommitteeReview
    transitions: list[ProgrammeTransition]


def programme_document(programme: AnnualProgramme) -> ProgrammeDocument:
    """What the programme page, its PDF and its evaluation show."""
    review_data = review.committee_review(programme) or {}
    transitions = list(programme.transitions.select_related("user"))
    committee_steps = [
        step for step in transitions if step.to_status == ProgrammeStatus.COMMITTEE_OPINION
    ]
    return ProgrammeDocument(
        programme=programme,
        structure=build_programme_structure(programme),
        committee=CommitteeReview(
            colleges=review_data.get("colleges") or [],
            opinion=review_data.get("opinion"),
            step=committee_steps[-1] if committee_steps else None,
        ),
        transitions=transitions,
    )


def visible_programme(user, year: int, version: int | None):
    """The version of ``year`` this user may see (the default one without ``version``), and
    every version of that year they may see; (None, []) when there is none."""
    visible = AnnualProgramme.objects.visible_to(user)
    programme = visible.select_related("plan").version_for(year, version)
    if programme is None:
        return None, []
    return programme, list(visible.filter(year=year).order_by("-version"))


@dataclass
class ProgrammeYear:
    year: int
    programme: AnnualProgramme
    versions: list[AnnualProgramme]


def programme_years(user) -> list[ProgrammeYear]:
    """Every annual programme ``user`` may read, by year, newest version first, with totals."""
    programmes = (
        AnnualProgramme.objects.visible_to(user)
        .annotate(planned_total=Sum("lines__planned_amount"))
        .order_by("-year", "-version")
    )
    years: dict[int, list[AnnualProgramme]] = {}
    for programme in programmes:
        years.setdefault(programme.year, []).append(programme)
    return [
        ProgrammeYear(year=year, programme=versions[0], versions=versions)
        for year, versions in years.items()
    ]


@dataclass
class HomePage(Context):
    plan: Plan | None
    orientations: list
    open_calls: list = field(default_factory=list)
    upcoming_events: list = field(default_factory=list)


def plan_page() -> HomePage:
    """The current plan with its orientations and their axes."""
    plan = Plan.objects.current()
    orientations = Orientation.objects.filter(plan=plan).prefetch_related("axes") if plan else []
    return HomePage(plan=plan, orientations=orientations)


def home_page() -> HomePage:
    """The plan, and what is open now in the other apps (when they are installed)."""
    page = plan_page()
    open_calls = optional_queryset("projects.Call", "open_now")
    upcoming_events = optional_queryset("communication.Event", "upcoming")
    page.open_calls = list(open_calls[:3]) if open_calls is not None else []
    page.upcoming_events = list(upcoming_events[:4]) if upcoming_events is not None else []
    return page


# --- Staff: the editor of a programme ------------------------------------------------------


def workflow_steps(programme: AnnualProgramme, user) -> list[ProgrammeStatus]:
    """The statuses ``user`` may move the programme to from its status, in workflow order.

    Taken from the transitions declared on the model and their permissions; their conditions
    (a line to submit, the deliberation to adopt) give their reasons when the step is asked.
    """
    targets = {
        step.target
        for step in programme.get_all_status_transitions()
        if step.source == programme.status and workflow.may_fire(programme, step.name, user)
    }
    return [status for status in ProgrammeStatus if status in targets]


@dataclass
class ProgrammeEditor(ProgrammeDocument):
    next_statuses: list[ProgrammeStatus]
    versions: list[AnnualProgramme]
    needs_deliberation: bool
    audit_entries: list[AuditEntry]
    member_comments: list


def programme_editor(programme: AnnualProgramme, user) -> ProgrammeEditor:
    """The staff page of a programme: its document, workflow, versions and amounts' audit."""
    document = programme_document(programme)
    next_statuses = workflow_steps(programme, user)
    lines = [row.line for row in document.structure.line_rows]
    return ProgrammeEditor(
        **{item.name: getattr(document, item.name) for item in fields(ProgrammeDocument)},
        next_statuses=next_statuses,
        versions=list(AnnualProgramme.objects.filter(year=programme.year).order_by("-version")),
        needs_deliberation=ProgrammeStatus.ADOPTED in next_statuses,
        audit_entries=audit_entries_of(lines, label=lambda line: line.title),
        member_comments=list(
            optional_queryset("governance.LineComment", "of_programme", programme) or []
        ),
    )


def staff_programmes(user):
    """Every programme and version for the staff list, with its line count and planned total."""
    return (
        AnnualProgramme.objects.visible_to(user)
        .annotate(planned_total=Sum("lines__planned_amount"), line_count=Count("lines"))
        .order_by("-year", "-version")
    )


# --- Development tools ---------------------------------------------------------------------


@dataclass
class ToolGroup:
    kind: ToolKind
    tools: list[DevelopmentTool]


def tool_groups(user) -> list[ToolGroup]:
    """The tools ``user`` may see, grouped by kind in the order of the plan."""
    tools = list(DevelopmentTool.objects.visible_to(user).select_related("operator"))
    return [
        ToolGroup(kind=kind, tools=[t for t in tools if t.kind == kind.value]) for kind in ToolKind
    ]


@dataclass
class ToolPage(Context):
    tool: DevelopmentTool
    supports: list
    endowments: list
    support_total: Decimal
    jobs_total: int
    endowment_total: Decimal
    endowment_paid_total: Decimal


def tool_page(tool: DevelopmentTool) -> ToolPage:
    """A tool's public page: the organisations it supported and the Métro's endowments."""
    supports = list(tool.supports.select_related("organisation", "organisation__commune"))
    endowments = list(tool.endowments.select_related("line__programme"))
    return ToolPage(
        tool=tool,
        supports=supports,
        endowments=endowments,
        support_total=sum((support.amount for support in supports), ZERO),
        jobs_total=sum(support.jobs_concerned for support in supports),
        endowment_total=sum((endowment.amount for endowment in endowments), ZERO),
        endowment_paid_total=sum((endowment.paid_amount or ZERO for endowment in endowments), ZERO),
    )


@dataclass
class StaffToolPage(Context):
    tool: DevelopmentTool
    endowments: list
    supports: list
    audit_entries: list[AuditEntry]


def staff_tool_page(tool: DevelopmentTool) -> StaffToolPage:
    """A tool's staff page, with the audit trail of its endowments' and supports' amounts."""
    endowments = list(tool.endowments.select_related("line__programme"))
    supports = list(tool.supports.select_related("organisation"))
    entries = audit_entries_of(
        endowments, label=lambda endowment: str(endowment.year)
    ) + audit_entries_of(supports, label=lambda support: support.organisation.name)
    return StaffToolPage(
        tool=tool,
        endowments=endowments,
        supports=supports,
        audit_entries=sorted(entries, key=lambda entry: entry.at, reverse=True),
    )


def staff_tools(user) -> list[DevelopmentTool]:
    """The tools for the staff list, each with its supports' count and endowments' totals."""
    tools = list(
        DevelopmentTool.objects.visible_to(user)
        .select_related("operator")
        .annotate(support_count=Count("supports", distinct=True))
    )
    endowments = (
        ToolEndowment.objects.filter(tool__in=tools)
        .values("tool_id")
        .annotate(committed=Sum("amount"), paid=Sum("paid_amount"))
        .order_by()
    )
    by_tool = {row["tool_id"]: row for row in endowments}
    for tool in tools:
        row = by_tool.get(tool.pk, {})
        tool.committed_total = row.get("committed") or ZERO
        tool.paid_total = row.get("paid") or ZERO
    return tools
