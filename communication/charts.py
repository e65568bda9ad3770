"""Server-side SVG charts: the same markup in the browser and in WeasyPrint PDFs.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>``; the page shows an
accessible data table beside it, so no information lives only in the picture. No script and no
style attribute: presentation attributes only (strict CSP).
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from ess_metro.formatting import number

from . import rules

BAR = "#0b5f6b"
TEXT = "#1b1b1b"
GRID = "#c8c8c8"
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ess-chart" id="{chart_id}" '
        f'viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _axis(parts: list[str], *, left, right, top, width, plot_h, step, intervals) -> None:
    """The horizontal grid lines of a column chart, with their values on the left."""
    for tick in range(intervals + 1):
        y = top + plot_h - plot_h * tick / intervals
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{TEXT}" {FONT}>{escape(number(int(step * tick)))}</text>'
        )


def column_chart(chart_id: str, title: str, desc: str, points: list[tuple[str, int]]):
    """Vertical bars, one per category (years), with the value above each bar."""
    width, height = 640, 300
    left, right, top, bottom = 56, 12, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    step, intervals = rules.column_scale(max((value for _, value in points), default=0))
    parts = _open(chart_id, width, height, title, desc)
    _axis(
        parts, left=left, right=right, top=top, width=width, plot_h=plot_h, step=step,
        intervals=intervals,
    )  # fmt: skip
    slot = plot_w / max(len(points), 1)
    bar_w = min(slot * 0.7, 60)
    for index, (label, value) in enumerate(points):
        bar_h = plot_h * value / (step * intervals)
        x = left + slot * index + (slot - bar_w) / 2
        y = top + plot_h - bar_h
        centre = f"{x + bar_w / 2:.1f}"
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{bar_h:.1f}" fill="{BAR}"/>'
        )
        parts.append(
            f'<text x="{centre}" y="{y - 4:.1f}" text-anchor="middle" font-size="10" '
            f'fill="{TEXT}" {FONT}>{escape(number(value))}</text>'
        )
        parts.append(
            f'<text x="{centre}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="11" fill="{TEXT}" {FONT}>{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bar_chart(chart_id: str, title: str, desc: str, points: list[tuple[str, int]]):
    """Horizontal bars, one per category (families, communes), labels on the left."""
    row_h, top, bottom = 24, 8, 8
    left, right, width = 190, 70, 640
    height = top + bottom + row_h * max(len(points), 1)
    plot_w = width - left - right
    top_value = max((value for _, value in points), default=0) or 1
    parts = _open(chart_id, width, height, title, desc)
    for index, (label, value) in enumerate(points):
        y = top + row_h * index
        bar_w = plot_w * value / top_value
        short = rules.short_label(label)
        parts.append(
            f'<text x="{left - 8}" y="{y + 16}" text-anchor="end" font-size="11" fill="{TEXT}" '
            f"{FONT}>{escape(short)}</text>"
        )
        parts.append(
            f'<rect x="{left}" y="{y + 4}" width="{bar_w:.1f}" height="{row_h - 8}" fill="{BAR}"/>'
        )
        parts.append(
            f'<text x="{left + bar_w + 6:.1f}" y="{y + 16}" font-size="11" fill="{TEXT}" '
            f"{FONT}>{escape(number(value))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
