"""Factories of the communication app."""

import datetime
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from communication.models import (
    CommunicationStrategy,
    Dataset,
    DatasetStatus,
    Event,
    EventKind,
    EventStatus,
    NewsItem,
    Statistic,
    StrategyAction,
    WorkingGroup,
)
from demo.factories.core import OrganisationFactory
from ess_metro.directory.models import Commune, EssFamily


def in_days(days: int, hour: int = 18) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Rencontre ESS n°{n}")
    slug = factory.Sequence(lambda n: f"rencontre-ess-{n}")
    description = "Une rencontre pour découvrir l'économie sociale et solidaire."
    kind = EventKind.CONFERENCE
    starts_at = factory.LazyFunction(lambda: in_days(10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    place = "Maison des associations, 6 rue Berthe de Boissieux"
    commune = factory.LazyFunction(lambda: Commune.objects.get(name="Grenoble"))
    organiser = factory.SubFactory(OrganisationFactory)
    audience = "Tout public"
    status = EventStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        proposed = factory.Trait(status=EventStatus.PROPOSED, published_at=None)
        november = factory.Trait(
            starts_at=factory.LazyFunction(
                lambda: timezone.make_aware(datetime.datetime(2030, 11, 14, 18, 0))
            ),
            mois_ess=True,
        )


class NewsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsItem

    title = factory.Sequence(lambda n: f"Actualité n°{n}")
    slug = factory.Sequence(lambda n: f"actualite-{n}")
    text = "Le texte de l'actualité."
    published_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    name = factory.Sequence(lambda n: f"Groupe communication {n}")
    mandate = "Préparer la stratégie de communication."


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunicationStrategy

    year = factory.Sequence(lambda n: 2030 + n)
    title = factory.LazyAttribute(lambda o: f"Stratégie de communication {o.year}")
    summary = "Faire connaître l'ESS."


class StrategyActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyAction

    strategy = factory.SubFactory(StrategyFactory)
    title = "Programme imprimé"
    starts_on = datetime.date(2030, 9, 1)
    ends_on = datetime.date(2030, 10, 1)
    budget = Decimal("1500.00")


class DatasetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dataset

    title = factory.Sequence(lambda n: f"Jeu de données {n}")
    source = "URSSAF"
    licence = "Licence Ouverte / Open Licence 2.0"
    data_date = datetime.date(2025, 6, 30)
    status = DatasetStatus.PUBLISHED
    original_file = factory.LazyFunction(lambda: ContentFile(b"annee\n", name="jeu.csv"))


def add_rows(dataset, count: int, *, years=(2021, 2022, 2023)):
    """``count`` rows spread over communes, families and years."""
    communes = list(Commune.objects.order_by("name"))
    families = list(EssFamily.values)
    rows = []
    for index in range(count):
        rows.append(
            Statistic(
                dataset=dataset,
                line_number=index + 2,
                year=years[index % len(years)],
                commune=communes[index % len(communes)],
                family=families[index % len(families)],
                sector=f"Secteur {index}",
                establishments=10 + index,
                jobs=100 + index * 3,
            )
        )
    Statistic.objects.bulk_create(rows)
    return rows
