"""Demo data of the call part: the open 2026 call with files in every state, the closed 2025 call.

Idempotent: calls and files are found by slug and title; a file is only moved through the
workflow when it is created. Demo files go through the real services (reference, receipt,
transition log) but no e-mail leaves: the mail backend is the in-memory one meanwhile.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.test.utils import override_settings
from django.utils import timezone

from ess_metro.directory.models import Commune
from programme.models import AnnualProgramme, Axis, Plan, ProgrammeLine, ProgrammeStatus
from projects.calls import services
from projects.models import (
    Application,
    ApplicationStatus,
    Attachment,
    BudgetKind,
    BudgetLine,
    Call,
    CallStatus,
    RequiredDocument,
    SelectionCriterion,
)

S = ApplicationStatus
PARIS = ZoneInfo("Europe/Paris")
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

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
    line = (
        ProgrammeLine.objects.filter(axis__code="innovation-call", programme__year=year)
        .order_by("-programme__version", "pk")
        .first()
    )
    if line is not None:
        return line
    programme = AnnualProgramme.objects.filter(year=year).order_by("-version").first()
    if programme is None:
        programme = AnnualProgramme.objects.create(
            plan=Plan.objects.current() or Plan.objects.first(),
            year=year,
            title=f"Programme annuel ESS {year}",
            status=ProgrammeStatus.ADOPTED
            if year == timezone.localdate().year
            else ProgrammeStatus.DRAFT,
        )
    return ProgrammeLine.objects.create(
        programme=programme,
        axis=Axis.objects.filter(code="innovation-call").first(),
        title=f"Appel à projets innovation sociale {year}",
        planned_amount=Decimal("90000.00"),
        position=40,
    )


def _call(slug, year, title, opens_at, closes_at, status):
    line = _line_for(year) if status != CallStatus.DRAFT else None
    call, created = Call.objects.get_or_create(
        slug=slug,
        defaults={
            "year": year,
            "title": title,
            "summary": (
                "Soutenir les projets socialement innovants portés par les acteurs de l'ESS "
                "de l'agglomération grenobloise."
            ),
            "text": CALL_TEXT,
            "opens_at": opens_at,
            "closes_at": closes_at,
            "aid_cap": Decimal("15000"),
            "max_share": Decimal("50"),
            "envelope": Decimal("90000"),
            "programme_line": line,
            "accepted_families": ["association", "cooperative", "mutual", "foundation", "company"],
            "min_communes": 2,
            "status": status,
            "published_at": opens_at if status != CallStatus.DRAFT else None,
        },
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


def _complete(application, requested, communes):
    application.summary = (
        f"{application.title} : un projet porté par {application.organisation.name} pour "
        "répondre à un besoin social identifié sur plusieurs communes de la Métropole."
    )
    application.social_need = (
        "Des habitants éloignés des services existants, repérés par les acteurs locaux."
    )
    application.innovation = "Une réponse mobile, coopérative et co-construite avec les usagers."
    application.expected_results = "300 personnes touchées la première année ; 2 emplois créés."
    application.partners = "Centre communal d'action sociale — orientation des publics"
    application.start_date = datetime.date(timezone.localdate().year + 1, 1, 15)
    application.end_date = datetime.date(timezone.localdate().year + 1, 12, 15)
    application.schedule = "Janvier : lancement\nJuin : bilan d'étape\nDécembre : évaluation"
    application.requested_amount = Decimal(requested)
    application.save()
    application.communes.set(Commune.objects.filter(name__in=communes))
    total = Decimal(requested) * 3
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(
                application=application,
                kind=BudgetKind.EXPENSE,
                position=0,
                label="Salaires et charges",
                amount=total * Decimal("0.7"),
            ),
            BudgetLine(
                application=application,
                kind=BudgetKind.EXPENSE,
                position=1,
                label="Matériel et déplacements",
                amount=total * Decimal("0.3"),
            ),
            BudgetLine(
                application=application,
                kind=BudgetKind.INCOME,
                position=0,
                label="Département de l'Isère",
                amount=total - Decimal(requested) * 2,
                secured=True,
            ),
            BudgetLine(
                application=application,
                kind=BudgetKind.INCOME,
                position=1,
                label="Fonds propres",
                amount=Decimal(requested),
            ),
        ]
    )
    for document in application.call.required_documents.filter(mandatory=True):
        attachment = Attachment(
            application=application,
            required_document=document,
            original_name=f"{document.title}.pdf",
            content_type="application/pdf",
            size=len(DEMO_PDF),
            uploaded_by=application.created_by,
        )
        attachment.file.save("piece.pdf", ContentFile(DEMO_PDF), save=False)
        attachment.save()


def _advance(application, state, staff):
    """Move a complete draft to ``state`` through the services, as staff would."""
    if state == S.DRAFT:
        return
    applicant = application.created_by
    services.application_submit(application=application, user=applicant)
    if state == S.SUBMITTED:
        return
    if state == S.WITHDRAWN:
        services.application_withdraw(
            application=application, user=applicant, comment="Projet reporté à l'an prochain."
        )
        return
    if state == S.DOCUMENTS_REQUESTED:
        services.application_request_documents(
            application=application,
            user=staff,
            comment="Merci de joindre le compte de résultat 2025 certifié.",
        )
        return
    if state == S.INELIGIBLE:
        services.application_set_eligibility(
            application=application,
            user=staff,
            eligible=False,
            comment="Le projet ne touche qu'une commune et relève de l'activité courante.",
        )
        return
    services.application_set_eligibility(application=application, user=staff, eligible=True)
    if state == S.ELIGIBLE:
        return
    criteria = list(application.call.criteria.all())
    requested = application.requested_amount
    services.diagnosis_save(
        application=application,
        user=staff,
        data={
            "financial_analysis": "Fonds propres suffisants ; trésorerie de trois mois.",
            "risks": "Dépendance à un cofinanceur principal.",
            "recommendation": "favourable" if state != S.REFUSED else "unfavourable",
            "proposed_amount": requested if state != S.REFUSED else Decimal("0"),
            "private_notes": "Rencontre avec la direction le 12 : équipe solide.",
        },
        scores=dict.fromkeys(criteria, (4 if state != S.REFUSED else 2, "")),
    )
    services.diagnosis_complete(application=application, user=staff)
    if state == S.DIAGNOSED:
        return
    services.committee_opinion_record(
        application=application,
        user=staff,
        opinion="favourable" if state != S.REFUSED else "unfavourable",
        date=timezone.localdate(),
        text="Avis rendu par le comité de suivi en séance de programmation.",
    )
    if state == S.COMMITTEE_OPINION:
        return
    granted = state == S.GRANTED
    services.decision_record(
        application=application,
        user=staff,
        granted=granted,
        data={
            "granted_amount": requested if granted else None,
            "decision_conditions": "Bilan intermédiaire à six mois." if granted else "",
            "decision_reasons": "" if granted else "Projet trop proche de l'activité existante.",
            "decision_date": timezone.localdate(),
            "deliberation_reference": f"DEL-{application.call.year}-118",
            "deliberation_date": timezone.localdate(),
        },
    )
    if granted:
        services.application_prepare_convention(application=application, user=staff)


def seed(context) -> None:
    now = timezone.now()
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
    staff = context.users["staff"]
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for index, (org_key, user_key, title, state, requested) in enumerate(FILES):
            organisation = context.organisations[org_key]
            application, created = Application.objects.get_or_create(
                call=open_call,
                title=title,
                defaults={
                    "organisation": organisation,
                    "created_by": context.users[user_key],
                    "contact_name": context.users[user_key].get_full_name(),
                    "contact_email": context.users[user_key].email,
                },
            )
            if created:
                communes = COMMUNES[index % 3 : index % 3 + 2]
                _complete(application, requested, communes)
                _advance(application, state, staff)
    # A registered partner that sits in the steering committee: its seat is flagged for a
    # conflict of interest on the item that examines the file.
    for title, partner_keys in PARTNERS.items():
        application = Application.objects.filter(call=open_call, title=title).first()
        if application is not None:
            application.partner_organisations.add(
                *(context.organisations[key] for key in partner_keys)
            )
    context.say(
        f"  Appel à projets {year} ouvert : {len(FILES)} dossiers, un par état du parcours."
    )
