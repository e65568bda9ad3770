"""Demo data of the programme app: development tools, the 2025 programme evaluated, a 2026 draft.

Called by ``manage.py seed_demo`` after the kernel; idempotent (records are made with the
factories and found again by their natural key; the 2025 programme moves through the services).
The wording is French content, as staff would type it.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from demo.core import ensure, organisation
from demo.factories.programme import (
    EndowmentFactory,
    IndicatorFactory,
    LineFactory,
    SupportFactory,
    ToolFactory,
)
from ess_metro.directory.models import Commune, LegalForm
from programme import services
from programme.models import (
    AnnualProgramme,
    Axis,
    Indicator,
    ProgrammeStatus,
    ProgrammeTransition,
    ToolKind,
)

LAST_YEAR = 2025
THIS_YEAR = 2026

METRO = {
    "siret": "20004071500001",
    "name": "Grenoble-Alpes Métropole",
    "acronym": "la Métro",
    "legal_form": LegalForm.PUBLIC_BODY,
    "description": "Métropole de 49 communes, 3 rue Malakoff, 38031 Grenoble.",
    "email": "ess@grenoblealpesmetropole.example",
}

# slug, name, kind, operator key, summary, description, start date
TOOLS = [
    (
        "dla-isere",
        "Dispositif local d'accompagnement (DLA) de l'Isère",
        ToolKind.SUPPORT,
        "dla",
        "Accompagnement des associations employeuses, coopératives et structures d'insertion "
        "dans la consolidation de leurs activités et de leurs emplois.",
        "Le DLA accueille la structure, établit avec elle un diagnostic partagé, construit un "
        "plan d'accompagnement et finance l'intervention de consultants, puis assure le suivi. "
        "La Métro soutient l'opérateur local pour les structures de l'agglomération.",
        datetime.date(2010, 1, 1),
    ),
    (
        "fonds-gaia",
        "Fonds GAIA pour les entreprises solidaires",
        ToolKind.FINANCING,
        "gaia",
        "Dotation de la Métro au fonds de prêts et de garanties de Grenoble Alpes Initiative "
        "Active pour les entreprises solidaires en développement.",
        "Grenoble Alpes Initiative Active, membre de France Active, accorde prêts solidaires et "
        "garanties bancaires aux entreprises solidaires du territoire. La dotation de la Métro "
        "abonde le fonds dédié aux structures de l'ESS.",
        datetime.date(2009, 9, 1),
    ),
    (
        "artis-2",
        "Étude d'opportunités Artis 2",
        ToolKind.REAL_ESTATE,
        "metro",
        "Étude d'opportunités pour un second hôtel d'activités de l'ESS, après Artis à Fontaine "
        "(2008) : sites d'Échirolles Village 2 et de Grenoble Mistral.",
        "L'étude évalue les besoins en locaux des entreprises de l'ESS, compare les deux sites "
        "pressentis et propose un montage immobilier et financier.",
        datetime.date(2024, 3, 1),
    ),
    (
        "la-pousada",
        "La Pousada, pépinière d'entreprises",
        ToolKind.REAL_ESTATE,
        "metro",
        "Finalisation de l'implantation de la Pousada, pépinière d'entreprises de la Métropole, "
        "avec des bureaux réservés aux jeunes entreprises de l'ESS.",
        "Des bureaux et des services partagés à loyer progressif pour les entreprises "
        "solidaires de moins de trois ans.",
        datetime.date(2011, 6, 1),
    ),
    (
        "entreprendre-solidaire",
        "Parcours Entreprendre solidaire",
        ToolKind.ENTREPRENEURSHIP,
        "urscop",
        "Accompagnement à la création de coopératives et d'entreprises solidaires, de l'idée au "
        "premier exercice.",
        "Ateliers collectifs, appui individuel au projet coopératif et mise en relation avec "
        "les financeurs solidaires.",
        datetime.date(2012, 1, 1),
    ),
]

# tool slug, organisation key, date, kind of support, amount, jobs
SUPPORTS = [
    ("dla-isere", "peniche", datetime.date(2025, 3, 12), "Diagnostic partagé", "0.00", 6),
    (
        "dla-isere",
        "peniche",
        datetime.date(2025, 6, 2),
        "Accompagnement collectif : modèle économique",
        "4800.00",
        6,
    ),
    ("dla-isere", "adate", datetime.date(2025, 4, 8), "Diagnostic partagé", "0.00", 60),
    (
        "dla-isere",
        "mnei",
        datetime.date(2025, 9, 22),
        "Accompagnement individuel : gouvernance associative",
        "3600.00",
        5,
    ),
    ("fonds-gaia", "autopartage", datetime.date(2025, 2, 18), "Prêt solidaire", "30000.00", 8),
    ("fonds-gaia", "peniche", datetime.date(2025, 10, 7), "Garantie bancaire", "15000.00", 6),
    (
        "la-pousada",
        "autopartage",
        datetime.date(2025, 5, 1),
        "Bureaux en pépinière (24 m²)",
        "2400.00",
        3,
    ),
    (
        "entreprendre-solidaire",
        "autopartage",
        datetime.date(2025, 11, 14),
        "Appui au passage en SCIC",
        "1500.00",
        8,
    ),
]

# axis code, position, title, description, beneficiary key, planned amount, indicators
# indicators: (label, unit, target, actual, comment)
LINES_2025 = [
    (
        "events",
        1,
        "Mois de l'ESS 2025 : coordination et programme de novembre",
        "Coordination des événements de novembre par Alpesolidaires avec la CRESS.",
        "alpesolidaires",
        "25000.00",
        [
            ("Événements labellisés", "événements", "25", "28", "Dont 6 hors Grenoble."),
            ("Participants", "personnes", "3000", "3350", ""),
        ],
    ),
    (
        "events",
        2,
        "Groupe de travail ad hoc : stratégie de communication",
        "Animation du groupe et édition des supports validés par le comité de suivi.",
        None,
        "5000.00",
        [("Réunions du groupe", "réunions", "4", "3", "Une réunion reportée en 2026.")],
    ),
    (
        "alpesolidaires",
        1,
        "Site Alpesolidaires : animation éditoriale et agenda",
        "Conforter le site d'information de l'ESS de l'agglomération.",
        "alpesolidaires",
        "18000.00",
        [("Visites mensuelles", "visites", "9000", "10450", "")],
    ),
    (
        "statistics",
        1,
        "Chiffres clés de l'ESS 2025",
        "Mise à jour des données (établissements, emplois par famille et par commune).",
        None,
        "8000.00",
        [
            (
                "Publication des chiffres clés",
                "publication",
                "1",
                "1",
                "Publiées en données ouvertes.",
            )
        ],
    ),
    (
        "support",
        1,
        "Soutien au Dispositif local d'accompagnement",
        "Participation de la Métro au DLA de l'Isère pour les structures de l'agglomération.",
        "dla",
        "30000.00",
        [
            ("Structures accompagnées", "structures", "12", "14", ""),
            ("Emplois consolidés", "emplois", "80", "71", "Deux structures en redressement."),
        ],
    ),
    (
        "financing",
        1,
        "Dotation au fonds GAIA pour les entreprises solidaires",
        "Abondement du fonds de prêts solidaires et de garanties.",
        "gaia",
        "60000.00",
        [
            ("Entreprises financées", "entreprises", "10", "9", ""),
            ("Effet levier bancaire", "€ mobilisés par € public", "4", "4.6", ""),
        ],
    ),
    (
        "real-estate",
        1,
        "Étude d'opportunités Artis 2",
        "Sites d'Échirolles Village 2 et de Grenoble Mistral.",
        "metro",
        "25000.00",
        [("Rendu de l'étude", "étude", "1", "1", "Restituée au comité le 20 novembre 2025.")],
    ),
    (
        "real-estate",
        2,
        "Finalisation de l'implantation de la Pousada",
        "Aménagement des bureaux réservés aux entreprises de l'ESS.",
        "metro",
        "40000.00",
        [("Bureaux occupés par des entreprises de l'ESS", "bureaux", "6", "5", "")],
    ),
    (
        "entrepreneurship",
        1,
        "Parcours Entreprendre solidaire",
        "Ateliers et appui individuel à la création de coopératives.",
        "urscop",
        "20000.00",
        [
            ("Porteurs accompagnés", "porteurs", "20", "23", ""),
            ("Créations", "entreprises", "5", "4", ""),
        ],
    ),
    (
        "conventions",
        1,
        "Conventions pluriannuelles — projets structurants d'intérêt communautaire",
        "Déchets, habitat, filière agricole, services aux personnes, commande durable, "
        "monnaie locale et insertion par l'activité économique.",
        None,
        "70000.00",
        [("Conventions en cours", "conventions", "6", "6", "")],
    ),
    (
        "innovation-call",
        1,
        "Appel à projets Innovation sociale 2025",
        "Enveloppe de l'appel annuel, avec diagnostic économique des projets.",
        None,
        "50000.00",
        [
            ("Projets soutenus", "projets", "8", "7", ""),
            ("Communes touchées", "communes", "10", "12", ""),
        ],
    ),
]

# tool slug, year, line title, committed, paid, decision date
ENDOWMENTS = [
    (
        "dla-isere",
        2025,
        "Soutien au Dispositif local d'accompagnement",
        "30000.00",
        "30000.00",
        datetime.date(2025, 2, 10),
    ),
    (
        "fonds-gaia",
        2025,
        "Dotation au fonds GAIA pour les entreprises solidaires",
        "60000.00",
        "48000.00",
        datetime.date(2025, 3, 3),
    ),
    (
        "artis-2",
        2025,
        "Étude d'opportunités Artis 2",
        "23500.00",
        "23500.00",
        datetime.date(2025, 1, 27),
    ),
    (
        "la-pousada",
        2025,
        "Finalisation de l'implantation de la Pousada",
        "38750.50",
        "31000.40",
        datetime.date(2025, 4, 14),
    ),
    (
        "entreprendre-solidaire",
        2025,
        "Parcours Entreprendre solidaire",
        "20000.00",
        "16000.00",
        datetime.date(2025, 3, 17),
    ),
    (
        "dla-isere",
        2026,
        "Soutien au Dispositif local d'accompagnement",
        "32000.00",
        "25600.00",
        datetime.date(2026, 2, 9),
    ),
]

# status reached, date of the step, comment
STEPS_2025 = [
    (ProgrammeStatus.SUBMITTED, datetime.datetime(2024, 11, 18, 10), "Envoyé aux membres."),
    (
        ProgrammeStatus.COMMITTEE_OPINION,
        datetime.datetime(2024, 12, 5, 17),
        "Avis favorable du comité de suivi, avec une attention particulière à l'immobilier.",
    ),
    (ProgrammeStatus.ADOPTED, datetime.datetime(2024, 12, 19, 19), ""),
    (ProgrammeStatus.PUBLISHED, datetime.datetime(2025, 1, 10, 9), ""),
    (
        ProgrammeStatus.EVALUATED,
        datetime.datetime(2026, 3, 26, 16),
        "Évaluation présentée au comité de suivi.",
    ),
]

INTRODUCTION = (
    "Mise en œuvre annuelle des orientations du plan : connaître et faire connaître l'ESS, "
    "doter l'ESS d'outils de développement, soutenir des projets structurants et l'émergence "
    "de l'innovation sociale."
)

EVALUATION_2025 = (
    "Le programme 2025 a été engagé à un niveau élevé sur l'orientation 2 : le DLA et le fonds "
    "GAIA ont dépassé leurs objectifs en nombre de structures accompagnées, l'étude Artis 2 a "
    "été rendue et la Pousada accueille cinq entreprises de l'ESS. Le Mois de l'ESS a réuni 28 "
    "événements. Points d'attention pour 2026 : l'emploi consolidé reste en deçà de l'objectif "
    "et le groupe de travail communication doit tenir son calendrier."
)


def _metro(context):
    commune = Commune.objects.filter(name="Grenoble").first()
    metro = organisation("siret", **METRO, commune=commune)
    context.organisations.setdefault("metro", metro)
    return metro


def _seed_tools(context):
    tools = {}
    for slug, name, kind, operator, summary, description, started_on in TOOLS:
        tools[slug], _created = ensure(
            ToolFactory,
            "slug",
            slug=slug,
            name=name,
            kind=kind,
            operator=context.organisations[operator],
            summary=summary,
            description=description,
            started_on=started_on,
        )
    for slug, organisation_key, date, kind_of_support, amount, jobs in SUPPORTS:
        ensure(
            SupportFactory,
            "tool",
            "organisation",
            "date",
            tool=tools[slug],
            organisation=context.organisations[organisation_key],
            date=date,
            kind_of_support=kind_of_support,
            amount=Decimal(amount),
            jobs_concerned=jobs,
        )
    return tools


def _at(moment: datetime.datetime):
    return timezone.make_aware(moment)


def _lines_2025(context, programme) -> None:
    axes = {axis.code: axis for axis in Axis.objects.filter(orientation__plan=programme.plan)}
    for code, position, title, description, beneficiary, amount, indicators in LINES_2025:
        line = LineFactory(
            programme=programme,
            axis=axes[code],
            position=position,
            title=title,
            description=description,
            beneficiary=context.organisations.get(beneficiary) if beneficiary else None,
            planned_amount=Decimal(amount),
        )
        for index, (label, unit, target, _actual, _comment) in enumerate(indicators):
            IndicatorFactory(
                line=line, position=index, label=label, unit=unit, target=Decimal(target)
            )


def _walk_2025(programme, staff):
    """Submitted, reviewed, adopted, published, then evaluated: each step through the
    service, dated as it happened."""
    for status, moment, comment in STEPS_2025:
        if status == ProgrammeStatus.EVALUATED:
            _fill_results(programme)
            programme.evaluation_summary = EVALUATION_2025
            programme.save(update_fields=["evaluation_summary", "updated_at"])
        programme = services.programme_transition(
            programme=programme,
            to_status=status,
            user=staff,
            comment=comment,
            deliberation_reference="DEL-2024-0312",
            deliberation_date=datetime.date(2024, 12, 19),
        )
        ProgrammeTransition.objects.filter(programme=programme, to_status=status).update(
            at=_at(moment)
        )
    return programme


def _seed_last_year(context, staff):
    existing = AnnualProgramme.objects.filter(year=LAST_YEAR).first()
    if existing is not None:
        return existing
    programme = services.programme_create(
        year=LAST_YEAR,
        user=staff,
        title=f"Programmation annuelle ESS {LAST_YEAR}",
        introduction=INTRODUCTION,
    )
    ProgrammeTransition.objects.filter(programme=programme).update(
        at=_at(datetime.datetime(2024, 10, 1, 9))
    )
    _lines_2025(context, programme)
    programme = _walk_2025(programme, staff)
    AnnualProgramme.objects.filter(pk=programme.pk).update(
        published_on=datetime.date(2025, 1, 10), evaluation_summary=EVALUATION_2025
    )
    return programme


def _fill_results(programme):
    results = {
        (title, label): (actual, comment)
        for _code, _pos, title, _desc, _ben, _amount, indicators in LINES_2025
        for label, _unit, _target, actual, comment in indicators
    }
    for indicator in Indicator.objects.filter(line__programme=programme).select_related("line"):
        actual, comment = results[(indicator.line.title, indicator.label)]
        indicator.actual = Decimal(actual)
        indicator.comment = comment
        indicator.save(update_fields=["actual", "comment"])


def _seed_this_year(staff):
    existing = AnnualProgramme.objects.filter(year=THIS_YEAR).first()
    if existing is not None:
        return existing
    programme = services.programme_copy_previous_year(year=THIS_YEAR, user=staff)
    changes = {
        "Soutien au Dispositif local d'accompagnement": Decimal("32000.00"),
        "Dotation au fonds GAIA pour les entreprises solidaires": Decimal("65000.00"),
        "Étude d'opportunités Artis 2": Decimal("0.00"),
    }
    for line in programme.lines.all():
        if line.title in changes:
            line.planned_amount = changes[line.title]
        line.title = line.title.replace("2025", "2026")
        line.save()
    programme.lines.filter(planned_amount=0).delete()
    Indicator.objects.filter(line__programme=programme, label="Rendu de l'étude").delete()
    # Sent to the members before the programming meeting of 10 December (demo/governance.py).
    return services.programme_transition(
        programme=programme,
        to_status=ProgrammeStatus.SUBMITTED,
        user=staff,
        comment="Envoyé aux membres avant la séance du 10 décembre.",
    )


def _seed_endowments(tools):
    for slug, year, line_title, committed, paid, decision_date in ENDOWMENTS:
        programme = AnnualProgramme.objects.filter(year=year).order_by("-version").first()
        line = programme.lines.filter(title=line_title).first() if programme else None
        ensure(
            EndowmentFactory,
            "tool",
            "year",
            tool=tools[slug],
            year=year,
            line=line,
            amount=Decimal(committed),
            paid_amount=Decimal(paid),
            decision_date=decision_date,
        )


def seed(context) -> None:
    staff = context.users["staff"]
    _metro(context)
    tools = _seed_tools(context)
    _seed_last_year(context, staff)
    _seed_this_year(staff)
    _seed_endowments(tools)
