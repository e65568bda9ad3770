"""Issue 12, item 8: the staff's security page (/gestion/securite/): logins (successes,
failures, lockouts), locks and their unlocking, who changed bank details and when, and the
sessions open per account, which staff can end, whatever the session store."""

import pytest
from django.test import Client
from django.urls import reverse

from demo.factories.conventions import make_convention
from demo.factories.core import PASSWORD, UserFactory, make_applicant
from ess_metro.accounts.models import UserSession
from projects.conventions import services
from projects.conventions.models import ConventionStatus

PAGE = reverse("security:home")
LOGIN = reverse("accounts:login")


def _try(client, email, password, ip="192.0.2.20"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("applicant", 403),
        ("other_applicant", 403),
        ("committee", 403),
        ("staff", 200),
    ],
)
def test_security_page_per_role(role_clients, role, status):
    assert role_clients[role].get(PAGE).status_code == status


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
def test_security_actions_per_role(role_clients, role, status, applicant):
    row = UserSession.objects.filter(user=applicant).first()
    urls = [
        reverse("security:unlock"),
        reverse("security:end_session", args=[row.pk]),
        reverse("security:end_account_sessions", args=[applicant.pk]),
    ]
    for url in urls:
        assert role_clients[role].post(url, {"account": "x@exemple.fr"}).status_code == status


@pytest.mark.django_db
def test_logins_failures_and_lockouts_are_listed(staff_client, settings):
    user = UserFactory(email="suivi@exemple.fr")
    _try(Client(), user.email, PASSWORD)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _try(Client(), "cible@exemple.fr", "mauvais-mot-de-passe", ip="198.51.100.30")
    content = staff_client.get(PAGE).content.decode()
    assert "suivi@exemple.fr" in content and "Réussie" in content
    assert "Échec" in content and "Blocage" in content
    assert "198.51.100.30" in content


@pytest.mark.django_db
def test_staff_unlock_an_account(staff_client, settings):
    user = UserFactory(email="bloque@exemple.fr")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _try(Client(), user.email, "mauvais-mot-de-passe", ip="198.51.100.40")
    assert _try(Client(), user.email, PASSWORD, ip="198.51.100.41").status_code == 429
    content = staff_client.get(PAGE).content.decode()
    assert "Débloquer le compte" in content and "bloque@exemple.fr" in content
    response = staff_client.post(reverse("security:unlock"), {"account": "bloque@exemple.fr"})
    assert response.status_code == 302
    assert _try(Client(), user.email, PASSWORD, ip="198.51.100.41").status_code == 302


@pytest.mark.django_db
def test_staff_unlock_an_address(staff_client, settings):
    for index in range(settings.AXES_FAILURE_LIMIT):
        _try(Client(), f"essai-{index}@exemple.fr", "mauvais", ip="203.0.113.50")
    user = UserFactory(email="voisin@exemple.fr")
    assert _try(Client(), user.email, PASSWORD, ip="203.0.113.50").status_code == 429
    assert "Débloquer l'adresse" in staff_client.get(PAGE).content.decode()
    staff_client.post(reverse("security:unlock"), {"address": "203.0.113.50"})
    assert _try(Client(), user.email, PASSWORD, ip="203.0.113.50").status_code == 302


@pytest.mark.django_db
def test_bank_details_changes_are_listed(staff_client, staff):
    applicant = make_applicant()
    convention = make_convention(
        beneficiary=applicant.organisations.get(),
        amounts={2026: 10000},
        status=ConventionStatus.RUNNING,
        user=staff,
    )
    services.convention_set_bank_details(
        convention=convention,
        account_holder="Asso",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
        user=applicant,
    )
    content = staff_client.get(PAGE).content.decode()
    assert convention.reference in content
    assert str(applicant) in content and "FR76 •••• 0189" in content
    assert "FR7630006000011234567890189" not in content
    assert "À confirmer" in content


def _open_sessions(client) -> str:
    content = client.get(PAGE).content.decode()
    return content.split('id="sessions-title"')[1].split('id="bank-title"')[0]


def _sessions_can_be_ended(staff_client):
    person = UserFactory(email="session@exemple.fr")
    browser = Client()
    assert _try(browser, person.email, PASSWORD).status_code == 302
    assert browser.get(reverse("accounts:profile")).status_code == 200
    row = UserSession.objects.get(user=person, ended_at=None)
    assert row.ip_address == "192.0.2.20"
    assert "session@exemple.fr" in _open_sessions(staff_client)
    staff_client.post(reverse("security:end_session", args=[row.pk]))
    # The person is logged out at their next request.
    assert browser.get(reverse("accounts:profile")).status_code == 302
    row.refresh_from_db()
    assert row.ended_at is not None
    assert "session@exemple.fr" not in _open_sessions(staff_client)


@pytest.mark.django_db
def test_staff_end_a_session_with_database_sessions(staff_client, settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    _sessions_can_be_ended(staff_client)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "engine",
    ["django.contrib.sessions.backends.cache", "django.contrib.sessions.backends.cached_db"],
)
def test_staff_end_a_session_with_cached_sessions(settings, staff, engine):
    settings.SESSION_ENGINE = engine
    client = Client()
    client.force_login(staff)
    _sessions_can_be_ended(client)


@pytest.mark.django_db
def test_staff_end_every_session_of_an_account(staff_client):
    person = UserFactory(email="partout@exemple.fr")
    browsers = [Client(), Client()]
    for browser in browsers:
        _try(browser, person.email, PASSWORD)
    staff_client.post(reverse("security:end_account_sessions", args=[person.pk]))
    for browser in browsers:
        assert browser.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.django_db
def test_logging_out_closes_the_recorded_session(client):
    person = UserFactory()
    _try(client, person.email, PASSWORD)
    client.post(reverse("accounts:logout"))
    assert UserSession.objects.get(user=person).ended_at is not None


@pytest.mark.django_db
def test_security_page_queries_do_not_grow_with_rows(staff_client, django_assert_num_queries):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            assert staff_client.get(PAGE).status_code == 200
        return len(context)

    for index in range(2):
        _try(Client(), f"p{index}@exemple.fr", "mauvais")
        UserFactory(email=f"ok{index}@exemple.fr")
        _try(Client(), f"ok{index}@exemple.fr", PASSWORD)
    few = count()
    for index in range(2, 12):
        _try(Client(), f"p{index}@exemple.fr", "mauvais", ip=f"198.51.100.{index}")
        UserFactory(email=f"ok{index}@exemple.fr")
        _try(Client(), f"ok{index}@exemple.fr", PASSWORD, ip=f"198.51.100.{index}")
    assert count() == few
    with django_assert_num_queries(few):
        staff_client.get(PAGE)


@pytest.mark.django_db
def test_staff_reset_a_lost_second_factor(staff_client):
    from demo.factories.core import make_staff
    from ess_metro.accounts import two_factor

    colleague = make_staff(email="telephone-perdu@exemple.fr")
    browser = Client()
    browser.force_login(colleague)
    assert browser.get(reverse("staff_home")).status_code == 200
    content = staff_client.get(PAGE).content.decode()
    section = content.split('id="second-factor-title"')[1].split('id="bank-title"')[0]
    assert "telephone-perdu@exemple.fr" in section
    url = reverse("security:reset_second_factor", args=[colleague.pk])
    assert f'action="{url}"' in section
    assert staff_client.post(url).status_code == 302
    assert not two_factor.has_second_factor(colleague)
    # Logged out; at the next login they set up a new authenticator before /gestion/.
    assert browser.get(reverse("staff_home")).status_code == 302
    _try(browser, colleague.email, PASSWORD)
    response = browser.get(reverse("staff_home"))
    assert response.url.startswith(reverse("accounts:two_factor_setup"))


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("applicant", 403), ("committee", 403), ("staff", 302)],
)
def test_reset_second_factor_per_role(role_clients, role, status):
    from demo.factories.core import make_staff
    from ess_metro.accounts import two_factor

    colleague = make_staff()
    url = reverse("security:reset_second_factor", args=[colleague.pk])
    assert role_clients[role].post(url).status_code == status
    assert two_factor.has_second_factor(colleague) is (role != "staff")
