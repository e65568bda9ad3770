"""Subsidy open data in the national SCDL « subventions » format (version 2.1.0).

Loi n° 2000-321 (art. 10), décret n° 2017-779 and the arrêté of 17 November 2017: an
authority that grants more than 23,000 € a year to a beneficiary publishes the essential data
of the agreement. A year's file has one row per beneficiary of:

- every convention signed (signed, running, closed, or terminated after its signature) that
  has a tranche that year; ``dispositifAide`` is the plan's orientation of its programme line,
  or the call when the convention comes from a call file;
- every call file granted that year that has no convention yet; ``dispositifAide`` is the
  call.

``settings.SCDL_PUBLISH_ALL`` publishes every subsidy; otherwise only those whose yearly amount
is above the legal threshold. The attributing authority is ``settings.SCDL_AUTHORITY_NAME``
and ``settings.SCDL_AUTHORITY_SIRET``. A beneficiary without a valid SIRET nor an RNA number
cannot be published in this format (the schema requires one of them): its row is left out.

The schema itself, as a Frictionless Table Schema, is ``projects/schemas/`` in the repository;
the tests validate the files against it.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from ess_metro.directory.rules import is_valid_rna, is_valid_siret

from .calls.models import Application
from .conventions.models import Convention, ConventionStatus, PaymentStatus
from .conventions.rules import SINGLE_PAYMENT_THRESHOLD, needs_written_agreement

FIELDS = (
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
)
CASH = "aide en numéraire"
OBJECT_MAX_LENGTH = 256


@dataclass(frozen=True)
class Beneficiary:
    name: str
    siret: str
    rna: str
    is_enterprise: bool

    @classmethod
    def of(cls, organisation) -> "Beneficiary":
        return cls(
            name=organisation.name,
            siret=organisation.siret if is_valid_siret(organisation.siret) else "",
            rna=organisation.rna if is_valid_rna(organisation.rna) else "",
            is_enterprise=organisation.is_enterprise,
        )

    @property
    def identified(self) -> bool:
        return bool(self.siret or self.rna)


def _period(dates) -> str:
    dates = sorted(day for day in dates if day)
    if not dates:
        return ""
    first, last = dates[0].isoformat(), dates[-1].isoformat()
    return first if first == last else f"{first}/{last}"


def _row(*, beneficiary: Beneficiary, signed_on, decision: str, subject: str, amount: Decimal,
         instalments: int, period: str, scheme: str) -> dict:  # fmt: skip
    return {
        "nomAttribuant": settings.SCDL_AUTHORITY_NAME,
        "idAttribuant": settings.SCDL_AUTHORITY_SIRET,
        "dateConvention": signed_on.isoformat(),
        "referenceDecision": decision,
        "nomBeneficiaire": beneficiary.name,
        "idBeneficiaire": beneficiary.siret,
        "rnaBeneficiaire": beneficiary.rna,
        "objet": subject[:OBJECT_MAX_LENGTH],
        "montant": f"{amount:.2f}",
        "nature": CASH,
        "conditionsVersement": "unique" if instalments <= 1 else "échelonné",
        "datesPeriodeVersement": period or signed_on.isoformat(),
        "idRAE": "",
        # Aid to an enterprise falls under the de minimis regulation (see conventions.rules).
        "notificationUE": "oui" if beneficiary.is_enterprise else "non",
        "pourcentageSubvention": "1.00",
        "dispositifAide": scheme,
    }


def _published(amount: Decimal | None) -> bool:
    return amount is not None and (settings.SCDL_PUBLISH_ALL or needs_written_agreement(amount))


def _convention_rows(year: int) -> list[dict]:
    conventions = (
        Convention.objects.filter(signature_date__isnull=False, tranches__year=year)
        .exclude(status=ConventionStatus.DRAFT)
        .select_related("beneficiary")
        .prefetch_related("tranches__programme_line__axis__orientation", "payments")
        .order_by("signature_date", "reference")
        .distinct()
    )
    from_calls = {
        convention_id: (decision, call)
        for convention_id, decision, call in Application.objects.filter(
            convention__in=conventions
        ).values_list("convention_id", "deliberation_reference", "call__title")
    }
    rows = []
    for convention in conventions:
        tranche = next(t for t in convention.tranches.all() if t.year == year)
        beneficiary = Beneficiary.of(convention.beneficiary)
        if not (_published(tranche.amount) and beneficiary.identified):
            continue
        decision, call = from_calls.get(convention.pk, ("", ""))
        payments = [p for p in convention.payments.all() if p.status != PaymentStatus.CANCELLED]
        rows.append(
            _row(
                beneficiary=beneficiary,
                signed_on=convention.signature_date,
                decision=decision,
                subject=convention.title,
                amount=convention.amount_granted,
                instalments=len(payments),
                period=_period(p.paid_date or p.due_date for p in payments),
                scheme=call or tranche.programme_line.axis.orientation.title,
            )
        )
    return rows


def _application_rows(year: int) -> list[dict]:
    applications = (
        Application.objects.granted()
        .filter(decision_date__year=year, convention__isnull=True)
        .select_related("organisation", "call")
        .order_by("decision_date", "reference")
    )
    rows = []
    for application in applications:
        beneficiary = Beneficiary.of(application.organisation)
        if not (_published(application.granted_amount) and beneficiary.identified):
            continue
        single = application.granted_amount < SINGLE_PAYMENT_THRESHOLD
        rows.append(
            _row(
                beneficiary=beneficiary,
                signed_on=application.decision_date,
                decision=application.deliberation_reference,
                subject=application.title,
                amount=application.granted_amount,
                instalments=1 if single else 2,
                period=application.decision_date.isoformat(),
                scheme=application.call.title,
            )
        )
    return rows


def subsidy_rows(*, year: int) -> list[dict]:
    """The rows of ``year``'s file, in the schema's field order."""
    return _convention_rows(year) + _application_rows(year)


def subsidy_years() -> list[int]:
    """The years that have at least one convention tranche or granted call file, newest first."""
    years = set(
        Convention.objects.filter(signature_date__isnull=False)
        .exclude(status=ConventionStatus.DRAFT)
        .values_list("tranches__year", flat=True)
    )
    years |= {
        day.year
        for day in Application.objects.granted()
        .filter(decision_date__isnull=False)
        .values_list("decision_date", flat=True)
    }
    return sorted((year for year in years if year), reverse=True)


def as_csv(rows: list[dict]) -> str:
    """UTF-8 CSV, comma-separated, the field names as header, every cell quoted when needed.

    Values are written as they are, without the leading apostrophe that neutralises
    spreadsheet formulas in the staff exports: this file is read by programs (data.gouv.fr,
    validators), and a changed value would be a false datum. The text comes from names and
    titles that staff checked, and ``csv.QUOTE_MINIMAL`` keeps commas and line breaks inside
    their cell.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
