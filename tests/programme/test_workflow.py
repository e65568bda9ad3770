"""The annual programme's workflow through the HTTP layer: allowed and refused transitions."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from demo.factories.programme import IndicatorFactory, LineFactory, ProgrammeFactory, axis
from programme import services
from programme.models import AnnualProgramme, Indicator, ProgrammeStatus, ProgrammeTransition

from .conftest import plain


def _transition(client, programme, to_status, **data):
    return client.post(
        reverse("programme:staff_programme_transition", args=[programme.pk]),
        {"to_status": to_status, **data},
    )


def test_full_workflow_is_logged_with_who_when_from_to(staff_client, staff, draft):
    LineFactory(programme=draft)
    steps = [
        ("submitted", {"comment": "Pour la séance du 4 décembre"}),
        ("committee_opinion", {"comment": "Avis favorable"}),
        ("adopted", {"deliberation_reference": "DEL-2025-0142", "deliberation_date": "2025-12-18"}),
        ("published", {}),
        ("evaluated", {}),
    ]
    for to_status, data in steps:
        if to_status == "evaluated":
            draft.evaluation_summary = "Objectifs atteints."
            draft.save(update_fields=["evaluation_summary"])
        response = _transition(staff_client, draft, to_status, **data)
        assert response.status_code == 302, to_status
        draft.refresh_from_db()
        assert draft.status == to_status
    assert draft.deliberation_reference == "DEL-2025-0142"
    assert draft.deliberation_date == datetime.date(2025, 12, 18)
    assert draft.published_on is not None
    log = list(draft.transitions.values_list("from_status", "to_status", "user", "comment"))
    assert log[0] == ("draft", "submitted", staff.pk, "Pour la séance du 4 décembre")
    assert [row[1] for row in log] == [step for step, _data in steps]
    assert all(row[2] == staff.pk for row in log)


@pytest.mark.parametrize(
    ("status", "to_status"),
    [
        ("draft", "adopted"),
        ("draft", "published"),
        ("submitted", "published"),
        ("committee_opinion", "draft"),
        ("adopted", "draft"),
        ("published", "adopted"),
        ("evaluated", "published"),
    ],
)
def test_transitions_outside_the_workflow_are_refused(staff_client, status, to_status):
    programme = ProgrammeFactory(
        year=2026,
        status=status,
        deliberation_reference="DEL-1",
        deliberation_date=datetime.date(2025, 12, 1),
    )
    LineFactory(programme=programme)
    response = _transition(
        staff_client,
        programme,
        to_status,
        deliberation_reference="DEL-2",
        deliberation_date="2025-12-18",
    )
    assert response.status_code == 400
    assert "ne peut pas passer" in plain(response.content.decode())
    programme.refresh_from_db()
    assert programme.status == status
    assert not programme.transitions.exists()


def test_adoption_requires_the_council_deliberation(staff_client):
    programme = ProgrammeFactory(year=2026, status=ProgrammeStatus.COMMITTEE_OPINION)
    response = _transition(staff_client, programme, "adopted", comment="Vote du conseil")
    content = plain(response.content.decode())
    assert response.status_code == 400
    assert "Indiquez la référence de la délibération du conseil qui l’a adopté." in content
    assert "Indiquez la date de la délibération du conseil." in content
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.COMMITTEE_OPINION


def test_adoption_refuses_a_deliberation_in_the_future(staff_client):
    programme = ProgrammeFactory(year=2026, status=ProgrammeStatus.COMMITTEE_OPINION)
    response = _transition(
        staff_client,
        programme,
        "adopted",
        deliberation_reference="DEL-2099-1",
        deliberation_date="2099-01-01",
        comment="texte gardé",
    )
    assert response.status_code == 400
    content = plain(response.content.decode())
    assert "La date de la délibération ne peut pas être dans le futur." in content
    assert 'value="DEL-2099-1"' in content


def test_an_empty_programme_cannot_be_submitted(staff_client, draft):
    response = _transition(staff_client, draft, "submitted")
    assert response.status_code == 400
    assert "Un programme sans aucune ligne ne peut pas être soumis." in plain(
        response.content.decode()
    )


def test_service_refuses_non_staff(applicant, committee_member, draft):
    for user in (applicant, committee_member):
        with pytest.raises(PermissionDenied):
            services.programme_create(year=2031, user=user)


def test_committee_opinion_from_governance_moves_and_logs(staff, submitted):
    services.programme_record_committee_opinion(
        programme=submitted, user=staff, comment="Avis favorable à l'unanimité"
    )
    submitted.refresh_from_db()
    assert submitted.status == ProgrammeStatus.COMMITTEE_OPINION
    step = submitted.transitions.get()
    assert (step.from_status, step.to_status, step.comment) == (
        "submitted",
        "committee_opinion",
        "Avis favorable à l'unanimité",
    )


# --- Editing: only staff, only drafts ------------------------------------------------------


def test_staff_adds_a_line_to_a_draft(staff_client, draft):
    response = staff_client.post(
        reverse("programme:staff_line_create", args=[draft.pk]),
        {
            "axis": axis("financing").pk,
            "title": "Dotation au fonds GAIA",
            "planned_amount": "60000.50",
            "position": 1,
        },
    )
    assert response.status_code == 302
    line = draft.lines.get()
    assert line.planned_amount == Decimal("60000.50")


def test_bad_line_input_keeps_what_was_typed(staff_client, draft):
    response = staff_client.post(
        reverse("programme:staff_line_create", args=[draft.pk]),
        {"axis": axis("financing").pk, "title": "Dotation GAIA", "planned_amount": "-5"},
    )
    assert response.status_code == 400
    content = plain(response.content.decode())
    assert "Assurez-vous que cette valeur est supérieure ou égale à 0." in content
    assert 'value="Dotation GAIA"' in content
    assert not draft.lines.exists()


@pytest.mark.parametrize("status", ["adopted", "published", "evaluated"])
def test_adopted_programme_is_frozen(staff_client, staff, status):
    programme = ProgrammeFactory(
        year=2026,
        status=status,
        deliberation_reference="DEL-1",
        deliberation_date=datetime.date(2025, 12, 1),
    )
    line = LineFactory(programme=programme, planned_amount=Decimal("100.00"))
    update = staff_client.post(
        reverse("programme:staff_line_update", args=[line.pk]),
        {"axis": line.axis_id, "title": "Changé", "planned_amount": "999", "position": 0},
    )
    assert update.status_code == 302
    create = staff_client.post(
        reverse("programme:staff_line_create", args=[programme.pk]),
        {"axis": line.axis_id, "title": "Nouvelle", "planned_amount": "1", "position": 0},
    )
    delete = staff_client.post(reverse("programme:staff_line_delete", args=[line.pk]))
    edit = staff_client.post(
        reverse("programme:staff_programme_update", args=[programme.pk]), {"title": "Autre"}
    )
    for response in (create, delete, edit):
        assert response.status_code == 302
    line.refresh_from_db()
    programme.refresh_from_db()
    assert line.title != "Changé"
    assert line.planned_amount == Decimal("100.00")
    assert programme.lines.count() == 1
    assert programme.title != "Autre"
    page = staff_client.get(programme.get_staff_url(), follow=True)
    assert "créez une nouvelle version" in plain(page.content.decode())
    with pytest.raises(ValidationError, match="nouvelle version"):
        services.line_delete(line=line, user=staff)


def test_new_version_copies_lines_and_keeps_the_adopted_one(staff_client, staff):
    adopted = ProgrammeFactory(year=2026, published=True)
    line = LineFactory(programme=adopted, planned_amount=Decimal("1000.00"))
    IndicatorFactory(line=line, actual=Decimal("3"))
    response = staff_client.post(
        reverse("programme:staff_programme_new_version", args=[adopted.pk]),
        {"comment": "Décision modificative"},
    )
    new = AnnualProgramme.objects.get(year=2026, version=2)
    assert response["Location"] == new.get_staff_url()
    assert new.status == ProgrammeStatus.DRAFT
    assert new.previous_version == adopted
    copy = new.lines.get()
    assert (copy.title, copy.planned_amount, copy.origin_id) == (
        line.title,
        Decimal("1000.00"),
        line.pk,
    )
    assert Indicator.objects.filter(line=copy).count() == 1
    assert new.transitions.get().comment == "Décision modificative"
    # The adopted version stays as it was, readable by the public, and is the default.
    adopted.refresh_from_db()
    assert adopted.status == ProgrammeStatus.PUBLISHED
    assert adopted.lines.get() == line
    public = staff_client.get(reverse("programme:programme_detail", args=[2026]))
    assert public.context["programme"] == adopted
    v2 = staff_client.get(reverse("programme:programme_detail", args=[2026]) + "?version=2")
    assert v2.context["programme"] == new
    # What is linked to the adopted line counts for its new version too.
    from demo.factories.programme import EndowmentFactory, ToolFactory
    from programme.selectors import build_programme_structure

    EndowmentFactory(
        tool=ToolFactory(kind=line.axis.code), line=line, year=2026, amount=Decimal("400.00")
    )
    assert build_programme_structure(new).totals.committed == Decimal("400.00")
    assert build_programme_structure(adopted).totals.committed == Decimal("400.00")
    # Only one newer version at a time, and never of a draft.
    again = staff_client.post(
        reverse("programme:staff_programme_new_version", args=[adopted.pk]), follow=True
    )
    assert "Une version plus récente de ce programme existe déjà." in plain(again.content.decode())
    with pytest.raises(ValidationError):
        services.programme_new_version(programme=new, user=staff)


def test_public_cannot_request_a_draft_version(db, anonymous_client):
    adopted = ProgrammeFactory(year=2026, published=True)
    ProgrammeFactory(year=2026, version=2)
    url = reverse("programme:programme_detail", args=[2026])
    assert anonymous_client.get(url).context["programme"] == adopted
    assert anonymous_client.get(url + "?version=2").status_code == 404
    assert anonymous_client.get(url + "?version=abc").status_code == 200


def test_copy_last_year_as_a_starting_point(staff_client):
    last = ProgrammeFactory(year=2025, published=True, title="Programmation annuelle ESS 2025")
    line = LineFactory(programme=last, planned_amount=Decimal("1234.56"), title="DLA")
    IndicatorFactory(line=line, target=Decimal("12"), actual=Decimal("14"), comment="Bien")
    response = staff_client.post(reverse("programme:staff_programme_copy"), {"copy-year": 2026})
    programme = AnnualProgramme.objects.get(year=2026)
    assert response["Location"] == programme.get_staff_url()
    assert programme.title == "Programmation annuelle ESS 2026"
    assert programme.status == ProgrammeStatus.DRAFT
    copy = programme.lines.get()
    assert (copy.title, copy.planned_amount, copy.origin_id) == ("DLA", Decimal("1234.56"), None)
    indicator = Indicator.objects.get(line=copy)
    assert (indicator.target, indicator.actual, indicator.comment) == (Decimal("12"), None, "")
    assert ProgrammeTransition.objects.filter(programme=programme).count() == 1


def test_copy_refused_when_the_year_exists_or_nothing_to_copy(staff_client, draft):
    exists = staff_client.post(reverse("programme:staff_programme_copy"), {"copy-year": 2026})
    assert exists.status_code == 400
    assert "Un programme existe déjà pour 2026" in plain(exists.content.decode())
    nothing = staff_client.post(reverse("programme:staff_programme_copy"), {"copy-year": 2040})
    assert nothing.status_code == 400
    assert "Il n’y a pas de programme 2039 à copier." in plain(nothing.content.decode())


def test_create_an_empty_programme(staff_client):
    response = staff_client.post(
        reverse("programme:staff_programme_create"),
        {"new-year": 2030, "new-title": "Programme 2030"},
    )
    programme = AnnualProgramme.objects.get(year=2030)
    assert response["Location"] == programme.get_staff_url()
    bad = staff_client.post(reverse("programme:staff_programme_create"), {"new-year": "1800"})
    assert bad.status_code == 400
    assert "Assurez-vous que cette valeur est supérieure ou égale à 2009." in plain(
        bad.content.decode()
    )


# --- Indicators ---------------------------------------------------------------------------


def test_indicators_targets_in_draft_results_once_published(staff_client, staff):
    programme = ProgrammeFactory(year=2026)
    line = LineFactory(programme=programme)
    url = reverse("programme:staff_line_indicators", args=[line.pk])
    form_page = staff_client.get(url).content.decode()
    assert "Ordre" in form_page and "Fonction" not in form_page
    response = staff_client.post(
        url, {"label": "Emplois créés", "unit": "emplois", "target": "12", "position": 0}
    )
    assert response.status_code == 302
    indicator = line.indicators.get()
    htmx = staff_client.post(
        url,
        {"label": "Structures", "unit": "structures", "target": "5", "position": 1},
        headers={"HX-Request": "true"},
    )
    assert htmx.status_code == 200
    assert b"<html" not in htmx.content
    assert line.indicators.count() == 2
    htmx_error = staff_client.post(
        url, {"label": "", "unit": "u", "target": "x"}, headers={"HX-Request": "true"}
    )
    assert htmx_error.status_code == 200
    assert "Ce champ est obligatoire." in htmx_error.content.decode()
    assert b"<html" not in htmx_error.content
    # Once published: the result form, and no new indicator.
    AnnualProgramme.objects.filter(pk=programme.pk).update(
        status=ProgrammeStatus.PUBLISHED,
        deliberation_reference="DEL",
        deliberation_date=datetime.date(2025, 12, 1),
    )
    refused = staff_client.post(url, {"label": "X", "unit": "u", "target": "1", "position": 2})
    assert refused.status_code == 400
    assert line.indicators.count() == 2
    update_url = reverse("programme:staff_indicator_update", args=[indicator.pk])
    missing = staff_client.post(update_url, {"actual": "", "comment": "rien"})
    assert missing.status_code == 400
    assert "Indiquez la valeur atteinte." in plain(missing.content.decode())
    saved = staff_client.post(update_url, {"actual": "14", "comment": "Au-delà de l'objectif"})
    assert saved.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.actual, indicator.target) == (Decimal("14"), Decimal("12"))
    assert indicator.achievement_rate == Decimal("117")


def test_evaluated_needs_conclusions_and_results_with_a_confirmation(staff_client, published):

    line = LineFactory(programme=published)
    indicator = Indicator.objects.create(line=line, label="Emplois", unit="emplois", target=120)
    page = staff_client.get(published.get_staff_url()).content.decode()
    assert 'data-confirm="Passer la programmation à « Évaluée » ?' in page
    response = _transition(staff_client, published, "evaluated")
    content = staff_client.get(published.get_staff_url()).content.decode()
    published.refresh_from_db()
    assert published.status == "published"
    assert response.status_code in (302, 400)
    published.evaluation_summary = "Objectifs atteints."
    published.save(update_fields=["evaluation_summary"])
    response = _transition(staff_client, published, "evaluated")
    published.refresh_from_db()
    assert published.status == "published"  # an indicator still lacks its result
    indicator.actual = 118
    indicator.save()
    response = _transition(staff_client, published, "evaluated")
    published.refresh_from_db()
    assert published.status == "evaluated"
    # The evaluation page now says why it cannot be changed.
    response = staff_client.get(
        reverse("programme:staff_programme_evaluation", args=[published.pk]), follow=True
    )
    assert "Cette programmation est évaluée" in response.content.decode()
    assert "n&#x27;est rédigée qu&#x27;une fois" not in content


def test_evaluated_refusals_say_what_is_missing(published):
    from ess_metro import workflow as kernel_workflow

    line = LineFactory(programme=published)
    Indicator.objects.create(line=line, label="Emplois", unit="emplois", target=120)
    with pytest.raises(ValidationError) as error:
        kernel_workflow.fire(published, "evaluate")
    assert "Rédigez les conclusions" in " ".join(error.value.messages)
    published.evaluation_summary = "Objectifs atteints."
    with pytest.raises(ValidationError) as error:
        kernel_workflow.fire(published, "evaluate")
    assert "valeur atteinte de chaque indicateur" in " ".join(error.value.messages)


def test_evaluation_summary_written_once_published(staff_client, published, draft):
    url = reverse("programme:staff_programme_evaluation", args=[published.pk])
    response = staff_client.post(url, {"evaluation_summary": "Bon niveau d'engagement."})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.evaluation_summary == "Bon niveau d'engagement."
    refused = staff_client.get(
        reverse("programme:staff_programme_evaluation", args=[draft.pk]), follow=True
    )
    assert "L’évaluation est rédigée une fois le programme publié." in plain(
        refused.content.decode()
    )
