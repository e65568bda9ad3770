"""Factories of orientation 3: programme lines, structuring projects, conventions."""

import datetime
from decimal import Decimal

import factory

from demo.factories.core import OrganisationFactory
from programme.models import AnnualProgramme, Axis, Plan, ProgrammeLine
from projects.conventions import services
from projects.conventions.models import (
    Convention,
    ConventionStatus,
    MetroCompetence,
    ProjectTheme,
    StructuringProject,
    StructuringProjectStatus,
)


def programme_line(year: int, title: str = "Conventions pluriannuelles") -> ProgrammeLine:
    programme, _created = AnnualProgramme.objects.get_or_create(
        year=year, version=1, defaults={"plan": Plan.objects.first()}
    )
    line, _created = ProgrammeLine.objects.get_or_create(
        programme=programme,
        title=title,
        defaults={"axis": Axis.objects.get(code="conventions", orientation__number=3)},
    )
    return line


class StructuringProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StructuringProject
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Projet structurant n°{n}")
    carrier = factory.SubFactory(OrganisationFactory)
    theme = ProjectTheme.WASTE
    competence = MetroCompetence.WASTE
    summary = "Réemploi des objets collectés en déchèterie."
    objectives = "Détourner 100 tonnes par an de l'enfouissement."
    whole_metro = True
    status = StructuringProjectStatus.SUPPORTED


def make_convention(
    *,
    beneficiary=None,
    amounts: dict[int, Decimal | int] | None = None,
    status: str = ConventionStatus.RUNNING,
    signed_on: datetime.date | None = None,
    user=None,
    structuring_project=None,
    written_agreement: bool = True,
    indicators=(),
):
    """A convention built by the service, then moved straight to ``status``."""
    amounts = amounts or {2026: 20000}
    beneficiary = beneficiary or OrganisationFactory()
    years = sorted(amounts)
    convention = services.convention_create(
        beneficiary=beneficiary,
        title="Recyclerie solidaire",
        objectives="Réemploi et insertion.",
        start_year=years[0],
        end_year=years[-1],
        tranches=[
            services.TrancheSpec(
                year=year, amount=Decimal(amount), programme_line=programme_line(year)
            )
            for year, amount in amounts.items()
        ],
        user=user,
        structuring_project=structuring_project,
        written_agreement=written_agreement,
        indicators=indicators,
    )
    if status != ConventionStatus.DRAFT:
        # Test set-up: straight to ``status``, without the workflow's log and e-mails.
        Convention.objects.filter(pk=convention.pk).update(
            status=status, signature_date=signed_on or datetime.date(years[0], 1, 15)
        )
        convention.refresh_from_db()
    return convention
