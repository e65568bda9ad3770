"""Issue 12, item 2: a guessed password is not enough to redirect a grant. Changing bank
details asks for the password (or the second factor) again, is audited before/after masked,
is announced to the beneficiary's administrators and to staff, and holds the payments until
another member of staff confirms it."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from demo.factories.core import PASSWORD, MembershipFactory, make_staff, totp_code
from ess_metro.audit import audit_entries
from ess_metro.directory.models import MembershipRole
from projects.conventions import services
from projects.conventions.models import BankDetailsChange, PaymentStatus

OLD_IBAN = "FR7630006000011234567890189"
NEW_IBAN = "FR7610278000010002012345657"
FORM = {
    "account_holder": "Association",
    "iban": "FR76 1027 8000 0100 0201 2345 657",
    "bic": "CMCIFR2A",
}


@pytest.fixture
def with_bank_details(convention, staff):
    convention.account_holder, convention.iban, convention.bic = "Asso", OLD_IBAN, "AGRIFRPP"
    convention.save()
    return convention


def _url(convention):
    return reverse("projects:space_convention_bank_details", args=[convention.pk])


def _planned(convention):
    return convention.payments.filter(status=PaymentStatus.PLANNED).order_by("due_date").first()


def test_changing_the_iban_asks_for_the_password_again(applicant_client, with_bank_details):
    convention = with_bank_details
    response = applicant_client.post(_url(convention), FORM)
    content = response.content.decode()
    assert "Ce champ est obligatoire" in content and 'value="Association"' in content
    response = applicant_client.post(_url(convention), {**FORM, "password": "pas-le-bon-2026"})
    assert "Ce mot de passe n&#x27;est pas le bon." in response.content.decode()
    convention.refresh_from_db()
    assert convention.iban == OLD_IBAN and not convention.bank_details_to_confirm
    response = applicant_client.post(_url(convention), {**FORM, "password": PASSWORD})
    assert response.status_code == 302
    convention.refresh_from_db()
    assert convention.iban == NEW_IBAN and convention.bank_details_to_confirm


def test_staff_confirm_with_their_second_factor(staff_client, staff, with_bank_details):
    url = reverse("projects:convention_bank_details", args=[with_bank_details.pk])
    page = staff_client.get(url).content.decode()
    assert 'name="otp_code"' in page and 'name="password"' not in page
    response = staff_client.post(url, {**FORM, "otp_code": "000000"})
    assert "Ce code n&#x27;est pas valide" in response.content.decode()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=staff).update(throttling_failure_count=0)
    response = staff_client.post(url, {**FORM, "otp_code": totp_code(staff)})
    assert response.status_code == 302
    with_bank_details.refresh_from_db()
    assert with_bank_details.iban == NEW_IBAN


def test_the_change_is_audited_masked_and_announced(
    applicant_client, applicant, with_bank_details, settings
):
    settings.STAFF_NOTIFICATION_EMAIL = "ess@metro.example"
    convention = with_bank_details
    plain_member = MembershipFactory(
        organisation=convention.beneficiary, role=MembershipRole.MEMBER
    )
    mail.outbox.clear()
    applicant_client.post(_url(convention), {**FORM, "password": PASSWORD})
    change = BankDetailsChange.objects.get(convention=convention)
    assert (change.changed_by, change.iban_before, change.iban_after) == (
        applicant,
        "FR76 •••• 0189",
        "FR76 •••• 5657",
    )
    iban = next(entry for entry in audit_entries(convention) if entry.field == "IBAN")
    assert (iban.before, iban.after, iban.user) == ("FR76 •••• 0189", "FR76 •••• 5657", applicant)
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {applicant.email, "ess@metro.example"}
    assert plain_member.user.email not in recipients
    for message in mail.outbox:
        assert "FR76 •••• 5657" in message.body
        assert NEW_IBAN not in message.body and OLD_IBAN not in message.body


def test_payments_wait_for_another_member_of_staff(staff, with_bank_details):
    convention = with_bank_details
    services.convention_set_bank_details(
        convention=convention, account_holder="Asso", iban=NEW_IBAN, bic="", user=staff
    )
    payment = _planned(convention)
    with pytest.raises(ValidationError, match="un autre membre de l'équipe doit les confirmer"):
        services.payment_transition(payment=payment, to_status=PaymentStatus.REQUESTED, user=staff)
    # The author of the change cannot confirm it.
    with pytest.raises(ValidationError, match="vous-même"):
        services.convention_confirm_bank_details(convention=convention, user=staff)
    colleague = make_staff()
    services.convention_confirm_bank_details(convention=convention, user=colleague)
    change = convention.bank_changes.get()
    assert change.confirmed_by == colleague and change.confirmed_at is not None
    payment = services.payment_transition(
        payment=payment, to_status=PaymentStatus.REQUESTED, user=staff
    )
    assert payment.status == PaymentStatus.REQUESTED


def test_a_requested_payment_cannot_be_paid_after_a_change(staff, with_bank_details):
    convention = with_bank_details
    payment = services.payment_transition(
        payment=_planned(convention), to_status=PaymentStatus.REQUESTED, user=staff
    )
    services.convention_set_bank_details(
        convention=convention, account_holder="Asso", iban=NEW_IBAN, bic="", user=staff
    )
    with pytest.raises(ValidationError):
        services.payment_transition(
            payment=payment,
            to_status=PaymentStatus.PAID,
            user=staff,
            paid_date=datetime.date.today(),
            accounting_reference="M-1",
        )


def test_staff_see_a_banner_and_a_confirm_button(client, staff_client, staff, with_bank_details):
    convention = with_bank_details
    services.convention_set_bank_details(
        convention=convention, account_holder="Asso", iban=NEW_IBAN, bic="", user=staff
    )
    page = staff_client.get(convention.get_absolute_url()).content.decode()
    assert "Nouvelles coordonnées bancaires à confirmer" in page
    assert "équipe doit la confirmer" in page
    colleague = make_staff()
    client.force_login(colleague)
    page = client.get(convention.get_absolute_url()).content.decode()
    confirm = reverse("projects:convention_confirm_bank_details", args=[convention.pk])
    assert f'action="{confirm}"' in page
    response = client.post(confirm)
    assert response.status_code == 302
    convention.refresh_from_db()
    assert not convention.bank_details_to_confirm
    assert (
        "Nouvelles coordonnées bancaires à confirmer"
        not in client.get(convention.get_absolute_url()).content.decode()
    )


def test_an_unchanged_form_changes_nothing(staff, with_bank_details):
    services.convention_set_bank_details(
        convention=with_bank_details,
        account_holder="Asso",
        iban=OLD_IBAN,
        bic="AGRIFRPP",
        user=staff,
    )
    assert not with_bank_details.bank_details_to_confirm
    assert not BankDetailsChange.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("applicant", 403),
        ("other_applicant", 403),
        ("committee", 403),
        ("staff", 302),
    ],
)
def test_confirm_url_per_role(role_clients, role, status, with_bank_details):
    other = make_staff()
    services.convention_set_bank_details(
        convention=with_bank_details, account_holder="A", iban=NEW_IBAN, bic="", user=other
    )
    url = reverse("projects:convention_confirm_bank_details", args=[with_bank_details.pk])
    response = role_clients[role].post(url)
    assert response.status_code == status
    with_bank_details.refresh_from_db()
    assert with_bank_details.bank_details_to_confirm is (role != "staff")
