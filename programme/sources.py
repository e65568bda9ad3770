"""The development tools' endowments as a source of committed and paid amounts."""

from decimal import Decimal

from django.db.models import Sum

from .totals import LineAmounts


def tool_endowment_amounts(line_ids: list[int]) -> dict[int, LineAmounts]:
    """Committed (endowment) and paid per line, in one aggregate query."""
    from .models import ToolEndowment

    rows = (
        ToolEndowment.objects.filter(line_id__in=line_ids)
        .values("line_id")
        .annotate(committed=Sum("amount"), paid=Sum("paid_amount"))
        .order_by()
    )
    return {
        row["line_id"]: LineAmounts(
            committed=row["committed"] or Decimal("0.00"), paid=row["paid"] or Decimal("0.00")
        )
        for row in rows
    }
