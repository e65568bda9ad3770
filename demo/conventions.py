"""Demo data of orientation 3: structuring projects, running conventions, payments, reports.

Dates follow today's date so the demo always shows a convention in its third year with a late
report, a report waiting for review and a payment due within 30 days. Idempotent: a convention
is found by its reference. Conventions, payments and reports move through the services (sign,
request, pay, submit, approve); their log rows are then dated as the steps happened.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from demo.core import ensure, programme_line
from demo.factories.conventions import StructuringProjectFactory
from ess_metro.directory.models import Commune
from programme.models import ProgrammeLine, ProgrammeStatus
from projects.conventions import services
from projects.conventions.models import (
    Convention,
    ConventionStatus,
    MetroCompetence,
    Payment,
    PaymentKind,
    PaymentStatus,
    ProjectTheme,
    Report,
    ReportStatus,
    StructuringProject,
    StructuringProjectStatus,
)

LINE_TITLE = "Conventions pluriannuelles — projets structurants d'intérêt communautaire"

PROJECTS = [
    {
        "key": "recyclerie",
        "title": "Recyclerie solidaire et ateliers de réemploi",
        "carrier": "peniche",
        "partners": ["mnei"],
        "theme": ProjectTheme.WASTE,
        "competence": MetroCompetence.WASTE,
        "summary": (
            "Collecte des objets réutilisables en déchèterie, remise en état dans des ateliers "
            "ouverts aux habitants et revente à petits prix."
        ),
        "objectives": (
            "Détourner 120 tonnes d'objets par an de l'enfouissement.\n"
            "Créer 6 emplois en insertion.\n"
            "Ouvrir deux ateliers de réparation par semaine aux habitants."
        ),
        "communes": ["Grenoble", "Échirolles", "Saint-Martin-d'Hères"],
        "status": StructuringProjectStatus.SUPPORTED,
    },
    {
        "key": "autopartage",
        "title": "Autopartage solidaire pour les salariés en insertion",
        "carrier": "autopartage",
        "partners": ["adate"],
        "theme": ProjectTheme.ECONOMY,
        "competence": MetroCompetence.MOBILITY,
        "summary": (
            "Des véhicules partagés à tarif solidaire pour que les salariés des structures "
            "d'insertion puissent rejoindre leur poste en horaires décalés."
        ),
        "objectives": (
            "Mettre 8 véhicules en autopartage solidaire dans les quartiers prioritaires.\n"
            "Accompagner 150 personnes par an vers la mobilité autonome."
        ),
        "communes": ["Grenoble", "Fontaine", "Le Pont-de-Claix", "Échirolles"],
        "status": StructuringProjectStatus.SUPPORTED,
    },
    {
        "key": "services",
        "title": "Plateforme coopérative de services aux personnes âgées",
        "carrier": "adate",
        "partners": ["mgen"],
        "theme": ProjectTheme.PERSONAL_SERVICES,
        "competence": MetroCompetence.URBAN_POLICY,
        "summary": (
            "Étude d'opportunité d'une plateforme coopérative d'aide à domicile, portée avec "
            "des mutuelles du territoire."
        ),
        "objectives": "Réaliser l'étude de marché et le modèle économique en 2026.",
        "communes": [],
        "whole_metro": True,
        "status": StructuringProjectStatus.STUDY,
    },
]


BANK = {"iban": "FR7630006000011234567890189", "bic": "AGRIFRPP"}
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FINANCIAL_REPORT = (
    "Subvention utilisée conformément au budget prévisionnel ; voir le compte rendu financier "
    "joint à l'envoi papier."
)

# key, reference year offset (from this year), project key, number of years, yearly amount,
# signature (month, day) of the first year, indicators (label, unit, target)
CONVENTIONS = [
    (
        "first",
        -2,
        "recyclerie",
        3,
        Decimal("24000.00"),
        (2, 12),
        [
            ("Objets détournés de l'enfouissement", "t", 120),
            ("Salariés en insertion", "personnes", 6),
        ],
    ),
    (
        "second",
        -1,
        "autopartage",
        3,
        Decimal("15000.00"),
        (3, 10),
        [
            ("Personnes accompagnées", "personnes", 150),
            ("Véhicules en autopartage solidaire", "véhicules", 8),
        ],
    ),
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _line_for(year: int) -> ProgrammeLine:
    """The conventions line of ``year`` (in a programme made in the status its year implies)."""
    today = timezone.localdate()
    if year < today.year:
        status = ProgrammeStatus.PUBLISHED
    elif year == today.year:
        status = ProgrammeStatus.ADOPTED
    else:
        status = ProgrammeStatus.DRAFT
    return programme_line(
        year, "conventions", LINE_TITLE, amount="60000.00", position=30, status=status
    )


def _project(data, context) -> StructuringProject:
    project, created = ensure(
        StructuringProjectFactory,
        "title",
        title=data["title"],
        carrier=context.organisations[data["carrier"]],
        theme=data["theme"],
        competence=data["competence"],
        summary=data["summary"],
        objectives=data["objectives"],
        status=data["status"],
        whole_metro=data.get("whole_metro", False),
    )
    if created:
        project.partners.set(context.organisations[key] for key in data["partners"])
        project.communes.set(Commune.objects.filter(name__in=data["communes"]))
    return project


def _convention(*, reference, project, start, years, yearly, indicators, user) -> Convention:
    """A draft convention with its tranches, indicators and bank details."""
    convention = services.convention_create(
        reference=reference,
        beneficiary=project.carrier,
        structuring_project=project,
        title=project.title,
        objectives=project.objectives,
        evaluation="Comité de pilotage annuel avec la Métro et les partenaires du projet.",
        start_year=start,
        end_year=start + years - 1,
        tranches=[
            services.TrancheSpec(year=year, amount=yearly, programme_line=_line_for(year))
            for year in range(start, start + years)
        ],
        indicators=[
            {"label": label, "unit": unit, "target": Decimal(target)}
            for label, unit, target in indicators
        ],
        user=user,
    )
    return services.convention_set_bank_details(
        convention=convention, account_holder=project.carrier.name, user=user, **BANK
    )


def _sign(convention, signed_on: datetime.date, user) -> Convention:
    convention = services.convention_transition(
        convention=convention,
        to_status=ConventionStatus.SIGNED,
        user=user,
        signature_date=signed_on,
    )
    convention.log.filter(to_status=ConventionStatus.DRAFT).update(
        at=_at(signed_on - datetime.timedelta(days=30), 15)
    )
    convention.log.filter(to_status=ConventionStatus.SIGNED).update(at=_at(signed_on, 10))
    return convention


def _request(payment, user, **fields) -> Payment:
    """Ask for the payment (with its due date or condition changed first, if any)."""
    if fields:
        for name, value in fields.items():
            setattr(payment, name, value)
        payment.save(update_fields=list(fields))
    return services.payment_transition(
        payment=payment, to_status=PaymentStatus.REQUESTED, user=user
    )


def _pay(payment, when: datetime.date, number: int, user) -> None:
    """Request and pay ``payment`` on ``when`` (its log dated so)."""
    payment = _request(payment, user, due_date=min(payment.due_date, when))
    services.payment_transition(
        payment=payment,
        to_status=PaymentStatus.PAID,
        user=user,
        paid_date=when,
        accounting_reference=f"MDT-{when.year}-{number:05d}",
    )
    payment.convention.log.filter(payment=payment).update(at=_at(when, 10))
    payment.convention.log.filter(
        payment=None, to_status=ConventionStatus.RUNNING, at__gt=_at(when, 10)
    ).update(at=_at(when, 10))


def _submit(report, user, when: datetime.date, text: str) -> Report:
    """The beneficiary hands in the report of a year, on ``when``."""
    report = services.report_submit(
        report=report,
        user=user,
        activity_report=text,
        financial_report=FINANCIAL_REPORT,
        expenses=Decimal("98500.00"),
        indicator_values={},
        files=[SimpleUploadedFile("compte-rendu-financier.pdf", DEMO_PDF, "application/pdf")],
    )
    report.submitted_at = _at(when, 9)
    report.save(update_fields=["submitted_at"])
    report.convention.log.filter(report=report).update(at=report.submitted_at)
    return report


def _approve(report, user) -> None:
    report = services.report_review(report=report, user=user, approve=True)
    report.reviewed_at = report.submitted_at + datetime.timedelta(days=20)
    report.save(update_fields=["reviewed_at"])
    report.convention.log.filter(report=report, to_status=ReportStatus.APPROVED).update(
        at=report.reviewed_at
    )


def _amendment(*, reference, year, user) -> None:
    """A signed amendment raising this year's tranche of the recyclerie (once)."""
    convention = Convention.objects.filter(reference=reference).first()
    if convention is None or convention.amendments.exists() or not convention.can_be_amended:
        return
    amounts = {t.year: t.amount for t in convention.tranches.all()}
    amounts[year] = Decimal("30000.00")
    amendment = services.convention_amend(
        convention=convention,
        user=user,
        reason=(
            "Ouverture d'un second atelier de réparation à Échirolles à partir de septembre : "
            "la tranche de l'année passe de 24 000 € à 30 000 €."
        ),
        end_year=convention.end_year,
        tranches=[
            services.TrancheSpec(
                year=tranche_year, amount=amount, programme_line=_line_for(tranche_year)
            )
            for tranche_year, amount in sorted(amounts.items())
        ],
    )
    signed_on = max(convention.signature_date, timezone.localdate() - datetime.timedelta(days=14))
    services.amendment_sign(amendment=amendment, user=user, signature_date=signed_on)


def _payments(convention) -> dict:
    return {(p.tranche.year, p.kind): p for p in convention.payments.select_related("tranche")}


def _third_year(convention, year: int, context) -> None:
    """Two years paid and reported; last year's report is late."""
    payments = _payments(convention)
    staff = context.users["staff"]
    _pay(payments[(year - 2, PaymentKind.ADVANCE)], datetime.date(year - 2, 3, 5), 412, staff)
    report = _submit(
        convention.reports.get(year=year - 2),
        context.users["applicant2"],
        datetime.date(year - 1, 5, 28),
        "132 tonnes détournées, 7 salariés en insertion, 96 ateliers de réparation.",
    )
    _approve(report, staff)
    _pay(payments[(year - 2, PaymentKind.BALANCE)], datetime.date(year - 1, 7, 8), 1877, staff)
    _pay(payments[(year - 1, PaymentKind.ADVANCE)], datetime.date(year - 1, 2, 20), 391, staff)
    this_year_advance = min(datetime.date(year, 2, 18), timezone.localdate())
    _pay(payments[(year, PaymentKind.ADVANCE)], this_year_advance, 355, staff)


def _second_year(convention, year: int, context) -> None:
    """Last year's report waits for review; this year's advance is requested, due soon."""
    payments = _payments(convention)
    staff = context.users["staff"]
    today = timezone.localdate()
    _pay(payments[(year - 1, PaymentKind.ADVANCE)], datetime.date(year - 1, 4, 2), 655, staff)
    _submit(
        convention.reports.get(year=year - 1),
        staff,
        min(today, datetime.date(year, 6, 20)),
        "142 personnes accompagnées, 7 véhicules en service.",
    )
    _request(
        payments[(year, PaymentKind.ADVANCE)],
        staff,
        due_date=today + datetime.timedelta(days=12),
        condition="Reporté dans l'attente du nouveau RIB de la coopérative.",
    )


STORIES = {"first": _third_year, "second": _second_year}


def seed(context) -> None:
    year = timezone.localdate().year
    staff = context.users.get("staff")
    projects = {data["key"]: _project(data, context) for data in PROJECTS}
    for key, offset, project, years, yearly, (month, day), indicators in CONVENTIONS:
        reference = f"CONV-{year + offset}-001"
        if Convention.objects.filter(reference=reference).exists():
            continue
        convention = _convention(
            reference=reference,
            project=projects[project],
            start=year + offset,
            years=years,
            yearly=yearly,
            indicators=indicators,
            user=staff,
        )
        # New bank details wait for a second member of staff before any payment.
        convention = services.convention_confirm_bank_details(
            convention=convention, user=context.users["staff2"]
        )
        convention = _sign(convention, datetime.date(year + offset, month, day), staff)
        STORIES[key](convention, year, context)
    _amendment(reference=f"CONV-{year - 2}-001", year=year, user=staff)
