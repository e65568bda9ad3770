"""Demo data of the steering committee: a complete composition, the four key moments of 2025
held with minutes and opinions, and the 2026 programming meeting convened.

Idempotent: every record is found or created with the factories; meetings already present are
left as they are. Meetings move only through the governance services (convene, attendance,
opinion, minutes).
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from communication.models import StrategyStatus
from demo.core import ensure, organisation, person
from demo.factories.communication import StrategyFactory
from demo.factories.core import MandateFactory
from demo.factories.governance import MeetingFactory
from demo.factories.programme import LineFactory, ProgrammeFactory
from ess_metro.accounts.models import User
from ess_metro.directory.models import Commune, LegalForm
from governance import services
from governance.models import (
    AgendaItem,
    Attendance,
    College,
    ConflictOfInterest,
    ConflictSource,
    KeyMoment,
    LineComment,
    MandateKind,
    Meeting,
    MeetingStatus,
    Outcome,
    Presence,
    Reply,
    SeatCategory,
    VoteChoice,
)
from programme.models import AnnualProgramme, Axis, Orientation, Plan, ProgrammeStatus

START = datetime.date(2024, 1, 1)
PLACE = "Grenoble-Alpes Métropole, Forum, 3 rue Malakoff, Grenoble — salle du conseil"

# key, name, legal form, commune
EXTRA_ORGANISATIONS = [
    ("mutualite", "Mutualité Française Isère", LegalForm.MUTUAL, "Grenoble"),
    ("regie", "Régie de quartier Villeneuve", LegalForm.ASSOCIATION, "Grenoble"),
    ("ateliers", "Les Ateliers du Drac", LegalForm.ASSOCIATION, "Fontaine"),
    ("grenoble", "Ville de Grenoble", LegalForm.COMMUNE, "Grenoble"),
    ("echirolles", "Ville d'Échirolles", LegalForm.COMMUNE, "Échirolles"),
    ("smh", "Ville de Saint-Martin-d'Hères", LegalForm.COMMUNE, "Saint-Martin-d'Hères"),
    ("fontaine", "Ville de Fontaine", LegalForm.COMMUNE, "Fontaine"),
    ("prefecture", "Préfecture de l'Isère (État)", LegalForm.PUBLIC_BODY, "Grenoble"),
    ("departement", "Département de l'Isère (Conseil général)", LegalForm.PUBLIC_BODY, "Grenoble"),
    ("region", "Région Auvergne-Rhône-Alpes (Conseil régional)", LegalForm.PUBLIC_BODY, ""),
    ("codev", "Conseil de développement de la Métropole", LegalForm.PUBLIC_BODY, "Grenoble"),
    ("cdc", "Caisse des Dépôts et Consignations, direction régionale", LegalForm.PUBLIC_BODY, ""),
    ("pacte", "Laboratoire PACTE, Université Grenoble Alpes", LegalForm.PUBLIC_BODY, ""),
    ("fondation", "Fondation de France Centre-Est", LegalForm.FOUNDATION, ""),
]

# user key (existing) or (first, last), organisation, college, category
HOLDERS = [
    ("member_applicant", "urscop", "ess-actors", SeatCategory.COOPERATIVES),
    (("Nadia", "Chevalier"), "autopartage", "ess-actors", SeatCategory.COOPERATIVES),
    ("member", "mgen", "ess-actors", SeatCategory.MUTUALS),
    (("Bernard", "Lefèvre"), "mutualite", "ess-actors", SeatCategory.MUTUALS),
    (("Paul", "Lambert"), "alpesolidaires", "ess-actors", SeatCategory.ASSOCIATIONS),
    (("Isabelle", "Faure"), "gaia", "ess-actors", SeatCategory.ASSOCIATIONS),
    (("Mehdi", "Haddad"), "adate", "ess-actors", SeatCategory.ASSOCIATIONS),
    (("Camille", "Roux"), "mnei", "ess-actors", SeatCategory.ASSOCIATIONS),
    (("Lucie", "Morel"), "peniche", "ess-actors", SeatCategory.ASSOCIATIONS),
    (("Thomas", "Garnier"), "dla", "ess-actors", SeatCategory.ASSOCIATIONS),
    (("Fatima", "Benmoussa"), "regie", "ess-actors", SeatCategory.ASSOCIATIONS),
    (("Yves", "Perrin"), "ateliers", "ess-actors", SeatCategory.ASSOCIATIONS),
    (("Anne", "Mercier"), "grenoble", "communes", SeatCategory.COMMUNE),
    (("Olivier", "Blanc"), "echirolles", "communes", SeatCategory.COMMUNE),
    (("Samia", "Khelifi"), "smh", "communes", SeatCategory.COMMUNE),
    (("Jean-Luc", "Bonnet"), "fontaine", "communes", SeatCategory.COMMUNE),
    (("Catherine", "Durand"), "prefecture", "public-partners", SeatCategory.STATE),
    (("Philippe", "Robin"), "departement", "public-partners", SeatCategory.DEPARTMENT),
    (("Sandrine", "Michel"), "region", "public-partners", SeatCategory.REGION),
    (("Éric", "Gauthier"), "codev", "resource-actors", SeatCategory.DEVELOPMENT_COUNCIL),
    (("Valérie", "Arnaud"), "cdc", "resource-actors", SeatCategory.CDC),
    (("Hugo", "Masson"), "pacte", "resource-actors", SeatCategory.RESEARCH),
    (("Claire", "Vidal"), "fondation", "resource-actors", SeatCategory.FOUNDATION),
]

# substitute (first, last), holder's organisation key
SUBSTITUTES = [
    (("Romain", "Giraud"), "urscop"),
    (("Élodie", "Carpentier"), "alpesolidaires"),
    (("Damien", "Roche"), "grenoble"),
    (("Agnès", "Fontaine"), "departement"),
]


# year → (axis code, title, beneficiary key, planned amount): the programmes the committee
# reviews, when the programme demo has not made them already.
PROGRAMME_LINES = {
    2025: [
        ("events", "Mois de l'ESS 2025 : coordination et événements", "alpesolidaires", "18000"),
        ("alpesolidaires", "Site Alpesolidaires : animation éditoriale", "alpesolidaires", "12000"),
        ("support", "Soutien au Dispositif local d'accompagnement", "dla", "25000"),
        ("financing", "Dotation au fonds de prêts d'honneur solidaires", "gaia", "40000"),
        ("real-estate", "Étude d'opportunité Artis 2", None, "15000"),
        ("innovation-call", "Appel à projets innovation sociale 2025", None, "60000"),
    ],
    2026: [
        ("events", "Mois de l'ESS 2026 : programme d'événements", "alpesolidaires", "20000"),
        ("statistics", "Observatoire : valorisation des données statistiques", None, "8000"),
        ("support", "Soutien au Dispositif local d'accompagnement", "dla", "25000"),
        ("financing", "Fonds de garantie pour les entreprises solidaires", "gaia", "45000"),
        ("real-estate", "Finalisation de l'implantation de la Pousada", None, "30000"),
        ("entrepreneurship", "Coopérative d'activités et d'emploi", "urscop", "12000"),
        ("conventions", "Conventions pluriannuelles : filière déchets", "ateliers", "35000"),
        ("innovation-call", "Appel à projets innovation sociale 2026", None, "60000"),
    ],
}

# The four key moments of 2025, held in this order. In ``items`` and ``opinion_on``, a string
# such as "p2025" names a record of ``_references`` (programmes, strategy, orientations).
MEETINGS_2025 = [
    {
        "key_moment": KeyMoment.PROGRAMMING,
        "year": 2025,
        "date": datetime.date(2025, 2, 6),
        "title": "Programmation annuelle 2025",
        "items": [
            ("14:30", "14:45", "Avis sur la programmation annuelle 2025", {"programme": "p2025"}),
            ("14:45", "15:15", "Communication", {"orientation": "o1"}),
            ("15:15", "15:45", "Outils de développement", {"orientation": "o2"}),
            ("16:00", "16:30", "Projets", {"orientation": "o3"}),
            ("16:30", "17:00", "Gouvernance", {}),
        ],
        "excused": ["region", "fontaine"],
        "represented": ["urscop"],
        "opinion_on": {"programme": "p2025"},
        "outcome": Outcome.RESERVED,
        "opinion": (
            "Avis favorable à la programmation 2025, sous réserve d'un bilan intermédiaire de "
            "l'appel à projets avant l'été et d'une attention aux communes hors Grenoble."
        ),
        "against": ["departement"],
        "abstain": ["cdc"],
        "minutes": (
            "Présents : 21 sièges sur 23 (2 excusés). Le comité a examiné le projet de "
            "programmation 2025 ligne par ligne. Alpesolidaires et GAIA, bénéficiaires de lignes, "
            "se sont abstenus. Avis favorable avec réserves."
        ),
    },
    {
        "key_moment": KeyMoment.EVALUATION,
        "year": 2024,
        "date": datetime.date(2025, 6, 12),
        "title": "Évaluation de la programmation 2024 et point d'étape 2025",
        "items": [
            ("14:30", "14:45", "Approbation du procès-verbal du 6 février 2025", {}),
            (
                "14:45",
                "16:00",
                "Évaluation : indicateurs de réalisation 2025 à mi-parcours",
                {"programme": "p2025", "is_evaluation": True},
            ),
            (
                "16:00",
                "17:00",
                "Bilan de l'appel à projets innovation sociale",
                {"orientation": "o4"},
            ),
        ],
        "excused": ["smh", "pacte", "codev"],
        "opinion_on": {"is_evaluation": True},
        "outcome": Outcome.FAVOURABLE,
        "opinion": (
            "Le comité prend acte des indicateurs à mi-parcours : 31 projets accompagnés par le "
            "DLA, 14 prêts solidaires, 9 lauréats de l'appel à projets."
        ),
        "minutes": (
            "Le comité a approuvé le procès-verbal du 6 février 2025 et examiné l'évaluation à "
            "mi-parcours. Avis favorable."
        ),
    },
    {
        "key_moment": KeyMoment.PROSPECTIVE,
        "year": 2026,
        "date": datetime.date(2025, 9, 18),
        "title": "Réflexions prospectives : l'ESS dans l'agglomération en 2030",
        "items": [
            ("14:30", "14:45", "Approbation du procès-verbal du 12 juin 2025", {}),
            (
                "14:45",
                "16:15",
                "Monnaie locale, commande publique durable : quelles pistes pour 2026 ?",
                {"orientation": "o3"},
            ),
            ("16:15", "17:00", "Orientations pour la programmation 2026", {"orientation": "o2"}),
        ],
        "excused": ["echirolles"],
        "represented": ["grenoble"],
        "opinion_on": {"topic__startswith": "Orientations"},
        "outcome": Outcome.FAVOURABLE,
        "opinion": (
            "Le comité recommande de renforcer l'entrepreneuriat solidaire et la commande "
            "publique durable dans la programmation 2026."
        ),
        "minutes": "Atelier prospectif en trois groupes. Synthèse transmise au groupe de travail.",
    },
    {
        "key_moment": KeyMoment.COMMUNICATION,
        "year": 2026,
        "date": datetime.date(2025, 11, 6),
        "title": "Stratégie de communication 2026",
        "items": [
            ("14:30", "14:45", "Approbation du procès-verbal du 18 septembre 2025", {}),
            (
                "14:45",
                "15:45",
                "Stratégie de communication 2026 proposée par le groupe de travail ad hoc",
                {"strategy": "s2026", "orientation": "o1"},
            ),
            ("15:45", "16:30", "Articulation avec le Mois de l'ESS", {"orientation": "o1"}),
        ],
        "excused": ["region"],
        "opinion_on": {"strategy": "s2026"},
        "outcome": Outcome.FAVOURABLE,
        "opinion": (
            "Le comité valide la stratégie de communication 2026 élaborée par le groupe de "
            "travail ad hoc."
        ),
        "minutes": (
            "Le comité a validé la stratégie de communication 2026. Le procès-verbal sera "
            "approuvé à la séance de programmation 2026."
        ),
    },
]

PROGRAMMING_2026 = {
    "key_moment": KeyMoment.PROGRAMMING,
    "year": 2026,
    "date": datetime.date(2026, 12, 10),
    "title": "Programmation annuelle 2026",
    "items": [
        ("14:30", "14:45", "Approbation du procès-verbal du 6 novembre 2025", {}),
        ("14:45", "15:15", "Communication", {"orientation": "o1"}),
        ("15:15", "15:45", "Outils de développement", {"orientation": "o2"}),
        ("16:00", "16:30", "Projets", {"orientation": "o3"}),
        ("16:30", "17:00", "Gouvernance", {}),
        (
            "17:00",
            "17:30",
            "Avis sur le projet de programmation annuelle 2026",
            {"programme": "p2026"},
        ),
    ],
    "end": "18:00",
}
# who replies to the 2026 convocation: a demo account key, or a seat's organisation key
REPLIES_2026 = [
    ("member", Reply.ATTENDING),
    ("member_applicant", Reply.REPRESENTED),
    ("gaia", Reply.ATTENDING),
    ("region", Reply.EXCUSED),
]
LINE_COMMENTS_2026 = [
    ("member", "Prévoir des événements dans les communes de la première couronne."),
    ("member_applicant", "Associer l'URSCOP au comité de sélection des projets."),
]

CANCELLED_2026 = {
    "key_moment": KeyMoment.OTHER,
    "year": 2026,
    "date": datetime.date(2026, 11, 19),
    "title": "Séance thématique : financement des tiers-lieux",
    "items": [("14:30", "16:00", "Financement des tiers-lieux solidaires", {})],
}
CANCELLATION = (
    "Le quorum ne pouvait pas être atteint : le sujet sera traité à la séance de programmation "
    "du 10 décembre 2026."
)


def _slug(text: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch == "-")


def _person(first: str, last: str) -> User:
    return person(f"{_slug(first)}.{_slug(last)}@comite.essmetro.example", first, last)


def _organisations(context) -> dict:
    communes = {commune.name: commune for commune in Commune.objects.all()}
    organisations = dict(context.organisations)
    for key, name, legal_form, commune in EXTRA_ORGANISATIONS:
        is_association = legal_form == LegalForm.ASSOCIATION
        organisations[key] = organisation(
            "name",
            name=name,
            legal_form=legal_form,
            commune=communes.get(commune),
            city="" if commune else "Lyon",
            rna="W381000" + str(100 + len(key)) if is_association else "",
        )
    return organisations


def _mandate(person_, college, organisation_, category, **fields):
    mandate, _created = ensure(
        MandateFactory,
        "person",
        "college",
        person=person_,
        college=college,
        organisation=organisation_,
        category=category,
        **{"kind": MandateKind.HOLDER, "start_date": START, "end_date": None, **fields},
    )
    return mandate


def _composition(context, organisations) -> dict:
    colleges = {college.code: college for college in College.objects.all()}
    seats = {}
    for who, key, college_code, category in HOLDERS:
        member = context.users[who] if isinstance(who, str) else _person(*who)
        seats[key] = _mandate(member, colleges[college_code], organisations[key], category)
    for who, holder_key in SUBSTITUTES:
        holder = seats[holder_key]
        _mandate(
            _person(*who),
            holder.college,
            holder.organisation,
            holder.category,
            kind=MandateKind.SUBSTITUTE,
            holder=holder,
        )
    # History: the previous MGEN holder, whose mandate ended before the current one.
    _mandate(
        _person("Gérard", "Poulain"),
        colleges["ess-actors"],
        organisations["mgen"],
        SeatCategory.MUTUALS,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2023, 12, 31),
    )
    return seats


def _programme(year: int, organisations) -> AnnualProgramme:
    """The submitted programme of ``year``; the programme demo usually made it already (with
    its own lines), and an adopted programme is frozen anyway."""
    plan = Plan.objects.current()
    programme, created = ensure(
        ProgrammeFactory,
        "year",
        "version",
        year=year,
        version=1,
        plan=plan,
        title=f"Programmation annuelle {year} du plan ESS",
        status=ProgrammeStatus.SUBMITTED,
    )
    if created:
        axes = {axis.code: axis for axis in Axis.objects.filter(orientation__plan=plan)}
        for position, (code, title, beneficiary, amount) in enumerate(PROGRAMME_LINES[year], 1):
            LineFactory(
                programme=programme,
                axis=axes[code],
                position=position,
                title=title,
                beneficiary=organisations.get(beneficiary),
                planned_amount=Decimal(amount),
            )
    return programme


def _strategy(year: int):
    strategy, _created = ensure(
        StrategyFactory,
        "year",
        year=year,
        title=f"Stratégie de communication {year} sur l'ESS",
        summary=(
            "Repenser l'événementiel de l'ESS en articulation avec le Mois de l'ESS, "
            "conforter le site Alpesolidaires et valoriser les données statistiques."
        ),
        status=StrategyStatus.SUBMITTED,
    )
    return strategy


def _orientations() -> dict[str, Orientation]:
    plan = Plan.objects.current()
    return {f"o{orientation.number}": orientation for orientation in plan.orientations.all()}


def _references(organisations) -> dict:
    """What the meeting tables name: programmes, the strategy, the orientations."""
    return {
        "p2025": _programme(2025, organisations),
        "p2026": _programme(2026, organisations),
        "s2026": _strategy(2026),
        **_orientations(),
    }


def _resolve(fields: dict, references: dict) -> dict:
    return {
        name: references.get(value, value) if isinstance(value, str) else value
        for name, value in fields.items()
    }


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def _meeting(spec: dict, references: dict):
    """Create the meeting with its agenda unless it exists; returns (meeting, created)."""
    meeting, created = ensure(
        MeetingFactory,
        "key_moment",
        "year",
        "date",
        key_moment=spec["key_moment"],
        year=spec["year"],
        date=spec["date"],
        title=spec["title"],
        place=PLACE,
        start_time=_time("14:30"),
        end_time=_time(spec.get("end", "17:00")),
        status=MeetingStatus.PLANNED,
    )
    if created:
        for start_time, end_time, topic, extra in spec["items"]:
            item = AgendaItem(
                meeting=meeting,
                start_time=_time(start_time),
                end_time=_time(end_time),
                topic=topic,
                **_resolve(extra, references),
            )
            services.agenda_item_save(item=item)
    return meeting, created


REPLY_OF = {
    Presence.PRESENT: Reply.ATTENDING,
    Presence.EXCUSED: Reply.EXCUSED,
    Presence.REPRESENTED: Reply.REPRESENTED,
}


def _presences(meeting, excused, represented) -> dict[int, str]:
    presences = {}
    for seat in services.seats_on(meeting.date):
        if seat.organisation_id in excused:
            presences[seat.pk] = Presence.EXCUSED
        elif seat.organisation_id in represented:
            presences[seat.pk] = Presence.REPRESENTED
        else:
            presences[seat.pk] = Presence.PRESENT
    return presences


def _hold(meeting, staff, excused=(), represented=()):
    """Convene the meeting two weeks before, record the replies and who came."""
    meeting = services.meeting_convene(meeting=meeting, user=staff, send=False)
    _backdate(meeting, MeetingStatus.CONVENED, meeting.date - datetime.timedelta(days=15), "09:00")
    meeting.refresh_from_db()
    presences = _presences(meeting, excused, represented)
    for mandate_id, presence in presences.items():
        Attendance.objects.filter(meeting=meeting, mandate_id=mandate_id).update(
            reply=REPLY_OF[presence], replied_at=meeting.convened_at
        )
    services.attendance_record(meeting=meeting, user=staff, presences=presences)
    _backdate(meeting, MeetingStatus.HELD, meeting.date, "17:30")
    meeting.refresh_from_db()
    return meeting


def _backdate(meeting, status, day, time):
    """Historical data: date the status change as it happened, not as it was seeded."""
    moment = timezone.make_aware(datetime.datetime.combine(day, _time(time)))
    meeting.transitions.filter(to_status=status).update(at=moment)
    if status == MeetingStatus.CONVENED:
        Meeting.objects.filter(pk=meeting.pk).update(convened_at=moment)
    else:
        Meeting.objects.filter(pk=meeting.pk).update(attendance_recorded_at=moment)


def _votes(item, against=(), abstain=()) -> dict[int, str]:
    """Everyone present votes for, except the seats listed (by organisation id) and the
    seats in a conflict of interest on the item."""
    conflicted = set(item.conflicts.values_list("mandate_id", flat=True))
    votes = {}
    for attendance in item.meeting.attendances.filter(
        presence__in=[Presence.PRESENT, Presence.REPRESENTED]
    ).select_related("mandate"):
        organisation_id = attendance.mandate.organisation_id
        if attendance.mandate_id in conflicted:
            continue
        if organisation_id in against:
            votes[attendance.mandate_id] = VoteChoice.AGAINST
        elif organisation_id in abstain:
            votes[attendance.mandate_id] = VoteChoice.ABSTENTION
        else:
            votes[attendance.mandate_id] = VoteChoice.FOR
    return votes


def _applies_effects(item) -> bool:
    """Whether the opinion moves the programme or strategy it is about (still submitted)."""
    if item.strategy_id:
        return item.strategy.status == StrategyStatus.SUBMITTED
    if item.programme_id and not item.is_evaluation:
        return item.programme.status == ProgrammeStatus.SUBMITTED
    return True


def _opinion(item, staff, outcome, text, against=(), abstain=()):
    opinion = services.opinion_record(
        item=item,
        user=staff,
        outcome=outcome,
        text=text,
        votes=_votes(item, against, abstain),
        apply_effects=_applies_effects(item),
    )
    # Historical data: the opinion was recorded on the evening of the meeting.
    opinion.recorded_at = timezone.make_aware(
        datetime.datetime.combine(item.meeting.date, item.meeting.end_time)
    )
    opinion.save(update_fields=["recorded_at"])
    return opinion


FILES_TOPIC = "Appel à projets innovation sociale 2026 : dossiers instruits"


def _files_item(meeting, orientation):
    """The diagnosed files of the 2026 call, put before the committee for its opinion."""
    from projects.models import Application, ApplicationStatus

    if not meeting.is_editable or meeting.items.filter(topic=FILES_TOPIC).exists():
        return
    if meeting.end_time < datetime.time(18, 0):
        # Older demo databases: the meeting ended at 17:30, before this item existed.
        Meeting.objects.filter(pk=meeting.pk).update(end_time=datetime.time(18, 0))
        meeting.refresh_from_db()
    applications = Application.objects.filter(
        call__year=meeting.year, status=ApplicationStatus.DIAGNOSED
    ).order_by("reference")
    services.agenda_item_save(
        item=AgendaItem(
            meeting=meeting,
            start_time=datetime.time(17, 30),
            end_time=datetime.time(18, 0),
            topic=FILES_TOPIC,
            description=(
                "Avis du comité sur les dossiers ayant reçu le diagnostic économique des "
                "services, avant la délibération du conseil métropolitain."
            ),
            orientation=orientation,
        ),
        applications=applications,
    )


def _year_2025(staff, organisations, references) -> None:
    """The four key moments of 2025, each held, with its opinion and minutes; each meeting
    approves the minutes of the one before."""
    ids = {key: organisation_.pk for key, organisation_ in organisations.items()}
    previous = None
    for spec in MEETINGS_2025:
        meeting, created = _meeting(spec, references)
        if created:
            _hold_2025(meeting, spec, staff, ids, references, previous)
        previous = meeting


def _hold_2025(meeting, spec, staff, ids, references, previous) -> None:
    _hold(
        meeting,
        staff,
        excused={ids[key] for key in spec["excused"]},
        represented={ids[key] for key in spec.get("represented", ())},
    )
    if previous is not None:
        services.minutes_approve(meeting=previous, at_meeting=meeting, user=staff, send=False)
    _opinion(
        meeting.items.get(**_resolve(spec["opinion_on"], references)),
        staff,
        spec["outcome"],
        spec["opinion"],
        against={ids[key] for key in spec.get("against", ())},
        abstain={ids[key] for key in spec.get("abstain", ())},
    )
    services.minutes_save(meeting=meeting, text=spec["minutes"])


def _programming_2026(context, seats, references) -> None:
    """The 2026 programming meeting, convened: replies, a declared conflict, line comments."""
    meeting, created = _meeting(PROGRAMMING_2026, references)
    if created:
        meeting = services.meeting_convene(meeting=meeting, user=context.users["staff"], send=False)
        for who, reply in REPLIES_2026:
            member = context.users[who] if who in context.users else seats[who].person
            services.attendance_reply(meeting=meeting, user=member, reply=reply)
        programme = references["p2026"]
        ConflictOfInterest.objects.get_or_create(
            item=meeting.items.get(programme=programme),
            mandate=seats["peniche"],
            defaults={
                "source": ConflictSource.DECLARED,
                "reason": "La Péniche est partenaire du projet de la filière déchets.",
                "declared_by": seats["peniche"].person,
            },
        )
        if programme.status == ProgrammeStatus.SUBMITTED:
            lines = programme.lines.order_by("position")[:2]
            for line, (who, text) in zip(lines, LINE_COMMENTS_2026, strict=False):
                LineComment.objects.get_or_create(
                    line=line, author=context.users[who], defaults={"text": text}
                )
    _files_item(meeting, references["o4"])


def _cancelled_2026(staff, references) -> None:
    """An extra meeting of 2026, convened then cancelled."""
    meeting, created = _meeting(CANCELLED_2026, references)
    if created:
        services.meeting_convene(meeting=meeting, user=staff, send=False)
        services.meeting_cancel(meeting=meeting, user=staff, reason=CANCELLATION, send=False)


@transaction.atomic
def seed(context) -> None:
    staff = context.users["staff"]
    organisations = _organisations(context)
    seats = _composition(context, organisations)
    references = _references(organisations)
    _year_2025(staff, organisations, references)
    _programming_2026(context, seats, references)
    _cancelled_2026(staff, references)
    context.say(
        f"  + {len(HOLDERS) + len(SUBSTITUTES) - 2} autres membres du comité "
        f"(prenom.nom@comite.essmetro.example, même mot de passe)"
    )
