"""The four colleges of the steering committee, as composed by the deliberation of 2009."""

COLLEGES = [
    {
        "code": "ess-actors",
        "number": 1,
        "name": "Collège « acteurs de l'ESS »",
        "description": (
            "2 représentants des coopératives, 2 représentants des mutuelles et 8 représentants "
            "des associations et des entreprises solidaires."
        ),
    },
    {
        "code": "communes",
        "number": 2,
        "name": "Collège « communes »",
        "description": "Communes volontaires.",
    },
    {
        "code": "public-partners",
        "number": 3,
        "name": "Collège « partenaires publics »",
        "description": "État, Conseil général et Conseil régional.",
    },
    {
        "code": "resource-actors",
        "number": 4,
        "name": "Collège « acteurs ressources »",
        "description": (
            "Conseil de développement, Caisse des Dépôts et Consignations et entreprises, "
            "fondations, institutions ou centres de recherche volontaires."
        ),
    },
]


def load_colleges(college_model) -> None:
    for data in COLLEGES:
        college_model.objects.get_or_create(code=data["code"], defaults=data)
