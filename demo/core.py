"""Demo data shared by every app: accounts for each role and organisations from DOMAIN-FACTS.

Each module of ``demo/`` has a ``seed(context)`` function that the ``seed_demo`` command calls
in dependency order. Records are built with the test factories (``demo/factories/``) and
found again by their natural key (``ensure``): running the command twice creates nothing.
Statuses are set at creation or changed through the services, never assigned on a loaded
object.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from demo.factories.core import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    give_second_factor,
)
from demo.factories.programme import LineFactory, ProgrammeFactory
from ess_metro.accounts.models import User
from ess_metro.directory.models import Commune, LegalForm, MembershipRole, Organisation
from programme.models import AnnualProgramme, Axis, Plan, ProgrammeLine

DEMO_PASSWORD = "Essmetro-demo-2026"  # noqa: S105 - documented demo password
# The demo staff's authenticator key (RFC 4226's test key; base 32 in DEMO_TOTP_SECRET): demo
# only. `manage.py demo_code` prints the code it gives now.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
DEMO_TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # noqa: S105 - documented demo key
SECOND_FACTOR_ACCOUNTS = {"staff", "staff2", "admin"}


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


def ensure(factory_class, *lookup: str, **fields):
    """The object whose ``lookup`` fields have these values, made by ``factory_class`` with
    ``fields`` when there is none yet; returns ``(object, created)``."""
    model = factory_class._meta.model
    found = model._default_manager.filter(**{name: fields[name] for name in lookup}).first()
    if found is not None:
        return found, False
    return factory_class(**fields), True


def person(email: str, first_name: str, last_name: str, **fields) -> User:
    """A demo account (the demo password, e-mail confirmed), found by its e-mail."""
    user, _created = ensure(
        UserFactory,
        "email",
        email=email,
        first_name=first_name,
        last_name=last_name,
        password=DEMO_PASSWORD,
        **fields,
    )
    return user


def organisation(lookup: str, **fields) -> Organisation:
    """An organisation found by ``lookup`` (its SIRET, or its name when it has none)."""
    fields.setdefault("siret", "")
    fields.setdefault("rna", "")
    fields.setdefault("ape_code", "")
    found, _created = ensure(OrganisationFactory, lookup, **fields)
    return found


def programme_line(
    year: int,
    axis_code: str,
    title: str,
    *,
    amount: str,
    position: int,
    status: str,
    same_title: bool = True,
) -> ProgrammeLine:
    """The line of ``axis_code`` in the programme of ``year`` (the one called ``title`` unless
    ``same_title`` is off); made, with its programme in ``status`` if need be, when missing."""
    lines = ProgrammeLine.objects.filter(axis__code=axis_code, programme__year=year)
    if same_title:
        lines = lines.filter(title=title)
    line = lines.order_by("-programme__version", "pk").first()
    if line is not None:
        return line
    programme = AnnualProgramme.objects.filter(year=year).order_by("-version").first()
    if programme is None:
        programme = ProgrammeFactory(
            year=year,
            plan=Plan.objects.current() or Plan.objects.first(),
            title=f"Programme annuel ESS {year}",
            status=status,
        )
    axis = Axis.objects.filter(code=axis_code).order_by("pk").first()
    return LineFactory(
        programme=programme,
        axis=axis,
        title=title,
        planned_amount=Decimal(amount),
        position=position,
    )


def _seed_accounts(context: DemoContext) -> None:
    for key, email, first_name, last_name, description in ACCOUNTS:
        is_admin = key == "admin"
        context.users[key] = person(
            email,
            first_name,
            last_name,
            is_staff=is_admin,
            is_superuser=is_admin,
            staff=key in {"staff", "staff2"},
        )
        if key in SECOND_FACTOR_ACCOUNTS:
            give_second_factor(context.users[key], key=DEMO_TOTP_KEY)
        context.say(f"  {email:<28} {DEMO_PASSWORD}  {description}")
    context.say(
        f"  Staff and admin also type a code: authenticator key {DEMO_TOTP_SECRET}, "
        "or `manage.py demo_code`."
    )


def _seed_organisations(context: DemoContext) -> None:
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
        text,
    ) in ORGANISATIONS:
        context.organisations[key] = organisation(
            "siret",
            siret=siret,
            name=name,
            acronym=acronym,
            legal_form=legal_form,
            rna=rna,
            ape_code=ape,
            commune=communes.get(commune),
            esus_approved=esus_date is not None,
            esus_approval_date=esus_date,
            staff_count=staff_count,
            description=text,
            email=f"contact@{key}.example",
        )
    for user_key, organisation_key, role, position in MEMBERSHIPS:
        ensure(
            MembershipFactory,
            "user",
            "organisation",
            user=context.users[user_key],
            organisation=context.organisations[organisation_key],
            role=role,
            position=position,
        )


# The INSEE codes of the 49 communes (Code officiel géographique), as the staff enter them on
# /gestion/communes/: the portal ships only the codes it is sure of, the demo tells the rest.
COMMUNE_INSEE_CODES = {
    "Bresson": "38057",
    "Brié-et-Angonnes": "38059",
    "Champ-sur-Drac": "38071",
    "Champagnier": "38068",
    "Claix": "38111",
    "Corenc": "38126",
    "Domène": "38150",
    "Échirolles": "38151",
    "Eybens": "38158",
    "Fontaine": "38169",
    "Fontanil-Cornillon": "38170",
    "Gières": "38179",
    "Grenoble": "38185",
    "Herbeys": "38188",
    "Jarrie": "38200",
    "La Tronche": "38516",
    "Le Gua": "38187",
    "Le Pont-de-Claix": "38317",
    "Le Sappey-en-Chartreuse": "38471",
    "Meylan": "38229",
    "Miribel-Lanchâtre": "38235",
    "Mont-Saint-Martin": "38258",
    "Montchaboud": "38252",
    "Murianette": "38271",
    "Notre-Dame-de-Commiers": "38277",
    "Notre-Dame-de-Mésage": "38279",
    "Noyarey": "38281",
    "Poisat": "38309",
    "Proveysieux": "38325",
    "Quaix-en-Chartreuse": "38328",
    "Saint-Barthélemy-de-Séchilienne": "38364",
    "Saint-Égrève": "38382",
    "Saint-Georges-de-Commiers": "38388",
    "Saint-Martin-d'Hères": "38421",
    "Saint-Martin-le-Vinoux": "38423",
    "Saint-Paul-de-Varces": "38436",
    "Saint-Pierre-de-Mésage": "38445",
    "Sarcenas": "38472",
    "Sassenage": "38474",
    "Séchilienne": "38478",
    "Seyssinet-Pariset": "38485",
    "Seyssins": "38486",
    "Varces-Allières-et-Risset": "38524",
    "Vaulnaveys-le-Bas": "38528",
    "Vaulnaveys-le-Haut": "38529",
    "Venon": "38533",
    "Veurey-Voroize": "38540",
    "Vif": "38545",
    "Vizille": "38562",
}


def _seed_commune_codes() -> None:
    for commune in Commune.objects.filter(insee_code=""):
        code = COMMUNE_INSEE_CODES.get(commune.name, "")
        if code and not Commune.objects.filter(insee_code=code).exists():
            commune.insee_code = code
            commune.save(update_fields=["insee_code"])


def seed(context: DemoContext) -> None:
    _seed_accounts(context)
    _seed_commune_codes()
    _seed_organisations(context)
