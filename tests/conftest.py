import pytest
from django.test import Client
from django.utils import translation

from tests import factories


@pytest.fixture(autouse=True)
def _french(settings):
    """Every test runs in French, as the portal does by default."""
    settings.LANGUAGE_CODE = "fr"
    with translation.override("fr"):
        yield


@pytest.fixture
def staff(db):
    return factories.make_staff(first_name="Claire", last_name="Dupont")


@pytest.fixture
def applicant(db):
    return factories.make_applicant()


@pytest.fixture
def other_applicant(db):
    return factories.make_applicant()


@pytest.fixture
def committee_member(db):
    return factories.make_committee_member()


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def anonymous_client():
    return Client()


@pytest.fixture
def staff_client(staff):
    return _client_for(staff)


@pytest.fixture
def applicant_client(applicant):
    return _client_for(applicant)


@pytest.fixture
def other_applicant_client(other_applicant):
    return _client_for(other_applicant)


@pytest.fixture
def committee_client(committee_member):
    return _client_for(committee_member)


@pytest.fixture
def role_clients(
    anonymous_client, applicant_client, other_applicant_client, committee_client, staff_client
):
    """One client per role, for the per-role access tests every URL gets."""
    return {
        "anonymous": anonymous_client,
        "applicant": applicant_client,
        "other_applicant": other_applicant_client,
        "committee": committee_client,
        "staff": staff_client,
    }


def _flushes_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_collection_modifyitems(items):
    """Tests that flush the database (transactional, browser) run last, as in Django.

    pytest-randomly shuffles the order; this keeps its shuffle within each group.
    """
    result = yield
    items.sort(key=_flushes_database)
    return result
