"""Factories of the governance tests."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from communication.models import CommunicationStrategy, StrategyStatus
from demo.factories.core import MandateFactory
from governance.models import (
    AgendaItem,
    College,
    KeyMoment,
    Mandate,
    MandateKind,
    Meeting,
    MeetingStatus,
    SeatCategory,
)
from programme.models import AnnualProgramme, Axis, Plan, ProgrammeLine, ProgrammeStatus


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    key_moment = KeyMoment.PROGRAMMING
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=2))
    start_time = datetime.time(14, 30)
    end_time = datetime.time(17, 0)
    place = "Forum de la Métropole, Grenoble"
    status = MeetingStatus.PLANNED


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    start_time = datetime.time(14, 45)
    end_time = datetime.time(15, 15)
    topic = "Communication"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualProgramme

    plan = factory.LazyFunction(lambda: Plan.objects.current())
    year = factory.Sequence(lambda n: 2030 + n)
    status = ProgrammeStatus.SUBMITTED


class LineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeLine

    programme = factory.SubFactory(ProgrammeFactory)
    axis = factory.LazyFunction(lambda: Axis.objects.order_by("pk").first())
    title = factory.Sequence(lambda n: f"Ligne {n}")
    planned_amount = Decimal("10000.00")


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunicationStrategy

    year = factory.Sequence(lambda n: 2030 + n)
    title = factory.Sequence(lambda n: f"Stratégie de communication {n}")
    status = StrategyStatus.SUBMITTED


def college(code: str) -> College:
    return College.objects.get(code=code)


def seat(college_code="communes", category=SeatCategory.COMMUNE, **kwargs) -> Mandate:
    """A holder's mandate running today (communes: no quota)."""
    return MandateFactory(college=college(college_code), category=category, **kwargs)


def substitute_of(holder: Mandate, **kwargs) -> Mandate:
    return MandateFactory(
        college=holder.college,
        category=holder.category,
        organisation=holder.organisation,
        kind=MandateKind.SUBSTITUTE,
        holder=holder,
        **kwargs,
    )
