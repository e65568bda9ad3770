"""The annual programme's workflow as declared on the model; history, badge and audit trail."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from demo.factories.programme import (
    EndowmentFactory,
    LineFactory,
    ProgrammeFactory,
    SupportFactory,
    ToolFactory,
    axis,
)
from ess_metro import workflow
from ess_metro.workflow import StatusChangedOutsideWorkflow
from programme import services
from programme.models import AnnualProgramme, ProgrammeStatus
from programme.selectors import workflow_steps

from .conftest import plain

S = ProgrammeStatus


def test_the_workflow_is_declared_once_on_the_model():
    steps = {
        (step.source, step.target): step.name
        for step in AnnualProgramme._meta.get_field("status").get_all_transitions(AnnualProgramme)
    }
    assert steps == {
        (S.DRAFT, S.SUBMITTED): "submit",
        (S.SUBMITTED, S.DRAFT): "return_to_draft",
        (S.SUBMITTED, S.COMMITTEE_OPINION): "record_opinion",
        (S.COMMITTEE_OPINION, S.ADOPTED): "adopt",
        (S.ADOPTED, S.PUBLISHED): "publish",
        (S.PUBLISHED, S.EVALUATED): "evaluate",
    }


def test_a_status_saved_outside_a_transition_is_refused(db):
    programme = ProgrammeFactory(year=2026)
    programme.status = S.SUBMITTED
    with pytest.raises(StatusChangedOutsideWorkflow):
        programme.save()


def test_only_staff_may_move_a_programme(applicant, committee_member, staff, submitted):
    for user in (applicant, committee_member):
        with pytest.raises(PermissionDenied):
            services.programme_transition(
                programme=submitted, to_status=S.COMMITTEE_OPINION, user=user
            )
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    assert not submitted.transitions.exists()
    services.programme_transition(programme=submitted, to_status=S.DRAFT, user=staff)
    submitted.refresh_from_db()
    assert submitted.status == S.DRAFT


@pytest.mark.parametrize(
    ("reference", "date"),
    [("", datetime.date(2025, 12, 18)), ("  ", datetime.date(2025, 12, 18)), ("DEL-1", None)],
)
def test_adoption_needs_the_deliberation_reference_and_date(staff, reference, date):
    programme = ProgrammeFactory(year=2026, status=S.COMMITTEE_OPINION)
    with pytest.raises(ValidationError, match="la référence et la date de la délibération"):
        services.programme_transition(
            programme=programme,
            to_status=S.ADOPTED,
            user=staff,
            deliberation_reference=reference,
            deliberation_date=date,
        )
    programme.refresh_from_db()
    assert (programme.status, programme.deliberation_reference) == (S.COMMITTEE_OPINION, "")


def test_adoption_then_publication_record_the_deliberation_and_the_day(staff):
    programme = ProgrammeFactory(year=2026, status=S.COMMITTEE_OPINION)
    services.programme_transition(
        programme=programme,
        to_status=S.ADOPTED,
        user=staff,
        comment="Vote du conseil",
        deliberation_reference=" DEL-2025-0142 ",
        deliberation_date=datetime.date(2025, 12, 18),
    )
    published = services.programme_transition(
        programme=programme, to_status=S.PUBLISHED, user=staff
    )
    published.refresh_from_db()
    assert published.status == S.PUBLISHED
    assert published.deliberation_reference == "DEL-2025-0142"
    assert published.deliberation_date == datetime.date(2025, 12, 18)
    assert published.published_on is not None
    log = list(published.transitions.values_list("from_status", "to_status", "comment"))
    assert log == [
        (S.COMMITTEE_OPINION, S.ADOPTED, "Vote du conseil"),
        (S.ADOPTED, S.PUBLISHED, ""),
    ]


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        (S.DRAFT, [S.SUBMITTED]),
        (S.SUBMITTED, [S.DRAFT, S.COMMITTEE_OPINION]),
        (S.COMMITTEE_OPINION, [S.ADOPTED]),
        (S.ADOPTED, [S.PUBLISHED]),
        (S.PUBLISHED, [S.EVALUATED]),
        (S.EVALUATED, []),
    ],
)
def test_the_staff_page_offers_the_steps_the_model_declares(
    staff, staff_client, committee_member, status, offered
):
    programme = ProgrammeFactory(
        year=2026,
        status=status,
        deliberation_reference="DEL-1",
        deliberation_date=datetime.date(2025, 12, 1),
    )
    assert workflow_steps(programme, staff) == offered
    assert workflow_steps(programme, committee_member) == []
    response = staff_client.get(programme.get_staff_url())
    assert response.context["next_statuses"] == offered
    assert response.context["needs_deliberation"] == (S.ADOPTED in offered)
    if not offered:
        assert "Le circuit de ce programme est terminé." in plain(response.content.decode())


def test_badge_and_history_from_the_shared_components(staff, staff_client, anonymous_client):
    programme = ProgrammeFactory(year=2025, status=S.ADOPTED, adopted=True)
    LineFactory(programme=programme)
    services.programme_transition(
        programme=programme, to_status=S.PUBLISHED, user=staff, comment="Mise en ligne"
    )
    public = anonymous_client.get(reverse("programme:programme_detail", args=[2025]))
    html = public.content.decode()
    assert '<span class="badge text-bg-success">Publiée</span>' in html
    assert "Mise en ligne" in html
    assert "Claire Dupont" not in html  # who moved it: staff only
    staff_page = staff_client.get(programme.get_staff_url()).content.decode()
    assert "Claire Dupont" in staff_page
    assert "Mise en ligne" in staff_page
    draft = ProgrammeFactory(year=2026)
    listing = staff_client.get(reverse("programme:staff_programme_list")).content.decode()
    assert f'<span class="badge text-bg-warning">{draft.get_status_display()}</span>' in listing
    assert draft.status_style == "warning"


def test_workflow_fire_logs_without_a_user_for_the_portal_steps(db):
    programme = ProgrammeFactory(year=2025, published=True, evaluation_summary="Bilan.")
    workflow.fire(programme, "evaluate")
    step = programme.transitions.get()
    assert (step.from_status, step.to_status, step.user) == (S.PUBLISHED, S.EVALUATED, None)


# --- The audit trail of amounts, on the staff pages ----------------------------------------


def test_changes_of_a_line_amount_are_shown_to_staff(staff_client, anonymous_client, draft):
    line = LineFactory(programme=draft, title="Mois de l'ESS", planned_amount=Decimal("1000.00"))
    response = staff_client.post(
        reverse("programme:staff_line_update", args=[line.pk]),
        {"axis": line.axis_id, "title": line.title, "planned_amount": "1250.50", "position": 0},
    )
    assert response.status_code == 302
    page = plain(staff_client.get(draft.get_staff_url()).content.decode())
    assert "Modifications des champs sensibles" in page
    assert "1 000,00 €" in page and "1 250,50 €" in page
    entries = staff_client.get(draft.get_staff_url()).context["audit_entries"]
    assert (plain(entries[0].before), plain(entries[0].after)) == ("1 000,00 €", "1 250,50 €")
    assert entries[0].user is not None
    assert entries[0].field.startswith("Mois de l'ESS — ")


def test_changes_of_endowment_and_support_amounts_are_shown_on_the_tool(staff_client, db):
    tool = ToolFactory(kind="support")
    line = LineFactory(programme=ProgrammeFactory(year=2026), axis=axis("support"))
    endowment = EndowmentFactory(tool=tool, line=line, year=2026, amount=Decimal("500.00"))
    support = SupportFactory(tool=tool, amount=Decimal("2500.00"))
    staff_client.post(
        reverse("programme:staff_endowment_update", args=[endowment.pk]),
        {"year": 2026, "line": line.pk, "amount": "750.00", "paid_amount": "100.00"},
    )
    staff_client.post(
        reverse("programme:staff_support_update", args=[support.pk]),
        {
            "organisation": support.organisation_id,
            "date": "2026-03-01",
            "kind_of_support": "Diagnostic",
            "amount": "3000.00",
            "jobs_concerned": 4,
        },
    )
    response = staff_client.get(tool.get_staff_url())
    changes = {
        (e.field, plain(e.before), plain(e.after)) for e in response.context["audit_entries"]
    }
    assert ("2026 — montant engagé (€)", "500,00 €", "750,00 €") in changes
    assert ("2026 — montant payé (€)", "0,00 €", "100,00 €") in changes
    assert (
        f"{support.organisation.name} — montant (€)",
        "2 500,00 €",
        "3 000,00 €",
    ) in changes
    assert "Modifications des champs sensibles" in plain(response.content.decode())
