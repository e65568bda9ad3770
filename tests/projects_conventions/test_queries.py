"""The SQL of every list page is pinned and does not grow with the number of rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.factories.conventions import StructuringProjectFactory, make_convention
from ess_metro.directory.models import Commune
from projects.conventions.models import PaymentStatus, ReportStatus

pytestmark = pytest.mark.django_db


def _rows(count, organisation):
    communes = list(Commune.objects.all()[:3])
    for index in range(count):
        project = StructuringProjectFactory(carrier=organisation, whole_metro=False)
        project.communes.set(communes)
        project.partners.add(organisation)
        convention = make_convention(
            beneficiary=organisation,
            amounts={2025: 20000, 2026: 20000},
            structuring_project=project,
            indicators=[{"label": f"Indicateur {index}", "unit": "t"}],
        )
        convention.payments.filter(pk=convention.payments.first().pk).update(
            status=PaymentStatus.PAID, paid_date=datetime.date(2025, 2, 1)
        )
        convention.reports.filter(pk=convention.reports.first().pk).update(
            status=ReportStatus.SUBMITTED
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


PAGES = [
    # + amendments waiting for signature, and the count of each to-do list
    ("staff", "projects:convention_dashboard", 12),
    ("staff", "projects:payment_list", 5),
    ("staff", "projects:structuring_project_list", 7),
    ("anonymous", "projects:public_structuring_projects", 3),
    ("applicant", "projects:space_convention_list", 5),
    # + files to calls and open calls, partnership requests and invitations to answer
    ("applicant", "projects:space_home", 11),
]


@pytest.mark.parametrize(("role", "name", "expected"), PAGES)
def test_list_queries_are_pinned_and_constant(
    role_clients, applicant, django_assert_num_queries, role, name, expected
):
    client = role_clients[role]
    url = reverse(name)
    organisation = applicant.organisations.get()
    _rows(1, organisation)
    with django_assert_num_queries(expected):
        client.get(url)
    _rows(20, organisation)
    assert _count(client, url) == expected


def test_convention_page_queries_do_not_grow_with_years(
    staff_client, applicant, django_assert_num_queries
):
    organisation = applicant.organisations.get()
    small = make_convention(beneficiary=organisation, amounts={2026: 4000})
    large = make_convention(
        beneficiary=organisation, amounts={2023: 30000, 2024: 30000, 2025: 30000, 2026: 30000}
    )
    assert _count(staff_client, small.get_absolute_url()) == _count(
        staff_client, large.get_absolute_url()
    )


def test_convention_pages_are_pinned(
    staff_client, applicant_client, convention, django_assert_num_queries
):
    # + 1 for the amendments of the convention, + 3 for the audit trail (convention, tranches,
    # payments: whatever the number of years)
    with django_assert_num_queries(16):
        staff_client.get(convention.get_absolute_url())
    with django_assert_num_queries(12):
        applicant_client.get(convention.get_space_url())
