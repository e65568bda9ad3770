"""The "conventions" source of programme line totals (see programme/totals.py)."""

from decimal import Decimal

from django.db.models import Sum

from programme.totals import LineAmounts, register_source

from .models import COMMITTED_STATUSES, Payment, PaymentStatus, Tranche


def convention_line_amounts(line_ids: list[int]) -> dict[int, LineAmounts]:
    """Committed: tranches of signed, running or closed conventions; paid: paid payments.

    Two aggregate queries whatever the number of lines.
    """
    committed = dict(
        Tranche.objects.filter(
            programme_line_id__in=line_ids, convention__status__in=COMMITTED_STATUSES
        )
        .values("programme_line_id")
        .annotate(total=Sum("amount"))
        .values_list("programme_line_id", "total")
    )
    paid = dict(
        Payment.objects.filter(tranche__programme_line_id__in=line_ids, status=PaymentStatus.PAID)
        .values("tranche__programme_line_id")
        .annotate(total=Sum("amount"))
        .values_list("tranche__programme_line_id", "total")
    )
    zero = Decimal("0.00")
    return {
        line_id: LineAmounts(
            committed=committed.get(line_id) or zero, paid=paid.get(line_id) or zero
        )
        for line_id in set(committed) | set(paid)
    }


def register() -> None:
    register_source("conventions", convention_line_amounts)
