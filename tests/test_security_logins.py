"""Issue 12, item 1: logins are throttled, e-mails on demand are rate-limited, sign-up tells
nobody who has an account, passwords follow the CNIL, staff use a second factor."""

import datetime
import re

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from demo.factories.core import PASSWORD, UserFactory, give_second_factor, make_staff, totp_code
from ess_metro.accounts import two_factor
from ess_metro.accounts.models import User
from ess_metro.accounts.validators import strong_enough

LOGIN = reverse("accounts:login")


def _try(client, email, password, ip="192.0.2.10"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_wrong_passwords_lock_the_account_with_a_french_message(client, settings):
    user = UserFactory(email="cible@exemple.fr")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _try(client, user.email, "mauvais-mot-de-passe").status_code == 200
    locked = _try(client, user.email, "mauvais-mot-de-passe")
    assert locked.status_code == 429
    assert "Trop de tentatives" in locked.content.decode()
    # The right password is refused too while the lock holds, from another address as well.
    response = _try(Client(), user.email, PASSWORD, ip="198.51.100.7")
    assert response.status_code == 429
    assert "_auth_user_id" not in Client().session


@pytest.mark.django_db
def test_the_lock_lifts_after_the_cool_off(client, settings):
    user = UserFactory(email="patience@exemple.fr")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _try(client, user.email, "mauvais-mot-de-passe")
    assert _try(client, user.email, PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )
    assert _try(client, user.email, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_locked(settings):
    client = Client()
    for index in range(settings.AXES_FAILURE_LIMIT):
        _try(client, f"personne-{index}@exemple.fr", "mauvais-mot-de-passe", ip="203.0.113.5")
    victim = UserFactory(email="autre@exemple.fr")
    assert _try(client, victim.email, PASSWORD, ip="203.0.113.5").status_code == 429
    # The account itself is not locked: its owner logs in from elsewhere.
    assert _try(Client(), victim.email, PASSWORD, ip="198.51.100.8").status_code == 302


@pytest.mark.django_db
def test_successful_logins_are_logged(client):
    user = UserFactory(email="trace@exemple.fr")
    assert _try(client, user.email, PASSWORD).status_code == 302
    assert AccessLog.objects.filter(username=user.email, ip_address="192.0.2.10").exists()


@pytest.mark.django_db
def test_password_reset_e_mails_are_rate_limited_per_address(client):
    UserFactory(email="oubli@exemple.fr")
    for _attempt in range(9):
        response = client.post(reverse("accounts:password_reset"), {"email": "oubli@exemple.fr"})
        assert response.status_code == 302
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_password_reset_e_mails_are_rate_limited_per_client(client, settings):
    settings.EMAIL_RATE_PER_IP = "4/h"
    for index in range(8):
        UserFactory(email=f"victime-{index}@exemple.fr")
        client.post(reverse("accounts:password_reset"), {"email": f"victime-{index}@exemple.fr"})
    assert len(mail.outbox) == 4


SIGNUP = {
    "first_name": "Léa",
    "last_name": "Bernard",
    "email": "deja@exemple.fr",
    "phone": "",
    "job_title": "",
    "password1": "Solidaire-Grenoble-2026",
    "password2": "Solidaire-Grenoble-2026",
    "accept_terms": "on",
}


def _page(response, address):
    """The page without its address and its CSRF token (a new one each time)."""
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", response.content.decode().replace(address, "X@"))


@pytest.mark.django_db
def test_sign_up_never_reveals_an_existing_account(client):
    new = client.post(reverse("accounts:signup"), {**SIGNUP, "email": "nouvelle@exemple.fr"})
    mail.outbox.clear()
    owner = UserFactory(email="deja@exemple.fr", first_name="Inès")
    existing = client.post(reverse("accounts:signup"), SIGNUP)
    assert existing.status_code == new.status_code == 200
    assert _page(existing, "deja@") == _page(new, "nouvelle@")
    assert User.objects.filter(email="deja@exemple.fr").count() == 1
    owner.refresh_from_db()
    assert owner.first_name == "Inès"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["deja@exemple.fr"]
    assert "Quelqu'un a essayé de créer un compte" in message.subject
    assert reverse("accounts:login") in message.body
    assert reverse("accounts:password_reset") in message.body


@pytest.mark.django_db
def test_sign_up_e_mails_are_rate_limited(client):
    UserFactory(email="deja@exemple.fr")
    for _attempt in range(6):
        assert client.post(reverse("accounts:signup"), SIGNUP).status_code == 200
    assert len(mail.outbox) == 3


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("Essmetro2026", False),  # the finding: 12 characters but no special character
        ("Essmetro202!", True),  # 12 characters of the four kinds
        ("Essmetro20!", False),  # 11 characters
        ("Essmetro202612", True),  # 14 characters of three kinds
        ("essmetro202612", False),  # 14 characters of two kinds
        ("un-mot-de-passe-solide", True),  # a passphrase of 20 or more
    ],
)
def test_passwords_follow_the_cnil(password, accepted):
    assert strong_enough(password) is accepted


@pytest.mark.django_db
def test_sign_up_refuses_the_password_of_the_finding(client):
    data = {**SIGNUP, "email": "faible@exemple.fr", "password1": "Essmetro2026"}
    data["password2"] = data["password1"]
    content = client.post(reverse("accounts:signup"), data).content.decode()
    assert "au moins 12 caractères" in content
    assert not User.objects.filter(email="faible@exemple.fr").exists()


# --- second factor ---


@pytest.mark.django_db
def test_staff_log_in_with_password_then_code(client):
    staff = make_staff(email="agent@exemple.fr")
    response = _try(client, staff.email, PASSWORD)
    assert response.url == reverse("accounts:login_verify")
    # The password alone logs nobody in.
    assert client.get(reverse("staff_home")).status_code == 302
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("accounts:login_verify"), {"code": "000000"})
    assert "Ce code n&#x27;est pas valide" in wrong.content.decode()
    # The wrong code throttles the device: wait for it, as a person would.
    two_factor.TOTPDevice.objects.filter(user=staff).update(throttling_failure_count=0)
    response = client.post(reverse("accounts:login_verify"), {"code": totp_code(staff)})
    assert response.status_code == 302
    assert client.get(reverse("staff_home")).status_code == 200


@pytest.mark.django_db
def test_a_recovery_code_works_once(client):
    staff = make_staff(email="secours@exemple.fr")
    codes = two_factor.new_recovery_codes(user=staff)
    _try(client, staff.email, PASSWORD)
    response = client.post(reverse("accounts:login_verify"), {"code": codes[0]}, follow=True)
    assert "il vous reste 9 codes de secours" in response.content.decode()
    client.post(reverse("accounts:logout"))
    _try(client, staff.email, PASSWORD)
    response = client.post(reverse("accounts:login_verify"), {"code": codes[0]})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_code_step_expires(client):
    staff = make_staff(email="lent@exemple.fr")
    _try(client, staff.email, PASSWORD)
    session = client.session
    session["pending_second_factor"]["at"] -= 301
    session.save()
    response = client.post(reverse("accounts:login_verify"), {"code": totp_code(staff)})
    assert response.url == LOGIN
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_staff_without_a_device_set_one_up_before_using_gestion(client):
    staff = UserFactory(staff=True)
    client.force_login(staff, second_factor=False)
    response = client.get(reverse("staff_home"))
    assert response.url.startswith(reverse("accounts:two_factor_setup"))
    page = client.get(response.url)
    content = page.content.decode()
    assert "<svg" in content and "otpauth" not in content  # drawn here, key never in a URL
    device = two_factor.pending_device(staff)
    response = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
    assert "Ce code n&#x27;est pas valide" in response.content.decode()
    device.throttling_failure_count = 0
    device.save()
    response = client.post(
        reverse("accounts:two_factor_setup"), {"code": totp_code_of(device), "next": "/gestion/"}
    )
    assert response.content.decode().count("<li>") >= 10  # the recovery codes, shown once
    assert client.get(reverse("staff_home")).status_code == 200


def totp_code_of(device):
    from django_otp.oath import totp

    return f"{totp(device.bin_key):06d}"


@pytest.mark.django_db
def test_an_unverified_staff_session_with_a_device_is_sent_to_log_in(client):
    staff = make_staff()
    client.force_login(staff, second_factor=False)
    response = client.get(reverse("staff_home"))
    assert response.url.startswith(LOGIN)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_admin_login_goes_through_the_portal_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=/admin/"


@pytest.mark.django_db
def test_applicants_may_turn_the_second_factor_on_and_off(applicant_client, applicant):
    page = applicant_client.get(reverse("accounts:two_factor"))
    assert "Activer la double authentification" in page.content.decode()
    applicant_client.get(reverse("accounts:two_factor_setup"))
    device = two_factor.pending_device(applicant)
    applicant_client.post(reverse("accounts:two_factor_setup"), {"code": totp_code_of(device)})
    assert two_factor.has_second_factor(applicant)
    # Next login asks for the code.
    other = Client()
    assert _try(other, applicant.email, PASSWORD).url == reverse("accounts:login_verify")
    applicant_client.post(reverse("accounts:two_factor_remove"))
    assert not two_factor.has_second_factor(applicant)


@pytest.mark.django_db
def test_staff_cannot_turn_the_second_factor_off(staff_client, staff):
    assert staff_client.post(reverse("accounts:two_factor_remove")).status_code == 403
    assert two_factor.has_second_factor(staff)


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("applicant", 200), ("committee", 200), ("staff", 200)],
)
def test_two_factor_page_per_role(role_clients, role, status):
    assert role_clients[role].get(reverse("accounts:two_factor")).status_code == status


@pytest.mark.django_db
def test_demo_staff_log_in_with_the_documented_key(client):
    from io import StringIO

    from django.core.management import call_command

    from demo.core import DEMO_PASSWORD

    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("demo_code", stdout=out)
    _try(client, "chargee@essmetro.example", DEMO_PASSWORD)
    response = client.post(reverse("accounts:login_verify"), {"code": out.getvalue().strip()})
    assert response.status_code == 302
    assert client.get(reverse("staff_home")).status_code == 200


def test_give_second_factor_is_idempotent(db):
    user = UserFactory()
    assert give_second_factor(user) == give_second_factor(user)


@pytest.mark.django_db
def test_choosing_a_new_password_lifts_the_account_lock(client, settings):
    user = UserFactory(email="perdu@exemple.fr")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _try(client, user.email, "mauvais-mot-de-passe", ip="198.51.100.60")
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    new = "Un-Nouveau-Secret-2026"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    assert _try(Client(), user.email, new, ip="198.51.100.61").status_code == 302
