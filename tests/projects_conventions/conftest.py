import pytest

from demo.factories.conventions import make_convention
from projects.conventions.models import ConventionStatus


@pytest.fixture
def applicant_organisation(applicant):
    return applicant.organisations.get()


@pytest.fixture
def convention(applicant_organisation, staff):
    """A running 3-year convention of 60,000 € for the applicant's organisation."""
    return make_convention(
        beneficiary=applicant_organisation,
        amounts={2024: 20000, 2025: 20000, 2026: 20000},
        status=ConventionStatus.RUNNING,
        user=staff,
        indicators=[{"label": "Tonnes détournées", "unit": "t", "target": 100}],
    )
