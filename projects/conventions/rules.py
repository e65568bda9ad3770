"""The numbers of the deliberations for conventions, pure: values in, values or
``ValidationError`` out; no database, no request.

- A convention lasts from 1 to 4 years; it has one tranche per year, funded by a line of that
  year's programme, and the tranches add up to the amount granted.
- A yearly tranche below 5,000 € is paid in one go at notification; from 5,000 € (included),
  80 % at notification and the balance on approval of that year's report.
- The report of a year is due on 30 June of the next year.
- A written multi-year objectives agreement is mandatory above 23,000 € a year.
- De minimis: an enterprise may receive at most 300,000 € (750,000 € for a service of general
  economic interest) over 3 rolling years.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ess_metro.formatting import money
from ess_metro.money import ZERO, to_money

WRITTEN_AGREEMENT_THRESHOLD = Decimal("23000.00")
SINGLE_PAYMENT_THRESHOLD = Decimal("5000.00")
ADVANCE_SHARE = Decimal("0.80")
MAX_CONVENTION_YEARS = 4
DE_MINIMIS_YEARS = 3
DE_MINIMIS_CEILING = Decimal("300000.00")
DE_MINIMIS_SIEG_CEILING = Decimal("750000.00")

# The kinds of payment of the schedule (the values of ``models.PaymentKind``).
SINGLE = "single"
ADVANCE = "advance"
BALANCE = "balance"


@dataclass(frozen=True)
class TrancheLine:
    """One year of a convention as the rules see it: its amount and its programme's year."""

    year: int
    amount: Decimal
    line_year: int


# --- years and tranches ----------------------------------------------------------------------


def check_years(start_year: int, end_year: int) -> None:
    """A convention lasts from 1 to 4 years."""
    if end_year < start_year:
        raise ValidationError(_("The last year cannot be before the first year."))
    if end_year - start_year + 1 > MAX_CONVENTION_YEARS:
        raise ValidationError(_("A convention lasts from 1 to 4 years."))


def _tranche_errors(tranche, start_year: int, end_year: int) -> list[str]:
    errors = []
    if not start_year <= tranche.year <= end_year:
        errors.append(
            _("The %(year)s tranche is outside the years of the convention (%(start)s–%(end)s).")
            % {"year": tranche.year, "start": start_year, "end": end_year}
        )
    if tranche.amount <= 0:
        errors.append(_("The %(year)s tranche must be a positive amount.") % {"year": tranche.year})
    if tranche.line_year != tranche.year:
        errors.append(
            _(
                "The %(year)s tranche must be funded by a line of the %(year)s programme, "
                "not of %(line_year)s."
            )
            % {"year": tranche.year, "line_year": tranche.line_year}
        )
    return errors


def check_tranches(
    *, start_year: int, end_year: int, tranches: Iterable, amount_granted: Decimal
) -> None:
    """One tranche per year, inside the years, positive, on its year's programme; the tranches
    add up to the amount granted. ``tranches`` have ``year``, ``amount`` and ``line_year``."""
    errors = []
    seen = set()
    total = ZERO
    for tranche in tranches:
        total += tranche.amount
        if tranche.year in seen:
            errors.append(_("There can be only one tranche for %(year)s.") % {"year": tranche.year})
        seen.add(tranche.year)
        errors.extend(_tranche_errors(tranche, start_year, end_year))
    if not seen:
        errors.append(_("Give at least one yearly tranche."))
    elif total != amount_granted:
        errors.append(
            _("The tranches add up to %(total)s but the amount granted is %(granted)s.")
            % {"total": money(total), "granted": money(amount_granted)}
        )
    if errors:
        raise ValidationError(errors)


def needs_written_agreement(amount: Decimal) -> bool:
    """A written multi-year objectives agreement is mandatory above 23,000 € a year."""
    return amount > WRITTEN_AGREEMENT_THRESHOLD


def written_agreement_warnings(*, written_agreement: bool, tranches: Iterable) -> list[str]:
    """Years above 23,000 € when the convention is not a written multi-year agreement."""
    if written_agreement:
        return []
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
        if needs_written_agreement(tranche.amount)
    ]


def line_overrun_warnings(tranches: Iterable) -> list[str]:
    """Tranches larger than the planned amount of the programme line that funds them.
    ``tranches`` have ``year``, ``amount``, ``line_title`` and ``line_planned``."""
    return [
        _(
            "The %(year)s tranche (%(amount)s) is larger than the %(planned)s planned on its "
            "programme line “%(line)s”."
        )
        % {
            "year": tranche.year,
            "amount": money(tranche.amount),
            "planned": money(tranche.line_planned),
            "line": tranche.line_title,
        }
        for tranche in tranches
        if tranche.line_planned is not None and tranche.amount > tranche.line_planned
    ]


def check_written_agreement(*, written_agreement: bool, tranches: Iterable) -> None:
    """Above 23,000 € a year, a convention is signed only as a written multi-year objectives
    agreement (loi n° 2000-321, art. 10): refused otherwise, with every year concerned."""
    warnings = written_agreement_warnings(written_agreement=written_agreement, tranches=tranches)
    if warnings:
        raise ValidationError(
            [
                *warnings,
                _(
                    "Tick “written multi-year objectives agreement” on the convention (and "
                    "have that agreement signed) before recording the signature."
                ),
            ]
        )


# --- payment schedule ------------------------------------------------------------------------


def schedule_for(amount: Decimal) -> list[tuple[str, Decimal]]:
    """The Métro rule for one yearly tranche: [(kind, amount), ...].

    Below 5,000 € one payment; from 5,000 € (included) 80 % (rounded to the cent) at
    notification and the balance on approval of the report.
    """
    if amount < SINGLE_PAYMENT_THRESHOLD:
        return [(SINGLE, amount)]
    advance = to_money(amount * ADVANCE_SHARE)
    return [(ADVANCE, advance), (BALANCE, amount - advance)]


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
    notification_kind = SINGLE if SINGLE in rule else ADVANCE
    notification = max(ZERO, min(remaining, rule[notification_kind] - committed_notification))
    plan = []
    if notification > 0:
        plan.append((notification_kind, notification))
    if remaining - notification > 0:
        plan.append((BALANCE, remaining - notification))
    return plan


def notification_date(
    year: int, signature_date: datetime.date | None, *, today: datetime.date
) -> datetime.date:
    """When a year's tranche is notified: 31 January of the year at the earliest. A signed
    convention is notified at its signature if later; a draft one not before ``today``, so a
    schedule is never late the day it is planned."""
    return max(datetime.date(year, 1, 31), signature_date or today)


def balance_due_date(year: int, *, today: datetime.date) -> datetime.date:
    """A balance waits for the year's report, due on 30 June of the next year; a schedule
    planned later than that expects it from ``today``, never in the past."""
    return max(report_due_date(year), today)


def report_due_date(year: int) -> datetime.date:
    """The activity and financial report of ``year`` is due 6 months after the year's end."""
    return datetime.date(year + 1, 6, 30)


def check_payment_amount(
    *, amount: Decimal | None, others: Decimal, tranche_amount: Decimal, year: int
) -> None:
    """A payment is positive and the payments of a year never pass that year's tranche."""
    if amount is None or amount <= 0:
        raise ValidationError(_("A payment must be a positive amount."))
    if others + amount > tranche_amount:
        raise ValidationError(
            _(
                "The payments of %(year)s would add up to %(total)s, more than the %(granted)s "
                "granted for that year."
            )
            % {"year": year, "total": money(others + amount), "granted": money(tranche_amount)}
        )


def check_not_in_future(value: datetime.date | None, *, today: datetime.date, missing, future):
    """A signature or payment date: given, and not after today."""
    if value is None:
        raise ValidationError(missing)
    if value > today:
        raise ValidationError(future)


# --- de minimis ------------------------------------------------------------------------------


def de_minimis_window(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last days (both included) of the 3 rolling years ending on ``on``."""
    try:
        since = on.replace(year=on.year - DE_MINIMIS_YEARS)
    except ValueError:  # 29 February
        since = on.replace(year=on.year - DE_MINIMIS_YEARS, day=28)
    return since + datetime.timedelta(days=1), on


def de_minimis_counts(aid_date: datetime.date | None, on: datetime.date) -> bool:
    """Whether an aid granted on ``aid_date`` counts in the window ending on ``on``."""
    first, last = de_minimis_window(on)
    return aid_date is not None and first <= aid_date <= last


def de_minimis_ceiling(*, sieg: bool = False) -> Decimal:
    """300,000 € over 3 years; 750,000 € for a service of general economic interest."""
    return DE_MINIMIS_SIEG_CEILING if sieg else DE_MINIMIS_CEILING


def de_minimis_exceeded(*, received: Decimal, amount: Decimal, sieg: bool = False) -> bool:
    """Whether granting ``amount`` more would pass the ceiling (reaching it is allowed)."""
    return received + amount > de_minimis_ceiling(sieg=sieg)


def de_minimis_message(
    *, name: str, conventions: Decimal, tools: Decimal, amount: Decimal, sieg: bool = False
) -> str:
    """The French warning when granting ``amount`` would pass the ceiling, else ''."""
    received = conventions + tools
    if not de_minimis_exceeded(received=received, amount=amount, sieg=sieg):
        return ""
    return _(
        "De minimis: %(name)s received %(received)s from the Métro over the last 3 years "
        "(conventions: %(conventions)s; development tools: %(tools)s); with %(amount)s more "
        "it would pass the ceiling of %(ceiling)s%(sieg)s."
    ) % {
        "name": name,
        "received": money(received),
        "conventions": money(conventions),
        "tools": money(tools),
        "amount": money(amount),
        "ceiling": money(de_minimis_ceiling(sieg=sieg), 0),
        "sieg": _(" (service of general economic interest)") if sieg else "",
    }
