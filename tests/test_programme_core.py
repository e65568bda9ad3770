from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from programme import totals
from programme.models import AnnualProgramme, Axis, Plan, ProgrammeLine, ProgrammeStatus
from programme.services import programme_record_committee_opinion, programme_transition


@pytest.fixture
def programme(db):
    return AnnualProgramme.objects.create(plan=Plan.objects.current(), year=2026)


def test_workflow_allows_only_listed_transitions(programme, staff):
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        programme_transition(programme=programme, to_status=ProgrammeStatus.ADOPTED, user=staff)
    # Submitting needs a line (the transition's condition, checked by the service too).
    with pytest.raises(ValidationError, match="sans aucune ligne"):
        programme_transition(programme=programme, to_status=ProgrammeStatus.SUBMITTED, user=staff)
    ProgrammeLine.objects.create(
        programme=programme, axis=Axis.objects.get(code="events"), title="Mois de l'ESS"
    )
    programme = programme_transition(
        programme=programme, to_status=ProgrammeStatus.SUBMITTED, user=staff
    )
    programme = programme_record_committee_opinion(programme=programme, user=staff)
    assert programme.status == ProgrammeStatus.COMMITTEE_OPINION


def test_totals_sum_registered_sources_per_line(programme, monkeypatch):
    axis = Axis.objects.get(code="events")
    line = ProgrammeLine.objects.create(programme=programme, axis=axis, title="Mois de l'ESS")
    monkeypatch.setattr(totals, "_sources", {})
    totals.register_source(
        "a", lambda ids: {i: totals.LineAmounts(Decimal("10.00"), Decimal("5.00")) for i in ids}
    )
    totals.register_source("b", lambda ids: {ids[0]: totals.LineAmounts(committed=Decimal("1.50"))})
    assert totals.amounts_by_line([line.pk]) == {
        line.pk: totals.LineAmounts(Decimal("11.50"), Decimal("5.00"))
    }
    assert totals.amounts_by_line([]) == {}
