"""Registered partner organisations of a file: chosen in the draft, shown, exported."""

import io
from html import escape

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from demo.factories.calls import application_in
from demo.factories.core import OrganisationFactory
from projects.models import ApplicationStatus

from .test_applicant import form_data

S = ApplicationStatus
PARTNER = "Maison des Jeux de Grenoble"


@pytest.fixture
def partner(db):
    return OrganisationFactory(name=PARTNER)


def edit(client, application, **changes):
    return client.post(
        reverse("projects:application_edit", args=[application.pk]),
        form_data(application, **changes),
    )


def test_edit_page_offers_registered_organisations_in_a_labelled_select(
    applicant_client, draft, partner
):
    page = applicant_client.get(
        reverse("projects:application_edit", args=[draft.pk])
    ).content.decode()
    assert '<select name="partner_organisations"' in page
    assert 'for="id_partner_organisations"' in page
    assert "Structures partenaires" in page
    assert escape(PARTNER) in page


def test_partners_are_saved_with_the_draft_next_to_the_free_text(applicant_client, draft, partner):
    response = edit(
        applicant_client,
        draft,
        partner_organisations=[str(partner.pk)],
        partners="Lycée Mounier — accueil des ateliers",
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert list(draft.partner_organisations.all()) == [partner]
    assert draft.partners == "Lycée Mounier — accueil des ateliers"


def test_autosave_keeps_the_partners(applicant_client, draft, partner):
    response = applicant_client.post(
        reverse("projects:application_edit", args=[draft.pk]),
        form_data(draft, partner_organisations=[str(partner.pk)]),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert list(draft.partner_organisations.all()) == [partner]


def test_lead_organisation_cannot_be_its_own_partner(applicant_client, draft, partner):
    draft.partner_organisations.add(partner)
    response = edit(
        applicant_client,
        draft,
        partner_organisations=[str(draft.organisation_id), str(partner.pk)],
        summary="Résumé modifié",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert escape("La structure cheffe de file ne peut pas être sa propre partenaire.") in content
    draft.refresh_from_db()
    assert draft.summary == "Résumé modifié"  # the rest of the draft is saved
    assert list(draft.partner_organisations.all()) == [partner]  # previous partners kept


def test_other_applicant_cannot_set_partners_on_another_file(
    other_applicant_client, draft, partner
):
    response = edit(other_applicant_client, draft, partner_organisations=[str(partner.pk)])
    assert response.status_code == 404
    assert not draft.partner_organisations.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("applicant", 200),
        ("other_applicant", 404),
        ("committee", 404),
        ("staff", 200),
    ],
)
def test_applicant_file_page_shows_partners_only_to_those_who_may_see_it(
    role_clients, role, status, draft, partner
):
    draft.partner_organisations.add(partner)
    draft.partners = "Entreprise Bâtir Ensemble"
    draft.save()
    response = role_clients[role].get(draft.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        content = response.content.decode()
        assert escape(PARTNER) in content
        assert escape("Entreprise Bâtir Ensemble") in content


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("applicant", 403),
        ("other_applicant", 403),
        ("committee", 403),
        ("staff", 200),
    ],
)
def test_staff_file_page_shows_partners(role_clients, role, status, partner):
    application = application_in(S.SUBMITTED, partners="Lycée Mounier")
    application.partner_organisations.add(partner)
    response = role_clients[role].get(application.get_staff_url())
    assert response.status_code == status
    if status == 200:
        content = response.content.decode()
        assert escape(PARTNER) in content
        assert "Lycée Mounier" in content


def test_staff_pdf_lists_partner_organisations(staff_client, partner):
    application = application_in(S.SUBMITTED)
    application.partner_organisations.add(partner)
    response = staff_client.get(reverse("projects:staff_application_pdf", args=[application.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert PARTNER in text


def test_csv_and_xlsx_exports_list_partners(staff_client, partner):
    application = application_in(S.SUBMITTED, partners="Lycée Mounier")
    application.partner_organisations.add(partner, OrganisationFactory(name="Atelier Vélo"))
    url = reverse("projects:staff_application_list")
    body = staff_client.get(url, {"export": "csv"}).getvalue().decode("utf-8")
    assert "Structures partenaires;Autres partenaires" in body
    assert f"Atelier Vélo, {PARTNER};Lycée Mounier" in body
    response = staff_client.get(url, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    headers = [cell.value for cell in sheet[1]]
    column = headers.index("Structures partenaires")
    assert sheet.cell(row=2, column=column + 1).value == f"Atelier Vélo, {PARTNER}"


def test_export_query_count_does_not_grow_with_partners(
    staff_client, db, django_assert_num_queries
):
    url = reverse("projects:staff_application_list")
    application = application_in(S.SUBMITTED)
    application.partner_organisations.add(OrganisationFactory())
    staff_client.get(url, {"export": "csv"}).getvalue()
    # session, user, role checks, the count (now or in the background?), then communes,
    # partners and the files: one query each.
    with django_assert_num_queries(7) as one:
        staff_client.get(url, {"export": "csv"}).getvalue()
    for _ in range(20):
        application_in(S.SUBMITTED).partner_organisations.add(
            OrganisationFactory(), OrganisationFactory()
        )
    with django_assert_num_queries(len(one.captured_queries)):
        staff_client.get(url, {"export": "csv"}).getvalue()


def test_partner_select_carries_the_translated_search_label(applicant_client, draft):
    page = applicant_client.get(
        reverse("projects:application_edit", args=[draft.pk])
    ).content.decode()
    assert 'data-filter-label="Rechercher une structure par son nom"' in page


def test_staff_search_finds_a_file_by_a_partner_s_name(staff_client, partner):
    found = application_in(S.SUBMITTED, title="Ludothèque mobile")
    found.partner_organisations.add(partner, OrganisationFactory(name="Jeux en Isère"))
    other = application_in(S.SUBMITTED, title="Recyclerie")
    response = staff_client.get(reverse("projects:staff_application_list"), {"q": "jeux"})
    content = response.content.decode()
    assert content.count(escape(found.title)) == 1  # once, although two partners match
    assert escape(other.title) not in content
