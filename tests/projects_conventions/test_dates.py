"""The date bug: a convention's signature date and a payment's dates are rendered as ISO
dates into ``<input type="date">`` (a French ``12/02/2024`` shows empty in the browser and
was lost on saving), and posting the form again keeps them."""

import datetime

import pytest
from django.urls import reverse

from demo.factories.conventions import make_convention
from projects.conventions.models import Convention, ConventionStatus, Payment, PaymentStatus

pytestmark = pytest.mark.django_db

SIGNED_ON = datetime.date(2024, 2, 12)


@pytest.fixture
def signed(applicant_organisation, staff):
    return make_convention(
        beneficiary=applicant_organisation,
        amounts={2024: 20000, 2025: 20000},
        status=ConventionStatus.SIGNED,
        signed_on=SIGNED_ON,
        user=staff,
    )


def test_the_sign_form_shows_the_saved_signature_date(staff_client, signed):
    page = staff_client.get(signed.get_absolute_url()).content.decode()
    assert 'type="date"' in page
    assert 'value="2024-02-12"' in page
    assert "12/02/2024" not in page


def test_editing_the_convention_keeps_its_signature_date(staff_client, signed):
    url = reverse("projects:convention_update", args=[signed.pk])
    assert staff_client.get(url).status_code == 200
    data = {
        "title": "Recyclerie (v2)",
        "structuring_project": "",
        "parties": signed.parties,
        "objectives": signed.objectives,
        "evaluation": "",
        "written_agreement": "on",
        "indicators_text": "",
    }
    assert staff_client.post(url, data).status_code == 302
    signed.refresh_from_db()
    assert (signed.title, signed.signature_date) == ("Recyclerie (v2)", SIGNED_ON)


def test_signing_with_the_date_of_the_form_keeps_it(staff_client, applicant_organisation):
    draft = make_convention(
        beneficiary=applicant_organisation, amounts={2024: 4000}, status=ConventionStatus.DRAFT
    )
    url = reverse("projects:convention_transition", args=[draft.pk])
    staff_client.post(url, {"to_status": "signed", "signature_date": "2024-02-12"})
    draft.refresh_from_db()
    assert (draft.status, draft.signature_date) == (ConventionStatus.SIGNED, SIGNED_ON)
    page = staff_client.get(draft.get_absolute_url()).content.decode()
    assert 'value="2024-02-12"' in page


def test_the_payment_form_shows_and_keeps_the_due_date(staff_client, signed):
    payment = signed.payments.filter(status=PaymentStatus.PLANNED).first()
    Payment.objects.filter(pk=payment.pk).update(due_date=SIGNED_ON)
    url = reverse("projects:payment_update", args=[payment.pk])
    page = staff_client.get(url).content.decode()
    assert 'value="2024-02-12"' in page
    data = {
        "tranche": payment.tranche_id,
        "kind": payment.kind,
        "condition": payment.condition,
        "due_date": "2024-02-12",
        "amount": str(payment.amount),
    }
    assert staff_client.post(url, data).status_code == 302
    payment.refresh_from_db()
    assert payment.due_date == SIGNED_ON


def test_the_payment_date_stays_in_the_form_when_it_is_refused(staff_client, signed, staff):
    payment = signed.payments.filter(status=PaymentStatus.PLANNED).first()
    url = reverse("projects:payment_transition", args=[payment.pk])
    staff_client.post(url, {"to_status": "requested"})
    response = staff_client.post(url, {"to_status": "paid", "paid_date": "2024-02-12"})
    assert 'value="2024-02-12"' in response.content.decode()  # the reference is missing
    staff_client.post(
        url, {"to_status": "paid", "paid_date": "2024-02-12", "accounting_reference": "MDT-1"}
    )
    payment.refresh_from_db()
    assert (payment.status, payment.paid_date) == (PaymentStatus.PAID, SIGNED_ON)
    assert Convention.objects.get(pk=signed.pk).status == ConventionStatus.RUNNING
