import datetime

import pytest
from django.urls import reverse

from demo.factories.core import MandateFactory, MembershipFactory, UserFactory, make_staff
from ess_metro.accounts import roles


@pytest.mark.django_db
def test_roles_come_from_relations():
    person = UserFactory()
    assert person.roles == frozenset()
    MembershipFactory(user=person)
    MandateFactory(person=person)
    person = type(person).objects.get(pk=person.pk)  # roles are cached per instance
    assert person.roles == {roles.APPLICANT, roles.COMMITTEE}
    assert make_staff().roles == {roles.STAFF}


@pytest.mark.django_db
def test_ended_or_future_mandate_gives_no_committee_role():
    today = datetime.date.today()
    ended = MandateFactory(end_date=today - datetime.timedelta(days=1)).person
    future = MandateFactory(start_date=today + datetime.timedelta(days=10)).person
    assert roles.COMMITTEE not in ended.roles
    assert roles.COMMITTEE not in future.roles


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
def test_staff_home_per_role(role_clients, role, status):
    response = role_clients[role].get(reverse("staff_home"))
    assert response.status_code == status
    if status == 403:
        assert "Accès refusé" in response.content.decode()


@pytest.mark.django_db
def test_navigation_follows_roles(staff_client, applicant_client):
    assert 'href="/gestion/"' in staff_client.get("/").content.decode()
    assert 'href="/gestion/"' not in applicant_client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end"),
    [(0, None), (0, 0), (-30, -1), (1, None), (-400, 30), (-1, 1)],
)
def test_committee_role_agrees_with_the_active_mandates(start, end):
    """roles_of writes the mandate condition in SQL: it says what Mandate.objects.active says,
    on the first and the last day of a mandate included."""
    from governance.models import Mandate

    today = datetime.date.today()
    mandate = MandateFactory(
        start_date=today + datetime.timedelta(days=start),
        end_date=None if end is None else today + datetime.timedelta(days=end),
    )
    active = Mandate.objects.active(today).filter(pk=mandate.pk).exists()
    assert (roles.COMMITTEE in roles.roles_of(mandate.person)) is active


@pytest.mark.django_db
def test_a_superuser_is_staff_and_keeps_the_roles_of_their_relations():
    person = UserFactory(is_superuser=True)
    MembershipFactory(user=person)
    assert roles.roles_of(person) == {roles.STAFF, roles.APPLICANT}
