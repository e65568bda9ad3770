"""What events commit on the programme lines (the "events" source of programme.totals)."""

from django.db.models import Sum

from ess_metro.money import ZERO
from programme.totals import LineAmounts

from .models import Event


def event_amounts(line_ids: list[int]) -> dict[int, LineAmounts]:
    """Committed = the budgets staff set on events of each line; events pay nothing directly.

    Only staff set a budget and its line (member proposals have none), so every event with a
    budget counts, whether it is published yet or not.
    """
    rows = (
        Event.objects.filter(programme_line_id__in=line_ids)
        .values("programme_line_id")
        .annotate(total=Sum("budget"))
    )
    return {
        row["programme_line_id"]: LineAmounts(committed=row["total"] or ZERO, paid=ZERO)
        for row in rows
    }
