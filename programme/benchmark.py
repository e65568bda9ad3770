"""A programme of many lines, to measure how fast its PDF is built (tests and a command)."""

import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ess_metro.pdf import render_pdf

from .models import (
    AnnualProgramme,
    Axis,
    DevelopmentTool,
    Indicator,
    Plan,
    ProgrammeLine,
    ProgrammeStatus,
    ToolEndowment,
    ToolKind,
)
from .selectors import programme_document


def _published_programme(year: int) -> AnnualProgramme:
    return AnnualProgramme.objects.create(
        plan=Plan.objects.current(),
        year=year,
        title=f"Programmation annuelle ESS {year}",
        status=ProgrammeStatus.PUBLISHED,
        deliberation_reference=f"DEL-{year - 1}-0001",
        deliberation_date=timezone.localdate(),
        published_on=timezone.localdate(),
    )


def _lines(programme: AnnualProgramme, count: int) -> list[ProgrammeLine]:
    """``count`` lines over every axis of the plan, an indicator on every third one."""
    axes = list(
        Axis.objects.filter(orientation__plan_id=programme.plan_id).order_by(
            "orientation__number", "number"
        )
    )
    lines = ProgrammeLine.objects.bulk_create(
        [
            ProgrammeLine(
                programme=programme,
                axis=axes[index % len(axes)],
                position=index,
                title=f"Action {index + 1} : soutien aux structures de l'ESS",
                description="Description de l'action, de ses objectifs et de ses publics.",
                planned_amount=Decimal("1000.01") + index,
            )
            for index in range(count)
        ]
    )
    Indicator.objects.bulk_create(
        [
            Indicator(line=line, label="Structures", unit="structures", target=10, actual=8)
            for line in lines[::3]
        ]
    )
    return lines


def _endow_support_lines(year: int, lines: list[ProgrammeLine], operator) -> None:
    """A staff-only support tool endowed on every support line of the programme."""
    tool = DevelopmentTool.objects.create(
        name=f"Outil de mesure {year}",
        slug=f"outil-de-mesure-{year}",
        kind=ToolKind.SUPPORT,
        operator=operator,
        summary="Outil créé pour mesurer la construction du PDF.",
        is_published=False,
    )
    ToolEndowment.objects.bulk_create(
        [
            ToolEndowment(
                tool=tool,
                year=year,
                line=line,
                amount=Decimal("500.50"),
                paid_amount=Decimal("1.00"),
            )
            for line in lines
            if line.axis.code == ToolKind.SUPPORT
        ]
    )


def build_programme(year: int, count: int, *, operator=None) -> AnnualProgramme:
    """A published programme of ``count`` lines over every axis of the plan, with an indicator
    on every third line and tool endowments on the support lines, in a handful of queries."""
    programme = _published_programme(year)
    lines = _lines(programme, count)
    if operator is not None:
        _endow_support_lines(year, lines, operator)
    return programme


@dataclass
class Measure:
    seconds: float
    cpu_seconds: float
    queries: int
    size: int


def measure_pdf(programme: AnnualProgramme) -> Measure:
    """Build the programme's PDF as the view does (without the cache) and measure it."""
    started, cpu_started = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as queries:
        context = programme_document(programme).as_context(generated_on=timezone.localdate())
        pdf = render_pdf("pdf/programme/programme.html", context)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    return Measure(seconds, cpu_seconds, len(queries), len(pdf))


PLAIN_TABLE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>
<style>@page {{ size: A4; margin: 20mm; }} body {{ font-family: "DejaVu Sans", sans-serif;
font-size: 9pt; }} table {{ width: 100%; border-collapse: collapse; }}</style></head>
<body><table><tbody>{rows}</tbody></table></body></html>"""


def measure_plain_table(programme: AnnualProgramme) -> Measure:
    """The same rows as ``measure_pdf``, as a plain table: what the layout costs at least."""
    from django.utils.html import escape

    from ess_metro.formatting import money
    from ess_metro.pdf import _html_to_pdf

    started, cpu_started = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as queries:
        rows = "".join(
            f"<tr><td>{escape(line.title)}<br>{escape(line.description)}</td><td>—</td>"
            f"<td>{money(line.planned_amount)}</td><td>{money(0)}</td><td>{money(0)}</td></tr>"
            for line in programme.lines.order_by("position")
        )
        pdf = _html_to_pdf(PLAIN_TABLE.format(title=escape(str(programme)), rows=rows))
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    return Measure(seconds, cpu_seconds, len(queries), len(pdf))
