"""Amendments through the HTTP layer: staff pages, signature, PDF, the beneficiary's space."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from demo.factories.conventions import programme_line
from projects.conventions import services
from projects.conventions.models import AmendmentStatus, ConventionAmendment, PaymentKind

from .amendments import amend, pay

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def amendment_data(amounts, *, end_year=None, reason="Extension des ateliers.", **changes):
    data = {
        "reason": reason,
        "end_year": str(end_year or max(amounts)),
        "objectives": "",
        "tranches-TOTAL_FORMS": "4",
        "tranches-INITIAL_FORMS": "0",
        "tranches-MIN_NUM_FORMS": "1",
        "tranches-MAX_NUM_FORMS": "4",
    }
    for index, (year, amount) in enumerate(amounts.items()):
        data[f"tranches-{index}-year"] = str(year)
        data[f"tranches-{index}-amount"] = str(amount)
        data[f"tranches-{index}-programme_line"] = str(programme_line(year).pk)
    data.update(changes)
    return data


def _text(response) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def test_staff_prepare_check_and_sign_an_amendment(staff_client, convention):
    page = staff_client.get(convention.get_absolute_url()).content.decode()
    create_url = reverse("projects:amendment_create", args=[convention.pk])
    assert f'href="{create_url}"' in page
    assert "Aucun avenant." in page
    form = staff_client.get(create_url).content.decode()
    assert "Préparer un avenant à CONV-2024-001" in form
    assert 'name="tranches-0-amount" value="20000.00"' in form  # current terms prefilled

    response = staff_client.post(
        create_url, amendment_data({2024: 20000, 2025: 30000, 2026: 20000})
    )
    amendment = ConventionAmendment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == amendment.get_absolute_url()
    detail = staff_client.get(amendment.get_absolute_url()).content.decode()
    assert "Avenant n°1 à la convention CONV-2024-001" in detail
    assert "60\u00a0000,00\u00a0€ → 70\u00a0000,00\u00a0€" in detail
    assert "+10\u00a0000,00\u00a0€" in detail  # the 2025 difference
    assert "Enregistrer la signature" in detail
    assert "Versements prévus à la signature" in detail
    assert "24\u00a0000,00\u00a0€" in detail  # 80 % of the new 2025 tranche
    # The convention does not offer a second amendment while this one is a draft.
    page = staff_client.get(convention.get_absolute_url()).content.decode()
    assert f'href="{create_url}"' not in page
    assert "Avenant n°1" in page

    response = staff_client.post(
        reverse("projects:amendment_sign", args=[amendment.pk]),
        {"signature_date": TODAY.isoformat()},
        follow=True,
    )
    content = response.content.decode()
    assert "Avenant n°1 est signé : la convention et ses versements sont mis à jour." in content
    convention.refresh_from_db()
    assert convention.amount_granted == Decimal("70000.00")
    assert convention.payments.filter(tranche__year=2025).count() == 2
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.SIGNED
    detail = staff_client.get(amendment.get_absolute_url()).content.decode()
    assert "Enregistrer la signature" not in detail
    assert reverse("projects:amendment_update", args=[amendment.pk]) not in detail


def test_bad_input_is_refused_in_french_and_kept(staff_client, convention):
    pay(convention, 2024)
    url = reverse("projects:amendment_create", args=[convention.pk])
    response = staff_client.post(
        url, amendment_data({2024: 15000, 2025: 20000, 2026: 20000}, reason="Baisse d'activité")
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert (
        "La tranche 2024 ne peut pas descendre sous les 16\u00a0000,00\u00a0€ déjà versés ou "
        "demandés à la comptabilité : l&#x27;avenant propose 15\u00a0000,00\u00a0€ "
        "pour cette année." in content
    )
    assert "Baisse d&#x27;activité" in content
    assert 'value="15000"' in content
    response = staff_client.post(
        url,
        amendment_data({2024: 20000, 2025: 20000, 2026: 20000, 2027: 20000}, end_year=2028),
    )
    assert "Une convention dure de 1 à 4 ans." in response.content.decode()
    response = staff_client.post(
        url, amendment_data({2024: 20000, 2025: 20000, 2026: 20000, 2027: 1000}, end_year=2026)
    )
    assert "La tranche 2027 est en dehors des années de la convention (2024–2026)." in (
        response.content.decode()
    )
    response = staff_client.post(url, amendment_data({2024: 20000}, reason=""))
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not ConventionAmendment.objects.exists()


def test_future_signature_date_is_refused(staff_client, convention, staff):
    amendment = amend(convention, staff, {2024: 20000, 2025: 25000, 2026: 20000})
    response = staff_client.post(
        reverse("projects:amendment_sign", args=[amendment.pk]),
        {"signature_date": (TODAY + datetime.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 422
    assert "La date de signature ne peut pas être dans le futur." in response.content.decode()
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.DRAFT


def test_signature_refused_by_the_service_is_shown(staff_client, convention, staff):
    amendment = amend(convention, staff, {2024: 20000, 2025: 10000, 2026: 20000})
    pay(convention, 2025)
    response = staff_client.post(
        reverse("projects:amendment_sign", args=[amendment.pk]),
        {"signature_date": TODAY.isoformat()},
    )
    assert "La tranche 2025 ne peut pas descendre sous les 16\u00a0000,00\u00a0€" in (
        response.content.decode()
    )


def test_edit_and_abandon_a_draft(staff_client, convention, staff):
    amendment = amend(convention, staff, {2024: 20000, 2025: 25000, 2026: 20000})
    url = reverse("projects:amendment_update", args=[amendment.pk])
    assert 'value="25000.00"' in staff_client.get(url).content.decode()
    response = staff_client.post(
        url, amendment_data({2024: 20000, 2025: 20000, 2026: 26000}, reason="Autre objet")
    )
    assert response.status_code == 302
    amendment.refresh_from_db()
    assert amendment.reason == "Autre objet"
    assert amendment.amount_granted == Decimal("66000.00")
    response = staff_client.post(
        reverse("projects:amendment_delete", args=[amendment.pk]), follow=True
    )
    assert "Le projet d&#x27;avenant a été abandonné." in response.content.decode()
    assert not ConventionAmendment.objects.exists()


def test_signed_amendment_cannot_be_edited(staff_client, convention, staff):
    amendment = amend(convention, staff, {2024: 20000, 2025: 25000, 2026: 20000})
    services.amendment_sign(amendment=amendment, user=staff, signature_date=TODAY)
    assert (
        staff_client.get(reverse("projects:amendment_update", args=[amendment.pk])).status_code
        == 404
    )


def test_draft_convention_offers_no_amendment(staff_client, staff):
    from demo.factories.conventions import make_convention
    from projects.conventions.models import ConventionStatus

    draft = make_convention(amounts={2026: 4000}, status=ConventionStatus.DRAFT, user=staff)
    url = reverse("projects:amendment_create", args=[draft.pk])
    assert url not in staff_client.get(draft.get_absolute_url()).content.decode()
    response = staff_client.get(url, follow=True)
    assert "Seule une convention signée ou en cours peut faire l&#x27;objet d&#x27;un avenant." in (
        response.content.decode()
    )


def test_locked_convention_form_points_to_amendments(staff_client, convention):
    form = staff_client.get(reverse("projects:convention_update", args=[convention.pk]))
    content = form.content.decode()
    assert reverse("projects:amendment_create", args=[convention.pk]) in content


def test_amendment_pdf_draft_and_signed(staff_client, convention, staff):
    amendment = amend(
        convention,
        staff,
        {2024: 20000, 2025: 30000, 2026: 20000},
        objectives="Détourner 150 tonnes par an.",
    )
    response = staff_client.get(reverse("projects:amendment_pdf", args=[amendment.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="CONV-2024-001-avenant-1.pdf"' in response["Content-Disposition"]
    text = _text(response)
    assert "Avenant n°1 à la convention pluriannuelle d'objectifs" in text
    assert "PROJET" in text  # the watermark
    assert "Projet : à vérifier avant signature." in text
    assert "Article 1 — Objet de l'avenant" in text
    assert "Extension des ateliers." in text
    assert "passe de 60 000,00 € à 70 000,00 €" in text
    assert "2025 20 000,00 € 30 000,00 € +10 000,00 €" in text
    assert "Détourner 150 tonnes par an." in text
    assert "page 1 / " in text
    services.amendment_sign(amendment=amendment, user=staff, signature_date=TODAY)
    text = _text(staff_client.get(reverse("projects:amendment_pdf", args=[amendment.pk])))
    assert "vérifier avant signature" not in text
    assert str(TODAY.year) in text
    # The convention itself is now the consolidated version.
    text = _text(staff_client.get(reverse("projects:convention_pdf", args=[convention.pk])))
    assert "Version consolidée : intègre l'avenant n°1 signé le" in text
    assert "30 000,00 €" in text


def test_beneficiary_sees_signed_amendments_and_downloads_them(
    applicant_client, other_applicant_client, convention, staff
):
    draft = amend(convention, staff, {2024: 20000, 2025: 30000, 2026: 20000})
    page = applicant_client.get(convention.get_space_url()).content.decode()
    assert "Avenant n°1" not in page  # a draft stays on the staff desk
    assert applicant_client.get(draft.get_space_pdf_url()).status_code == 404
    services.amendment_sign(amendment=draft, user=staff, signature_date=TODAY)
    page = applicant_client.get(convention.get_space_url()).content.decode()
    assert "Avenant n°1" in page
    assert draft.get_space_pdf_url() in page
    assert reverse("projects:amendment_detail", args=[draft.pk]) not in page
    response = applicant_client.get(draft.get_space_pdf_url())
    assert response.status_code == 200
    assert "Avenant n°1" in _text(response)
    assert other_applicant_client.get(draft.get_space_pdf_url()).status_code == 404


def test_convention_page_queries_do_not_grow_with_amendments(staff_client, convention, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as context:
            assert staff_client.get(convention.get_absolute_url()).status_code == 200
        return len(context)

    amendment = amend(convention, staff, {2024: 20000, 2025: 25000, 2026: 20000})
    services.amendment_sign(amendment=amendment, user=staff, signature_date=TODAY)
    one = count()
    for amount in (26000, 27000, 28000, 29000):
        amendment = amend(convention, staff, {2024: 20000, 2025: amount, 2026: 20000})
        services.amendment_sign(amendment=amendment, user=staff, signature_date=TODAY)
    assert count() == one
    assert convention.payments.filter(tranche__year=2025, kind=PaymentKind.ADVANCE).count() == 1


def test_dashboard_lists_amendments_waiting_for_signature(staff_client, convention, staff):
    url = reverse("projects:convention_dashboard")
    assert "Avenants en attente de signature" not in staff_client.get(url).content.decode()
    amendment = amend(convention, staff, {2024: 20000, 2025: 25000, 2026: 20000})
    content = staff_client.get(url).content.decode()
    assert "Avenants en attente de signature" in content
    assert f'href="{amendment.get_absolute_url()}">CONV-2024-001 — Avenant n°1</a>' in content


def test_extending_to_a_year_without_programme_says_what_is_missing(staff_client, convention):
    url = reverse("projects:amendment_create", args=[convention.pk])
    data = amendment_data({2024: 20000, 2025: 20000, 2026: 20000})
    data.update({"end_year": "2027", "tranches-3-year": "2027", "tranches-3-amount": "10000"})
    response = staff_client.post(url, data)
    content = response.content.decode()
    assert "Il n&#x27;existe pas encore de programmation annuelle 2027 avec une ligne" in content
    assert 'value="10000' in content  # nothing typed is lost
    assert not convention.amendments.exists()


def _pages(response) -> list[list[str]]:
    """The lines of each page of a PDF response, spaces normalised."""
    pages = PdfReader(io.BytesIO(response.content)).pages
    return [
        [" ".join(line.replace("\u00a0", " ").split()) for line in page.extract_text().splitlines()]
        for page in pages
    ]


def test_amendment_pdf_fits_one_page_with_no_stray_line_break(staff_client, convention, staff):
    """Issue 14: the signature block sat alone on page 2, after a line broken after « Toutes »."""
    amendment = amend(
        convention,
        staff,
        {2024: 20000, 2025: 30000, 2026: 20000},
        objectives="Détourner 150 tonnes par an.",
    )
    pages = _pages(staff_client.get(reverse("projects:amendment_pdf", args=[amendment.pk])))
    assert len(pages) == 1
    assert (
        "Toutes les autres clauses de la convention que le présent avenant ne modifie pas "
        "restent en vigueur." in pages[0]
    )
    assert "Avenant n°1 à la convention pluriannuelle d'objectifs" in pages[0]


def test_amendment_pdf_keeps_the_signatures_with_the_closing_clauses(
    staff_client, convention, staff
):
    amendment = amend(
        convention,
        staff,
        {2024: 20000, 2025: 30000, 2026: 20000},
        reason="\n".join(f"Motif n°{number} de l'avenant." for number in range(40)),
    )
    pages = _pages(staff_client.get(reverse("projects:amendment_pdf", args=[amendment.pk])))
    assert len(pages) > 1
    last = " ".join(pages[-1])
    assert "Son représentant légal" in last
    assert "Fait en deux exemplaires originaux" in last
    assert "Autres clauses" in last
    assert "Article" in last  # the closing block is kept with the article before it
