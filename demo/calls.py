"""Demo data of the call part: the open 2026 call with files in every state, the closed 2025 call.

Idempotent: calls and files are made with the factories and found again by slug and title; a
file is only moved through the workflow (``PATHS``: the service steps to each state) when it
is created. Demo files go through the real services (reference, receipt,
transition log) but no e-mail leaves: the mail backend is the in-memory one meanwhile.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.test.utils import override_settings
from django.utils import timezone

from demo.core import ensure, programme_line
from demo.factories.calls import ApplicationFactory, CallFactory, add_attachment
from programme.models import ProgrammeStatus
from projects.calls import services
from projects.models import (
    Application,
    ApplicationStatus,
    BudgetKind,
    BudgetLine,
    CallStatus,
    RequiredDocument,
    SelectionCriterion,
)

S = ApplicationStatus
PARIS = ZoneInfo("Europe/Paris")

CALL_TEXT = (
    "La Métropole lance son appel à projets annuel « Innovation sociale ». Il soutient des "
    "projets qui répondent à des besoins sociaux mal satisfaits du territoire par des réponses "
    "nouvelles, portés par des structures de l'économie sociale et solidaire : associations, "
    "coopératives, mutuelles, fondations et entreprises de l'ESS.\n\n"
    "Le projet doit toucher toute l'agglomération ou au moins deux de ses communes. Un porteur "
    "chef de file peut s'associer à des partenaires. Les dossiers sont d'abord examinés au "
    "regard des critères de recevabilité, puis font l'objet d'un diagnostic économique par les "
    "services, d'un avis du comité de suivi et d'une délibération du conseil."
)
CRITERIA = [
    ("Utilité sociale et réponse à un besoin du territoire", 3),
    ("Caractère innovant de la réponse", 3),
    ("Ancrage territorial et partenariats", 2),
    ("Viabilité économique et pérennité", 2),
    ("Création d'emplois de qualité", 1),
]
DOCUMENTS = [
    ("Statuts à jour", True),
    ("Composition du conseil d'administration", True),
    ("Dernier bilan et compte de résultat", True),
    ("Budget prévisionnel de l'année", True),
    ("Relevé d'identité bancaire (RIB)", False),
]

# organisation key, user key, title, state, requested, communes
FILES = [
    ("alpesolidaires", "applicant", "Carte interactive des lieux solidaires", S.DRAFT, "8000"),
    ("peniche", "applicant2", "Cantine solidaire itinérante", S.SUBMITTED, "12000"),
    ("urscop", "member_applicant", "Reprise d'entreprises en SCOP", S.DOCUMENTS_REQUESTED, "10000"),
    ("alpesolidaires", "applicant", "Guide de l'achat responsable", S.ELIGIBLE, "6000"),
    ("mgen", "staff", "Prévention santé des aidants", S.INELIGIBLE, "9000"),
    ("autopartage", "staff", "Autopartage dans les quartiers prioritaires", S.DIAGNOSED, "14000"),
    ("adate", "staff", "Accompagnement vers l'emploi des réfugiés", S.COMMITTEE_OPINION, "11000"),
    ("mnei", "staff", "Repair cafés de l'agglomération", S.GRANTED, "7500"),
    ("peniche", "applicant2", "Ateliers numériques pour seniors", S.REFUSED, "5000"),
    ("gaia", "staff", "Prêts d'honneur pour l'ESS", S.WITHDRAWN, "10000"),
]
# file title → keys of its registered partner organisations
PARTNERS = {"Autopartage dans les quartiers prioritaires": ["mnei"]}
COMMUNES = ["Grenoble", "Échirolles", "Saint-Martin-d'Hères", "Fontaine"]


def _paris(year, month, day, hour):
    return datetime.datetime(year, month, day, hour, tzinfo=PARIS)


def _line_for(year):
    """The programme line that funds the call of ``year`` (created in a draft programme)."""
    this_year = year == timezone.localdate().year
    return programme_line(
        year,
        "innovation-call",
        f"Appel à projets innovation sociale {year}",
        amount="90000.00",
        position=40,
        status=ProgrammeStatus.ADOPTED if this_year else ProgrammeStatus.DRAFT,
        same_title=False,
    )


def _call(slug, year, title, opens_at, closes_at, status):
    published = status != CallStatus.DRAFT
    call, created = ensure(
        CallFactory,
        "slug",
        slug=slug,
        year=year,
        title=title,
        summary=(
            "Soutenir les projets socialement innovants portés par les acteurs de l'ESS "
            "de l'agglomération grenobloise."
        ),
        text=CALL_TEXT,
        opens_at=opens_at,
        closes_at=closes_at,
        aid_cap=Decimal("15000"),
        max_share=Decimal("50"),
        envelope=Decimal("90000"),
        programme_line=_line_for(year) if published else None,
        accepted_families=["association", "cooperative", "mutual", "foundation", "company"],
        min_communes=2,
        status=status,
        published_at=opens_at if published else None,
        rules=False,
    )
    if created:
        for position, (title_, weight) in enumerate(CRITERIA, start=1):
            SelectionCriterion.objects.create(
                call=call, position=position, title=title_, weight=weight
            )
        for position, (title_, mandatory) in enumerate(DOCUMENTS, start=1):
            RequiredDocument.objects.create(
                call=call, position=position, title=title_, mandatory=mandatory
            )
    return call


def _budget(application, requested: Decimal) -> None:
    total = requested * 3
    lines = [
        (BudgetKind.EXPENSE, 0, "Salaires et charges", total * Decimal("0.7"), False),
        (BudgetKind.EXPENSE, 1, "Matériel et déplacements", total * Decimal("0.3"), False),
        (BudgetKind.INCOME, 0, "Département de l'Isère", total - requested * 2, True),
        (BudgetKind.INCOME, 1, "Fonds propres", requested, False),
    ]
    BudgetLine.objects.bulk_create(
        BudgetLine(
            application=application,
            kind=kind,
            position=position,
            label=label,
            amount=amount,
            secured=secured,
        )
        for kind, position, label, amount, secured in lines
    )


def _application(call, organisation, author, title, requested, communes):
    """A complete draft: the project, its communes, its budget and the mandatory documents."""
    next_year = timezone.localdate().year + 1
    application, created = ensure(
        ApplicationFactory,
        "call",
        "title",
        call=call,
        title=title,
        organisation=organisation,
        created_by=author,
        contact_name=author.get_full_name(),
        contact_email=author.email,
        summary=(
            f"{title} : un projet porté par {organisation.name} pour répondre à un besoin "
            "social identifié sur plusieurs communes de la Métropole."
        ),
        social_need=(
            "Des habitants éloignés des services existants, repérés par les acteurs locaux."
        ),
        innovation="Une réponse mobile, coopérative et co-construite avec les usagers.",
        expected_results="300 personnes touchées la première année ; 2 emplois créés.",
        partners="Centre communal d'action sociale — orientation des publics",
        start_date=datetime.date(next_year, 1, 15),
        end_date=datetime.date(next_year, 12, 15),
        schedule="Janvier : lancement\nJuin : bilan d'étape\nDécembre : évaluation",
        requested_amount=Decimal(requested),
        communes_names=communes,
    )
    if created:
        _budget(application, Decimal(requested))
        for document in call.required_documents.filter(mandatory=True):
            add_attachment(application, document, name=f"{document.title}.pdf")
    return application, created


# --- the steps of a file, in order: each moves it one state further, as staff would ---------


def _submit(application, staff, state):
    services.application_submit(application=application, user=application.created_by)


def _withdraw(application, staff, state):
    services.application_withdraw(
        application=application,
        user=application.created_by,
        comment="Projet reporté à l'an prochain.",
    )


def _request_documents(application, staff, state):
    services.application_request_documents(
        application=application,
        user=staff,
        comment="Merci de joindre le compte de résultat 2025 certifié.",
    )


def _ineligible(application, staff, state):
    services.application_set_eligibility(
        application=application,
        user=staff,
        eligible=False,
        comment="Le projet ne touche qu'une commune et relève de l'activité courante.",
    )


def _eligible(application, staff, state):
    services.application_set_eligibility(application=application, user=staff, eligible=True)


def _diagnose(application, staff, state):
    favourable = state != S.REFUSED
    services.diagnosis_save(
        application=application,
        user=staff,
        data={
            "financial_analysis": "Fonds propres suffisants ; trésorerie de trois mois.",
            "risks": "Dépendance à un cofinanceur principal.",
            "recommendation": "favourable" if favourable else "unfavourable",
            "proposed_amount": application.requested_amount if favourable else Decimal("0"),
            "private_notes": "Rencontre avec la direction le 12 : équipe solide.",
        },
        scores=dict.fromkeys(application.call.criteria.all(), (4 if favourable else 2, "")),
    )
    services.diagnosis_complete(application=application, user=staff)


def _committee_opinion(application, staff, state):
    services.committee_opinion_record(
        application=application,
        user=staff,
        opinion="favourable" if state != S.REFUSED else "unfavourable",
        date=timezone.localdate(),
        text="Avis rendu par le comité de suivi en séance de programmation.",
    )


def _decide(application, staff, state):
    granted = state == S.GRANTED
    services.decision_record(
        application=application,
        user=staff,
        granted=granted,
        data={
            "granted_amount": application.requested_amount if granted else None,
            "decision_conditions": "Bilan intermédiaire à six mois." if granted else "",
            "decision_reasons": "" if granted else "Projet trop proche de l'activité existante.",
            "decision_date": timezone.localdate(),
            "deliberation_reference": f"DEL-{application.call.year}-118",
            "deliberation_date": timezone.localdate(),
        },
    )
    if granted:
        services.application_prepare_convention(application=application, user=staff)


# state reached → the steps that lead there from a draft
_REVIEWED = [_submit, _eligible, _diagnose]
PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: [_submit],
    S.WITHDRAWN: [_submit, _withdraw],
    S.DOCUMENTS_REQUESTED: [_submit, _request_documents],
    S.INELIGIBLE: [_submit, _ineligible],
    S.ELIGIBLE: [_submit, _eligible],
    S.DIAGNOSED: _REVIEWED,
    S.COMMITTEE_OPINION: [*_REVIEWED, _committee_opinion],
    S.GRANTED: [*_REVIEWED, _committee_opinion, _decide],
    S.REFUSED: [*_REVIEWED, _committee_opinion, _decide],
}


def _advance(application, state, staff):
    """Move a complete draft to ``state`` through the services, as staff would."""
    for step in PATHS[state]:
        step(application, staff, state)


def _calls(now):
    """The open call of this year and the draft call of next year; returns the open one."""
    year = timezone.localdate().year
    opens = (now - datetime.timedelta(days=30)).astimezone(PARIS)
    closes = (now + datetime.timedelta(days=45)).astimezone(PARIS)
    open_call = _call(
        f"innovation-sociale-{year}",
        year,
        f"Appel à projets innovation sociale {year}",
        _paris(opens.year, opens.month, opens.day, 9),
        _paris(closes.year, closes.month, closes.day, 17),
        CallStatus.PUBLISHED,
    )
    _call(
        f"innovation-sociale-{year + 1}",
        year + 1,
        f"Appel à projets innovation sociale {year + 1}",
        _paris(year + 1, 1, 15, 9),
        _paris(year + 1, 3, 31, 17),
        CallStatus.DRAFT,
    )
    return open_call


def seed(context) -> None:
    open_call = _calls(timezone.now())
    staff = context.users["staff"]
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for index, (org_key, user_key, title, state, requested) in enumerate(FILES):
            application, created = _application(
                open_call,
                context.organisations[org_key],
                context.users[user_key],
                title,
                requested,
                COMMUNES[index % 3 : index % 3 + 2],
            )
            if created:
                _advance(application, state, staff)
    # A registered partner that sits in the steering committee: its seat is flagged for a
    # conflict of interest on the item that examines the file.
    for title, partner_keys in PARTNERS.items():
        application = Application.objects.filter(call=open_call, title=title).first()
        if application is not None:
            application.partner_organisations.add(
                *(context.organisations[key] for key in partner_keys),
                through_defaults={"status": "accepted"},
            )
    context.say(
        f"  Appel à projets {open_call.year} ouvert : {len(FILES)} dossiers, un par état du "
        "parcours."
    )
