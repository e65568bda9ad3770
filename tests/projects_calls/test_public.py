import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from demo.factories.calls import CallFactory
from projects.models import CallStatus

ROLES = ["anonymous", "applicant", "other_applicant", "committee", "staff"]


@pytest.mark.parametrize("role", ROLES)
def test_call_list_is_public(role_clients, role, call):
    response = role_clients[role].get(reverse("projects:call_list"))
    assert response.status_code == 200
    assert call.title in response.content.decode()


def test_call_list_sorts_open_upcoming_closed(client, db):
    now = timezone.now()
    open_call = CallFactory(title="Appel ouvert")
    CallFactory(title="Appel à venir", opens_at=now + datetime.timedelta(days=3))
    CallFactory(title="Appel clos", closes_at=now - datetime.timedelta(days=1))
    CallFactory(title="Appel brouillon", draft=True)
    content = client.get(reverse("projects:call_list")).content.decode()
    assert content.index("Appels ouverts") < content.index(open_call.title)
    assert content.index("Appels à venir") < content.index("Appel à venir")
    assert content.index("Appels clôturés") < content.index("Appel clos")
    assert "Appel brouillon" not in content


def test_call_list_query_count_does_not_grow(client, db, django_assert_num_queries):
    CallFactory()
    with django_assert_num_queries(3) as one:
        client.get(reverse("projects:call_list"))
    CallFactory.create_batch(20)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("projects:call_list"))


@pytest.mark.parametrize("role", ROLES)
def test_call_detail_shows_rules_and_apply_button_while_open(role_clients, role, call):
    response = role_clients[role].get(call.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "Déposer un projet" in content
    assert "15\u00a0000,00\u00a0€" in content
    assert "Statuts" in content and "Utilité sociale" in content
    assert "au moins 2 communes" in content


def test_closed_call_has_no_apply_button(client, db):
    call = CallFactory(status=CallStatus.CLOSED)
    content = client.get(call.get_absolute_url()).content.decode()
    assert "Déposer un projet" not in content
    assert "Les dépôts ne sont pas ouverts." in content


def test_draft_call_is_hidden_from_public_but_not_staff(client, staff_client, db):
    call = CallFactory(draft=True)
    assert client.get(call.get_absolute_url()).status_code == 404
    assert staff_client.get(call.get_absolute_url()).status_code == 200
