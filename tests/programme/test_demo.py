from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from programme.models import (
    AnnualProgramme,
    DevelopmentTool,
    Indicator,
    ProgrammeStatus,
    ToolEndowment,
    ToolSupport,
)
from programme.selectors import build_programme_structure


@pytest.mark.django_db
def test_demo_programmes_and_tools(anonymous_client):
    call_command("seed_demo", stdout=StringIO())
    counts = (
        AnnualProgramme.objects.count(),
        DevelopmentTool.objects.count(),
        ToolSupport.objects.count(),
        ToolEndowment.objects.count(),
        Indicator.objects.count(),
    )
    call_command("seed_demo", stdout=StringIO())
    assert counts == (
        AnnualProgramme.objects.count(),
        DevelopmentTool.objects.count(),
        ToolSupport.objects.count(),
        ToolEndowment.objects.count(),
        Indicator.objects.count(),
    )
    last_year = AnnualProgramme.objects.get(year=2025)
    this_year = AnnualProgramme.objects.get(year=2026)
    assert last_year.status == ProgrammeStatus.EVALUATED
    assert this_year.status == ProgrammeStatus.SUBMITTED  # to the committee, meeting of 10 Dec
    assert last_year.transitions.count() == 6
    assert this_year.transitions.filter(to_status=ProgrammeStatus.SUBMITTED).exists()
    assert not Indicator.objects.filter(line__programme=last_year, actual__isnull=True).exists()
    structure = build_programme_structure(last_year)
    assert structure.totals.planned == Decimal("351000.00")
    assert structure.totals.committed > 0
    assert set(DevelopmentTool.objects.values_list("slug", flat=True)) >= {
        "dla-isere",
        "fonds-gaia",
        "artis-2",
        "la-pousada",
    }
    assert DevelopmentTool.objects.get(slug="dla-isere").operator.acronym == "IAE-DLA"
    for url in (
        reverse("programme:programme_detail", args=[2025]),
        reverse("programme:programme_evaluation", args=[2025]),
        reverse("programme:tool_detail", args=["la-pousada"]),
    ):
        assert anonymous_client.get(url).status_code == 200
    assert (
        anonymous_client.get(reverse("programme:programme_detail", args=[2026])).status_code == 404
    )
