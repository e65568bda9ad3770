import pytest

from demo.factories.calls import ApplicationFactory, CallFactory
from ess_metro.directory.models import Membership


@pytest.fixture
def call(db):
    return CallFactory()


@pytest.fixture
def organisation(applicant):
    return Membership.objects.get(user=applicant).organisation


@pytest.fixture
def draft(call, applicant, organisation):
    """A complete draft of the applicant's organisation, ready to submit."""
    return ApplicationFactory(
        call=call, organisation=organisation, created_by=applicant, complete=True
    )
