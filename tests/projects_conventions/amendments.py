"""Helpers shared by the amendment tests."""

import datetime
from decimal import Decimal

from demo.factories.conventions import programme_line
from projects.conventions import services
from projects.conventions.models import Payment, PaymentKind, PaymentStatus


def specs(amounts: dict[int, int | str | Decimal]) -> list[services.TrancheSpec]:
    return [
        services.TrancheSpec(year=year, amount=Decimal(amount), programme_line=programme_line(year))
        for year, amount in amounts.items()
    ]


def pay(convention, year: int, kind=PaymentKind.ADVANCE, status=PaymentStatus.PAID):
    """Test set-up: the payment straight to ``status`` (without the workflow)."""
    payment = convention.payments.get(tranche__year=year, kind=kind)
    fields = {"status": status}
    if status == PaymentStatus.PAID:
        fields.update(paid_date=datetime.date(year, 2, 20), accounting_reference=f"MDT-{year}-1")
    Payment.objects.filter(pk=payment.pk).update(**fields)
    payment.refresh_from_db()
    return payment


def amend(convention, user, amounts, *, end_year=None, reason="Extension des ateliers.", **kw):
    return services.convention_amend(
        convention=convention,
        user=user,
        reason=reason,
        end_year=end_year or max(amounts),
        tranches=specs(amounts),
        **kw,
    )


def schedule(convention, year: int) -> list[tuple]:
    return [
        (p.kind, p.amount, p.status)
        for p in convention.payments.filter(tranche__year=year).order_by("pk")
    ]
