import re

import pytest
from django.core import mail
from django.urls import reverse

from demo.factories.core import PASSWORD, UserFactory
from ess_metro.accounts.models import User

SIGNUP = {
    "first_name": "Léa",
    "last_name": "Bernard",
    "email": "Lea.Bernard@Exemple.fr",
    "phone": "04 76 00 00 00",
    "job_title": "Coordinatrice",
    "password1": "Solidaire-Grenoble-2026",
    "password2": "Solidaire-Grenoble-2026",
    "accept_terms": "on",
}


def _link_from(message):
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


@pytest.mark.django_db
def test_sign_up_confirm_then_log_in(client):
    response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 200
    assert "Consultez votre messagerie" in response.content.decode()
    user = User.objects.get(email="lea.bernard@exemple.fr")
    assert not user.is_active

    # Cannot log in before confirming.
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": SIGNUP["password1"]}
    )
    assert response.status_code == 200
    assert "confirmez d&#x27;abord votre adresse" in response.content.decode()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Confirmez votre adresse e-mail sur ESS Métro"
    link = _link_from(mail.outbox[0])
    response = client.get(link)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active and user.email_confirmed_at is not None

    # The link works once only.
    assert client.get(link).status_code == 400

    response = client.post(
        reverse("accounts:login"),
        {"username": "LEA.BERNARD@exemple.fr", "password": SIGNUP["password1"]},
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


@pytest.mark.django_db
def test_sign_up_bad_input_keeps_what_was_typed(client):
    UserFactory(email="pris@exemple.fr")
    data = {**SIGNUP, "email": "pris@exemple.fr", "password2": "autre-chose-2026"}
    response = client.post(reverse("accounts:signup"), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Un compte existe déjà" not in content
    assert "Les deux mots de passe ne correspondent pas." in content
    assert 'value="Léa"' in content and 'value="Coordinatrice"' in content
    assert not User.objects.filter(first_name="Léa").exists()


@pytest.mark.django_db
def test_sign_up_refuses_weak_password_in_french(client):
    data = {**SIGNUP, "password1": "123", "password2": "123"}
    content = client.post(reverse("accounts:signup"), data).content.decode()
    assert "Ce mot de passe est trop court" in content


@pytest.mark.django_db
def test_resend_confirmation_does_not_reveal_accounts(client):
    response = client.post(reverse("accounts:resend_confirmation"), {"email": "inconnu@exemple.fr"})
    assert response.status_code == 200
    assert len(mail.outbox) == 0
    UserFactory(email="attente@exemple.fr", is_active=False, email_confirmed_at=None)
    client.post(reverse("accounts:resend_confirmation"), {"email": "attente@exemple.fr"})
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_password_reset_flow(client):
    user = UserFactory(email="oubli@exemple.fr")
    response = client.post(reverse("accounts:password_reset"), {"email": "oubli@exemple.fr"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = _link_from(mail.outbox[0])
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Nouveau-Secret-2026", "new_password2": "Nouveau-Secret-2026"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nouveau-Secret-2026")


@pytest.mark.django_db
def test_password_change_and_profile_edit(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Encore-Plus-Solide-2026",
            "new_password2": "Encore-Plus-Solide-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Encore-Plus-Solide-2026")

    response = client.post(
        reverse("accounts:profile_edit"),
        {"first_name": "Nina", "last_name": "Petit", "phone": "", "job_title": "Trésorière"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.job_title) == ("Nina", "Trésorière")
    response = client.post(reverse("accounts:profile_edit"), {"first_name": "", "last_name": ""})
    assert "Ce champ est obligatoire." in response.content.decode()


@pytest.mark.django_db
def test_log_out_requires_post(client):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("applicant", 200),
        ("other_applicant", 200),
        ("committee", 200),
        ("staff", 200),
    ],
)
def test_profile_page_per_role(role_clients, role, status):
    assert role_clients[role].get(reverse("accounts:profile")).status_code == status


@pytest.mark.parametrize(
    ("role", "badge"),
    [
        ("applicant", "Porteur de projet"),
        ("committee", "Membre du comité de suivi"),
        ("staff", "Chargé·e de mission ESS (Métro)"),
    ],
)
def test_profile_shows_roles_derived_from_relations(role_clients, role, badge):
    assert badge in role_clients[role].get(reverse("accounts:profile")).content.decode()
