"""Writes of the payment schedule: the rule's schedule, adjustments, requests and payments."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ess_metro import workflow
from ess_metro.formatting import money
from ess_metro.money import ZERO

from .. import rules
from ..models import (
    Convention,
    ConventionStatus,
    LogSubject,
    Payment,
    PaymentKind,
    PaymentStatus,
    convention_is_active,
)
from ._common import locked, log_edit, step_towards

PAYMENT_STEPS = {
    PaymentStatus.REQUESTED: "request",
    PaymentStatus.PAID: "pay",
    PaymentStatus.PLANNED: "withdraw",
    PaymentStatus.CANCELLED: "cancel",
}


def date_advances(convention: Convention) -> None:
    """Once signed, the payments at notification are due at the signature at the earliest."""
    for payment in convention.payments.filter(
        status=PaymentStatus.PLANNED, kind__in=[PaymentKind.SINGLE, PaymentKind.ADVANCE]
    ).select_related("tranche"):
        payment.due_date = rules.notification_date(
            payment.tranche.year, convention.signature_date, today=timezone.localdate()
        )
        payment.save(update_fields=["due_date", "updated_at"])


def balance_condition(year: int) -> str:
    return _("Approval of the %(year)s activity and financial report.") % {"year": year}


def notification_condition(year: int) -> str:
    return _("Notification of the %(year)s tranche.") % {"year": year}


def scheduled_payment(convention, tranche, kind, amount, report) -> Payment:
    """One payment of the rule's schedule of ``tranche``, never due in the past."""
    today = timezone.localdate()
    if kind == PaymentKind.BALANCE:
        return Payment(
            convention=convention,
            tranche=tranche,
            kind=kind,
            amount=amount,
            report=report,
            due_date=rules.balance_due_date(tranche.year, today=today),
            condition=balance_condition(tranche.year),
        )
    return Payment(
        convention=convention,
        tranche=tranche,
        kind=kind,
        amount=amount,
        due_date=rules.notification_date(tranche.year, convention.signature_date, today=today),
        condition=notification_condition(tranche.year),
    )


@transaction.atomic
def schedule_generate(*, convention: Convention, user) -> list[Payment]:
    """(Re)build the planned payments from the rule.

    Refused once a payment of the convention has been requested or paid: staff then adjust
    payments one by one.
    """
    if convention.payments.exclude(
        status__in=[PaymentStatus.PLANNED, PaymentStatus.CANCELLED]
    ).exists():
        raise ValidationError(
            _(
                "A payment has already been requested or paid: adjust the schedule payment "
                "by payment."
            )
        )
    convention.payments.all().delete()
    reports = {report.year: report for report in convention.reports.all()}
    return Payment.objects.bulk_create(
        scheduled_payment(convention, tranche, kind, amount, reports.get(tranche.year))
        for tranche in convention.tranches.order_by("year")
        for kind, amount in rules.schedule_for(tranche.amount)
    )


def check_payment_amount(payment: Payment) -> None:
    """A positive amount, and the year's payments (cancelled ones aside) within its tranche."""
    others = (
        payment.tranche.payments.exclude(pk=payment.pk)
        .exclude(status=PaymentStatus.CANCELLED)
        .aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    rules.check_payment_amount(
        amount=payment.amount,
        others=others,
        tranche_amount=payment.tranche.amount,
        year=payment.tranche.year,
    )


def _check_editable(payment: Payment) -> None:
    if payment.pk:
        current = locked(Payment.objects, payment.pk)
        if current.status != PaymentStatus.PLANNED:
            raise ValidationError(_("Only a planned payment can be changed."))
    if payment.convention.status in {ConventionStatus.CLOSED, ConventionStatus.TERMINATED}:
        raise ValidationError(_("The payments of a closed or terminated convention cannot change."))
    if payment.tranche.convention_id != payment.convention_id:
        raise ValidationError(_("Choose a year of this convention."))


@transaction.atomic
def payment_save(*, payment: Payment, user) -> Payment:
    """Add or adjust a payment of the schedule (only while it is planned)."""
    _check_editable(payment)
    check_payment_amount(payment)
    if payment.kind == PaymentKind.BALANCE and payment.report is None:
        payment.report = payment.convention.reports.filter(year=payment.tranche.year).first()
    created = payment.pk is None
    payment._history_user = user
    payment.save()
    log_edit(
        payment.convention,
        subject=LogSubject.PAYMENT,
        payment=payment,
        from_status="" if created else payment.status,
        to_status=payment.status,
        user=user,
        comment=(
            _("Payment of %(amount)s due %(date)s added to the schedule.")
            if created
            else _("Payment adjusted: %(amount)s due %(date)s.")
        )
        % {"amount": money(payment.amount), "date": date_format(payment.due_date)},
    )
    return payment


@transaction.atomic
def payment_delete(*, payment: Payment, user) -> None:
    if payment.status != PaymentStatus.PLANNED:
        raise ValidationError(_("Only a planned payment can be removed."))
    log_edit(
        payment.convention,
        subject=LogSubject.PAYMENT,
        from_status=payment.status,
        to_status=PaymentStatus.CANCELLED,
        user=user,
        comment=_("Payment of %(amount)s removed from the schedule.")
        % {"amount": money(payment.amount)},
    )
    payment.delete()


def _check_payable(payment: Payment) -> None:
    """The conditions of ``request`` and ``pay``, with the year in the balance's reason."""
    if not convention_is_active(payment):
        raise ValidationError(str(convention_is_active.message))
    if payment.is_blocked:
        raise ValidationError(
            _("The balance cannot be paid before the %(year)s report is approved.")
            % {"year": payment.tranche.year}
        )
    check_payment_amount(payment)


def _paid(paid_date, accounting_reference: str) -> dict:
    """The keyword arguments of ``Payment.pay``, checked."""
    rules.check_not_in_future(
        paid_date,
        today=timezone.localdate(),
        missing=_("Give the payment date."),
        future=_("The payment date cannot be in the future."),
    )
    if not accounting_reference.strip():
        raise ValidationError(_("Give the accounting reference of the payment."))
    return {"paid_date": paid_date, "accounting_reference": accounting_reference}


@transaction.atomic
def payment_transition(
    *,
    payment: Payment,
    to_status: str,
    user,
    comment: str = "",
    paid_date: datetime.date | None = None,
    accounting_reference: str = "",
) -> Payment:
    """Move a payment through its workflow (``Payment.request``, ``pay``, ``withdraw``,
    ``cancel``); the first payment makes a signed convention run."""
    payment = locked(Payment.objects.select_related("convention", "tranche", "report"), payment.pk)
    name = step_towards(
        payment, PAYMENT_STEPS, to_status, _("The payment cannot go from “%(from)s” to “%(to)s”.")
    )
    if name in {"request", "pay"}:
        _check_payable(payment)
    kwargs = _paid(paid_date, accounting_reference) if name == "pay" else {}
    workflow.fire(payment, name, user=user, comment=comment, **kwargs)
    if name == "pay" and payment.convention.status == ConventionStatus.SIGNED:
        workflow.fire(payment.convention, "start", user=user, comment=_("First payment made."))
    return payment
