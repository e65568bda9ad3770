import pytest
from django.core import mail
from django.urls import reverse

from demo.factories.core import MembershipFactory, UserFactory
from ess_metro.accounts.models import User
from ess_metro.directory.models import (
    InvitationStatus,
    Membership,
    MembershipInvitation,
    MembershipRole,
)

NEW_MEMBER = {
    "email": "Nouvelle@Exemple.fr",
    "first_name": "Inès",
    "last_name": "Garnier",
    "position": "Trésorière",
    "role": MembershipRole.MEMBER,
}


def _invite_url(organisation):
    return reverse("directory:member_invite", args=[organisation.pk])


def _invitation(client, organisation, email="deja@exemple.fr"):
    client.post(_invite_url(organisation), {**NEW_MEMBER, "email": email})
    return MembershipInvitation.objects.get(organisation=organisation, email=email)


def test_inviting_adds_nobody_until_the_person_accepts(applicant_client, applicant, client):
    existing = UserFactory(email="deja@exemple.fr")
    organisation = applicant.organisations.get()
    invitation = _invitation(applicant_client, organisation)
    assert not organisation.memberships.filter(user=existing).exists()
    assert organisation.name in mail.outbox[0].subject
    assert reverse("directory:invitation_list") in mail.outbox[0].body
    client.force_login(existing)
    page = client.get(reverse("directory:invitation_list")).content.decode()
    assert organisation.name in page
    response = client.post(reverse("directory:invitation_accept", args=[invitation.pk]))
    assert response.status_code == 302
    membership = organisation.memberships.get(user=existing)
    assert (membership.role, membership.position) == (MembershipRole.MEMBER, "Trésorière")
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED


def test_a_newcomer_is_sent_to_sign_up_and_no_account_is_created(applicant_client, applicant):
    organisation = applicant.organisations.get()
    _invitation(applicant_client, organisation, email="nouvelle@exemple.fr")
    assert not User.objects.filter(email="nouvelle@exemple.fr").exists()
    assert reverse("accounts:signup") in mail.outbox[0].body


def test_declined_invitation_adds_nobody(applicant_client, applicant, client):
    existing = UserFactory(email="deja@exemple.fr")
    organisation = applicant.organisations.get()
    invitation = _invitation(applicant_client, organisation)
    client.force_login(existing)
    client.post(reverse("directory:invitation_decline", args=[invitation.pk]))
    assert not organisation.memberships.filter(user=existing).exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    assert (
        client.post(reverse("directory:invitation_accept", args=[invitation.pk])).status_code == 404
    )


def test_an_unconfirmed_address_cannot_take_an_invitation(applicant_client, applicant, client):
    squatter = UserFactory(email="deja@exemple.fr", email_confirmed_at=None)
    organisation = applicant.organisations.get()
    invitation = _invitation(applicant_client, organisation)
    client.force_login(squatter)
    assert (
        client.post(reverse("directory:invitation_accept", args=[invitation.pk])).status_code == 404
    )
    assert not organisation.memberships.filter(user=squatter).exists()


def test_the_administrator_cancels_a_pending_invitation(applicant_client, applicant, client):
    existing = UserFactory(email="deja@exemple.fr")
    organisation = applicant.organisations.get()
    invitation = _invitation(applicant_client, organisation)
    page = applicant_client.get(organisation.get_absolute_url()).content.decode()
    assert "deja@exemple.fr" in page
    applicant_client.post(
        reverse("directory:invitation_cancel", args=[organisation.pk, invitation.pk])
    )
    client.force_login(existing)
    assert (
        client.post(reverse("directory:invitation_accept", args=[invitation.pk])).status_code == 404
    )


def test_inviting_twice_is_refused_next_to_the_field(applicant_client, applicant):
    organisation = applicant.organisations.get()
    _invitation(applicant_client, organisation)
    response = applicant_client.post(
        _invite_url(organisation), {**NEW_MEMBER, "email": "deja@exemple.fr"}
    )
    assert response.status_code == 422
    assert "Cette personne a déjà été invitée." in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("applicant", 200), ("other_applicant", 200), ("committee", 200),
     ("staff", 200)],
)  # fmt: skip
def test_invitation_list_shows_only_ones_own_invitations(role_clients, applicant, role, status):
    organisation = applicant.organisations.get()
    _invitation(role_clients["applicant"], organisation, email="autre@exemple.fr")
    role_clients[role].get(reverse("directory:invitation_list"))  # shows pending messages
    response = role_clients[role].get(reverse("directory:invitation_list"))
    assert response.status_code == status
    if status == 200:
        assert "autre@exemple.fr" not in response.content.decode()
        assert organisation.name not in response.content.decode() or role == "applicant"


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("applicant", 404), ("other_applicant", 404), ("committee", 404),
     ("staff", 404)],
)  # fmt: skip
@pytest.mark.parametrize("name", ["invitation_accept", "invitation_decline"])
def test_answering_someone_elses_invitation_is_404(role_clients, applicant, role, status, name):
    organisation = applicant.organisations.get()
    invitation = _invitation(role_clients["applicant"], organisation, email="autre@exemple.fr")
    assert (
        role_clients[role].post(reverse(f"directory:{name}", args=[invitation.pk])).status_code
        == status
    )
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("applicant", 302), ("other_applicant", 404), ("committee", 404),
     ("staff", 302)],
)  # fmt: skip
def test_cancel_invitation_per_role(role_clients, applicant, role, status):
    organisation = applicant.organisations.get()
    invitation = _invitation(role_clients["applicant"], organisation, email="autre@exemple.fr")
    url = reverse("directory:invitation_cancel", args=[organisation.pk, invitation.pk])
    assert role_clients[role].post(url).status_code == status
    invitation.refresh_from_db()
    cancelled = invitation.status == InvitationStatus.CANCELLED
    assert cancelled is (status == 302 and role != "anonymous")


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
