"""The volume of ten real years, for `make bench` (tools/bench.py): built in bulk, in minutes.

10,000 files over 500 organisations and 3 calls, 300 conventions with their payments, a
300-line programme and 1,000 events, on top of the demo data (accounts, committee, plan).
"""

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.utils import timezone

from communication.models import Event, EventKind, EventStatus
from demo.factories.conventions import make_convention
from demo.factories.core import make_applicant, make_staff, siret_with_checksum
from ess_metro.directory.models import Commune, LegalForm, Organisation
from programme import benchmark
from projects.models import Application, ApplicationStatus, Call, CallStatus

S = ApplicationStatus

ACTIVITIES = [
    "Coopérative de réemploi",
    "Épicerie solidaire",
    "Recyclerie créative",
    "Atelier vélo participatif",
    "Tiers-lieu numérique",
    "Jardin partagé d'insertion",
    "Cantine solidaire",
    "Régie de quartier",
    "Mutuelle de santé de proximité",
    "Association d'aide à domicile",
]
PLACES = ["des Alpes", "du Drac", "de Belledonne", "de la Bastille", "de l'Isère", "du Vercors"]
PROJECTS = [
    "Tournée mobile de réparation",
    "Plateforme de covoiturage rural",
    "Épicerie itinérante dans les quartiers",
    "Formation au numérique des seniors",
    "Ressourcerie pour les coopératives",
    "Restaurant d'insertion",
    "Garde d'enfants aux horaires atypiques",
    "Chantier d'insertion en maraîchage",
]
STATUSES = [S.SUBMITTED, S.ELIGIBLE, S.DIAGNOSED, S.GRANTED, S.REFUSED, S.DOCUMENTS_REQUESTED]


@dataclass
class Volume:
    files: int = 10_000
    organisations: int = 500
    calls: int = 3
    conventions: int = 300
    lines: int = 300
    events: int = 1_000

    @classmethod
    def smoke(cls) -> "Volume":
        return cls(files=200, organisations=20, calls=3, conventions=5, lines=30, events=30)


def _organisations(count: int) -> list[Organisation]:
    communes = list(Commune.objects.order_by("name"))
    forms = [LegalForm.ASSOCIATION, LegalForm.SCOP, LegalForm.SCIC]
    return Organisation.objects.bulk_create(
        Organisation(
            name=f"{ACTIVITIES[i % len(ACTIVITIES)]} {PLACES[i % len(PLACES)]} {i}",
            acronym=f"ORG{i}",
            legal_form=forms[i % len(forms)],
            siret=siret_with_checksum(50_000 + i),
            rna=f"W38{900_000 + i:07d}" if i % 3 == 0 else "",
            ape_code="88.99B",
            commune=communes[i % len(communes)],
        )
        for i in range(count)
    )


def _calls(count: int) -> list[Call]:
    now = timezone.now()
    year = timezone.localdate().year
    return [
        Call.objects.create(
            year=year - index,
            title=f"Appel à projets innovation sociale {year - index} (mesure)",
            slug=f"mesure-appel-{year - index}",
            summary="Soutenir les projets socialement innovants.",
            text="L'appel soutient les projets d'innovation sociale.",
            opens_at=now - datetime.timedelta(days=30 + 365 * index),
            closes_at=now + datetime.timedelta(days=30 - 365 * index),
            aid_cap=Decimal("15000"),
            max_share=Decimal("50"),
            envelope=Decimal("600000"),
            accepted_families=["association", "cooperative"],
            status=CallStatus.PUBLISHED if index == 0 else CallStatus.CLOSED,
        )
        for index in range(count)
    ]


def _application(index: int, call: Call, organisation: Organisation, user) -> Application:
    status = STATUSES[index % len(STATUSES)]
    project = PROJECTS[index % len(PROJECTS)]
    return Application(
        call=call,
        organisation=organisation,
        created_by=user,
        reference=f"AAP-{call.year}-{index:05d}",
        status=status,
        title=f"{project} n°{index}",
        summary=f"{project} portée par {organisation.name}.",
        social_need="Réduire l'isolement et créer des emplois durables dans les quartiers.",
        innovation="Une organisation coopérative et itinérante, inédite sur le territoire.",
        partners="Régie de quartier — logistique",
        requested_amount=Decimal(5000 + (index * 37) % 10000),
        granted_amount=Decimal("8000") if status == S.GRANTED else None,
        submitted_at=call.opens_at + datetime.timedelta(minutes=index),
        contact_name="Camille Martin",
        contact_email="camille@exemple.fr",
    )


def _applications(count: int, calls, organisations, user) -> None:
    cycle = itertools.cycle(organisations)
    Application.objects.bulk_create(
        (_application(i, calls[i % len(calls)], next(cycle), user) for i in range(count)),
        batch_size=1000,
    )


def _conventions(count: int, organisations, user) -> None:
    year = timezone.localdate().year
    for index in range(count):
        make_convention(
            beneficiary=organisations[index % len(organisations)],
            amounts={year: 4000 + 100 * index} if index % 2 else {year: 20000, year + 1: 10000},
            user=user,
        )


def _events(count: int, organisations) -> None:
    grenoble = Commune.objects.get(name="Grenoble")
    start = timezone.now() - datetime.timedelta(days=count // 4)
    Event.objects.bulk_create(
        (
            Event(
                title=f"Rencontre de l'ESS n°{i}",
                slug=f"mesure-rencontre-{i}",
                description="Une rencontre pour découvrir l'économie sociale et solidaire.",
                kind=EventKind.CONFERENCE,
                starts_at=start + datetime.timedelta(hours=9 * i),
                ends_at=start + datetime.timedelta(hours=9 * i + 2),
                place="Maison des associations",
                commune=grenoble,
                organiser=organisations[i % len(organisations)],
                status=EventStatus.PUBLISHED,
                published_at=start,
            )
            for i in range(count)
        ),
        batch_size=1000,
    )


@dataclass
class Built:
    staff_session: str
    applicant_session: str
    programme_year: int
    application_pk: int
    convention_pk: int


def session_for(user) -> str:
    """A signed-in session in the database, as the login page would leave it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


@transaction.atomic
def build(volume: Volume) -> Built:
    staff = make_staff(email="mesure.staff@essmetro.example")
    applicant = make_applicant(user__email="mesure.porteur@essmetro.example")
    organisations = _organisations(volume.organisations)
    calls = _calls(volume.calls)
    _applications(volume.files, calls, organisations, applicant)
    _conventions(volume.conventions, organisations, staff)
    year = timezone.localdate().year + 5
    benchmark.build_programme(year, volume.lines, operator=organisations[0])
    _events(volume.events, organisations)
    mine = Application.objects.filter(organisation__memberships__user=applicant).first()
    if mine is None:
        mine = _application(0, calls[0], applicant.organisations.first(), applicant)
        mine.reference = "AAP-MESURE-1"
        mine.save()
    return Built(
        staff_session=session_for(staff),
        applicant_session=session_for(applicant),
        programme_year=year,
        application_pk=mine.pk,
        convention_pk=make_convention(beneficiary=mine.organisation, user=staff).pk,
    )
