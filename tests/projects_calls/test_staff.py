import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from demo.factories.calls import ApplicationFactory, CallFactory, application_in, make_line
from demo.factories.core import OrganisationFactory
from ess_metro.directory.models import Commune, LegalForm
from projects.calls import services
from projects.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    EconomicDiagnosis,
    SelectionCriterion,
)

S = ApplicationStatus
DENIED = [("anonymous", 302), ("applicant", 403), ("committee", 403)]


def staff_urls(call, application):
    return [
        ("get", reverse("projects:staff_call_list")),
        ("get", reverse("projects:staff_call_create")),
        ("get", reverse("projects:staff_call_detail", args=[call.pk])),
        ("get", reverse("projects:staff_call_update", args=[call.pk])),
        ("post", reverse("projects:staff_call_publish", args=[call.pk])),
        ("post", reverse("projects:staff_call_close", args=[call.pk])),
        ("get", reverse("projects:staff_application_list")),
        ("get", reverse("projects:staff_application_detail", args=[application.pk])),
        ("get", reverse("projects:staff_application_pdf", args=[application.pk])),
        ("post", reverse("projects:staff_request_documents", args=[application.pk])),
        ("post", reverse("projects:staff_eligibility", args=[application.pk])),
        ("get", reverse("projects:staff_diagnosis", args=[application.pk])),
        ("post", reverse("projects:staff_committee_opinion", args=[application.pk])),
        ("get", reverse("projects:staff_decision", args=[application.pk])),
    ]


@pytest.mark.parametrize(
    ("role", "status"),
    [*DENIED, ("other_applicant", 403)],
)
def test_staff_pages_are_closed_to_other_roles(role_clients, role, status, call):
    application = application_in(S.SUBMITTED, call=call)
    for method, url in staff_urls(call, application):
        response = getattr(role_clients[role], method)(url)
        assert response.status_code == status, url
        if status == 302:
            assert response["Location"].startswith(reverse("accounts:login"))
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_staff_reaches_every_staff_page(staff_client, call):
    application = application_in(S.COMMITTEE_OPINION, call=call)
    for method, url in staff_urls(call, application):
        if method == "get":
            assert staff_client.get(url).status_code == 200, url


# --- Calls -----------------------------------------------------------------------------------


def call_form_data(**changes):
    data = {
        "year": "2027",
        "title": "Appel à projets innovation sociale 2027",
        "slug": "innovation-sociale-2027",
        "summary": "Soutenir l'innovation sociale.",
        "text": "Texte de l'appel.",
        "opens_at": "2027-01-15T09:00",
        "closes_at": "2099-02-27T17:00",
        "aid_cap": "15 000",
        "max_share": "50",
        "envelope": "60000",
        "programme_line": "",
        "accepted_families": ["association", "cooperative"],
        "min_communes": "2",
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-position": "1",
        "criteria-0-title": "Utilité sociale",
        "criteria-0-description": "",
        "criteria-0-weight": "3",
        "documents-TOTAL_FORMS": "1",
        "documents-INITIAL_FORMS": "0",
        "documents-0-position": "1",
        "documents-0-title": "Statuts",
        "documents-0-description": "",
        "documents-0-mandatory": "on",
    }
    data.update(changes)
    return data


def test_staff_creates_a_call_with_criteria_and_documents(staff_client, db):
    response = staff_client.post(reverse("projects:staff_call_create"), call_form_data())
    call = Call.objects.get(slug="innovation-sociale-2027")
    assert response.status_code == 302
    assert call.status == CallStatus.DRAFT
    assert call.closes_at.hour == 16  # 17:00 in Paris is 16:00 UTC in winter
    assert call.accepted_families == ["association", "cooperative"]
    assert list(call.criteria.values_list("title", "weight")) == [("Utilité sociale", 3)]
    assert call.required_documents.get().title == "Statuts"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"aid_cap": "70000"}, "Le plafond d&#x27;aide ne peut pas dépasser l&#x27;enveloppe"),
        ({"closes_at": "2027-01-01T17:00"}, "La date de clôture doit être postérieure"),
        ({"title": ""}, "Ce champ est obligatoire."),
        ({"max_share": "120"}, "inférieure ou égale à 100"),
    ],
)
def test_call_form_bad_input(staff_client, db, changes, message):
    response = staff_client.post(reverse("projects:staff_call_create"), call_form_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Call.objects.exists()


def test_staff_edits_a_call(staff_client, call):
    data = call_form_data(slug=call.slug, title="Nouveau titre")
    data["criteria-TOTAL_FORMS"] = "0"
    data["documents-TOTAL_FORMS"] = "0"
    response = staff_client.post(reverse("projects:staff_call_update", args=[call.pk]), data)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.title == "Nouveau titre"
    assert call.criteria.count() == 3


def test_publish_refused_with_closing_date_in_the_past(staff_client, db):
    call = CallFactory(draft=True, closes_at="2020-01-01T16:00:00Z")
    response = staff_client.post(
        reverse("projects:staff_call_publish", args=[call.pk]), follow=True
    )
    assert "ne peut pas être publié avec une date de clôture passée" in (response.content.decode())
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT


def test_publish_refused_with_cap_above_envelope(staff_client, db):
    call = CallFactory(draft=True, aid_cap=Decimal("90000"), envelope=Decimal("60000"))
    response = staff_client.post(
        reverse("projects:staff_call_publish", args=[call.pk]), follow=True
    )
    assert "plafond d&#x27;aide supérieur à son enveloppe" in response.content.decode()


def test_publish_and_close(staff_client, db):
    call = CallFactory(draft=True)
    staff_client.post(reverse("projects:staff_call_publish", args=[call.pk]))
    call.refresh_from_db()
    assert call.status == CallStatus.PUBLISHED
    staff_client.post(reverse("projects:staff_call_close", args=[call.pk]))
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED


def test_staff_call_page_shows_envelope(staff_client, db):
    call = CallFactory(envelope=Decimal("60000"), programme_line=make_line())
    granted = application_in(S.GRANTED, call=call)
    granted.granted_amount = Decimal("8000")
    granted.save()
    application_in(S.SUBMITTED, call=call)
    content = staff_client.get(call.get_staff_url()).content.decode()
    assert "20\u00a0000,00\u00a0€" in content  # requested
    assert "8\u00a0000,00\u00a0€" in content  # granted
    assert "52\u00a0000,00\u00a0€" in content  # remaining


# --- List, filters, export -------------------------------------------------------------------


@pytest.fixture
def several(db):
    call = CallFactory()
    coop = OrganisationFactory(cooperative=True, name="Coopérative des Alpes")
    a = application_in(S.SUBMITTED, call=call, title="Recyclerie")
    b = application_in(S.GRANTED, call=call, organisation=coop, title="Épicerie solidaire")
    b.requested_amount = Decimal("3000")
    b.save()
    b.communes.set([Commune.objects.get(name="Fontaine")])
    return call, a, b


def listing(client, **params):
    return client.get(reverse("projects:staff_application_list"), params)


def test_list_filters(staff_client, several):
    call, a, b = several
    assert b.title not in listing(staff_client, status=S.SUBMITTED).content.decode()
    content = listing(staff_client, legal_form=LegalForm.SCOP).content.decode()
    assert b.title in content and a.title not in content
    fontaine = Commune.objects.get(name="Fontaine")
    content = listing(staff_client, commune=fontaine.pk).content.decode()
    assert b.title in content and a.title not in content
    content = listing(staff_client, amount_max="5000").content.decode()
    assert b.title in content and a.title not in content
    content = listing(staff_client, amount_min="5000", call=call.pk).content.decode()
    assert a.title in content and b.title not in content


def test_list_filtered_with_htmx_returns_the_table_only(staff_client, several):
    _call, a, b = several
    response = staff_client.get(
        reverse("projects:staff_application_list"),
        {"status": S.GRANTED},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert "<html" not in content and "<table" in content
    assert b.title in content and a.title not in content
    assert "status=granted&amp;export=csv" in content  # exports follow the filters


def test_list_hides_drafts_unless_asked(staff_client, several):
    call, _a, _b = several
    draft = ApplicationFactory(call=call, title="Brouillon en cours")
    assert draft.title not in listing(staff_client).content.decode()
    assert draft.title in listing(staff_client, status=S.DRAFT).content.decode()


def test_list_search_and_sort(staff_client, several):
    _call, a, b = several
    content = listing(staff_client, q="coopérative alpes").content.decode()
    assert b.title in content and a.title not in content
    content = listing(staff_client, sort="amount").content.decode()
    assert content.index(b.title) < content.index(a.title)
    content = listing(staff_client, sort="-amount").content.decode()
    assert content.index(a.title) < content.index(b.title)


def test_list_query_count_is_the_same_at_1_and_50_rows(staff_client, db, django_assert_num_queries):
    call = CallFactory()
    application_in(S.SUBMITTED, call=call)
    # Cold: session, user, roles, count, calls and communes of the filters, the page.
    with django_assert_num_queries(7):
        listing(staff_client)
    # The filter form (its choices and its HTML) then comes from the cache.
    with django_assert_num_queries(5):
        listing(staff_client)
    ApplicationFactory.create_batch(49, call=call, status=S.SUBMITTED)
    listing(staff_client)  # the new rows changed the data: the form is built again once
    with django_assert_num_queries(5):
        response = listing(staff_client, page=2)
    assert "Page 2 sur 2" in response.content.decode()


def test_csv_export_of_filtered_list(staff_client, several):
    _call, a, b = several
    response = listing(staff_client, status=S.GRANTED, export="csv")
    body = response.getvalue().decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    assert body.startswith("\ufeffRéférence;Appel;Projet")
    assert b.title in body and a.title not in body
    assert "3000,00" in body and "Fontaine" in body


def test_xlsx_export(staff_client, several, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        response = listing(staff_client, export="xlsx")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet["A1"].value == "Référence"
    assert sheet.max_row == 3


# --- Instruction -----------------------------------------------------------------------------


def test_request_documents_then_applicant_resubmits(staff_client, applicant_client, draft):
    services.application_submit(application=draft, user=draft.created_by)
    response = staff_client.post(
        reverse("projects:staff_request_documents", args=[draft.pk]),
        {"request-comment": "Merci de joindre le dernier bilan."},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.DOCUMENTS_REQUESTED
    assert "dernier bilan" in mail.outbox[-1].body
    page = applicant_client.get(draft.get_absolute_url()).content.decode()
    assert "Merci de joindre le dernier bilan." in page
    assert "Mettre à jour et redéposer" in page
    from .test_applicant import form_data

    response = applicant_client.post(
        reverse("projects:application_edit", args=[draft.pk]),
        {**form_data(draft, summary="Résumé corrigé"), "submit": "1"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.summary) == (S.SUBMITTED, "Résumé corrigé")
    history = staff_client.get(draft.get_staff_url()).content.decode()
    assert history.count("Pièces demandées") >= 1 and "Historique" in history


def test_request_documents_needs_a_comment(staff_client, db):
    application = application_in(S.SUBMITTED)
    response = staff_client.post(
        reverse("projects:staff_request_documents", args=[application.pk]),
        {"request-comment": ""},
    )
    assert response.status_code == 422
    assert "Ce champ est obligatoire." in response.content.decode()


def test_ineligibility_needs_a_reason(staff_client, db):
    application = application_in(S.SUBMITTED)
    url = reverse("projects:staff_eligibility", args=[application.pk])
    response = staff_client.post(url, {"eligibility-eligible": "0", "eligibility-comment": ""})
    assert "Expliquez pourquoi le dossier est irrecevable." in response.content.decode()
    staff_client.post(url, {"eligibility-eligible": "1"})
    application.refresh_from_db()
    assert application.status == S.ELIGIBLE


def test_transition_not_allowed_is_refused(staff_client, db):
    application = application_in(S.GRANTED)
    response = staff_client.post(
        reverse("projects:staff_eligibility", args=[application.pk]),
        {"eligibility-eligible": "1"},
        follow=True,
    )
    assert "n’est pas possible tant que le statut est « Accordé »" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.GRANTED


def diagnosis_data(application, **changes):
    data = {
        "financial_analysis": "Structure saine.",
        "risks": "Dépendance à un financeur.",
        "recommendation": "favourable",
        "proposed_amount": "9000",
        "private_notes": "Note interne confidentielle",
    }
    for criterion in SelectionCriterion.objects.filter(call=application.call):
        data[f"score_{criterion.pk}"] = "4"
        data[f"comment_{criterion.pk}"] = ""
    data.update(changes)
    return data


def test_diagnosis_with_weighted_total_and_private_notes(staff_client, applicant_client, draft):
    Application.objects.filter(pk=draft.pk).update(status=S.ELIGIBLE)
    url = reverse("projects:staff_diagnosis", args=[draft.pk])
    response = staff_client.post(url, {**diagnosis_data(draft), "complete": "1"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.DIAGNOSED
    assert draft.diagnosis.weighted_total() == Decimal("80.0")
    staff_page = staff_client.get(draft.get_staff_url()).content.decode()
    assert "80,0 / 100" in staff_page or "80.0 / 100" in staff_page
    assert "Note interne confidentielle" in staff_page
    applicant_page = applicant_client.get(draft.get_absolute_url()).content.decode()
    assert "Note interne confidentielle" not in applicant_page
    assert "Structure saine" not in applicant_page


def test_diagnosis_proposed_amount_above_cap_is_refused(staff_client, db):
    application = application_in(S.ELIGIBLE)
    response = staff_client.post(
        reverse("projects:staff_diagnosis", args=[application.pk]),
        diagnosis_data(application, proposed_amount="20000"),
    )
    assert response.status_code == 422
    assert "Le montant proposé ne peut pas dépasser le plafond" in response.content.decode()
    assert not EconomicDiagnosis.objects.exists()


def test_incomplete_diagnosis_cannot_be_marked_done(staff_client, db):
    application = application_in(S.ELIGIBLE)
    response = staff_client.post(
        reverse("projects:staff_diagnosis", args=[application.pk]),
        {**diagnosis_data(application, recommendation=""), "complete": "1"},
        follow=True,
    )
    assert "Complétez d&#x27;abord le diagnostic" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.ELIGIBLE


def test_committee_opinion(staff_client, db):
    application = application_in(S.DIAGNOSED)
    staff_client.post(
        reverse("projects:staff_committee_opinion", args=[application.pk]),
        {"opinion": "favourable", "date": "2026-11-20", "text": "Avis unanime."},
    )
    application.refresh_from_db()
    assert application.status == S.COMMITTEE_OPINION
    assert application.committee_opinion_text == "Avis unanime."


def decision_data(**changes):
    data = {
        "outcome": "granted",
        "granted_amount": "9000",
        "decision_conditions": "Bilan à 12 mois.",
        "decision_reasons": "",
        "decision_date": "2026-12-10",
        "deliberation_reference": "DEL-2026-118",
        "deliberation_date": "2026-12-08",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"granted_amount": "12000"}, "ne peut pas dépasser le montant demandé"),
        ({"granted_amount": "16000"}, "ne peut pas dépasser le plafond de l&#x27;appel"),
        ({"granted_amount": ""}, "Indiquez le montant accordé."),
        ({"outcome": "refused"}, "Indiquez les motifs du refus."),
        ({"deliberation_reference": ""}, "Ce champ est obligatoire."),
    ],
)
def test_decision_bad_input(staff_client, db, changes, message):
    application = application_in(S.COMMITTEE_OPINION)
    response = staff_client.post(
        reverse("projects:staff_decision", args=[application.pk]), decision_data(**changes)
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.COMMITTEE_OPINION


def test_decision_cannot_exceed_what_remains_in_the_envelope(staff_client, db):
    call = CallFactory(envelope=Decimal("20000"))
    already = application_in(S.GRANTED, call=call)
    already.granted_amount = Decimal("15000")
    already.save()
    application = application_in(S.COMMITTEE_OPINION, call=call)
    response = staff_client.post(
        reverse("projects:staff_decision", args=[application.pk]), decision_data()
    )
    assert response.status_code == 422
    assert "Il ne reste que 5\u00a0000,00\u00a0€ dans l&#x27;enveloppe" in response.content.decode()


def test_staff_call_list_query_count_does_not_grow(staff_client, db, django_assert_num_queries):
    CallFactory()
    url = reverse("projects:staff_call_list")
    with django_assert_num_queries(5):
        staff_client.get(url)
    CallFactory.create_batch(20)
    with django_assert_num_queries(5):
        staff_client.get(url)


def test_decision_granted_is_notified_and_shown_to_applicant(staff_client, applicant_client, draft):
    Application.objects.filter(pk=draft.pk).update(
        status=S.COMMITTEE_OPINION, reference="AAP-2026-0007"
    )
    response = staff_client.post(
        reverse("projects:staff_decision", args=[draft.pk]), decision_data()
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.GRANTED and draft.granted_amount == Decimal("9000")
    assert "Décision sur le dossier AAP-2026-0007" in mail.outbox[-1].subject
    page = applicant_client.get(draft.get_absolute_url()).content.decode()
    assert "9\u00a0000,00\u00a0€" in page and "DEL-2026-118" in page
    assert list(Application.objects.granted()) == [draft]


def test_staff_message_reaches_applicant(staff_client, draft):
    staff_client.post(
        reverse("projects:application_message", args=[draft.pk]),
        {"body": "Pouvez-vous préciser le calendrier ?", "next": "staff"},
    )
    message = draft.messages.get()
    assert message.from_staff
    assert draft.created_by.email in mail.outbox[-1].to


def test_staff_pdf_of_the_whole_file(staff_client, db):
    application = application_in(S.DIAGNOSED)
    EconomicDiagnosis.objects.create(
        application=application,
        author=application.created_by,
        private_notes="Interne",
        proposed_amount=Decimal("5000"),
    )
    response = staff_client.get(reverse("projects:staff_application_pdf", args=[application.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert application.reference in text
    assert "Diagnostic économique" in text


def test_detail_query_count_is_bounded(staff_client, db, django_assert_max_num_queries):
    application = application_in(S.SUBMITTED)
    with django_assert_max_num_queries(25):
        staff_client.get(application.get_staff_url())


@pytest.mark.parametrize("status", [S.SUBMITTED, S.ELIGIBLE, S.DIAGNOSED, S.COMMITTEE_OPINION])
def test_staff_detail_has_unique_ids_and_one_h1(staff_client, db, status):
    import re

    application = application_in(status)
    content = staff_client.get(application.get_staff_url()).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', content)
    assert len(ids) == len(set(ids))
    assert content.count("<h1") == 1


# --- Convention ------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [*DENIED, ("other_applicant", 403)])
def test_prepare_convention_is_staff_only(role_clients, role, status, db):
    application = application_in(S.GRANTED)
    url = reverse("projects:staff_prepare_convention", args=[application.pk])
    assert role_clients[role].post(url).status_code == status
    application.refresh_from_db()
    assert application.convention is None


def test_granted_file_leads_to_a_draft_convention(staff_client, db):
    from projects.models import Convention, ConventionStatus

    line = make_line()
    application = application_in(S.GRANTED, call=CallFactory(programme_line=line))
    application.granted_amount = Decimal("9000")
    application.decision_date = datetime.date(2026, 12, 10)
    application.save()
    url = reverse("projects:staff_prepare_convention", args=[application.pk])
    response = staff_client.post(url)
    convention = Convention.objects.get()
    assert response.status_code == 302
    assert response["Location"] == convention.get_absolute_url()
    assert (convention.beneficiary, convention.amount_granted) == (
        application.organisation,
        Decimal("9000.00"),
    )
    assert convention.status == ConventionStatus.DRAFT
    tranche = convention.tranches.get()
    assert (tranche.year, tranche.programme_line) == (2026, line)
    application.refresh_from_db()
    assert application.convention == convention
    page = staff_client.get(application.get_staff_url()).content.decode()
    assert convention.reference in page
    again = staff_client.post(url, follow=True).content.decode()
    assert "Ce dossier a déjà une convention." in again
    assert Convention.objects.count() == 1


def test_only_a_granted_file_leads_to_a_convention(staff_client, db):
    application = application_in(S.COMMITTEE_OPINION)
    url = reverse("projects:staff_prepare_convention", args=[application.pk])
    response = staff_client.post(url, follow=True)
    assert "Seul un dossier accordé donne lieu à une convention." in response.content.decode()


def test_signed_convention_takes_over_the_commitment_in_programme_totals(staff, db):
    from programme.totals import amounts_by_line
    from projects.models import ConventionStatus

    line = make_line()
    application = application_in(S.GRANTED, call=CallFactory(programme_line=line))
    application.granted_amount = Decimal("9000")
    application.save()
    assert amounts_by_line([line.pk])[line.pk].committed == Decimal("9000.00")
    convention = services.application_prepare_convention(application=application, user=staff)
    assert amounts_by_line([line.pk])[line.pk].committed == Decimal("9000.00")
    type(convention).objects.filter(pk=convention.pk).update(status=ConventionStatus.SIGNED)
    assert amounts_by_line([line.pk])[line.pk].committed == Decimal("9000.00")  # not 18 000


def test_convention_needs_a_programme_line_of_the_decision_year(staff_client, db):
    application = application_in(S.GRANTED)  # its call has no programme line
    application.granted_amount = Decimal("5000")
    application.decision_date = datetime.date(2031, 1, 5)
    application.save()
    url = reverse("projects:staff_prepare_convention", args=[application.pk])
    content = staff_client.post(url, follow=True).content.decode()
    assert "Aucune ligne de la programmation 2031 ne finance l’appel" in content
    application.refresh_from_db()
    assert application.convention is None


def test_the_call_envelope_says_what_is_left_to_grant(staff_client, call):
    page = staff_client.get(reverse("projects:staff_call_detail", args=[call.pk])).content.decode()
    assert "Reste à attribuer (enveloppe − accordé)" in page
    assert "Reste à verser" not in page
