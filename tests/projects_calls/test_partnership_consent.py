"""Naming a registered partner is a request that the partner's administrator answers.

Before, any organisation could be named as a partner without its knowledge, which flagged its
committee seat for a conflict of interest and turned its vote into an abstention.
"""

import pytest
from django.urls import reverse

from ess_metro.directory.models import Membership, MembershipRole
from projects.models import Partnership, PartnershipStatus

from .test_applicant import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(other_applicant):
    """The organisation that the other applicant administers."""
    return Membership.objects.get(user=other_applicant).organisation


def name_partner(client, draft, partner):
    return client.post(
        reverse("projects:application_edit", args=[draft.pk]),
        form_data(draft, partner_organisations=[str(partner.pk)]),
    )


def test_naming_a_partner_asks_its_administrators_once(
    applicant_client, draft, partner, other_applicant, mailoutbox
):
    name_partner(applicant_client, draft, partner)
    partnership = Partnership.objects.get(application=draft)
    assert (partnership.organisation, partnership.status) == (partner, PartnershipStatus.PENDING)
    asked = [mail for mail in mailoutbox if other_applicant.email in mail.to]
    assert len(asked) == 1
    assert "partenaire" in asked[0].subject
    assert reverse("projects:partnership_list") in asked[0].body
    name_partner(applicant_client, draft, partner)  # the autosave sends it again
    assert len([mail for mail in mailoutbox if other_applicant.email in mail.to]) == 1
    page = applicant_client.get(draft.get_absolute_url()).content.decode()
    assert "en attente de la réponse du partenaire" in page


def test_the_partner_accepts_and_the_applicant_is_told(
    applicant_client, other_applicant_client, draft, partner, applicant, mailoutbox
):
    name_partner(applicant_client, draft, partner)
    page = other_applicant_client.get(reverse("projects:partnership_list")).content.decode()
    assert draft.title in page and "Accepter" in page
    partnership = Partnership.objects.get(application=draft)
    response = other_applicant_client.post(
        reverse("projects:partnership_accept", args=[partnership.pk]), follow=True
    )
    assert "Votre structure est désormais partenaire de ce dossier." in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.ACCEPTED
    assert partnership.answered_by == Membership.objects.get(organisation=partner).user
    assert any(applicant.email in mail.to and "accepte" in mail.subject for mail in mailoutbox)


def test_the_partner_declines_and_cannot_answer_twice(
    applicant_client, other_applicant_client, draft, partner
):
    name_partner(applicant_client, draft, partner)
    partnership = Partnership.objects.get(application=draft)
    other_applicant_client.post(reverse("projects:partnership_decline", args=[partnership.pk]))
    response = other_applicant_client.post(
        reverse("projects:partnership_accept", args=[partnership.pk]), follow=True
    )
    assert "Cette demande a déjà reçu une réponse." in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.DECLINED
    page = applicant_client.get(draft.get_absolute_url()).content.decode()
    assert "refusé par le partenaire" in page


def test_a_member_who_is_not_administrator_cannot_answer(applicant_client, draft, partner, client):
    from demo.factories.core import MembershipFactory

    member = MembershipFactory(organisation=partner, role=MembershipRole.MEMBER).user
    name_partner(applicant_client, draft, partner)
    partnership = Partnership.objects.get(application=draft)
    client.force_login(member)
    response = client.post(reverse("projects:partnership_accept", args=[partnership.pk]))
    assert response.status_code == 404
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.PENDING


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("applicant", 200), ("other_applicant", 200), ("committee", 200),
     ("staff", 200)],
)  # fmt: skip
def test_partnership_list_per_role(role_clients, role, status, draft, partner):
    draft.partner_organisations.add(partner)
    response = role_clients[role].get(reverse("projects:partnership_list"))
    assert response.status_code == status
    if status == 200:
        shown = draft.title in response.content.decode()
        assert shown == (role == "other_applicant")


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("applicant", 404), ("other_applicant", 302), ("committee", 404),
     ("staff", 404)],
)  # fmt: skip
@pytest.mark.parametrize("name", ["partnership_accept", "partnership_decline"])
def test_partnership_answer_per_role(role_clients, role, status, name, draft, partner):
    draft.partner_organisations.add(partner)
    partnership = Partnership.objects.get(application=draft)
    response = role_clients[role].post(reverse(f"projects:{name}", args=[partnership.pk]))
    assert response.status_code == status
    partnership.refresh_from_db()
    assert (partnership.status == PartnershipStatus.PENDING) == (role != "other_applicant")


def test_staff_see_pending_partners_on_the_file(staff_client, draft, partner):
    draft.partner_organisations.add(partner)
    page = staff_client.get(draft.get_staff_url()).content.decode()
    assert partner.name in page and "en attente de la réponse du partenaire" in page


def test_list_query_count_does_not_grow(other_applicant_client, partner, call):
    from demo.factories.calls import ApplicationFactory

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            other_applicant_client.get(reverse("projects:partnership_list"))
        return len(queries)

    ApplicationFactory(call=call).partner_organisations.add(partner)
    first = count()
    for _ in range(3):
        ApplicationFactory(call=call).partner_organisations.add(partner)
    assert count() == first
