"""De minimis: development-tool support counts, and SIEG grants use the 750,000 € ceiling."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from demo.factories.conventions import make_convention
from demo.factories.core import OrganisationFactory
from demo.factories.programme import SupportFactory
from projects.conventions import rules, selectors
from projects.conventions.models import ConventionStatus

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 11, 29)


@pytest.fixture
def company():
    company = OrganisationFactory(cooperative=True)
    make_convention(
        beneficiary=company, amounts={2025: 200000}, signed_on=datetime.date(2025, 2, 1)
    )
    SupportFactory(organisation=company, date=datetime.date(2025, 6, 1), amount=Decimal(60000))
    SupportFactory(organisation=company, date=datetime.date(2026, 3, 1), amount=Decimal(25000))
    # Older than three years, or another organisation's: not counted.
    SupportFactory(organisation=company, date=datetime.date(2023, 11, 29), amount=Decimal(90000))
    SupportFactory(date=datetime.date(2026, 3, 1), amount=Decimal(500000))
    return company


def test_breakdown_counts_conventions_and_tools(company):
    breakdown = selectors.de_minimis_breakdown(company, on=ON)
    assert breakdown.conventions == Decimal("200000.00")
    assert breakdown.tools == Decimal("85000.00")
    assert breakdown.total == Decimal("285000.00")
    assert selectors.de_minimis_received(company, on=ON) == Decimal("285000.00")


def test_warning_shows_the_breakdown(company):
    assert selectors.de_minimis_warning(company, Decimal("15000"), on=ON) == ""
    warning = selectors.de_minimis_warning(company, Decimal("15000.01"), on=ON)
    assert warning == (
        f"De minimis : {company.name} a reçu 285\u00a0000,00\u00a0€ de la Métropole sur les 3 "
        "dernières années (conventions : 200\u00a0000,00\u00a0€ ; outils de développement : "
        "85\u00a0000,00\u00a0€) ; avec 15\u00a0000,01\u00a0€ de plus, le plafond de "
        "300\u00a0000\u00a0€ serait dépassé."
    )


def test_sieg_ceiling_is_750000(company):
    assert rules.de_minimis_ceiling(sieg=True) == Decimal("750000.00")
    assert selectors.de_minimis_warning(company, Decimal("465000"), on=ON, sieg=True) == ""
    warning = selectors.de_minimis_warning(company, Decimal("465000.01"), on=ON, sieg=True)
    assert "le plafond de 750\u00a0000\u00a0€ (service d'intérêt économique général) serait" in (
        warning
    )


def test_convention_page_uses_the_sieg_ceiling(staff_client, company, staff):
    convention = make_convention(
        beneficiary=company,
        amounts={2026: 100000},
        status=ConventionStatus.DRAFT,
        user=staff,
    )
    page = staff_client.get(convention.get_absolute_url()).content.decode()
    assert "le plafond de 300\u00a0000\u00a0€ serait dépassé" in page
    assert "outils de développement : 85\u00a0000,00\u00a0€" in page
    convention.sieg = True
    convention.save()
    page = staff_client.get(convention.get_absolute_url()).content.decode()
    assert "De minimis" not in page
    assert "Oui (plafond de minimis 750\u00a0000\u00a0€)" in page


def test_check_fragment_shows_breakdown_and_sieg_ceiling(staff_client, company):
    url = reverse("projects:de_minimis_check")
    content = staff_client.get(url, {"beneficiary": company.pk, "amount_granted": "1000"})
    content = content.content.decode()
    assert (
        "conventions : 200\u00a0000,00\u00a0€ ; outils de développement : 85\u00a0000,00\u00a0€"
        in (content)
    )
    assert "plafond 300\u00a0000\u00a0€" in content
    response = staff_client.get(url, {"beneficiary": company.pk, "amount_granted": "100000"})
    assert "serait dépassé" in response.content.decode()
    response = staff_client.get(
        url, {"beneficiary": company.pk, "amount_granted": "100000", "sieg": "on"}
    )
    assert "serait dépassé" not in response.content.decode()
    assert "plafond 750\u00a0000\u00a0€" in response.content.decode()


def test_convention_form_records_sieg(staff_client):
    from .test_views import convention_data

    company = OrganisationFactory(cooperative=True)
    data = convention_data(company, sieg="on")
    response = staff_client.post(reverse("projects:convention_create"), data)
    assert response.status_code == 302
    convention = company.conventions.get()
    assert convention.sieg is True
    form = staff_client.get(reverse("projects:convention_create")).content.decode()
    assert 'name="sieg"' in form
    assert "[name=sieg]" in form
