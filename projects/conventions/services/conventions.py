"""Writes of structuring projects and conventions."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ess_metro import workflow
from ess_metro.money import ZERO

from .. import rules
from ..models import (
    Convention,
    ConventionIndicator,
    ConventionStatus,
    PaymentStatus,
    StructuringProject,
    StructuringProjectStatus,
)
from ._common import (
    TrancheSpec,
    check_signature_date,
    create_tranches,
    locked,
    log_edit,
    step_towards,
    sync_reports,
)
from .payments import date_advances, schedule_generate

CONVENTION_STEPS = {
    ConventionStatus.SIGNED: "sign",
    ConventionStatus.RUNNING: "start",
    ConventionStatus.CLOSED: "close",
    ConventionStatus.TERMINATED: "terminate",
}
PROJECT_STEPS = {
    StructuringProjectStatus.STUDY: "study",
    StructuringProjectStatus.SUPPORTED: "support",
    StructuringProjectStatus.COMPLETED: "complete",
    StructuringProjectStatus.ABANDONED: "abandon",
}


@transaction.atomic
def structuring_project_save(*, form, user) -> StructuringProject:
    """Save the project's form; a new status goes through the project's workflow."""
    project = form.save(commit=False)
    target = project.status
    saved = form.initial.get("status") if project.pk else target
    project.status = saved
    project.save()
    form.save_m2m()
    if target != saved:
        workflow.fire(project, PROJECT_STEPS[target], user=user)
    return project


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


def default_parties(beneficiary) -> str:
    return _(
        "Grenoble-Alpes Métropole, 3 rue Malakoff, 38031 Grenoble, represented by its "
        "President,\nand %(name)s, represented by its legal representative."
    ) % {"name": beneficiary.name}


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


def _check_terms(convention: Convention, tranches: list | None) -> None:
    rules.check_years(convention.start_year, convention.end_year)
    if tranches is not None:
        rules.check_tranches(
            start_year=convention.start_year,
            end_year=convention.end_year,
            tranches=tranches,
            amount_granted=convention.amount_granted,
        )


def _plan(convention: Convention, tranches: list, user) -> None:
    """The tranches, the yearly reports and the payment schedule of a draft."""
    create_tranches(convention, tranches)
    sync_reports(convention)
    schedule_generate(convention=convention, user=user)


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
    """Create a draft convention with its tranches, yearly reports and payment schedule: a
    structuring project's, or a granted application's (the calls part calls this)."""
    tranches = list(tranches)
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
        amount_granted=sum((t.amount for t in tranches), ZERO)
        if amount_granted is None
        else amount_granted,
        written_agreement=written_agreement,
        sieg=sieg,
        created_by=user,
    )
    return _save_new(convention, tranches, indicators, user)


def _save_new(convention: Convention, tranches: list, indicators, user) -> Convention:
    _check_terms(convention, tranches)
    convention.full_clean()
    convention.save()
    _set_indicators(convention, indicators)
    _plan(convention, tranches, user)
    log_edit(
        convention,
        user=user,
        from_status="",
        to_status=ConventionStatus.DRAFT,
        comment=_("Convention prepared."),
    )
    return convention


MONEY_FIELDS = ("start_year", "end_year", "amount_granted")


def _check_money_change(convention: Convention, tranches, fields: dict) -> None:
    changes_money = tranches is not None or any(
        getattr(convention, name) != fields[name] for name in MONEY_FIELDS if name in fields
    )
    if changes_money and not convention.is_draft:
        raise ValidationError(
            _(
                "The years and amounts of a signed convention cannot change: prepare an "
                "amendment from the “Amendments” section of the convention page."
            )
        )


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
    convention = locked(Convention.objects, convention.pk)
    tranches = None if tranches is None else list(tranches)
    _check_money_change(convention, tranches, fields)
    for name, value in fields.items():
        setattr(convention, name, value)
    _check_terms(convention, tranches)
    convention.full_clean()
    convention._history_user = user
    convention.save()
    if tranches is not None:
        convention.payments.all().delete()
        convention.tranches.all().delete()
        _plan(convention, tranches, user)
    if indicators is not None:
        _set_indicators(convention, indicators)
    log_edit(
        convention,
        user=user,
        from_status=convention.status,
        to_status=convention.status,
        comment=_("Convention updated."),
    )
    return convention


def _signature(convention: Convention, signature_date: datetime.date | None) -> dict:
    signature_date = signature_date or convention.signature_date
    check_signature_date(signature_date)
    tranches = list(convention.tranches.select_related("programme_line__programme"))
    _check_terms(convention, tranches)
    rules.check_written_agreement(written_agreement=convention.written_agreement, tranches=tranches)
    return {"signature_date": signature_date}


def _cancel_open_payments(convention: Convention, user) -> None:
    comment = _("Convention %(status)s.") % {"status": convention.get_status_display()}
    for payment in convention.payments.filter(
        status__in=[PaymentStatus.PLANNED, PaymentStatus.REQUESTED]
    ):
        workflow.fire(payment, "cancel", user=user, comment=comment)


@transaction.atomic
def convention_transition(
    *,
    convention: Convention,
    to_status: str,
    user,
    comment: str = "",
    signature_date: datetime.date | None = None,
) -> Convention:
    """Move a convention to ``to_status`` through its workflow (``Convention.sign`` …)."""
    convention = locked(Convention.objects, convention.pk)
    name = step_towards(
        convention,
        CONVENTION_STEPS,
        to_status,
        _("The convention cannot go from “%(from)s” to “%(to)s”."),
    )
    kwargs = _signature(convention, signature_date) if name == "sign" else {}
    workflow.fire(convention, name, user=user, comment=comment, **kwargs)
    if name == "sign":
        date_advances(convention)
    if name in {"close", "terminate"}:
        _cancel_open_payments(convention, user)
    return convention
