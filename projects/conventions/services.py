"""Writes of conventions, payments and reports: keyword-only functions under transaction.atomic.

Every state change is written to ``ConventionLog`` (who, when, from, to, comment). Refusals are
``ValidationError``s with a French message the views show as they are.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ess_metro.accounts import roles
from ess_metro.formatting import money
from ess_metro.notifications import notify
from ess_metro.uploads import validate_upload

from .models import (
    ACTIVE_STATUSES,
    ADVANCE_SHARE,
    COMMITTED_STATUSES,
    DE_MINIMIS_CEILING,
    DE_MINIMIS_SIEG_CEILING,
    MAX_CONVENTION_YEARS,
    SINGLE_PAYMENT_THRESHOLD,
    WRITTEN_AGREEMENT_THRESHOLD,
    AmendmentStatus,
    AmendmentTranche,
    Convention,
    ConventionAmendment,
    ConventionIndicator,
    ConventionLog,
    ConventionStatus,
    IndicatorValue,
    LogSubject,
    Payment,
    PaymentKind,
    PaymentStatus,
    Report,
    ReportAttachment,
    ReportStatus,
    Tranche,
    report_due_date,
)

CENT = Decimal("0.01")

CONVENTION_TRANSITIONS = {
    ConventionStatus.DRAFT: {ConventionStatus.SIGNED, ConventionStatus.TERMINATED},
    ConventionStatus.SIGNED: {ConventionStatus.RUNNING, ConventionStatus.TERMINATED},
    ConventionStatus.RUNNING: {ConventionStatus.CLOSED, ConventionStatus.TERMINATED},
    ConventionStatus.CLOSED: set(),
    ConventionStatus.TERMINATED: set(),
}
PAYMENT_TRANSITIONS = {
    PaymentStatus.PLANNED: {PaymentStatus.REQUESTED, PaymentStatus.CANCELLED},
    PaymentStatus.REQUESTED: {PaymentStatus.PAID, PaymentStatus.PLANNED, PaymentStatus.CANCELLED},
    PaymentStatus.PAID: set(),
    PaymentStatus.CANCELLED: set(),
}


@dataclass(frozen=True)
class TrancheSpec:
    """One year of a convention being prepared."""

    year: int
    amount: Decimal
    programme_line: object


def _log(
    *, convention, subject, from_status, to_status, user, comment="", payment=None, report=None
):
    ConventionLog.objects.create(
        convention=convention,
        subject=subject,
        payment=payment,
        report=report,
        from_status=from_status or "",
        to_status=to_status,
        user=user,
        comment=comment,
    )


def _staff_emails() -> list[str]:
    user_model = apps.get_model("accounts", "User")
    return list(
        user_model.objects.filter(groups__name=roles.STAFF_GROUP, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def _beneficiary_emails(convention) -> list[str]:
    return list(
        convention.beneficiary.memberships.filter(user__is_active=True).values_list(
            "user__email", flat=True
        )
    )


# --- checks shared by the form, the service and the page --------------------------------------


def check_years(start_year: int, end_year: int) -> None:
    if end_year < start_year:
        raise ValidationError(_("The last year cannot be before the first year."))
    if end_year - start_year + 1 > MAX_CONVENTION_YEARS:
        raise ValidationError(_("A convention lasts from 1 to 4 years."))


def check_tranches(
    *, start_year: int, end_year: int, tranches: Iterable[TrancheSpec], amount_granted: Decimal
) -> None:
    """The tranches fit the years, one per year, each on its year's programme, and add up."""
    errors = []
    seen = set()
    total = Decimal("0.00")
    for tranche in tranches:
        total += tranche.amount
        if tranche.year in seen:
            errors.append(_("There can be only one tranche for %(year)s.") % {"year": tranche.year})
        seen.add(tranche.year)
        if not start_year <= tranche.year <= end_year:
            errors.append(
                _(
                    "The %(year)s tranche is outside the years of the convention "
                    "(%(start)s–%(end)s)."
                )
                % {"year": tranche.year, "start": start_year, "end": end_year}
            )
        if tranche.amount <= 0:
            errors.append(
                _("The %(year)s tranche must be a positive amount.") % {"year": tranche.year}
            )
        line_year = tranche.programme_line.programme.year
        if line_year != tranche.year:
            errors.append(
                _(
                    "The %(year)s tranche must be funded by a line of the %(year)s programme, "
                    "not of %(line_year)s."
                )
                % {"year": tranche.year, "line_year": line_year}
            )
    if not seen:
        errors.append(_("Give at least one yearly tranche."))
    elif total != amount_granted:
        errors.append(
            _("The tranches add up to %(total)s but the amount granted is %(granted)s.")
            % {"total": money(total), "granted": money(amount_granted)}
        )
    if errors:
        raise ValidationError(errors)


def written_agreement_warnings(convention: Convention, tranches=None) -> list[str]:
    """Years above 23,000 € when the convention is not a written multi-year agreement."""
    if convention.written_agreement:
        return []
    tranches = convention.tranches.all() if tranches is None else tranches
    return [
        _(
            "A written multi-year objectives agreement is mandatory above %(threshold)s a year: "
            "the %(year)s tranche (%(amount)s) has none."
        )
        % {
            "threshold": money(WRITTEN_AGREEMENT_THRESHOLD, 0),
            "year": tranche.year,
            "amount": money(tranche.amount),
        }
        for tranche in tranches
        if tranche.amount > WRITTEN_AGREEMENT_THRESHOLD
    ]


# --- de minimis ------------------------------------------------------------------------------


def _three_years_before(on: datetime.date) -> datetime.date:
    try:
        return on.replace(year=on.year - 3)
    except ValueError:  # 29 February
        return on.replace(year=on.year - 3, day=28)


@dataclass(frozen=True)
class DeMinimisBreakdown:
    """What an organisation received from the Métro over 3 rolling years, by channel."""

    conventions: Decimal
    tools: Decimal

    @property
    def total(self) -> Decimal:
        return self.conventions + self.tools


def de_minimis_breakdown(organisation, *, on=None, exclude_convention=None) -> DeMinimisBreakdown:
    """The Métro's aid to ``organisation`` over the 3 rolling years ending on ``on``.

    Conventions count at the date they are granted (their signature) and a terminated one for
    what was actually paid; the support of a development tool counts at its date.
    """
    from programme.models import ToolSupport

    on = on or timezone.localdate()
    since = _three_years_before(on)
    conventions = Convention.objects.filter(
        beneficiary=organisation, signature_date__gt=since, signature_date__lte=on
    )
    if exclude_convention is not None and exclude_convention.pk:
        conventions = conventions.exclude(pk=exclude_convention.pk)
    granted = conventions.filter(status__in=COMMITTED_STATUSES).aggregate(
        total=Sum("amount_granted")
    )["total"] or Decimal("0.00")
    paid_on_terminated = Payment.objects.filter(
        convention__in=conventions.filter(status=ConventionStatus.TERMINATED),
        status=PaymentStatus.PAID,
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    tools = ToolSupport.objects.filter(
        organisation=organisation, date__gt=since, date__lte=on
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    return DeMinimisBreakdown(conventions=granted + paid_on_terminated, tools=tools)


def de_minimis_received(organisation, *, on=None, exclude_convention=None) -> Decimal:
    """The total of ``de_minimis_breakdown``: conventions and development tools."""
    return de_minimis_breakdown(organisation, on=on, exclude_convention=exclude_convention).total


def de_minimis_ceiling(*, sieg: bool = False) -> Decimal:
    """300,000 € over 3 years; 750,000 € for a service of general economic interest."""
    return DE_MINIMIS_SIEG_CEILING if sieg else DE_MINIMIS_CEILING


def de_minimis_warning(
    organisation, amount: Decimal, *, on=None, exclude_convention=None, sieg: bool = False
) -> str:
    """A French warning when granting ``amount`` would pass the de minimis ceiling, else ''."""
    if organisation is None or not organisation.is_enterprise or amount is None:
        return ""
    breakdown = de_minimis_breakdown(organisation, on=on, exclude_convention=exclude_convention)
    ceiling = de_minimis_ceiling(sieg=sieg)
    if breakdown.total + amount <= ceiling:
        return ""
    return _(
        "De minimis: %(name)s received %(received)s from the Métro over the last 3 years "
        "(conventions: %(conventions)s; development tools: %(tools)s); with %(amount)s more "
        "it would pass the ceiling of %(ceiling)s%(sieg)s."
    ) % {
        "name": organisation.name,
        "received": money(breakdown.total),
        "conventions": money(breakdown.conventions),
        "tools": money(breakdown.tools),
        "amount": money(amount),
        "ceiling": money(ceiling, 0),
        "sieg": _(" (service of general economic interest)") if sieg else "",
    }


# --- conventions -----------------------------------------------------------------------------


def next_reference(year: int) -> str:
    prefix = f"CONV-{year}-"
    last = (
        Convention.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[-1]) + 1 if last else 1
    return f"{prefix}{number:03d}"


def _sync_reports(convention: Convention) -> None:
    years = set(convention.years)
    convention.reports.exclude(year__in=years).filter(status=ReportStatus.EXPECTED).delete()
    existing = set(convention.reports.values_list("year", flat=True))
    Report.objects.bulk_create(
        Report(convention=convention, year=year, due_date=report_due_date(year))
        for year in sorted(years - existing)
    )


def _set_indicators(convention: Convention, indicators) -> None:
    convention.indicators.all().delete()
    ConventionIndicator.objects.bulk_create(
        ConventionIndicator(
            convention=convention,
            label=item["label"],
            unit=item.get("unit", ""),
            target=item.get("target"),
            position=position,
        )
        for position, item in enumerate(indicators)
    )


@transaction.atomic
def convention_create(
    *,
    beneficiary,
    title: str,
    objectives: str,
    start_year: int,
    end_year: int,
    tranches: Iterable[TrancheSpec],
    user,
    structuring_project=None,
    parties: str = "",
    evaluation: str = "",
    amount_granted: Decimal | None = None,
    written_agreement: bool = True,
    sieg: bool = False,
    indicators: Iterable[dict] = (),
    reference: str = "",
) -> Convention:
    """Create a draft convention with its tranches, yearly reports and payment schedule.

    Generic on purpose: a structuring project or a granted application (the calls part adds
    its own link and calls this) both end here.
    """
    tranches = list(tranches)
    check_years(start_year, end_year)
    if amount_granted is None:
        amount_granted = sum((t.amount for t in tranches), Decimal("0.00"))
    check_tranches(
        start_year=start_year, end_year=end_year, tranches=tranches, amount_granted=amount_granted
    )
    convention = Convention(
        reference=reference or next_reference(start_year),
        title=title,
        beneficiary=beneficiary,
        structuring_project=structuring_project,
        parties=parties or default_parties(beneficiary),
        objectives=objectives,
        evaluation=evaluation,
        start_year=start_year,
        end_year=end_year,
        amount_granted=amount_granted,
        written_agreement=written_agreement,
        sieg=sieg,
        created_by=user,
    )
    convention.full_clean()
    convention.save()
    Tranche.objects.bulk_create(
        Tranche(
            convention=convention, year=t.year, amount=t.amount, programme_line=t.programme_line
        )
        for t in sorted(tranches, key=lambda t: t.year)
    )
    _set_indicators(convention, indicators)
    _sync_reports(convention)
    schedule_generate(convention=convention, user=user)
    _log(
        convention=convention,
        subject=LogSubject.CONVENTION,
        from_status="",
        to_status=ConventionStatus.DRAFT,
        user=user,
        comment=_("Convention prepared."),
    )
    return convention


def default_parties(beneficiary) -> str:
    return _(
        "Grenoble-Alpes Métropole, 3 rue Malakoff, 38031 Grenoble, represented by its "
        "President,\nand %(name)s, represented by its legal representative."
    ) % {"name": beneficiary.name}


@transaction.atomic
def convention_update(
    *,
    convention: Convention,
    user,
    tranches: Iterable[TrancheSpec] | None = None,
    indicators: Iterable[dict] | None = None,
    **fields,
) -> Convention:
    """Change a convention; its years and amounts only while it is a draft."""
    convention = Convention.objects.select_for_update(of=("self",)).get(pk=convention.pk)
    money_fields = {"start_year", "end_year", "amount_granted"}
    changes_money = tranches is not None or any(
        getattr(convention, name) != fields[name] for name in money_fields if name in fields
    )
    if changes_money and not convention.is_draft:
        raise ValidationError(
            _(
                "The years and amounts of a signed convention cannot change: prepare an "
                "amendment from the “Amendments” section of the convention page."
            )
        )
    for name, value in fields.items():
        setattr(convention, name, value)
    check_years(convention.start_year, convention.end_year)
    if tranches is not None:
        tranches = list(tranches)
        check_tranches(
            start_year=convention.start_year,
            end_year=convention.end_year,
            tranches=tranches,
            amount_granted=convention.amount_granted,
        )
    convention.full_clean()
    convention.save()
    if tranches is not None:
        convention.payments.all().delete()
        convention.tranches.all().delete()
        Tranche.objects.bulk_create(
            Tranche(
                convention=convention, year=t.year, amount=t.amount, programme_line=t.programme_line
            )
            for t in sorted(tranches, key=lambda t: t.year)
        )
        _sync_reports(convention)
        schedule_generate(convention=convention, user=user)
    if indicators is not None:
        _set_indicators(convention, indicators)
    _log(
        convention=convention,
        subject=LogSubject.CONVENTION,
        from_status=convention.status,
        to_status=convention.status,
        user=user,
        comment=_("Convention updated."),
    )
    return convention


@transaction.atomic
def convention_set_bank_details(*, convention: Convention, account_holder, iban, bic, user):
    """IBAN and BIC already validated and normalised by the form (schwifty)."""
    convention.account_holder = account_holder
    convention.iban = iban
    convention.bic = bic
    convention.save(update_fields=["account_holder", "iban", "bic", "updated_at"])
    _log(
        convention=convention,
        subject=LogSubject.CONVENTION,
        from_status=convention.status,
        to_status=convention.status,
        user=user,
        comment=_("Bank details changed."),
    )
    return convention


@transaction.atomic
def convention_transition(
    *,
    convention: Convention,
    to_status: str,
    user,
    comment: str = "",
    signature_date: datetime.date | None = None,
) -> Convention:
    convention = Convention.objects.select_for_update(of=("self",)).get(pk=convention.pk)
    from_status = convention.status
    if to_status not in CONVENTION_TRANSITIONS[ConventionStatus(from_status)]:
        raise ValidationError(
            _("The convention cannot go from “%(from)s” to “%(to)s”.")
            % {"from": convention.get_status_display(), "to": ConventionStatus(to_status).label}
        )
    if to_status == ConventionStatus.SIGNED:
        signature_date = signature_date or convention.signature_date
        if signature_date is None:
            raise ValidationError(_("Give the signature date."))
        if signature_date > timezone.localdate():
            raise ValidationError(_("The signature date cannot be in the future."))
        tranches = list(convention.tranches.select_related("programme_line__programme"))
        check_tranches(
            start_year=convention.start_year,
            end_year=convention.end_year,
            tranches=tranches,
            amount_granted=convention.amount_granted,
        )
        convention.signature_date = signature_date
        _date_advances(convention)
    if to_status == ConventionStatus.CLOSED:
        if convention.reports.exclude(status=ReportStatus.APPROVED).exists():
            raise ValidationError(
                _("A convention can be closed only once every yearly report is approved.")
            )
        if convention.payments.filter(status=PaymentStatus.REQUESTED).exists():
            raise ValidationError(
                _("A convention cannot be closed while a payment is being requested.")
            )
    if to_status == ConventionStatus.TERMINATED:
        if not comment.strip():
            raise ValidationError(_("Give the reason for the termination."))
        convention.termination_reason = comment.strip()
    convention.status = to_status
    convention.save()
    if to_status in {ConventionStatus.CLOSED, ConventionStatus.TERMINATED}:
        for payment in convention.payments.filter(
            status__in=[PaymentStatus.PLANNED, PaymentStatus.REQUESTED]
        ):
            payment_transition(
                payment=payment,
                to_status=PaymentStatus.CANCELLED,
                user=user,
                comment=_("Convention %(status)s.") % {"status": convention.get_status_display()},
            )
    _log(
        convention=convention,
        subject=LogSubject.CONVENTION,
        from_status=from_status,
        to_status=to_status,
        user=user,
        comment=comment,
    )
    if to_status == ConventionStatus.SIGNED:
        notify(
            "projects/conventions/signed",
            to=_beneficiary_emails(convention),
            context={"convention": convention},
        )
    return convention


# --- payments --------------------------------------------------------------------------------


def _notification_date(convention: Convention, year: int) -> datetime.date:
    """When a year's tranche is notified: the signature, or 31 January of later years."""
    usual = datetime.date(year, 1, 31)
    if convention.signature_date and convention.signature_date > usual:
        return convention.signature_date
    return usual


def _date_advances(convention: Convention) -> None:
    for payment in convention.payments.filter(
        status=PaymentStatus.PLANNED, kind__in=[PaymentKind.SINGLE, PaymentKind.ADVANCE]
    ).select_related("tranche"):
        payment.due_date = _notification_date(convention, payment.tranche.year)
        payment.save(update_fields=["due_date", "updated_at"])


def schedule_for(amount: Decimal) -> list[tuple[str, Decimal]]:
    """The Métro rule for one yearly tranche: [(kind, amount), ...]."""
    if amount < SINGLE_PAYMENT_THRESHOLD:
        return [(PaymentKind.SINGLE, amount)]
    advance = (amount * ADVANCE_SHARE).quantize(CENT, rounding=ROUND_HALF_UP)
    return [(PaymentKind.ADVANCE, advance), (PaymentKind.BALANCE, amount - advance)]


@transaction.atomic
def schedule_generate(*, convention: Convention, user) -> list[Payment]:
    """(Re)build the planned payments from the rule; paid or requested ones are kept.

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
    payments = []
    for tranche in convention.tranches.order_by("year"):
        for kind, amount in schedule_for(tranche.amount):
            is_balance = kind == PaymentKind.BALANCE
            report = reports.get(tranche.year)
            payments.append(
                Payment(
                    convention=convention,
                    tranche=tranche,
                    kind=kind,
                    amount=amount,
                    report=report if is_balance else None,
                    due_date=(
                        report_due_date(tranche.year)
                        if is_balance
                        else _notification_date(convention, tranche.year)
                    ),
                    condition=(
                        _("Approval of the %(year)s activity and financial report.")
                        % {"year": tranche.year}
                        if is_balance
                        else _("Notification of the %(year)s tranche.") % {"year": tranche.year}
                    ),
                )
            )
    return Payment.objects.bulk_create(payments)


def _check_payment_amount(payment: Payment) -> None:
    others = payment.tranche.payments.exclude(pk=payment.pk).exclude(
        status=PaymentStatus.CANCELLED
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    if payment.amount is None or payment.amount <= 0:
        raise ValidationError(_("A payment must be a positive amount."))
    if others + payment.amount > payment.tranche.amount:
        raise ValidationError(
            _(
                "The payments of %(year)s would add up to %(total)s, more than the %(granted)s "
                "granted for that year."
            )
            % {
                "year": payment.tranche.year,
                "total": money(others + payment.amount),
                "granted": money(payment.tranche.amount),
            }
        )


@transaction.atomic
def payment_save(*, payment: Payment, user) -> Payment:
    """Add or adjust a payment of the schedule (only while it is planned)."""
    if payment.pk:
        current = Payment.objects.select_for_update(of=("self",)).get(pk=payment.pk)
        if current.status != PaymentStatus.PLANNED:
            raise ValidationError(_("Only a planned payment can be changed."))
    if payment.convention.status in {ConventionStatus.CLOSED, ConventionStatus.TERMINATED}:
        raise ValidationError(_("The payments of a closed or terminated convention cannot change."))
    if payment.tranche.convention_id != payment.convention_id:
        raise ValidationError(_("Choose a year of this convention."))
    _check_payment_amount(payment)
    if payment.kind == PaymentKind.BALANCE and payment.report is None:
        payment.report = payment.convention.reports.filter(year=payment.tranche.year).first()
    created = payment.pk is None
    payment.save()
    _log(
        convention=payment.convention,
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
    _log(
        convention=payment.convention,
        subject=LogSubject.PAYMENT,
        from_status=payment.status,
        to_status=PaymentStatus.CANCELLED,
        user=user,
        comment=_("Payment of %(amount)s removed from the schedule.")
        % {"amount": money(payment.amount)},
    )
    payment.delete()


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
    payment = (
        Payment.objects.select_for_update(of=("self",))
        .select_related("convention", "tranche", "report")
        .get(pk=payment.pk)
    )
    from_status = payment.status
    if to_status not in PAYMENT_TRANSITIONS[PaymentStatus(from_status)]:
        raise ValidationError(
            _("The payment cannot go from “%(from)s” to “%(to)s”.")
            % {"from": payment.get_status_display(), "to": PaymentStatus(to_status).label}
        )
    if to_status in {PaymentStatus.REQUESTED, PaymentStatus.PAID}:
        if payment.convention.status not in {ConventionStatus.SIGNED, ConventionStatus.RUNNING}:
            raise ValidationError(
                _("A payment can be made only on a signed or running convention.")
            )
        if payment.kind == PaymentKind.BALANCE and (
            payment.report is None or payment.report.status != ReportStatus.APPROVED
        ):
            raise ValidationError(
                _("The balance cannot be paid before the %(year)s report is approved.")
                % {"year": payment.tranche.year}
            )
        _check_payment_amount(payment)
    if to_status == PaymentStatus.PAID:
        if paid_date is None:
            raise ValidationError(_("Give the payment date."))
        if paid_date > timezone.localdate():
            raise ValidationError(_("The payment date cannot be in the future."))
        if not accounting_reference.strip():
            raise ValidationError(_("Give the accounting reference of the payment."))
        payment.paid_date = paid_date
        payment.accounting_reference = accounting_reference.strip()
    payment.status = to_status
    payment.save()
    _log(
        convention=payment.convention,
        subject=LogSubject.PAYMENT,
        payment=payment,
        from_status=from_status,
        to_status=to_status,
        user=user,
        comment=comment,
    )
    if to_status == PaymentStatus.PAID and payment.convention.status == ConventionStatus.SIGNED:
        convention_transition(
            convention=payment.convention,
            to_status=ConventionStatus.RUNNING,
            user=user,
            comment=_("First payment made."),
        )
    if to_status == PaymentStatus.PAID:
        notify(
            "projects/conventions/payment_paid",
            to=_beneficiary_emails(payment.convention),
            context={"payment": payment, "convention": payment.convention},
        )
    return payment


# --- reports ---------------------------------------------------------------------------------


@transaction.atomic
def report_submit(
    *,
    report: Report,
    user,
    activity_report: str,
    financial_report: str,
    expenses: Decimal | None,
    indicator_values: dict,
    files: Iterable = (),
) -> Report:
    """The beneficiary hands in (or completes) the report of a year."""
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("convention")
        .get(pk=report.pk)
    )
    if not report.can_be_submitted:
        if report.status in {ReportStatus.SUBMITTED, ReportStatus.APPROVED}:
            raise ValidationError(_("This report has already been submitted."))
        raise ValidationError(
            _("This report cannot be submitted yet: the convention is not signed.")
        )
    files = list(files)
    mimes = []
    for upload in files:
        mimes.append(validate_upload(upload))
    if not files and not report.attachments.exists():
        raise ValidationError(
            _("Attach at least one document (the financial report signed by your organisation).")
        )
    from_status = report.status
    report.activity_report = activity_report
    report.financial_report = financial_report
    report.expenses = expenses
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = user
    report.save()
    for upload, mime in zip(files, mimes, strict=True):
        ReportAttachment.objects.create(
            report=report,
            file=upload,
            original_name=upload.name[:255],
            content_type=mime,
            size=upload.size,
            uploaded_by=user,
        )
    for indicator, value in indicator_values.items():
        if value is None:
            continue
        IndicatorValue.objects.update_or_create(
            report=report, indicator=indicator, defaults={"value": value}
        )
    _log(
        convention=report.convention,
        subject=LogSubject.REPORT,
        report=report,
        from_status=from_status,
        to_status=ReportStatus.SUBMITTED,
        user=user,
    )
    notify(
        "projects/conventions/report_submitted",
        to=_staff_emails(),
        context={"report": report, "convention": report.convention},
    )
    return report


@transaction.atomic
def report_review(*, report: Report, user, approve: bool, comment: str = "") -> Report:
    """Staff approve the report, or ask the beneficiary for more (a comment is then required)."""
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("convention")
        .get(pk=report.pk)
    )
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be reviewed."))
    if not approve and not comment.strip():
        raise ValidationError(_("Say what is missing from the report."))
    from_status = report.status
    report.status = ReportStatus.APPROVED if approve else ReportStatus.MORE_REQUESTED
    report.reviewed_at = timezone.now()
    report.save()
    _log(
        convention=report.convention,
        subject=LogSubject.REPORT,
        report=report,
        from_status=from_status,
        to_status=report.status,
        user=user,
        comment=comment,
    )
    notify(
        "projects/conventions/report_reviewed",
        to=_beneficiary_emails(report.convention),
        context={"report": report, "convention": report.convention, "comment": comment},
    )
    return report


def staff_digest_data(today=None) -> dict:
    """What the dashboard and the daily digest show."""
    today = today or timezone.localdate()
    return {
        "today": today,
        "overdue_reports": list(Report.objects.overdue(today).for_list().order_by("due_date")),
        "reports_to_review": list(Report.objects.to_review().for_list().order_by("submitted_at")),
        "payments_due": list(
            Payment.objects.due_within(30, today).for_list().order_by("due_date", "pk")
        ),
        "amendments_to_sign": list(
            ConventionAmendment.objects.filter(status=AmendmentStatus.DRAFT)
            .select_related("convention__beneficiary")
            .order_by("created_at", "pk")
        ),
    }


# --- amendments ------------------------------------------------------------------------------

COMMITTED_PAYMENT_STATUSES = [PaymentStatus.PAID, PaymentStatus.REQUESTED]


def _committed_by_year(convention: Convention) -> dict[int, Decimal]:
    """What is already paid or requested from accounting, year by year."""
    rows = (
        Payment.objects.filter(convention=convention, status__in=COMMITTED_PAYMENT_STATUSES)
        .values("tranche__year")
        .annotate(total=Sum("amount"))
    )
    return {row["tranche__year"]: row["total"] for row in rows}


def check_amendment(
    *, convention: Convention, end_year: int, tranches: Iterable[TrancheSpec]
) -> None:
    """The amended convention keeps 1 to 4 years, one tranche per year on its year's
    programme, and no year goes below what is already paid or requested."""
    if convention.status not in ACTIVE_STATUSES:
        raise ValidationError(_("Only a signed or running convention can be amended."))
    tranches = list(tranches)
    check_years(convention.start_year, end_year)
    check_tranches(
        start_year=convention.start_year,
        end_year=end_year,
        tranches=tranches,
        amount_granted=sum((t.amount for t in tranches), Decimal("0.00")),
    )
    new_amounts = {t.year: t.amount for t in tranches}
    errors = []
    for year, committed in sorted(_committed_by_year(convention).items()):
        new_amount = new_amounts.get(year, Decimal("0.00"))
        if new_amount < committed:
            errors.append(
                _(
                    "The %(year)s tranche cannot go below the %(committed)s already paid or "
                    "requested from accounting (%(amount)s asked)."
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
    convention = Convention.objects.select_for_update(of=("self",)).get(pk=convention.pk)
    if convention.amendments.filter(status=AmendmentStatus.DRAFT).exists():
        raise ValidationError(
            _("An amendment is already being prepared for this convention: finish it first.")
        )
    if not reason.strip():
        raise ValidationError(_("Give the purpose of the amendment."))
    tranches = list(tranches)
    check_amendment(convention=convention, end_year=end_year, tranches=tranches)
    last = convention.amendments.order_by("-number").values_list("number", flat=True).first()
    amendment = ConventionAmendment.objects.create(
        convention=convention,
        number=(last or 0) + 1,
        reason=reason.strip(),
        end_year=end_year,
        objectives=objectives.strip(),
        created_by=user,
    )
    _set_amendment_tranches(amendment, tranches)
    _log(
        convention=convention,
        subject=LogSubject.AMENDMENT,
        from_status="",
        to_status=AmendmentStatus.DRAFT,
        user=user,
        comment=_("%(amendment)s prepared.") % {"amendment": amendment.label},
    )
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
    amendment = (
        ConventionAmendment.objects.select_for_update(of=("self",))
        .select_related("convention")
        .get(pk=amendment.pk)
    )
    if not amendment.is_draft:
        raise ValidationError(_("A signed amendment cannot change."))
    if not reason.strip():
        raise ValidationError(_("Give the purpose of the amendment."))
    tranches = list(tranches)
    check_amendment(convention=amendment.convention, end_year=end_year, tranches=tranches)
    amendment.reason = reason.strip()
    amendment.end_year = end_year
    amendment.objectives = objectives.strip()
    amendment.save()
    _set_amendment_tranches(amendment, tranches)
    _log(
        convention=amendment.convention,
        subject=LogSubject.AMENDMENT,
        from_status=AmendmentStatus.DRAFT,
        to_status=AmendmentStatus.DRAFT,
        user=user,
        comment=_("%(amendment)s updated.") % {"amendment": amendment.label},
    )
    return amendment


@transaction.atomic
def amendment_delete(*, amendment: ConventionAmendment, user) -> None:
    """Abandon a draft amendment."""
    amendment = (
        ConventionAmendment.objects.select_for_update(of=("self",))
        .select_related("convention")
        .get(pk=amendment.pk)
    )
    if not amendment.is_draft:
        raise ValidationError(_("A signed amendment cannot be removed."))
    _log(
        convention=amendment.convention,
        subject=LogSubject.AMENDMENT,
        from_status=AmendmentStatus.DRAFT,
        to_status="",
        user=user,
        comment=_("%(amendment)s abandoned.") % {"amendment": amendment.label},
    )
    amendment.delete()


def amendment_comparison(amendment: ConventionAmendment, convention=None) -> list[dict]:
    """Year by year, before and after the amendment (from prefetched rows when possible)."""
    convention = convention or amendment.convention
    if amendment.is_draft:
        before = {t.year: (t.amount, t.programme_line.title) for t in convention.tranches.all()}
    else:
        before = {
            int(year): (Decimal(item["amount"]), item.get("line", ""))
            for year, item in amendment.previous_terms.get("tranches", {}).items()
        }
    after = {t.year: (t.amount, t.programme_line.title) for t in amendment.tranches.all()}
    rows = []
    for year in sorted(set(before) | set(after)):
        old = before.get(year, (Decimal("0.00"), ""))
        new = after.get(year, (Decimal("0.00"), ""))
        rows.append(
            {
                "year": year,
                "before": old[0],
                "after": new[0],
                "difference": new[0] - old[0],
                "line_before": old[1],
                "line_after": new[1],
                "changed": old != new,
            }
        )
    return rows


def amendment_warnings(amendment: ConventionAmendment, *, on=None) -> list[str]:
    """The written-agreement rule on the new tranches and the de minimis check on the new
    amount granted."""
    convention = amendment.convention
    warnings = written_agreement_warnings(convention, list(amendment.tranches.all()))
    de_minimis = de_minimis_warning(
        convention.beneficiary,
        amendment.amount_granted,
        on=on or amendment.signature_date or timezone.localdate(),
        exclude_convention=convention,
        sieg=convention.sieg,
    )
    if de_minimis:
        warnings.append(de_minimis)
    return warnings


def year_plan(
    amount: Decimal, *, committed_notification: Decimal, committed_balance: Decimal
) -> list[tuple[str, Decimal]]:
    """What the Métro rule still owes for a year of ``amount`` once some is paid or requested.

    The notification share (all of it below 5,000 €, else 80 %) is reached first, then the
    balance waits for the year's report: [(kind, amount), ...], nothing when all is committed.
    """
    remaining = amount - committed_notification - committed_balance
    if remaining <= 0:
        return []
    rule = dict(schedule_for(amount))
    notification_kind = PaymentKind.SINGLE if PaymentKind.SINGLE in rule else PaymentKind.ADVANCE
    notification = max(
        Decimal("0.00"), min(remaining, rule[notification_kind] - committed_notification)
    )
    plan = []
    if notification > 0:
        plan.append((notification_kind, notification))
    if remaining - notification > 0:
        plan.append((PaymentKind.BALANCE, remaining - notification))
    return plan


def _committed_by_kind(payments) -> tuple[Decimal, Decimal]:
    """(notification, balance) already paid or requested among ``payments``."""
    notification = balance = Decimal("0.00")
    for payment in payments:
        if payment.status not in COMMITTED_PAYMENT_STATUSES:
            continue
        if payment.kind == PaymentKind.BALANCE:
            balance += payment.amount
        else:
            notification += payment.amount
    return notification, balance


def amendment_payment_preview(amendment: ConventionAmendment) -> list[dict]:
    """The payments a draft amendment would plan for each changed year, once signed."""
    convention = amendment.convention
    current = {t.year: t for t in convention.tranches.all()}
    payments = defaultdict(list)
    for payment in convention.payments.all():
        payments[payment.tranche.year].append(payment)
    rows = []
    for tranche in amendment.tranches.all():
        old = current.get(tranche.year)
        if (
            old is not None
            and old.amount == tranche.amount
            and old.programme_line_id == tranche.programme_line_id
        ):
            continue
        notification, balance = _committed_by_kind(payments[tranche.year])
        for kind, amount in year_plan(
            tranche.amount, committed_notification=notification, committed_balance=balance
        ):
            rows.append(
                {
                    "year": tranche.year,
                    "kind": kind,
                    "kind_label": PaymentKind(kind).label,
                    "amount": amount,
                    "committed": notification + balance,
                }
            )
    return rows


def _regenerate_year(*, convention, tranche, report, signature_date, label) -> list[Payment]:
    """Replace the planned payments of a changed year by what the Métro rule still owes;
    paid and requested payments stay."""
    tranche.payments.filter(status=PaymentStatus.PLANNED).delete()
    committed_notification, committed_balance = _committed_by_kind(
        tranche.payments.filter(status__in=COMMITTED_PAYMENT_STATUSES)
    )
    committed_total = committed_notification + committed_balance
    payments = []
    for kind, amount in year_plan(
        tranche.amount,
        committed_notification=committed_notification,
        committed_balance=committed_balance,
    ):
        if kind == PaymentKind.BALANCE:
            payments.append(
                Payment(
                    convention=convention,
                    tranche=tranche,
                    kind=PaymentKind.BALANCE,
                    amount=amount,
                    report=report,
                    due_date=report_due_date(tranche.year),
                    condition=_("Approval of the %(year)s activity and financial report.")
                    % {"year": tranche.year},
                )
            )
        else:
            payments.append(
                Payment(
                    convention=convention,
                    tranche=tranche,
                    kind=kind,
                    amount=amount,
                    due_date=max(_notification_date(convention, tranche.year), signature_date),
                    condition=(
                        _("Notification of the %(year)s tranche.") % {"year": tranche.year}
                        if not committed_total
                        else _("Notification of %(amendment)s for %(year)s.")
                        % {"amendment": label.lower(), "year": tranche.year}
                    ),
                )
            )
    return Payment.objects.bulk_create(payments)


@transaction.atomic
def amendment_sign(
    *, amendment: ConventionAmendment, user, signature_date: datetime.date | None
) -> ConventionAmendment:
    """Record the amendment as signed and apply it to the convention, all or nothing.

    Changed years get new tranches and their planned payments are rebuilt from the rule;
    years that are no longer covered lose their tranche, planned payments and expected
    report. The returned amendment carries ``warnings`` (written agreement, de minimis).
    """
    amendment = (
        ConventionAmendment.objects.select_for_update(of=("self",))
        .select_related("convention__beneficiary")
        .get(pk=amendment.pk)
    )
    convention = Convention.objects.select_for_update(of=("self",)).get(pk=amendment.convention_id)
    if not amendment.is_draft:
        raise ValidationError(_("This amendment is already signed."))
    if signature_date is None:
        raise ValidationError(_("Give the signature date."))
    if signature_date > timezone.localdate():
        raise ValidationError(_("The signature date cannot be in the future."))
    if convention.signature_date and signature_date < convention.signature_date:
        raise ValidationError(
            _("An amendment cannot be signed before the convention (%(date)s).")
            % {"date": date_format(convention.signature_date)}
        )
    new_tranches = list(amendment.tranches.select_related("programme_line__programme"))
    check_amendment(convention=convention, end_year=amendment.end_year, tranches=new_tranches)
    old_tranches = {t.year: t for t in convention.tranches.select_related("programme_line")}
    amendment.previous_terms = {
        "end_year": convention.end_year,
        "amount_granted": str(convention.amount_granted),
        "objectives_changed": bool(amendment.objectives),
        "tranches": {
            str(year): {"amount": str(t.amount), "line": t.programme_line.title}
            for year, t in sorted(old_tranches.items())
        },
    }
    new_amount = sum((t.amount for t in new_tranches), Decimal("0.00"))
    before_amount = convention.amount_granted
    convention.end_year = amendment.end_year
    convention.amount_granted = new_amount
    if amendment.objectives:
        convention.objectives = amendment.objectives
    convention.full_clean()
    convention.save()
    new_years = {t.year for t in new_tranches}
    for year, tranche in old_tranches.items():
        if year not in new_years:
            tranche.delete()  # only planned or cancelled payments: checked above
    _sync_reports(convention)
    reports = {report.year: report for report in convention.reports.all()}
    changed = []
    for spec in new_tranches:
        tranche = old_tranches.get(spec.year)
        if tranche is None:
            tranche = Tranche.objects.create(
                convention=convention,
                year=spec.year,
                amount=spec.amount,
                programme_line=spec.programme_line,
            )
        elif tranche.amount == spec.amount and tranche.programme_line_id == spec.programme_line_id:
            continue
        else:
            tranche.amount = spec.amount
            tranche.programme_line = spec.programme_line
            tranche.save()
        changed.append(spec.year)
        _regenerate_year(
            convention=convention,
            tranche=tranche,
            report=reports.get(spec.year),
            signature_date=signature_date,
            label=amendment.label,
        )
    amendment.status = AmendmentStatus.SIGNED
    amendment.signature_date = signature_date
    amendment.signed_by = user
    amendment.save()
    _log(
        convention=convention,
        subject=LogSubject.AMENDMENT,
        from_status=AmendmentStatus.DRAFT,
        to_status=AmendmentStatus.SIGNED,
        user=user,
        comment=_(
            "%(amendment)s signed on %(date)s: amount granted %(before)s → %(after)s, last "
            "year %(end)s; payments rebuilt for %(years)s."
        )
        % {
            "amendment": amendment.label,
            "date": date_format(signature_date),
            "before": money(before_amount),
            "after": money(new_amount),
            "end": convention.end_year,
            "years": ", ".join(str(year) for year in changed) or "—",
        },
    )
    amendment.convention = convention
    amendment.warnings = amendment_warnings(amendment)
    notify(
        "projects/conventions/amendment_signed",
        to=_beneficiary_emails(convention),
        context={"convention": convention, "amendment": amendment},
    )
    return amendment
