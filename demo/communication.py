"""Demo data of orientation 1: events and the Mois de l'ESS 2026, news, the working group, the
2026 communication strategy and plausible statistics for the 49 communes.

Idempotent: records are made with the factories and found again by slug, name, year or title.
Events, the strategy and the datasets are created in their status, with their log rows.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from communication.models import (
    DatasetStatus,
    DatasetTransition,
    EventKind,
    EventStatus,
    EventTransition,
    GroupMeeting,
    Statistic,
    StrategyStatus,
    StrategyTransition,
)
from demo.core import ensure
from demo.factories.communication import (
    DatasetFactory,
    EventFactory,
    NewsFactory,
    StrategyActionFactory,
    StrategyFactory,
    WorkingGroupFactory,
)
from ess_metro.directory.models import Commune, EssFamily
from programme.models import ProgrammeLine

# slug, title, kind, (year, month, day, hour, minute), hours, place, commune, organiser,
# audience, registration, capacity, Mois de l'ESS, budget
EVENTS = [
    (
        "ouverture-mois-ess-2026",
        "Ouverture du Mois de l'ESS 2026 : l'ESS, une économie d'avenir",
        EventKind.CONFERENCE,
        (2026, 11, 3, 18, 0),
        2,
        "Maison de la Création et de l'Innovation, 339 avenue Centrale",
        "Saint-Martin-d'Hères",
        "alpesolidaires",
        "Tout public",
        "https://www.alpesolidaires.org/mois-ess",
        None,
        True,
        Decimal("2500.00"),
    ),
    (
        "forum-emploi-ess-2026",
        "Forum de l'emploi dans l'ESS",
        EventKind.FORUM,
        (2026, 11, 7, 9, 30),
        6,
        "La Rampe, 15 avenue du 8 Mai 1945",
        "Échirolles",
        "adate",
        "Demandeurs d'emploi, étudiants, salariés en reconversion",
        "",
        300,
        True,
        Decimal("3500.00"),
    ),
    (
        "visite-artis-fontaine-2026",
        "Visite de l'hôtel d'activités Artis",
        EventKind.VISIT,
        (2026, 11, 10, 14, 0),
        2,
        "Hôtel d'activités Artis, rue Jean Jaurès",
        "Fontaine",
        "gaia",
        "Porteurs de projet, élus",
        "",
        25,
        True,
        Decimal("0.00"),
    ),
    (
        "atelier-creer-sa-scop-2026",
        "Atelier : créer ou reprendre une entreprise en SCOP",
        EventKind.WORKSHOP,
        (2026, 11, 13, 9, 0),
        3,
        "URSCOP, 27 rue Pierre Sémard",
        "Saint-Martin-d'Hères",
        "urscop",
        "Créateurs et repreneurs d'entreprise",
        "",
        20,
        True,
        Decimal("0.00"),
    ),
    (
        "salon-consommer-solidaire-2026",
        "Salon « Consommer solidaire »",
        EventKind.FAIR,
        (2026, 11, 21, 10, 0),
        8,
        "Halle Clemenceau, place Clemenceau",
        "Grenoble",
        "alpesolidaires",
        "Tout public",
        "",
        None,
        True,
        Decimal("6000.00"),
    ),
    (
        "conference-mutuelles-sante-2026",
        "Mutuelles et santé : quelle protection sociale demain ?",
        EventKind.CONFERENCE,
        (2026, 11, 17, 18, 30),
        2,
        "Salle Juliet Berto, passage de l'Ancien Palais de Justice",
        "Grenoble",
        "mgen",
        "Tout public",
        "",
        120,
        True,
        Decimal("0.00"),
    ),
    (
        "visite-autopartage-2026",
        "Découverte de l'autopartage coopératif",
        EventKind.VISIT,
        (2026, 11, 25, 17, 0),
        2,
        "Station Alpes Autopartage, gare de Grenoble",
        "Grenoble",
        "autopartage",
        "Tout public",
        "",
        15,
        True,
        Decimal("0.00"),
    ),
    (
        "atelier-finance-solidaire-2026",
        "Atelier : financer son projet par la finance solidaire",
        EventKind.WORKSHOP,
        (2026, 11, 30, 14, 0),
        3,
        "Maison des associations, 6 rue Berthe de Boissieux",
        "Grenoble",
        "gaia",
        "Associations et entreprises solidaires",
        "",
        30,
        True,
        Decimal("800.00"),
    ),
    (
        "cloture-mois-ess-2026",
        "Soirée de clôture du Mois de l'ESS et remise des prix",
        EventKind.CONFERENCE,
        (2026, 11, 30, 18, 30),
        3,
        "La Péniche, quai de la Graille",
        "Grenoble",
        "peniche",
        "Acteurs de l'ESS, tout public",
        "https://www.alpesolidaires.org/mois-ess",
        None,
        True,
        Decimal("1500.00"),
    ),
    (
        "rencontre-transition-eybens-2026",
        "Rencontre : l'ESS au service de la transition écologique",
        EventKind.FORUM,
        (2026, 12, 8, 18, 0),
        2,
        "Salle polyvalente, avenue de Poisat",
        "Eybens",
        "mnei",
        "Tout public",
        "",
        80,
        False,
        Decimal("0.00"),
    ),
    (
        "atelier-dla-2027",
        "Atelier DLA : consolider son modèle économique",
        EventKind.WORKSHOP,
        (2027, 1, 19, 9, 30),
        3,
        "Maison des associations",
        "Meylan",
        "dla",
        "Associations employeuses",
        "",
        16,
        False,
        Decimal("0.00"),
    ),
    (
        "visite-jardins-insertion-2027",
        "Visite d'un jardin d'insertion",
        EventKind.VISIT,
        (2027, 3, 12, 10, 0),
        2,
        "Jardins du Drac, chemin du Drac",
        "Le Pont-de-Claix",
        "adate",
        "Tout public",
        "",
        20,
        False,
        Decimal("0.00"),
    ),
    (
        "forum-associations-vizille-2027",
        "Forum des initiatives solidaires du sud de la Métro",
        EventKind.FORUM,
        (2027, 4, 10, 10, 0),
        6,
        "Salle du Jeu de Paume",
        "Vizille",
        "alpesolidaires",
        "Tout public",
        "",
        None,
        False,
        Decimal("1200.00"),
    ),
]

PROPOSAL = (
    "soiree-jeux-cooperatifs-2027",
    "Soirée jeux coopératifs à La Péniche",
    EventKind.WORKSHOP,
    (2027, 2, 5, 19, 0),
    3,
    "La Péniche, quai de la Graille",
    "Grenoble",
    "peniche",
    "Tout public, dès 8 ans",
    "",
    40,
    False,
    Decimal("0.00"),
)

# Approximate populations: the weight of each commune in the demo statistics.
POPULATION = {
    "Grenoble": 158000,
    "Saint-Martin-d'Hères": 38000,
    "Échirolles": 37000,
    "Fontaine": 22000,
    "Meylan": 17500,
    "Saint-Égrève": 16000,
    "Seyssinet-Pariset": 12000,
    "Sassenage": 11500,
    "Le Pont-de-Claix": 11000,
    "Eybens": 10000,
    "Vif": 8500,
    "Varces-Allières-et-Risset": 8000,
    "Claix": 7700,
    "Vizille": 7500,
    "Seyssins": 7000,
    "Domène": 6800,
    "Gières": 6800,
    "Saint-Martin-le-Vinoux": 5600,
}
DEFAULT_POPULATION = 2300

# family: (share of establishments, share of jobs, main sector)
FAMILIES = {
    EssFamily.ASSOCIATION: (Decimal("0.80"), Decimal("0.70"), "Action sociale, culture, sport"),
    EssFamily.COOPERATIVE: (Decimal("0.08"), Decimal("0.10"), "Commerce, industrie, services"),
    EssFamily.MUTUAL: (Decimal("0.06"), Decimal("0.10"), "Banque et assurance, santé"),
    EssFamily.FOUNDATION: (Decimal("0.02"), Decimal("0.06"), "Santé et hébergement médico-social"),
    EssFamily.COMPANY: (Decimal("0.04"), Decimal("0.04"), "Services aux entreprises"),
}
YEARS = range(2015, 2024)
TOTAL_2019 = {"establishments": 1875, "jobs": 20000}
YEARLY_GROWTH = {"establishments": Decimal("0.008"), "jobs": Decimal("0.012")}

# The wider Grenoble area in 2007 (DOMAIN-FACTS): about 7,100 establishments, 17,000 employees.
AREA_2007 = [
    (EssFamily.ASSOCIATION, "Action sociale, culture, sport", 5950, 10900),
    (EssFamily.COOPERATIVE, "Commerce, industrie, services", 650, 2300),
    (EssFamily.MUTUAL, "Banque et assurance, santé", 420, 2400),
    (EssFamily.FOUNDATION, "Santé et hébergement médico-social", 80, 1400),
]


NEWS = [
    (
        "programme-mois-ess-2026",
        "Le programme du Mois de l'ESS 2026 est en ligne",
        datetime.date(2026, 10, 15),
        "Conférences, forum de l'emploi, visites et ateliers : découvrez les rendez-vous de "
        "l'économie sociale et solidaire organisés en novembre dans les communes de la "
        "Métropole, avec Alpesolidaires et les acteurs du territoire. Le programme est "
        "téléchargeable en PDF.",
        "ouverture-mois-ess-2026",
        None,
    ),
    (
        "salon-consommer-solidaire",
        "Salon « Consommer solidaire » : 40 exposants à la Halle Clemenceau",
        datetime.date(2026, 11, 5),
        "Producteurs bio, recycleries, coopératives et monnaie locale : le salon réunit les "
        "acteurs de la consommation responsable le 21 novembre.",
        "salon-consommer-solidaire-2026",
        None,
    ),
    (
        "programmation-2025-evaluee",
        "La programmation annuelle 2025 du plan ESS est évaluée",
        datetime.date(2026, 3, 30),
        "Le comité de suivi a examiné le 26 mars le bilan de la programmation 2025 : "
        "accompagnement des projets, outils financiers, projets structurants et appel à "
        "projets innovation sociale. Les résultats sont publiés, indicateur par indicateur. "
        "Le projet de programmation 2026 lui sera soumis à la séance du 10 décembre.",
        None,
        2025,
    ),
    (
        "chiffres-cles-ess-2023",
        "Les chiffres clés de l'ESS dans la Métropole",
        datetime.date(2026, 6, 30),
        "Établissements et emplois de l'économie sociale et solidaire par commune et par "
        "famille : les données sont publiées en graphiques et en téléchargement libre.",
        None,
        None,
    ),
]

GROUP_NAME = "Groupe de travail ad hoc « communication ESS »"
GROUP_MANDATE = (
    "Repenser l'événementiel sur l'ESS et son articulation avec le Mois de l'ESS, conforter le "
    "site Alpesolidaires et proposer au comité de suivi une stratégie de communication annuelle."
)
GROUP_MEMBERS = ["staff", "member", "applicant", "member_applicant"]
GROUP_MEETINGS = [
    (
        datetime.date(2026, 1, 22),
        "Bilan du Mois de l'ESS 2025 : 26 événements, fréquentation en hausse dans les "
        "communes hors Grenoble. Décision de préparer un programme imprimé.",
    ),
    (
        datetime.date(2026, 3, 12),
        "Premières orientations de la stratégie 2026 : flux pour Alpesolidaires, "
        "forum de l'emploi, valorisation des chiffres clés.",
    ),
    (
        datetime.date(2026, 5, 7),
        "Relecture du projet de stratégie et du calendrier des actions avant envoi au "
        "comité de suivi.",
    ),
]

STRATEGY_SUMMARY = (
    "Faire connaître l'ESS au-delà de ses acteurs : un Mois de l'ESS présent dans toutes les "
    "communes, un agenda unique partagé avec Alpesolidaires, des chiffres clés publiés en "
    "données ouvertes."
)
STRATEGY_SUBMITTED_AT = (2026, 5, 20, 10, 0)
# title, starts on, ends on, budget
STRATEGY_ACTIONS = [
    (
        "Programme imprimé du Mois de l'ESS",
        datetime.date(2026, 9, 1),
        datetime.date(2026, 10, 15),
        Decimal("4500.00"),
    ),
    (
        "Forum de l'emploi dans l'ESS",
        datetime.date(2026, 11, 1),
        datetime.date(2026, 11, 30),
        Decimal("3500.00"),
    ),
    (
        "Agenda partagé et flux pour Alpesolidaires",
        datetime.date(2026, 6, 1),
        datetime.date(2026, 12, 31),
        Decimal("2000.00"),
    ),
    (
        "Publication des chiffres clés de l'ESS",
        datetime.date(2026, 6, 1),
        datetime.date(2026, 7, 15),
        Decimal("1000.00"),
    ),
]


def _aware(year, month, day, hour, minute):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def _event_line():
    """The most recent orientation 1 line, preferably of the events axis (none: no budget)."""
    lines = ProgrammeLine.objects.filter(axis__orientation__number=1).order_by(
        "-programme__year", "pk"
    )
    return lines.filter(axis__code="events").first() or lines.first()


def _log_steps(log_model, subject: str, obj, steps, *, at=None) -> None:
    """The log rows of an object created in its status: ``steps`` is a list of
    (from status, to status, user) in the order they happened."""
    for from_status, to_status, user in steps:
        fields = {"at": at} if at is not None else {}
        log_model.objects.create(
            **{subject: obj}, user=user, from_status=from_status, to_status=to_status, **fields
        )


def _seed_event(context, spec, *, status, line, user, proposed_by=None):
    (slug, title, kind, start, hours, place, commune, organiser) = spec[:8]
    (audience, registration, capacity, mois_ess, budget) = spec[8:]
    starts_at = _aware(*start)
    organisation = context.organisations[organiser]
    event, created = ensure(
        EventFactory,
        "slug",
        slug=slug,
        title=title,
        kind=kind,
        description=(
            f"{title}. Un rendez-vous proposé par {organisation.name} pour découvrir "
            "l'économie sociale et solidaire du territoire, échanger avec ses acteurs et "
            "repartir avec des contacts et des idées."
        ),
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        place=place,
        commune=Commune.objects.get(name=commune),
        organiser=organisation,
        audience=audience,
        registration_url=registration,
        capacity=capacity,
        mois_ess=mois_ess,
        status=status,
        programme_line=line if budget and line else None,
        budget=budget if line else Decimal("0.00"),
        proposed_by=proposed_by,
        published_at=timezone.now() if status == EventStatus.PUBLISHED else None,
    )
    if created:
        steps = [("", EventStatus.PROPOSED, proposed_by or user)]
        if status == EventStatus.PUBLISHED:
            steps.append((EventStatus.PROPOSED, EventStatus.PUBLISHED, user))
        _log_steps(EventTransition, "event", event, steps)
    return event


def _seed_events(context):
    staff = context.users["staff"]
    line = _event_line()
    events = {
        spec[0]: _seed_event(context, spec, status=EventStatus.PUBLISHED, line=line, user=staff)
        for spec in EVENTS
    }
    _seed_event(
        context,
        PROPOSAL,
        status=EventStatus.PROPOSED,
        line=None,
        user=staff,
        proposed_by=context.users["applicant2"],
    )
    return events


def _seed_news(context, events):
    for slug, title, day, text, event, year in NEWS:
        ensure(
            NewsFactory,
            "slug",
            slug=slug,
            title=title,
            published_on=day,
            text=text,
            event=events.get(event),
            programme_year=year,
            created_by=context.users["staff"],
        )


def _seed_group(context):
    group, created = ensure(WorkingGroupFactory, "name", name=GROUP_NAME, mandate=GROUP_MANDATE)
    if created:
        group.members.add(*(context.users[key] for key in GROUP_MEMBERS))
        for day, notes in GROUP_MEETINGS:
            GroupMeeting.objects.create(
                group=group, date=day, place="Métro, 3 rue Malakoff", notes=notes
            )
    return group


def _seed_strategy(context, group):
    """The 2026 strategy with its actions, submitted to the committee (created so)."""
    submitted_at = _aware(*STRATEGY_SUBMITTED_AT)
    strategy, created = ensure(
        StrategyFactory,
        "year",
        year=2026,
        title="Stratégie de communication ESS 2026",
        summary=STRATEGY_SUMMARY,
        working_group=group,
        status=StrategyStatus.SUBMITTED,
        submitted_at=submitted_at,
    )
    if created:
        line = _event_line()
        for title, start, end, budget in STRATEGY_ACTIONS:
            StrategyActionFactory(
                strategy=strategy,
                title=title,
                starts_on=start,
                ends_on=end,
                budget=budget,
                programme_line=line,
            )
        steps = [(StrategyStatus.DRAFT, StrategyStatus.SUBMITTED, context.users["staff"])]
        _log_steps(StrategyTransition, "strategy", strategy, steps, at=submitted_at)


def commune_rows():
    """Establishments and jobs by commune, family and year, consistent with 2019's totals."""
    communes = list(Commune.objects.order_by("name"))
    weights = {c.pk: POPULATION.get(c.name, DEFAULT_POPULATION) for c in communes}
    total_weight = sum(weights.values())
    rows = []
    for year in YEARS:
        factor = {
            measure: (1 + YEARLY_GROWTH[measure]) ** (year - 2019) for measure in YEARLY_GROWTH
        }
        for commune in communes:
            share = Decimal(weights[commune.pk]) / total_weight
            for family, (est_share, job_share, sector) in FAMILIES.items():
                establishments = TOTAL_2019["establishments"] * share * est_share
                jobs = TOTAL_2019["jobs"] * share * job_share
                rows.append(
                    (
                        year,
                        commune,
                        family,
                        sector,
                        int((establishments * factor["establishments"]).to_integral_value()),
                        int((jobs * factor["jobs"]).to_integral_value()),
                    )
                )
    return rows


def _csv_bytes(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["annee", "commune", "famille", "secteur", "etablissements", "emplois"])
    for year, commune, family, sector, establishments, jobs in rows:
        writer.writerow(
            [year, commune.name if commune else "", family, sector, establishments, jobs]
        )
    return buffer.getvalue().encode("utf-8")


def _seed_dataset(context, *, title, defaults, rows, filename):
    staff = context.users["staff"]
    dataset, created = ensure(
        DatasetFactory,
        "title",
        title=title,
        status=DatasetStatus.PUBLISHED,
        imported_by=staff,
        published_at=timezone.now(),
        row_count=len(rows),
        original_file=ContentFile(_csv_bytes(rows), name=filename),
        **defaults,
    )
    if not created:
        return dataset
    steps = [
        ("", DatasetStatus.DRAFT, staff),
        (DatasetStatus.DRAFT, DatasetStatus.PUBLISHED, staff),
    ]
    _log_steps(DatasetTransition, "dataset", dataset, steps)
    Statistic.objects.bulk_create(
        Statistic(
            dataset=dataset,
            line_number=number,
            year=year,
            commune=commune,
            family=family,
            sector=sector,
            establishments=establishments,
            jobs=jobs,
        )
        for number, (year, commune, family, sector, establishments, jobs) in enumerate(
            rows, start=2
        )
    )
    return dataset


def _seed_statistics(context):
    _seed_dataset(
        context,
        title="L'ESS dans la région grenobloise en 2007",
        defaults={
            "description": (
                "Établissements et salariés de l'ESS de la région grenobloise (périmètre élargi), "
                "chiffres repris dans l'évaluation du plan en 2009."
            ),
            "source": "INSEE CLAP 2007, d'après l'évaluation du plan ESS (2009)",
            "licence": "Licence Ouverte / Open Licence 2.0",
            "data_date": datetime.date(2009, 6, 1),
        },
        rows=[(2007, None, family, sector, est, jobs) for family, sector, est, jobs in AREA_2007],
        filename="ess-region-grenobloise-2007.csv",
    )
    _seed_dataset(
        context,
        title="Établissements et emplois de l'ESS par commune, 2015–2023",
        defaults={
            "description": (
                "Estimation par commune et par famille de l'ESS (données de démonstration "
                "cohérentes avec les totaux publiés : environ 1 875 établissements et "
                "20 000 emplois en 2019)."
            ),
            "source": "URSSAF et INSEE (données de démonstration)",
            "source_url": "https://open.urssaf.fr/",
            "licence": "Licence Ouverte / Open Licence 2.0",
            "data_date": datetime.date(2025, 6, 30),
        },
        rows=commune_rows(),
        filename="ess-metro-communes-2015-2023.csv",
    )


def seed(context) -> None:
    events = _seed_events(context)
    _seed_news(context, events)
    _seed_strategy(context, _seed_group(context))
    _seed_statistics(context)
    context.say(
        "  Communication : agenda /agenda/ (Mois de l'ESS 2026), données /donnees/, flux /flux/"
    )
