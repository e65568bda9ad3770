"""Amounts of calls: the envelope of a call and the programme lines it feeds."""

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from ess_metro.money import ZERO
from programme.totals import LineAmounts, register_source
from projects.conventions.models import COMMITTED_STATUSES
from projects.models import Application, ApplicationStatus

S = ApplicationStatus
NOT_COUNTED = [S.DRAFT, S.WITHDRAWN, S.INELIGIBLE]


def envelope_totals(call) -> dict:
    """Requested, proposed and granted totals of a call, and what remains (one query)."""
    totals = Application.objects.filter(call=call).aggregate(
        requested=Coalesce(Sum("requested_amount", filter=~Q(status__in=NOT_COUNTED)), ZERO),
        proposed=Coalesce(
            Sum(
                "diagnosis__proposed_amount",
                filter=~Q(status__in=[*NOT_COUNTED, S.REFUSED]),
            ),
            ZERO,
        ),
        granted=Coalesce(Sum("granted_amount", filter=Q(status=S.GRANTED)), ZERO),
    )
    totals["envelope"] = call.envelope
    totals["remaining"] = call.envelope - totals["granted"]
    return totals


def call_line_amounts(line_ids: list[int]) -> dict[int, LineAmounts]:
    """Programme totals source "calls": granted amounts committed on each call's line.

    Grants whose convention is signed are left to the "conventions" source (no double count).
    """
    rows = (
        Application.objects.granted()
        .filter(call__programme_line__in=line_ids)
        # Once its convention is signed, the convention's tranches carry the commitment.
        .exclude(convention__status__in=COMMITTED_STATUSES)
        .values("call__programme_line")
        .annotate(committed=Coalesce(Sum("granted_amount"), ZERO))
    )
    return {
        row["call__programme_line"]: LineAmounts(committed=row["committed"], paid=ZERO)
        for row in rows
    }


def register() -> None:
    register_source("calls", call_line_amounts)
