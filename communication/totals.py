"""What events commit on the programme lines (the "events" source of programme.totals)."""

from django.db.models import Sum

from programme.totals import ZERO, LineAmounts

from .models import Event, EventStatus


def event_amounts(line_ids: list[int]) -> dict[int, LineAmounts]:
    """Committed = budgets of the published events on each line; events pay nothing directly."""
    rows = (
        Event.objects.filter(programme_line_id__in=line_ids, status=EventStatus.PUBLISHED)
        .values("programme_line_id")
        .annotate(total=Sum("budget"))
    )
    return {
        row["programme_line_id"]: LineAmounts(committed=row["total"] or ZERO, paid=ZERO)
        for row in rows
    }
