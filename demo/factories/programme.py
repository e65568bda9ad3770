"""Factories of the programme app."""

import datetime
from decimal import Decimal

import factory

from demo.factories.core import OrganisationFactory
from programme.models import (
    AnnualProgramme,
    Axis,
    DevelopmentTool,
    Indicator,
    Plan,
    ProgrammeLine,
    ProgrammeStatus,
    ProgrammeTransition,
    ToolEndowment,
    ToolKind,
    ToolSupport,
)


def axis(code: str) -> Axis:
    return Axis.objects.select_related("orientation").get(code=code)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualProgramme
        django_get_or_create = ["year", "version"]

    plan = factory.LazyFunction(Plan.objects.current)
    year = 2026
    version = 1
    title = factory.LazyAttribute(lambda o: f"Programmation annuelle ESS {o.year}")
    status = ProgrammeStatus.DRAFT

    class Params:
        adopted = factory.Trait(
            status=ProgrammeStatus.ADOPTED,
            deliberation_reference="DEL-2025-0100",
            deliberation_date=datetime.date(2025, 12, 18),
        )
        published = factory.Trait(
            status=ProgrammeStatus.PUBLISHED,
            deliberation_reference="DEL-2025-0100",
            deliberation_date=datetime.date(2025, 12, 18),
            published_on=datetime.date(2026, 1, 8),
        )


class LineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeLine

    programme = factory.SubFactory(ProgrammeFactory)
    axis = factory.LazyFunction(lambda: axis("events"))
    title = factory.Sequence(lambda n: f"Ligne {n}")
    planned_amount = Decimal("1000.00")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    line = factory.SubFactory(LineFactory)
    label = factory.Sequence(lambda n: f"Indicateur {n}")
    unit = "structures"
    target = Decimal("10")


class ToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentTool

    name = factory.Sequence(lambda n: f"Outil {n}")
    slug = factory.Sequence(lambda n: f"outil-{n}")
    kind = ToolKind.SUPPORT
    operator = factory.SubFactory(OrganisationFactory)
    summary = "Accompagnement des structures de l'ESS."


class EndowmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ToolEndowment

    tool = factory.SubFactory(ToolFactory)
    year = 2026
    amount = Decimal("1000.00")
    paid_amount = Decimal("0.00")


class SupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ToolSupport

    tool = factory.SubFactory(ToolFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    date = datetime.date(2026, 3, 1)
    kind_of_support = "Diagnostic partagé"
    amount = Decimal("2500.00")
    jobs_concerned = 4


class TransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeTransition

    programme = factory.SubFactory(ProgrammeFactory)
    from_status = ProgrammeStatus.SUBMITTED
    to_status = ProgrammeStatus.COMMITTEE_OPINION
