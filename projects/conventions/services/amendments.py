"""Writes of amendments: prepare, change, abandon a draft; sign it and apply it."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ess_metro import workflow
from ess_metro.formatting import money
from ess_metro.money import ZERO

from .. import rules, selectors
from ..models import (
    ACTIVE_STATUSES,
    AmendmentStatus,
    AmendmentTranche,
    Convention,
    ConventionAmendment,
    LogSubject,
    Payment,
    PaymentStatus,
    ReportStatus,
    Tranche,
)
from ._common import TrancheSpec, check_signature_date, locked, log_edit, sync_reports
from .payments import notification_condition, scheduled_payment

COMMITTED_PAYMENT_STATUSES = selectors.COMMITTED_PAYMENT_STATUSES


def _committed_by_year(convention: Convention) -> dict[int, Decimal]:
    """What is already paid or requested from accounting, year by year."""
    rows = (
        Payment.objects.filter(convention=convention, status__in=COMMITTED_PAYMENT_STATUSES)
        .values("tranche__year")
        .annotate(total=Sum("amount"))
    )
    return {row["tranche__year"]: row["total"] for row in rows}


def _floor_errors(convention: Convention, new_amounts: dict) -> list[str]:
    errors = []
    for year, committed in sorted(_committed_by_year(convention).items()):
        new_amount = new_amounts.get(year, ZERO)
        if new_amount < committed:
            errors.append(
                _(
                    "The %(year)s tranche cannot go below the %(committed)s already paid or "
                    "requested from accounting: the amendment proposes %(amount)s for that year."
                )
                % {"year": year, "committed": money(committed), "amount": money(new_amount)}
            )
    removed = set(convention.tranches.values_list("year", flat=True)) - set(new_amounts)
    for year in sorted(
        convention.reports.filter(year__in=removed)
        .exclude(status=ReportStatus.EXPECTED)
        .values_list("year", flat=True)
    ):
        errors.append(
            _("The year %(year)s cannot be removed: its report has already been submitted.")
            % {"year": year}
        )
    return errors


def check_amendment(
    *, convention: Convention, end_year: int, tranches: Iterable[TrancheSpec]
) -> None:
    """The amended convention keeps 1 to 4 years, one tranche per year on its year's
    programme, and no year goes below what is already paid or requested."""
    if convention.status not in ACTIVE_STATUSES:
        raise ValidationError(_("Only a signed or running convention can be amended."))
    tranches = list(tranches)
    rules.check_years(convention.start_year, end_year)
    rules.check_tranches(
        start_year=convention.start_year,
        end_year=end_year,
        tranches=tranches,
        amount_granted=sum((t.amount for t in tranches), ZERO),
    )
    errors = _floor_errors(convention, {t.year: t.amount for t in tranches})
    if errors:
        raise ValidationError(errors)


def _set_amendment_tranches(amendment: ConventionAmendment, tranches) -> None:
    amendment.tranches.all().delete()
    AmendmentTranche.objects.bulk_create(
        AmendmentTranche(
            amendment=amendment, year=t.year, amount=t.amount, programme_line=t.programme_line
        )
        for t in sorted(tranches, key=lambda t: t.year)
    )


def _check_reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError(_("Give the purpose of the amendment."))
    return reason.strip()


def _log_amendment(amendment, *, user, from_status, to_status, comment) -> None:
    log_edit(
        amendment.convention,
        subject=LogSubject.AMENDMENT,
        from_status=from_status,
        to_status=to_status,
        user=user,
        comment=comment % {"amendment": amendment.label},
    )


@transaction.atomic
def convention_amend(
    *,
    convention: Convention,
    user,
    reason: str,
    end_year: int,
    tranches: Iterable[TrancheSpec],
    objectives: str = "",
) -> ConventionAmendment:
    """Prepare a draft amendment (nothing changes in the convention until it is signed)."""
    convention = locked(Convention.objects, convention.pk)
    if convention.amendments.filter(status=AmendmentStatus.DRAFT).exists():
        raise ValidationError(
            _("An amendment is already being prepared for this convention: finish it first.")
        )
    reason = _check_reason(reason)
    tranches = list(tranches)
    check_amendment(convention=convention, end_year=end_year, tranches=tranches)
    last = convention.amendments.order_by("-number").values_list("number", flat=True).first()
    amendment = ConventionAmendment.objects.create(
        convention=convention,
        number=(last or 0) + 1,
        reason=reason,
        end_year=end_year,
        objectives=objectives.strip(),
        created_by=user,
    )
    _set_amendment_tranches(amendment, tranches)
    _log_amendment(
        amendment,
        user=user,
        from_status="",
        to_status=AmendmentStatus.DRAFT,
        comment=_("%(amendment)s prepared."),
    )
    return amendment


def _locked_draft(amendment: ConventionAmendment, refusal: str) -> ConventionAmendment:
    amendment = locked(ConventionAmendment.objects.select_related("convention"), amendment.pk)
    if not amendment.is_draft:
        raise ValidationError(refusal)
    return amendment


@transaction.atomic
def amendment_update(
    *,
    amendment: ConventionAmendment,
    user,
    reason: str,
    end_year: int,
    tranches: Iterable[TrancheSpec],
    objectives: str = "",
) -> ConventionAmendment:
    """Change a draft amendment."""
    amendment = _locked_draft(amendment, _("A signed amendment cannot change."))
    reason = _check_reason(reason)
    tranches = list(tranches)
    check_amendment(convention=amendment.convention, end_year=end_year, tranches=tranches)
    amendment.reason = reason
    amendment.end_year = end_year
    amendment.objectives = objectives.strip()
    amendment.save()
    _set_amendment_tranches(amendment, tranches)
    _log_amendment(
        amendment,
        user=user,
        from_status=AmendmentStatus.DRAFT,
        to_status=AmendmentStatus.DRAFT,
        comment=_("%(amendment)s updated."),
    )
    return amendment


@transaction.atomic
def amendment_delete(*, amendment: ConventionAmendment, user) -> None:
    """Abandon a draft amendment."""
    amendment = _locked_draft(amendment, _("A signed amendment cannot be removed."))
    _log_amendment(
        amendment,
        user=user,
        from_status=AmendmentStatus.DRAFT,
        to_status="",
        comment=_("%(amendment)s abandoned."),
    )
    amendment.delete()


# --- signature -------------------------------------------------------------------------------


def _regenerate_year(*, convention, tranche, report, signature_date, label) -> list[Payment]:
    """Replace the planned payments of a changed year by what the Métro rule still owes;
    paid and requested payments stay."""
    tranche.payments.filter(status=PaymentStatus.PLANNED).delete()
    notification, balance = selectors.committed_by_kind(
        tranche.payments.filter(status__in=COMMITTED_PAYMENT_STATUSES)
    )
    payments = []
    plan = rules.year_plan(
        tranche.amount, committed_notification=notification, committed_balance=balance
    )
    for kind, amount in plan:
        payment = scheduled_payment(convention, tranche, kind, amount, report)
        if kind != rules.BALANCE:
            payment.due_date = max(payment.due_date, signature_date)
            if notification + balance:
                payment.condition = _("Notification of %(amendment)s for %(year)s.") % {
                    "amendment": label.lower(),
                    "year": tranche.year,
                }
            else:
                payment.condition = notification_condition(tranche.year)
        payments.append(payment)
    return Payment.objects.bulk_create(payments)


def _check_signature(amendment, convention, signature_date: datetime.date | None) -> None:
    if not amendment.is_draft:
        raise ValidationError(_("This amendment is already signed."))
    check_signature_date(signature_date)
    if convention.signature_date and signature_date < convention.signature_date:
        raise ValidationError(
            _("An amendment cannot be signed before the convention (%(date)s).")
            % {"date": date_format(convention.signature_date)}
        )


def _previous_terms(convention, old_tranches: dict, amendment) -> dict:
    return {
        "end_year": convention.end_year,
        "amount_granted": str(convention.amount_granted),
        "objectives_changed": bool(amendment.objectives),
        "tranches": {
            str(year): {"amount": str(t.amount), "line": t.programme_line.title}
            for year, t in sorted(old_tranches.items())
        },
    }


def _apply_terms(convention, amendment, new_tranches, user) -> None:
    convention.end_year = amendment.end_year
    convention.amount_granted = sum((t.amount for t in new_tranches), ZERO)
    if amendment.objectives:
        convention.objectives = amendment.objectives
    convention.full_clean()
    convention._history_user = user
    convention.save()


def _changed_tranche(convention, old_tranches: dict, spec) -> Tranche | None:
    """The convention's tranche of ``spec``'s year as the amendment sets it; None if unchanged."""
    tranche = old_tranches.get(spec.year)
    if tranche is None:
        return Tranche.objects.create(
            convention=convention,
            year=spec.year,
            amount=spec.amount,
            programme_line=spec.programme_line,
        )
    if tranche.amount == spec.amount and tranche.programme_line_id == spec.programme_line_id:
        return None
    tranche.amount = spec.amount
    tranche.programme_line = spec.programme_line
    tranche.save()
    return tranche


def _apply_tranches(convention, amendment, new_tranches, old_tranches, signature_date) -> list:
    """New tranches and rebuilt planned payments for the changed years; returns those years."""
    new_years = {t.year for t in new_tranches}
    for year, tranche in old_tranches.items():
        if year not in new_years:
            tranche.delete()  # only planned or cancelled payments: checked before
    sync_reports(convention)
    reports = {report.year: report for report in convention.reports.all()}
    changed = []
    for spec in new_tranches:
        tranche = _changed_tranche(convention, old_tranches, spec)
        if tranche is None:
            continue
        changed.append(spec.year)
        _regenerate_year(
            convention=convention,
            tranche=tranche,
            report=reports.get(spec.year),
            signature_date=signature_date,
            label=amendment.label,
        )
    return changed


def _signed_comment(amendment, convention, signature_date, before_amount, changed) -> str:
    return _(
        "%(amendment)s signed on %(date)s: amount granted %(before)s → %(after)s, last "
        "year %(end)s; payments rebuilt for %(years)s."
    ) % {
        "amendment": amendment.label,
        "date": date_format(signature_date),
        "before": money(before_amount),
        "after": money(convention.amount_granted),
        "end": convention.end_year,
        "years": ", ".join(str(year) for year in changed) or "—",
    }


@transaction.atomic
def amendment_sign(
    *, amendment: ConventionAmendment, user, signature_date: datetime.date | None
) -> ConventionAmendment:
    """Record the amendment as signed and apply it to the convention, all or nothing.

    Changed years get new tranches and their planned payments are rebuilt from the rule;
    years that are no longer covered lose their tranche, planned payments and expected
    report. The returned amendment carries ``warnings`` (written agreement, de minimis).
    """
    amendment = locked(
        ConventionAmendment.objects.select_related("convention__beneficiary"), amendment.pk
    )
    convention = locked(Convention.objects, amendment.convention_id)
    _check_signature(amendment, convention, signature_date)
    new_tranches = list(amendment.tranches.select_related("programme_line__programme"))
    check_amendment(convention=convention, end_year=amendment.end_year, tranches=new_tranches)
    rules.check_written_agreement(
        written_agreement=convention.written_agreement, tranches=new_tranches
    )
    old_tranches = {t.year: t for t in convention.tranches.select_related("programme_line")}
    amendment.previous_terms = _previous_terms(convention, old_tranches, amendment)
    before_amount = convention.amount_granted
    _apply_terms(convention, amendment, new_tranches, user)
    changed = _apply_tranches(convention, amendment, new_tranches, old_tranches, signature_date)
    amendment.convention = convention
    comment = _signed_comment(amendment, convention, signature_date, before_amount, changed)
    workflow.fire(amendment, "sign", user=user, comment=comment, signature_date=signature_date)
    amendment.warnings = selectors.amendment_warnings(amendment)
    return amendment
