"""Forms that choose a programme line offer the lines of the version in force only."""

import re

import pytest
from django.urls import reverse

from demo.factories.programme import LineFactory, ProgrammeFactory
from programme import services
from programme.models import AnnualProgramme, ProgrammeLine, ProgrammeStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_versions(staff):
    """2026 adopted (v1) with a new draft version (v2), and a draft 2027 (v1 only)."""
    adopted = ProgrammeFactory(year=2026, adopted=True)
    LineFactory(programme=adopted, title="Conventions pluriannuelles")
    draft = services.programme_new_version(programme=adopted, user=staff)
    next_year = ProgrammeFactory(year=2027)
    LineFactory(programme=next_year, title="Conventions 2027")
    return adopted, draft, next_year


def test_the_version_in_force_is_the_adopted_one_else_the_latest(two_versions, staff):
    adopted, draft, next_year = two_versions
    assert set(AnnualProgramme.objects.in_force_ids()) == {adopted.pk, next_year.pk}
    lines = ProgrammeLine.objects.in_force()
    assert {line.programme_id for line in lines} == {adopted.pk, next_year.pk}
    # Once the new version is adopted, it is the one in force.
    AnnualProgramme.objects.filter(pk=draft.pk).update(
        status=ProgrammeStatus.ADOPTED,
        deliberation_reference="DEL-2",
        deliberation_date="2026-06-01",
    )
    assert set(AnnualProgramme.objects.in_force_ids()) == {draft.pk, next_year.pk}
    line = ProgrammeLine.objects.filter(programme=draft).select_related("programme").first()
    assert line.choice_label == "2026 v2 — Conventions pluriannuelles"


def test_convention_and_strategy_forms_list_each_line_once(staff_client, two_versions):
    page = staff_client.get(reverse("projects:convention_create")).content.decode()
    selects = len(re.findall(r'<select name="tranches-\d+-programme_line"', page))
    assert selects >= 1
    # Each tranche's list holds the 2026 line once (the version in force), not twice.
    assert page.count(">2026 — Conventions pluriannuelles<") == selects
    assert page.count(">2027 — Conventions 2027<") == selects
    assert "2026 v2" not in page
