"""Demo data of orientation 3: structuring projects, running conventions, payments, reports.

Dates follow today's date so the demo always shows a convention in its third year with a late
report, a report waiting for review and a payment due within 30 days. Idempotent.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from ess_metro import workflow
from ess_metro.directory.models import Commune
from programme.models import AnnualProgramme, Axis, Plan, ProgrammeLine, ProgrammeStatus
from projects.conventions import services
from projects.conventions.models import (
    Convention,
    ConventionStatus,
    MetroCompetence,
    PaymentKind,
    PaymentStatus,
    ProjectTheme,
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


def _line_for(year: int, context) -> ProgrammeLine:
    programme = AnnualProgramme.objects.filter(year=year).order_by("-version").first()
    if programme is None:
        today = timezone.localdate()
        programme = AnnualProgramme.objects.create(
            plan=Plan.objects.current() or Plan.objects.first(),
            year=year,
            title=f"Programme annuel ESS {year}",
            status=ProgrammeStatus.PUBLISHED
            if year < today.year
            else ProgrammeStatus.ADOPTED
            if year == today.year
            else ProgrammeStatus.DRAFT,
        )
    axis = Axis.objects.get(code="conventions", orientation__number=3)
    line, _created = ProgrammeLine.objects.get_or_create(
        programme=programme,
        axis=axis,
        title=LINE_TITLE,
        defaults={"planned_amount": Decimal("60000.00"), "position": 30},
    )
    return line


def _project(data, context) -> StructuringProject:
    project, created = StructuringProject.objects.get_or_create(
        title=data["title"],
        defaults={
            "carrier": context.organisations[data["carrier"]],
            "theme": data["theme"],
            "competence": data["competence"],
            "summary": data["summary"],
            "objectives": data["objectives"],
            "status": data["status"],
            "whole_metro": data.get("whole_metro", False),
        },
    )
    if created:
        project.partners.set(context.organisations[key] for key in data["partners"])
        project.communes.set(Commune.objects.filter(name__in=data["communes"]))
    return project


def _convention(
    *, reference, project, start, years, yearly, signed_on, indicators, user, context
) -> Convention | None:
    if Convention.objects.filter(reference=reference).exists():
        return None
    tranches = [
        services.TrancheSpec(year=year, amount=yearly, programme_line=_line_for(year, context))
        for year in range(start, start + years)
    ]
    convention = services.convention_create(
        reference=reference,
        beneficiary=project.carrier,
        structuring_project=project,
        title=project.title,
        objectives=project.objectives,
        evaluation="Comité de pilotage annuel avec la Métro et les partenaires du projet.",
        start_year=start,
        end_year=start + years - 1,
        tranches=tranches,
        indicators=indicators,
        user=user,
    )
    convention.log.filter(to_status=ConventionStatus.DRAFT).update(
        at=timezone.make_aware(
            datetime.datetime.combine(signed_on - datetime.timedelta(days=30), datetime.time(15))
        )
    )
    convention.account_holder = project.carrier.name
    convention.iban = "FR7630006000011234567890189"
    convention.bic = "AGRIFRPP"
    convention.save()
    workflow.fire(convention, "sign", signature_date=signed_on)
    workflow.fire(convention, "start")
    convention.log.filter(
        to_status__in=[ConventionStatus.SIGNED, ConventionStatus.RUNNING], user=None
    ).update(
        user=user, at=timezone.make_aware(datetime.datetime.combine(signed_on, datetime.time(10)))
    )
    return convention


def _pay(payment, when: datetime.date, number: int) -> None:
    payment.due_date = min(payment.due_date, when)
    payment.save()
    if payment.status == PaymentStatus.PLANNED:
        workflow.fire(payment, "request")
    workflow.fire(
        payment, "pay", paid_date=when, accounting_reference=f"MDT-{when.year}-{number:05d}"
    )


def _submit(report, user, when: datetime.date, text: str) -> None:
    workflow.fire(
        report,
        "submit",
        activity_report=text,
        financial_report=(
            "Subvention utilisée conformément au budget prévisionnel ; voir le compte rendu "
            "financier joint à l'envoi papier."
        ),
        expenses=Decimal("98500.00"),
    )
    report.submitted_by = user
    report.submitted_at = timezone.make_aware(datetime.datetime.combine(when, datetime.time(9)))
    report.save()


def _amendment(*, reference, year, user, context) -> None:
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
                year=tranche_year, amount=amount, programme_line=_line_for(tranche_year, context)
            )
            for tranche_year, amount in sorted(amounts.items())
        ],
    )
    signed_on = max(convention.signature_date, timezone.localdate() - datetime.timedelta(days=14))
    services.amendment_sign(amendment=amendment, user=user, signature_date=signed_on)


def seed(context) -> None:
    today = timezone.localdate()
    year = today.year
    staff = context.users.get("staff")
    projects = {data["key"]: _project(data, context) for data in PROJECTS}

    # In its third year, with the report of last year late.
    first = _convention(
        reference=f"CONV-{year - 2}-001",
        project=projects["recyclerie"],
        start=year - 2,
        years=3,
        yearly=Decimal("24000.00"),
        signed_on=datetime.date(year - 2, 2, 12),
        indicators=[
            {"label": "Objets détournés de l'enfouissement", "unit": "t", "target": Decimal(120)},
            {"label": "Salariés en insertion", "unit": "personnes", "target": Decimal(6)},
        ],
        user=staff,
        context=context,
    )
    if first is not None:
        payments = {(p.tranche.year, p.kind): p for p in first.payments.select_related("tranche")}
        _pay(payments[(year - 2, PaymentKind.ADVANCE)], datetime.date(year - 2, 3, 5), 412)
        report = first.reports.get(year=year - 2)
        _submit(
            report,
            context.users.get("applicant2"),
            datetime.date(year - 1, 5, 28),
            ("132 tonnes détournées, 7 salariés en insertion, 96 ateliers de réparation."),
        )
        workflow.fire(report, "approve")
        report.reviewed_at = report.submitted_at + datetime.timedelta(days=20)
        report.save()
        _pay(payments[(year - 2, PaymentKind.BALANCE)], datetime.date(year - 1, 7, 8), 1877)
        _pay(payments[(year - 1, PaymentKind.ADVANCE)], datetime.date(year - 1, 2, 20), 391)
        _pay(payments[(year, PaymentKind.ADVANCE)], datetime.date(year, 2, 18), 355)

    _amendment(reference=f"CONV-{year - 2}-001", year=year, user=staff, context=context)

    # In its second year: last year's report waits for review, this year's advance is due soon.
    second = _convention(
        reference=f"CONV-{year - 1}-001",
        project=projects["autopartage"],
        start=year - 1,
        years=3,
        yearly=Decimal("15000.00"),
        signed_on=datetime.date(year - 1, 3, 10),
        indicators=[
            {"label": "Personnes accompagnées", "unit": "personnes", "target": Decimal(150)},
            {
                "label": "Véhicules en autopartage solidaire",
                "unit": "véhicules",
                "target": Decimal(8),
            },
        ],
        user=staff,
        context=context,
    )
    if second is not None:
        payments = {(p.tranche.year, p.kind): p for p in second.payments.select_related("tranche")}
        _pay(payments[(year - 1, PaymentKind.ADVANCE)], datetime.date(year - 1, 4, 2), 655)
        _submit(
            second.reports.get(year=year - 1),
            staff,
            min(today, datetime.date(year, 6, 20)),
            "142 personnes accompagnées, 7 véhicules en service.",
        )
        advance = payments[(year, PaymentKind.ADVANCE)]
        workflow.fire(advance, "request")
        advance.due_date = today + datetime.timedelta(days=12)
        advance.condition = "Reporté dans l'attente du nouveau RIB de la coopérative."
        advance.save()
