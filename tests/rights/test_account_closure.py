"""Closing an account: the person disappears, the public records stay."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest
from django.test import Client

from demo.factories.calls import application_in
from demo.factories.conventions import make_convention
from demo.factories.core import PASSWORD, make_staff
from ess_metro.accounts.models import User
from ess_metro.directory.models import Membership
from ess_metro.privacy import services
from ess_metro.privacy.models import AccountClosure
from projects.calls.models import ApplicationMessage, ApplicationStatus
from projects.conventions.models import (
    ConventionLog,
    ConventionStatus,
    LogSubject,
    Payment,
    PaymentStatus,
)

from .conftest import EMAIL, FIRST, LAST, PHONE, tables_mentioning

FULL_NAME = f"{FIRST} {LAST}"


def _records_of(person):
    """A running convention of the person's organisation, with payments, logs, a history row,
    a granted file and a message that spell the person's name."""
    organisation = person.organisations.get()
    staff = make_staff()
    application = application_in(
        ApplicationStatus.GRANTED,
        organisation=organisation,
        created_by=person,
        contact_name=FULL_NAME,
        contact_email=EMAIL.upper(),
        contact_phone=PHONE,
    )
    ApplicationMessage.objects.create(
        application=application, author=person, body=f"Bonjour, ici {FULL_NAME} ({EMAIL})."
    )
    convention = make_convention(
        beneficiary=organisation, amounts={2026: 30000}, status=ConventionStatus.RUNNING
    )
    convention.parties = f"La Métropole et {organisation}, représentée par {FULL_NAME}"
    convention.account_holder = FULL_NAME
    convention.iban = "FR7630006000011234567890189"
    convention._history_user = person
    convention.save()
    ConventionLog.objects.create(
        convention=convention,
        subject=LogSubject.CONVENTION,
        from_status=ConventionStatus.SIGNED,
        to_status=ConventionStatus.RUNNING,
        user=person,
        comment=f"Signée par {FULL_NAME}",
    )
    LogEntry.objects.create(
        user=staff,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=CHANGE,
    )
    return convention


@pytest.mark.django_db
def test_closing_an_applicant_with_a_running_convention_keeps_the_records_only(person):
    convention = _records_of(person)
    payments = list(Payment.objects.filter(convention=convention).values_list("pk", "amount"))
    logs = list(convention.log.values_list("pk", "user_id"))
    history = convention.history.count()
    assert payments and logs and history
    assert tables_mentioning(FULL_NAME, EMAIL, LAST, PHONE)

    client = Client()
    client.force_login(person)
    response = client.post("/compte/fermer/", {"password": PASSWORD, "confirm": "on"}, follow=True)

    assert response.redirect_chain[-1][0] == "/"
    assert "Votre compte est fermé" in response.content.decode()
    assert tables_mentioning(FULL_NAME, EMAIL, LAST, PHONE) == {}
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.RUNNING
    assert convention.amount_granted == Decimal("30000.00")
    assert list(Payment.objects.filter(convention=convention).values_list("pk", "amount")) == (
        payments
    )
    assert list(convention.log.values_list("pk", "user_id")) == logs
    assert convention.history.count() == history
    person.refresh_from_db()
    assert str(person) == f"Compte supprimé n° {person.pk}"
    assert convention.log.filter(user=person).get().comment == f"Signée par {person}"
    assert not person.is_active and not person.has_usable_password()
    assert not Membership.objects.filter(user=person).exists()
    closure = AccountClosure.objects.get(user=person)
    assert "Recyclerie du Drac" in closure.roles
    assert not Client().login(request=HttpRequest(), username=EMAIL, password=PASSWORD)
    assert Payment.objects.filter(convention=convention, status=PaymentStatus.PLANNED).exists()


@pytest.mark.django_db
def test_a_wrong_password_closes_nothing_and_says_so(person, client):
    client.force_login(person)
    response = client.post("/compte/fermer/", {"password": "pas le bon", "confirm": "on"})
    assert response.status_code == 200
    assert "Ce n’est pas votre mot de passe." in response.content.decode()
    person.refresh_from_db()
    assert person.is_active and person.email == EMAIL
    response = client.post("/compte/fermer/", {"password": PASSWORD})
    assert "Cochez la case pour confirmer." in response.content.decode()
    person.refresh_from_db()
    assert person.is_active


@pytest.mark.django_db
def test_an_administrator_account_is_not_closed_here(db):
    admin = User.objects.create_superuser("root@exemple.fr", PASSWORD, first_name="A")
    with pytest.raises(services.ValidationError):
        services.close_account(user=admin, password=PASSWORD)
    admin.refresh_from_db()
    assert admin.is_active


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("applicant", 200),
        ("other_applicant", 200),
        ("committee", 200),
        ("staff", 200),
    ],
)
def test_every_role_reaches_its_own_close_account_page(role_clients, role, expected):
    response = role_clients[role].get("/compte/fermer/")
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith("/compte/connexion/")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("applicant", 403),
        ("other_applicant", 403),
        ("committee", 403),
        ("staff", 200),
    ],
)
def test_only_staff_read_the_register_of_closed_accounts(role_clients, role, expected):
    assert role_clients[role].get("/gestion/donnees-personnelles/").status_code == expected


@pytest.mark.django_db
def test_staff_read_who_acted_in_which_role_after_the_closure(
    person, staff_client, django_assert_num_queries
):
    from ess_metro.privacy.models import PurgeLog

    services.close_account(user=person, password=PASSWORD)
    for number in range(3):
        PurgeLog.objects.create(
            rule="call_drafts", object_type="projects.Application", object_id=number,
            description=f"Dossier #{number}",
        )  # fmt: skip
    with django_assert_num_queries(5):
        html = staff_client.get("/gestion/donnees-personnelles/").content.decode()
    assert f"Compte supprimé n° {person.pk}" in html
    assert "Administrateur de Recyclerie du Drac" in html
    assert "Dossier #2" in html
    assert LAST not in html
