"""Factories of the call part: calls with criteria and documents, applications in any state."""

import datetime
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from demo.factories.core import OrganisationFactory, UserFactory
from ess_metro.directory.models import Commune
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

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call
        skip_postgeneration_save = True

    year = 2026
    title = factory.Sequence(lambda n: f"Appel à projets innovation sociale n°{n}")
    slug = factory.Sequence(lambda n: f"appel-innovation-sociale-{n}")
    summary = "Soutenir les projets socialement innovants de l'agglomération."
    text = "L'appel soutient les projets d'innovation sociale portés par des acteurs de l'ESS."
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=20))
    aid_cap = Decimal("15000.00")
    max_share = Decimal("50")
    envelope = Decimal("60000.00")
    accepted_families = factory.LazyFunction(lambda: ["association", "cooperative"])
    min_communes = 2
    status = CallStatus.PUBLISHED

    class Params:
        draft = factory.Trait(status=CallStatus.DRAFT)

    @factory.post_generation
    def rules(call, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        SelectionCriterion.objects.create(call=call, position=1, title="Utilité sociale", weight=3)
        SelectionCriterion.objects.create(call=call, position=2, title="Innovation", weight=2)
        SelectionCriterion.objects.create(call=call, position=3, title="Viabilité", weight=1)
        RequiredDocument.objects.create(call=call, position=1, title="Statuts")
        RequiredDocument.objects.create(call=call, position=2, title="Budget prévisionnel")
        RequiredDocument.objects.create(call=call, position=3, title="RIB", mandatory=False)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Projet solidaire n°{n}")
    summary = "Une recyclerie solidaire itinérante."
    social_need = "Réduire les déchets et créer des emplois."
    innovation = "Une tournée mobile dans les quartiers."
    partners = "Régie de quartier — logistique"
    start_date = datetime.date(2026, 9, 1)
    end_date = datetime.date(2027, 6, 30)
    requested_amount = Decimal("10000.00")
    contact_name = "Camille Martin"
    contact_email = "camille@exemple.fr"

    class Params:
        complete = factory.Trait(
            communes_names=["Grenoble", "Échirolles"],
            budget=True,
            documents=True,
        )

    communes_names = None
    budget = False
    documents = False

    @classmethod
    def _create(cls, model_class, *args, communes_names=None, budget=False, documents=False, **kw):
        application = super()._create(model_class, *args, **kw)
        if communes_names:
            application.communes.set(Commune.objects.filter(name__in=communes_names))
        if budget:
            BudgetLine.objects.create(
                application=application,
                kind=BudgetKind.EXPENSE,
                label="Salaires",
                amount=Decimal("20000.00"),
            )
            BudgetLine.objects.create(
                application=application,
                kind=BudgetKind.EXPENSE,
                label="Véhicule",
                amount=Decimal("5000.00"),
            )
            BudgetLine.objects.create(
                application=application,
                kind=BudgetKind.INCOME,
                label="Département",
                amount=Decimal("15000.00"),
                secured=True,
            )
        if documents:
            for document in application.call.required_documents.filter(mandatory=True):
                add_attachment(application, document)
        return application


def add_attachment(application, document, content=PDF, name="piece.pdf"):
    attachment = Attachment(
        application=application,
        required_document=document,
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        uploaded_by=application.created_by,
    )
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


def application_in(status, **kwargs):
    """A complete application moved straight to ``status`` (with a reference when submitted)."""
    application = ApplicationFactory(complete=True, status=status, **kwargs)
    if status != ApplicationStatus.DRAFT:
        application.reference = f"AAP-2026-{application.pk:04d}"
        application.submitted_at = timezone.now()
        application.save(update_fields=["reference", "submitted_at"])
    return application


def make_line(year=2026, title="Appel à projets innovation sociale"):
    from programme.models import AnnualProgramme, Axis, Plan, ProgrammeLine

    programme, _created = AnnualProgramme.objects.get_or_create(
        plan=Plan.objects.current(), year=year
    )
    return ProgrammeLine.objects.create(
        programme=programme,
        axis=Axis.objects.get(code="innovation-call"),
        title=title,
        planned_amount=Decimal("60000"),
    )
