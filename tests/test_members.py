import re

import pytest
from django.core import mail
from django.http import HttpRequest
from django.urls import reverse

from demo.factories.core import MembershipFactory, UserFactory
from ess_metro.accounts.models import User
from ess_metro.directory.models import Membership, MembershipRole

NEW_MEMBER = {
    "email": "Nouvelle@Exemple.fr",
    "first_name": "Inès",
    "last_name": "Garnier",
    "position": "Trésorière",
    "role": MembershipRole.MEMBER,
}


def _invite_url(organisation):
    return reverse("directory:member_invite", args=[organisation.pk])


def test_admin_invites_a_new_person_who_sets_a_password(applicant_client, applicant, client):
    organisation = applicant.organisations.get()
    response = applicant_client.post(_invite_url(organisation), NEW_MEMBER)
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle@exemple.fr")
    assert Membership.objects.filter(user=user, organisation=organisation).exists()
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert organisation.name in mail.outbox[0].subject
    path = re.search(
        r"https?://[^/\s]+(/compte/mot-de-passe/reinitialiser/\S+)", mail.outbox[0].body
    )
    response = client.get(path.group(1), follow=True)
    form_url = response.redirect_chain[-1][0]
    client.post(
        form_url, {"new_password1": "Choisi-Par-Ines-26", "new_password2": "Choisi-Par-Ines-26"}
    )
    assert client.login(
        request=HttpRequest(), username="nouvelle@exemple.fr", password="Choisi-Par-Ines-26"
    )


def test_inviting_an_existing_account_only_adds_the_membership(applicant_client, applicant):
    existing = UserFactory(email="deja@exemple.fr")
    organisation = applicant.organisations.get()
    applicant_client.post(_invite_url(organisation), {**NEW_MEMBER, "email": "deja@exemple.fr"})
    assert organisation.memberships.filter(user=existing).exists()
    assert "/reinitialiser/" not in mail.outbox[0].body


def test_inviting_a_member_twice_is_refused_in_french(applicant_client, applicant):
    organisation = applicant.organisations.get()
    response = applicant_client.post(
        _invite_url(organisation), {**NEW_MEMBER, "email": applicant.email}
    )
    assert "Cette personne est déjà membre de la structure." in response.content.decode()
    assert 'value="Inès"' in response.content.decode()


def test_plain_member_cannot_invite(client, applicant):
    organisation = applicant.organisations.get()
    member = MembershipFactory(organisation=organisation, role=MembershipRole.MEMBER).user
    client.force_login(member)
    assert client.get(_invite_url(organisation)).status_code == 403


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("applicant", 200),
        ("other_applicant", 404),
        ("committee", 404),
        ("staff", 200),
    ],
)
def test_invite_page_per_role(role_clients, applicant, role, status):
    organisation = applicant.organisations.get()
    assert role_clients[role].get(_invite_url(organisation)).status_code == status


def test_last_administrator_cannot_be_removed(staff_client, applicant):
    membership = applicant.memberships.get()
    url = reverse("directory:member_remove", args=[membership.organisation_id, membership.pk])
    response = staff_client.post(url, follow=True)
    assert "Une structure garde au moins un administrateur." in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize(
    ("role", "status", "removed"),
    [
        ("anonymous", 302, False),
        ("applicant", 302, True),
        ("other_applicant", 404, False),
        ("committee", 404, False),
        ("staff", 302, True),
    ],
)
def test_remove_member_per_role(role_clients, applicant, role, status, removed):
    organisation = applicant.organisations.get()
    other = MembershipFactory(organisation=organisation, role=MembershipRole.MEMBER)
    url = reverse("directory:member_remove", args=[organisation.pk, other.pk])
    assert role_clients[role].post(url).status_code == status
    assert Membership.objects.filter(pk=other.pk).exists() is not removed
