"""The plan as set by the framework deliberation of 3 July 2009 (the seed document).

The wording is the deck's own; it is content, kept in French as the council adopted it.
"""

import datetime

PLAN = {
    "title": (
        "Plan de développement de l'économie sociale et solidaire de l'agglomération grenobloise"
    ),
    "short_title": "Plan ESS de l'agglomération grenobloise",
    "summary": (
        "Projet de délibération-cadre soumis à l'examen du conseil communautaire du 3 juillet "
        "2009. Il clarifie les missions du comité de suivi et définit les nouvelles "
        "orientations du plan : connaître et faire connaître l'ESS, doter l'ESS d'outils de "
        "développement, soutenir des projets structurants d'intérêt communautaire et soutenir "
        "l'émergence de l'innovation sociale."
    ),
    "period_start": 2009,
    "period_end": 2013,
    "deliberation_date": datetime.date(2009, 7, 3),
    "deliberation_reference": "Délibération-cadre du conseil communautaire du 3 juillet 2009",
    "committee_missions": "\n".join(
        [
            "Programmation annuelle",
            "Son évaluation",
            "Réflexions prospectives",
            "Stratégie de communication",
        ]
    ),
}

ORIENTATIONS = [
    {
        "number": 1,
        "slug": "connaitre-et-faire-connaitre",
        "title": "Connaître et faire connaître l'ESS",
        "summary": (
            "Communication : repenser l'événementiel sur l'ESS, conforter le site "
            "Alpesolidaires et valoriser les données statistiques disponibles."
        ),
        "axes": [
            {
                "code": "events",
                "title": "Repenser l'événementiel sur l'ESS",
                "description": (
                    "Quelle articulation avec le mois de l'ESS ? Mobiliser un groupe de travail "
                    "ad hoc pour élaborer une stratégie de communication, validée par le comité "
                    "de suivi."
                ),
                "examples": "Mois de l'ESS ; groupe de travail ad hoc ; stratégie de communication",
            },
            {
                "code": "alpesolidaires",
                "title": "Conforter le site Alpesolidaires",
                "description": "Le site d'information de l'ESS de l'agglomération.",
                "examples": "",
            },
            {
                "code": "statistics",
                "title": "Valoriser les données statistiques disponibles",
                "description": "Chiffres clés de l'ESS du territoire, données ouvertes.",
                "examples": "",
            },
        ],
    },
    {
        "number": 2,
        "slug": "outils-de-developpement",
        "title": "Doter l'ESS d'outils de développement",
        "summary": (
            "Accompagnement économique de projets, financement des activités en développement, "
            "immobilier et entreprenariat solidaire."
        ),
        "axes": [
            {
                "code": "support",
                "title": "L'accompagnement économique de projets",
                "description": "",
                "examples": "Soutien au Dispositif local d'accompagnement (DLA)",
            },
            {
                "code": "financing",
                "title": "Le financement des activités en développement",
                "description": "",
                "examples": (
                    "Dotation de fonds de financement à destination d'entreprises solidaires"
                ),
            },
            {
                "code": "real-estate",
                "title": "L'immobilier",
                "description": "",
                "examples": (
                    "Étude d'opportunités Artis 2 et finalisation de l'implantation de la Pousada"
                ),
            },
            {
                "code": "entrepreneurship",
                "title": "L'entreprenariat solidaire",
                "description": "",
                "examples": "",
            },
        ],
    },
    {
        "number": 3,
        "slug": "projets-structurants",
        "title": "Soutenir des projets structurants d'intérêt communautaire",
        "summary": "Des conventions pluriannuelles sur les compétences de la Métro.",
        "axes": [
            {
                "code": "conventions",
                "title": "Des conventions pluriannuelles sur les compétences Métro",
                "description": (
                    "Thématiques identifiées : traitement des déchets, habitat, filière "
                    "agricole, services aux personnes, commande publique ou privée durable, "
                    "économie – monnaie SOL et insertion par l'activité économique."
                ),
                "examples": "",
            },
        ],
    },
    {
        "number": 4,
        "slug": "innovation-sociale",
        "title": "Soutenir l'émergence de l'innovation sociale",
        "summary": (
            "Un soutien à l'innovation sociale par appel à projets annuel accompagné d'un "
            "diagnostic économique."
        ),
        "axes": [
            {
                "code": "innovation-call",
                "title": (
                    "Un soutien à l'innovation sociale par appel à projets annuel accompagné "
                    "d'un diagnostic économique"
                ),
                "description": "Aide plafonnée, fixée par chaque appel à projets.",
                "examples": "",
            },
        ],
    },
]


def load_plan(plan_model, orientation_model, axis_model):
    """Create the plan, its orientations and axes if missing. Idempotent."""
    plan, _created = plan_model.objects.get_or_create(
        period_start=PLAN["period_start"], defaults=PLAN
    )
    for data in ORIENTATIONS:
        data = dict(data)
        axes = data.pop("axes")
        orientation, _created = orientation_model.objects.get_or_create(
            plan=plan, number=data["number"], defaults=data
        )
        for number, axis in enumerate(axes, start=1):
            axis_model.objects.get_or_create(
                orientation=orientation, code=axis["code"], defaults={"number": number, **axis}
            )
    return plan
