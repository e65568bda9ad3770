"""Demo data of the steering committee: a complete composition, the four key moments of 2025
held with minutes and opinions, and the 2026 programming meeting convened.

Idempotent: every record is found or created; meetings already present are left as they are.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from demo.core import DEMO_PASSWORD
from ess_metro.accounts.models import User
from ess_metro.directory.models import Commune, LegalForm, Organisation
from governance import services
from governance.models import (
    AgendaItem,
    Attendance,
    College,
    ConflictOfInterest,
    ConflictSource,
    KeyMoment,
    LineComment,
    Mandate,
    MandateKind,
    Meeting,
    MeetingStatus,
    Outcome,
    Presence,
    Reply,
    SeatCategory,
    VoteChoice,
)
from programme.models import (
    AnnualProgramme,
    Axis,
    Orientation,
    Plan,
    ProgrammeLine,
    ProgrammeStatus,
)

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


def _slug(text: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch == "-")


def _person(first: str, last: str) -> User:
    email = f"{_slug(first)}.{_slug(last)}@comite.essmetro.example"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, first_name=first, last_name=last
        )
        user.email_confirmed_at = user.date_joined
        user.save(update_fields=["email_confirmed_at"])
    return user


def _organisations(context) -> dict:
    communes = {commune.name: commune for commune in Commune.objects.all()}
    organisations = dict(context.organisations)
    for key, name, legal_form, commune in EXTRA_ORGANISATIONS:
        organisations[key], _created = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "legal_form": legal_form,
                "commune": communes.get(commune),
                "city": "" if commune else "Lyon",
                "rna": "W381000" + str(100 + len(key))
                if legal_form == LegalForm.ASSOCIATION
                else "",
            },
        )
    return organisations


def _composition(context, organisations) -> dict:
    colleges = {college.code: college for college in College.objects.all()}
    seats = {}
    for who, organisation_key, college_code, category in HOLDERS:
        person = context.users[who] if isinstance(who, str) else _person(*who)
        mandate = Mandate.objects.filter(person=person, college=colleges[college_code]).first()
        if mandate is None:
            mandate = Mandate.objects.create(
                person=person,
                organisation=organisations[organisation_key],
                college=colleges[college_code],
                category=category,
                kind=MandateKind.HOLDER,
                start_date=START,
            )
        seats[organisation_key] = mandate
    for who, holder_key in SUBSTITUTES:
        holder = seats[holder_key]
        Mandate.objects.get_or_create(
            person=_person(*who),
            college=holder.college,
            kind=MandateKind.SUBSTITUTE,
            defaults={
                "organisation": holder.organisation,
                "category": holder.category,
                "holder": holder,
                "start_date": START,
            },
        )
    # History: the previous MGEN holder, whose mandate ended before the current one.
    Mandate.objects.get_or_create(
        person=_person("Gérard", "Poulain"),
        college=colleges["ess-actors"],
        defaults={
            "organisation": organisations["mgen"],
            "category": SeatCategory.MUTUALS,
            "kind": MandateKind.HOLDER,
            "start_date": datetime.date(2020, 1, 1),
            "end_date": datetime.date(2023, 12, 31),
        },
    )
    return seats


def _programme(year: int, status: str, organisations, lines) -> AnnualProgramme:
    plan = Plan.objects.current()
    programme, created = AnnualProgramme.objects.get_or_create(
        year=year,
        version=1,
        defaults={
            "plan": plan,
            "title": f"Programmation annuelle {year} du plan ESS",
            "status": status,
        },
    )
    if not created:
        # The programme app's demo made it (with its own lines, some of which benefit the
        # organisations of committee members); an adopted programme is frozen anyway.
        return programme
    axes = {axis.code: axis for axis in Axis.objects.filter(orientation__plan=plan)}
    for position, (axis_code, title, beneficiary, amount) in enumerate(lines, start=1):
        ProgrammeLine.objects.create(
            programme=programme,
            axis=axes[axis_code],
            position=position,
            title=title,
            beneficiary=organisations.get(beneficiary),
            planned_amount=Decimal(amount),
        )
    return programme


def _strategy(year: int):
    from communication.models import CommunicationStrategy, StrategyStatus

    strategy, _created = CommunicationStrategy.objects.get_or_create(
        year=year,
        defaults={
            "title": f"Stratégie de communication {year} sur l'ESS",
            "summary": (
                "Repenser l'événementiel de l'ESS en articulation avec le Mois de l'ESS, "
                "conforter le site Alpesolidaires et valoriser les données statistiques."
            ),
            "status": StrategyStatus.SUBMITTED,
        },
    )
    return strategy


def _orientations() -> dict[int, Orientation]:
    plan = Plan.objects.current()
    return {orientation.number: orientation for orientation in plan.orientations.all()}


def _meeting(key_moment, year, date, title, items, *, start="14:30", end="17:00"):
    """Create the meeting with its agenda unless it exists; returns (meeting, created)."""
    meeting, created = Meeting.objects.get_or_create(
        key_moment=key_moment,
        year=year,
        date=date,
        defaults={
            "title": title,
            "place": PLACE,
            "start_time": datetime.time.fromisoformat(start),
            "end_time": datetime.time.fromisoformat(end),
        },
    )
    if created:
        for start_time, end_time, topic, extra in items:
            services.agenda_item_save(
                item=AgendaItem(
                    meeting=meeting,
                    start_time=datetime.time.fromisoformat(start_time),
                    end_time=datetime.time.fromisoformat(end_time),
                    topic=topic,
                    **extra,
                )
            )
    return meeting, created


def _hold(meeting, staff, seats_absent=(), represented=()):
    meeting = services.meeting_convene(meeting=meeting, user=staff, send=False)
    _backdate(meeting, MeetingStatus.CONVENED, meeting.date - datetime.timedelta(days=15), "09:00")
    meeting.refresh_from_db()
    presences = {}
    for seat in services.seats_on(meeting.date):
        key = seat.organisation_id
        if key in seats_absent:
            presences[seat.pk] = Presence.EXCUSED
        elif key in represented:
            presences[seat.pk] = Presence.REPRESENTED
        else:
            presences[seat.pk] = Presence.PRESENT
    replies = {
        Presence.PRESENT: Reply.ATTENDING,
        Presence.EXCUSED: Reply.EXCUSED,
        Presence.REPRESENTED: Reply.REPRESENTED,
    }
    for mandate_id, presence in presences.items():
        Attendance.objects.filter(meeting=meeting, mandate_id=mandate_id).update(
            reply=replies[presence], replied_at=meeting.convened_at
        )
    services.attendance_record(meeting=meeting, user=staff, presences=presences)
    _backdate(meeting, MeetingStatus.HELD, meeting.date, "17:30")
    meeting.refresh_from_db()
    return meeting


def _backdate(meeting, status, day, time):
    """Historical data: date the status change as it happened, not as it was seeded."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time.fromisoformat(time)))
    meeting.transitions.filter(to_status=status).update(at=moment)
    if status == MeetingStatus.CONVENED:
        Meeting.objects.filter(pk=meeting.pk).update(convened_at=moment)
    else:
        Meeting.objects.filter(pk=meeting.pk).update(attendance_recorded_at=moment)


def _opinion(item, staff, outcome, text, against=(), abstain=()):
    """Everyone present votes for, except the seats listed (by organisation id)."""
    votes = {}
    for attendance in item.meeting.attendances.filter(
        presence__in=[Presence.PRESENT, Presence.REPRESENTED]
    ).select_related("mandate"):
        organisation_id = attendance.mandate.organisation_id
        if organisation_id in against:
            votes[attendance.mandate_id] = VoteChoice.AGAINST
        elif organisation_id in abstain:
            votes[attendance.mandate_id] = VoteChoice.ABSTENTION
        else:
            votes[attendance.mandate_id] = VoteChoice.FOR
    conflicted = set(item.conflicts.values_list("mandate_id", flat=True))
    votes = {key: value for key, value in votes.items() if key not in conflicted}
    apply = True
    if item.programme_id and not item.is_evaluation:
        apply = item.programme.status == ProgrammeStatus.SUBMITTED
    if item.strategy_id:
        from communication.models import StrategyStatus

        apply = item.strategy.status == StrategyStatus.SUBMITTED
    opinion = services.opinion_record(
        item=item, user=staff, outcome=outcome, text=text, votes=votes, apply_effects=apply
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


def _minutes(meeting, text):
    services.minutes_save(meeting=meeting, text=text)


@transaction.atomic
def seed(context) -> None:
    staff = context.users["staff"]
    organisations = _organisations(context)
    seats = _composition(context, organisations)
    orientations = _orientations()
    org_id = {key: organisation.pk for key, organisation in organisations.items()}

    programme_2025 = _programme(
        2025,
        ProgrammeStatus.SUBMITTED,
        organisations,
        [
            (
                "events",
                "Mois de l'ESS 2025 : coordination et événements",
                "alpesolidaires",
                "18000",
            ),
            (
                "alpesolidaires",
                "Site Alpesolidaires : animation éditoriale",
                "alpesolidaires",
                "12000",
            ),
            ("support", "Soutien au Dispositif local d'accompagnement", "dla", "25000"),
            ("financing", "Dotation au fonds de prêts d'honneur solidaires", "gaia", "40000"),
            ("real-estate", "Étude d'opportunité Artis 2", None, "15000"),
            ("innovation-call", "Appel à projets innovation sociale 2025", None, "60000"),
        ],
    )
    programme_2026 = _programme(
        2026,
        ProgrammeStatus.SUBMITTED,
        organisations,
        [
            ("events", "Mois de l'ESS 2026 : programme d'événements", "alpesolidaires", "20000"),
            ("statistics", "Observatoire : valorisation des données statistiques", None, "8000"),
            ("support", "Soutien au Dispositif local d'accompagnement", "dla", "25000"),
            ("financing", "Fonds de garantie pour les entreprises solidaires", "gaia", "45000"),
            ("real-estate", "Finalisation de l'implantation de la Pousada", None, "30000"),
            ("entrepreneurship", "Coopérative d'activités et d'emploi", "urscop", "12000"),
            ("conventions", "Conventions pluriannuelles : filière déchets", "ateliers", "35000"),
            ("innovation-call", "Appel à projets innovation sociale 2026", None, "60000"),
        ],
    )
    strategy_2026 = _strategy(2026)

    # --- 2025: the four key moments, held ---------------------------------------------------
    programming, created_1 = _meeting(
        KeyMoment.PROGRAMMING,
        2025,
        datetime.date(2025, 2, 6),
        "Programmation annuelle 2025",
        [
            (
                "14:30",
                "14:45",
                "Avis sur la programmation annuelle 2025",
                {"programme": programme_2025},
            ),
            ("14:45", "15:15", "Communication", {"orientation": orientations[1]}),
            ("15:15", "15:45", "Outils de développement", {"orientation": orientations[2]}),
            ("16:00", "16:30", "Projets", {"orientation": orientations[3]}),
            ("16:30", "17:00", "Gouvernance", {}),
        ],
    )
    evaluation, created_2 = _meeting(
        KeyMoment.EVALUATION,
        2024,
        datetime.date(2025, 6, 12),
        "Évaluation de la programmation 2024 et point d'étape 2025",
        [
            ("14:30", "14:45", "Approbation du procès-verbal du 6 février 2025", {}),
            (
                "14:45",
                "16:00",
                "Évaluation : indicateurs de réalisation 2025 à mi-parcours",
                {"programme": programme_2025, "is_evaluation": True},
            ),
            (
                "16:00",
                "17:00",
                "Bilan de l'appel à projets innovation sociale",
                {"orientation": orientations[4]},
            ),
        ],
    )
    prospective, created_3 = _meeting(
        KeyMoment.PROSPECTIVE,
        2026,
        datetime.date(2025, 9, 18),
        "Réflexions prospectives : l'ESS dans l'agglomération en 2030",
        [
            ("14:30", "14:45", "Approbation du procès-verbal du 12 juin 2025", {}),
            (
                "14:45",
                "16:15",
                "Monnaie locale, commande publique durable : quelles pistes pour 2026 ?",
                {"orientation": orientations[3]},
            ),
            (
                "16:15",
                "17:00",
                "Orientations pour la programmation 2026",
                {"orientation": orientations[2]},
            ),
        ],
    )
    communication, created_4 = _meeting(
        KeyMoment.COMMUNICATION,
        2026,
        datetime.date(2025, 11, 6),
        "Stratégie de communication 2026",
        [
            ("14:30", "14:45", "Approbation du procès-verbal du 18 septembre 2025", {}),
            (
                "14:45",
                "15:45",
                "Stratégie de communication 2026 proposée par le groupe de travail ad hoc",
                {"strategy": strategy_2026, "orientation": orientations[1]},
            ),
            (
                "15:45",
                "16:30",
                "Articulation avec le Mois de l'ESS",
                {"orientation": orientations[1]},
            ),
        ],
    )

    if created_1:
        _hold(
            programming,
            staff,
            seats_absent={org_id["region"], org_id["fontaine"]},
            represented={org_id["urscop"]},
        )
        item = programming.items.get(programme=programme_2025)
        _opinion(
            item,
            staff,
            Outcome.RESERVED,
            "Avis favorable à la programmation 2025, sous réserve d'un bilan intermédiaire de "
            "l'appel à projets avant l'été et d'une attention aux communes hors Grenoble.",
            against={org_id["departement"]},
            abstain={org_id["cdc"]},
        )
        _minutes(
            programming,
            "Présents : 21 sièges sur 23 (2 excusés). Le comité a examiné le projet de "
            "programmation 2025 ligne par ligne. Alpesolidaires et GAIA, bénéficiaires de lignes, "
            "se sont abstenus. Avis favorable avec réserves.",
        )
    if created_2:
        _hold(evaluation, staff, seats_absent={org_id["smh"], org_id["pacte"], org_id["codev"]})
        services.minutes_approve(meeting=programming, at_meeting=evaluation, user=staff, send=False)
        item = evaluation.items.get(is_evaluation=True)
        _opinion(
            item,
            staff,
            Outcome.FAVOURABLE,
            "Le comité prend acte des indicateurs à mi-parcours : 31 projets accompagnés par le "
            "DLA, 14 prêts solidaires, 9 lauréats de l'appel à projets.",
        )
        _minutes(
            evaluation,
            "Le comité a approuvé le procès-verbal du 6 février 2025 et examiné l'évaluation à "
            "mi-parcours. Avis favorable.",
        )
    if created_3:
        _hold(
            prospective,
            staff,
            seats_absent={org_id["echirolles"]},
            represented={org_id["grenoble"]},
        )
        services.minutes_approve(meeting=evaluation, at_meeting=prospective, user=staff, send=False)
        item = prospective.items.get(topic__startswith="Orientations")
        _opinion(
            item,
            staff,
            Outcome.FAVOURABLE,
            "Le comité recommande de renforcer l'entrepreneuriat solidaire et la commande "
            "publique durable dans la programmation 2026.",
        )
        _minutes(
            prospective,
            "Atelier prospectif en trois groupes. Synthèse transmise au groupe de travail.",
        )
    if created_4:
        _hold(communication, staff, seats_absent={org_id["region"]})
        services.minutes_approve(
            meeting=prospective, at_meeting=communication, user=staff, send=False
        )
        item = communication.items.get(strategy=strategy_2026)
        _opinion(
            item,
            staff,
            Outcome.FAVOURABLE,
            "Le comité valide la stratégie de communication 2026 élaborée par le groupe de "
            "travail ad hoc.",
        )
        _minutes(
            communication,
            "Le comité a validé la stratégie de communication 2026. Le procès-verbal sera "
            "approuvé à la séance de programmation 2026.",
        )

    # --- 2026: the programming meeting, convened ---------------------------------------------
    meeting_2026, created_5 = _meeting(
        KeyMoment.PROGRAMMING,
        2026,
        datetime.date(2026, 12, 10),
        "Programmation annuelle 2026",
        [
            ("14:30", "14:45", "Approbation du procès-verbal du 6 novembre 2025", {}),
            ("14:45", "15:15", "Communication", {"orientation": orientations[1]}),
            ("15:15", "15:45", "Outils de développement", {"orientation": orientations[2]}),
            ("16:00", "16:30", "Projets", {"orientation": orientations[3]}),
            ("16:30", "17:00", "Gouvernance", {}),
            (
                "17:00",
                "17:30",
                "Avis sur le projet de programmation annuelle 2026",
                {"programme": programme_2026},
            ),
        ],
        end="18:00",
    )
    if created_5:
        meeting_2026 = services.meeting_convene(meeting=meeting_2026, user=staff, send=False)
        for who, reply in [
            ("member", Reply.ATTENDING),
            ("member_applicant", Reply.REPRESENTED),
        ]:
            services.attendance_reply(meeting=meeting_2026, user=context.users[who], reply=reply)
        for organisation_key, reply in [("gaia", Reply.ATTENDING), ("region", Reply.EXCUSED)]:
            services.attendance_reply(
                meeting=meeting_2026, user=seats[organisation_key].person, reply=reply
            )
        item = meeting_2026.items.get(programme=programme_2026)
        ConflictOfInterest.objects.get_or_create(
            item=item,
            mandate=seats["peniche"],
            defaults={
                "source": ConflictSource.DECLARED,
                "reason": "La Péniche est partenaire du projet de la filière déchets.",
                "declared_by": seats["peniche"].person,
            },
        )
        if programme_2026.status == ProgrammeStatus.SUBMITTED:
            lines = list(programme_2026.lines.order_by("position")[:2])
            for line, who, text in zip(
                lines,
                ["member", "member_applicant"],
                [
                    "Prévoir des événements dans les communes de la première couronne.",
                    "Associer l'URSCOP au comité de sélection des projets.",
                ],
                strict=False,
            ):
                LineComment.objects.get_or_create(
                    line=line, author=context.users[who], defaults={"text": text}
                )
    _files_item(meeting_2026, orientations[4])

    # --- 2026: an extra meeting, convened then cancelled ----------------------------------
    extra, created_6 = _meeting(
        KeyMoment.OTHER,
        2026,
        datetime.date(2026, 11, 19),
        "Séance thématique : financement des tiers-lieux",
        [("14:30", "16:00", "Financement des tiers-lieux solidaires", {})],
    )
    if created_6:
        services.meeting_convene(meeting=extra, user=staff, send=False)
        services.meeting_cancel(
            meeting=extra,
            user=staff,
            reason="Le quorum ne pouvait pas être atteint : le sujet sera traité à la séance "
            "de programmation du 10 décembre 2026.",
            send=False,
        )
    context.say(
        f"  + {len(HOLDERS) + len(SUBSTITUTES) - 2} autres membres du comité "
        f"(prenom.nom@comite.essmetro.example, même mot de passe)"
    )
