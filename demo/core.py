"""Demo data shared by every app: accounts for each role and organisations from DOMAIN-FACTS.

Each app adds its own demo data in ``<app>/demo.py`` with a ``seed(context)`` function that the
``seed_demo`` command calls in dependency order. Everything is idempotent: running the command
twice changes nothing.
"""

import datetime
from dataclasses import dataclass, field

from ess_metro.accounts.models import User
from ess_metro.accounts.services import staff_group
from ess_metro.directory.models import Commune, LegalForm, Membership, MembershipRole, Organisation

DEMO_PASSWORD = "essmetro2026"  # noqa: S105 - documented demo password


@dataclass
class DemoContext:
    """What the kernel seeds and the apps build on."""

    users: dict[str, User] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def say(self, text: str) -> None:
        self.lines.append(text)


# key, e-mail, first name, last name, role description
ACCOUNTS = [
    ("admin", "admin@essmetro.example", "Alice", "Martin", "administrateur (admin Django)"),
    ("staff", "chargee@essmetro.example", "Claire", "Dupont", "chargée de mission ESS (Métro)"),
    ("staff2", "charge@essmetro.example", "Karim", "Benali", "chargé de mission ESS (Métro)"),
    ("member", "comite@essmetro.example", "Hélène", "Rousseau", "membre du comité de suivi"),
    (
        "applicant",
        "porteur@essmetro.example",
        "Julien",
        "Moreau",
        "porteur de projet (Alpesolidaires)",
    ),
    (
        "applicant2",
        "porteuse@essmetro.example",
        "Sophie",
        "Girard",
        "porteuse de projet (La Péniche)",
    ),
    (
        "member_applicant",
        "coop@essmetro.example",
        "Marc",
        "Fournier",
        "membre du comité et porteur de projet (URSCOP)",
    ),
]

# key, name, acronym, legal form, SIRET, RNA, APE, commune, ESUS date, staff, description
ORGANISATIONS = [
    (
        "alpesolidaires",
        "Alpesolidaires",
        "",
        LegalForm.ASSOCIATION,
        "44306184100021",
        "W381000012",
        "94.99Z",
        "Grenoble",
        None,
        4,
        "Association qui anime le site de l'ESS de l'agglomération et coordonne le Mois de l'ESS.",
    ),
    (
        "gaia",
        "Grenoble Alpes Initiative Active",
        "GAIA",
        LegalForm.ASSOCIATION,
        "40483304800022",
        "W381000023",
        "64.92Z",
        "Grenoble",
        datetime.date(2021, 3, 15),
        12,
        "Prêts d'honneur, garanties bancaires et financement des entreprises solidaires, membre "
        "de France Active.",
    ),
    (
        "urscop",
        "Union régionale des SCOP Auvergne-Rhône-Alpes",
        "URSCOP",
        LegalForm.ASSOCIATION,
        "77567227200017",
        "W381000034",
        "94.11Z",
        "Saint-Martin-d'Hères",
        None,
        25,
        "Accompagnement à la création et au développement des coopératives.",
    ),
    (
        "mgen",
        "MGEN Isère",
        "MGEN",
        LegalForm.MUTUAL,
        "77568519100014",
        "",
        "65.12Z",
        "Grenoble",
        None,
        40,
        "Mutuelle santé et prévoyance.",
    ),
    (
        "autopartage",
        "Alpes Autopartage",
        "",
        LegalForm.SCIC,
        "48959216200031",
        "",
        "77.11A",
        "Grenoble",
        datetime.date(2022, 6, 1),
        8,
        "Coopérative d'autopartage de véhicules.",
    ),
    (
        "peniche",
        "La Péniche",
        "",
        LegalForm.ASSOCIATION,
        "39986519500040",
        "W381000045",
        "88.99B",
        "Grenoble",
        None,
        6,
        "Lieu d'accueil et d'activités solidaires.",
    ),
    (
        "adate",
        "ADATE",
        "",
        LegalForm.ASSOCIATION,
        "77560794800046",
        "W381000056",
        "88.99B",
        "Grenoble",
        None,
        60,
        "Accueil et accompagnement des personnes étrangères.",
    ),
    (
        "mnei",
        "Maison de la nature et de l'environnement de l'Isère",
        "MNEI",
        LegalForm.ASSOCIATION,
        "38137697900021",
        "W381000067",
        "94.99Z",
        "Grenoble",
        None,
        5,
        "Maison des associations d'environnement.",
    ),
    (
        "dla",
        "Isère Accompagnement ESS (opérateur DLA)",
        "IAE-DLA",
        LegalForm.ASSOCIATION,
        "51234567900017",
        "W381000078",
        "70.22Z",
        "Échirolles",
        None,
        3,
        "Opérateur local du Dispositif local d'accompagnement (DLA).",
    ),
]

MEMBERSHIPS = [
    ("applicant", "alpesolidaires", MembershipRole.ADMIN, "Coordinateur"),
    ("applicant2", "peniche", MembershipRole.ADMIN, "Directrice"),
    ("member_applicant", "urscop", MembershipRole.ADMIN, "Délégué régional"),
]


def seed(context: DemoContext) -> None:
    group = staff_group()
    for key, email, first_name, last_name, description in ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                first_name=first_name,
                last_name=last_name,
                is_staff=key == "admin",
                is_superuser=key == "admin",
            )
            user.email_confirmed_at = user.date_joined
            user.save(update_fields=["email_confirmed_at"])
        if key in {"staff", "staff2"}:
            user.groups.add(group)
        context.users[key] = user
        context.say(f"  {email:<28} {DEMO_PASSWORD}  {description}")

    communes = {commune.name: commune for commune in Commune.objects.all()}
    for (
        key,
        name,
        acronym,
        legal_form,
        siret,
        rna,
        ape,
        commune,
        esus_date,
        staff_count,
        description,
    ) in ORGANISATIONS:
        organisation, _created = Organisation.objects.get_or_create(
            siret=siret,
            defaults={
                "name": name,
                "acronym": acronym,
                "legal_form": legal_form,
                "rna": rna,
                "ape_code": ape,
                "commune": communes.get(commune),
                "esus_approved": esus_date is not None,
                "esus_approval_date": esus_date,
                "staff_count": staff_count,
                "description": description,
                "email": f"contact@{key}.example",
            },
        )
        context.organisations[key] = organisation

    for user_key, organisation_key, role, position in MEMBERSHIPS:
        Membership.objects.get_or_create(
            user=context.users[user_key],
            organisation=context.organisations[organisation_key],
            defaults={"role": role, "position": position},
        )
