"""The workflows of conventions, payments, reports and amendments: declared once on the
models, fired by the services, logged in the one ConventionLog, offered as buttons."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from demo.factories.conventions import StructuringProjectFactory, make_convention
from ess_metro import workflow
from ess_metro.audit import audit_entries
from ess_metro.workflow import StatusChangedOutsideWorkflow
from projects.conventions import services
from projects.conventions.models import (
    ConventionStatus,
    LogSubject,
    Payment,
    PaymentKind,
    PaymentStatus,
    StructuringProjectStatus,
)

pytestmark = pytest.mark.django_db


def paid(convention, staff):
    payment = convention.payments.get(tranche__year=2024, kind=PaymentKind.ADVANCE)
    services.payment_transition(payment=payment, to_status=PaymentStatus.REQUESTED, user=staff)
    services.payment_transition(
        payment=payment,
        to_status=PaymentStatus.PAID,
        user=staff,
        paid_date=datetime.date(2024, 3, 1),
        accounting_reference="MDT-1",
    )
    payment.refresh_from_db()
    return payment


def test_a_paid_payment_never_goes_back_to_planned(convention, staff):
    payment = paid(convention, staff)
    assert payment.status == PaymentStatus.PAID
    for to_status in (PaymentStatus.PLANNED, PaymentStatus.REQUESTED, PaymentStatus.CANCELLED):
        with pytest.raises(ValidationError) as error:
            services.payment_transition(payment=payment, to_status=to_status, user=staff)
        assert error.value.messages[0].startswith("Le paiement ne peut pas passer de « Versé »")
    with pytest.raises(ValidationError):
        workflow.fire(payment, "withdraw", user=staff)
    payment.status = PaymentStatus.PLANNED
    with pytest.raises(StatusChangedOutsideWorkflow):
        payment.save()
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID
    assert workflow.actions_for(Payment.objects.get(pk=payment.pk), staff) == []


def test_a_requested_payment_can_be_withdrawn(convention, staff):
    payment = convention.payments.get(tranche__year=2024, kind=PaymentKind.ADVANCE)
    services.payment_transition(payment=payment, to_status=PaymentStatus.REQUESTED, user=staff)
    services.payment_transition(payment=payment, to_status=PaymentStatus.PLANNED, user=staff)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PLANNED
    steps = list(payment.log.order_by("pk").values_list("subject", "from_status", "to_status"))
    assert steps == [
        (LogSubject.PAYMENT, "planned", "requested"),
        (LogSubject.PAYMENT, "requested", "planned"),
    ]


def test_only_staff_fire_the_transitions(convention, applicant):
    payment = convention.payments.get(tranche__year=2024, kind=PaymentKind.ADVANCE)
    with pytest.raises(PermissionDenied):
        workflow.fire(payment, "request", user=applicant)
    assert workflow.actions_for(payment, applicant) == []
    assert workflow.actions_for(convention, applicant) == []


def test_the_balance_waits_for_its_report(convention, staff):
    balance = convention.payments.get(tranche__year=2024, kind=PaymentKind.BALANCE)
    assert not workflow.can(balance, "request", staff)
    assert workflow.unmet_conditions(balance, "request") == [
        "Le solde ne peut pas être versé avant l'approbation du rapport de son année."
    ]


def test_a_convention_offers_what_its_status_allows(convention, staff):
    names = [action.name for action in workflow.actions_for(convention, staff)]
    assert names == ["terminate"]  # running, reports not approved: it cannot be closed yet
    draft = make_convention(amounts={2026: 4000}, status=ConventionStatus.DRAFT)
    assert [action.name for action in workflow.actions_for(draft, staff)] == ["sign", "terminate"]


def test_the_log_of_a_signature_and_the_mail(
    applicant_organisation, staff, django_capture_on_commit_callbacks, mailoutbox
):
    draft = make_convention(
        beneficiary=applicant_organisation, amounts={2026: 4000}, status=ConventionStatus.DRAFT
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.convention_transition(
            convention=draft,
            to_status=ConventionStatus.SIGNED,
            user=staff,
            signature_date=datetime.date(2026, 1, 10),
        )
    step = draft.log.get(to_status=ConventionStatus.SIGNED)
    assert (step.subject, step.from_label, step.to_label, step.user) == (
        LogSubject.CONVENTION,
        "Brouillon",
        "Signée",
        staff,
    )
    assert len(mailoutbox) == 1


def test_a_structuring_project_changes_status_through_its_workflow(staff_client):
    project = StructuringProjectFactory(status=StructuringProjectStatus.STUDY)
    url = reverse("projects:structuring_project_update", args=[project.pk])
    data = {
        "title": project.title,
        "carrier": project.carrier_id,
        "theme": project.theme,
        "competence": project.competence,
        "summary": project.summary,
        "objectives": project.objectives,
        "whole_metro": "on",
        "status": "abandoned",
    }
    assert staff_client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert project.status == StructuringProjectStatus.ABANDONED
    step = project.transitions.get()
    assert (step.from_label, step.to_label, step.user.email) == (
        "À l'étude",
        "Abandonné",
        staff_client.get(url).context["user"].email,
    )
    page = staff_client.get(reverse("projects:structuring_project_detail", args=[project.pk]))
    assert "Abandonné" in page.content.decode()
    project.status = StructuringProjectStatus.SUPPORTED
    with pytest.raises(StatusChangedOutsideWorkflow):
        project.save()


def test_bank_details_change_is_audited_with_the_iban_masked(staff_client, convention, staff):
    services.convention_set_bank_details(
        convention=convention,
        user=staff,
        account_holder="Association",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
    )
    services.convention_set_bank_details(
        convention=convention,
        user=staff,
        account_holder="Association",
        iban="FR7617569000401234567890123",
        bic="",
    )
    change = next(entry for entry in audit_entries(convention) if entry.field == "IBAN")
    assert (change.before, change.after, change.user) == (
        "FR76 •••• 0189",
        "FR76 •••• 0123",
        staff,
    )
    page = staff_client.get(convention.get_absolute_url()).content.decode()
    assert "Modifications des champs sensibles" in page or "audit-title" in page
    assert "FR76 •••• 0189" in page
    assert "FR7630006000011234567890189" not in page.split('id="audit-title"')[1]
