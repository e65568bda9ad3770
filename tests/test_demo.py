from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.http import HttpRequest

from demo.core import DEMO_PASSWORD
from ess_metro.accounts import roles
from ess_metro.accounts.models import User
from ess_metro.directory.models import Organisation


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_accounts():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    counts = (User.objects.count(), Organisation.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (User.objects.count(), Organisation.objects.count()) == counts
    assert "chargee@essmetro.example" in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()


@pytest.mark.django_db
def test_demo_accounts_hold_each_role(client):
    call_command("seed_demo", stdout=StringIO())
    expected = {
        "chargee@essmetro.example": {roles.STAFF},
        "comite@essmetro.example": {roles.COMMITTEE},
        "porteur@essmetro.example": {roles.APPLICANT},
        "coop@essmetro.example": {roles.COMMITTEE, roles.APPLICANT},
    }
    for email, expected_roles in expected.items():
        user = User.objects.get(email=email)
        assert expected_roles <= user.roles, email
        request = HttpRequest()  # django-axes throttles logins by address: it needs a request
        assert client.login(request=request, username=email, password=DEMO_PASSWORD)
        client.logout()


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_a_second_seed_creates_nothing_and_says_the_same():
    first = StringIO()
    call_command("seed_demo", stdout=first)
    counts = _row_counts()
    second = StringIO()
    call_command("seed_demo", stdout=second)
    after = _row_counts()
    assert {label: (n, after[label]) for label, n in counts.items() if after[label] != n} == {}
    assert second.getvalue() == first.getvalue()
    assert "admin@essmetro.example" in first.getvalue()
    assert first.getvalue().count("Essmetro-demo-2026") == 7
