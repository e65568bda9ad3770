import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from demo.factories.conventions import StructuringProjectFactory, make_convention, programme_line
from demo.factories.core import PASSWORD, OrganisationFactory, make_staff
from ess_metro.directory.models import Commune
from projects.conventions.models import (
    Convention,
    ConventionStatus,
    Payment,
    PaymentKind,
    PaymentStatus,
    Report,
    ReportStatus,
    StructuringProject,
    StructuringProjectStatus,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
IBAN = "FR7630006000011234567890189"


def convention_data(organisation, project=None, **changes):
    lines = {year: programme_line(year) for year in (2024, 2025, 2026, 2027)}
    data = {
        "title": "Recyclerie solidaire",
        "beneficiary": organisation.pk,
        "structuring_project": project.pk if project else "",
        "parties": "",
        "objectives": "Détourner 120 tonnes par an.",
        "evaluation": "",
        "start_year": "2024",
        "end_year": "2026",
        "amount_granted": "60000",
        "written_agreement": "on",
        "indicators_text": "Tonnes détournées; t; 120",
        "tranches-TOTAL_FORMS": "4",
        "tranches-INITIAL_FORMS": "0",
        "tranches-MIN_NUM_FORMS": "1",
        "tranches-MAX_NUM_FORMS": "4",
    }
    for index, year in enumerate((2024, 2025, 2026)):
        data[f"tranches-{index}-year"] = str(year)
        data[f"tranches-{index}-amount"] = "20000"
        data[f"tranches-{index}-programme_line"] = str(lines[year].pk)
    data.update(changes)
    return data


def test_staff_create_a_3_year_convention_for_a_structuring_project(staff_client):
    project = StructuringProjectFactory()
    url = reverse("projects:convention_create")
    form = staff_client.get(url, {"projet": project.pk})
    assert project.title in form.content.decode()
    response = staff_client.post(url, convention_data(project.carrier, project))
    convention = Convention.objects.get()
    assert response.status_code == 302
    assert response["Location"] == convention.get_absolute_url()
    assert convention.structuring_project == project
    assert convention.status == ConventionStatus.DRAFT
    assert [t.year for t in convention.tranches.all()] == [2024, 2025, 2026]
    assert convention.payments.count() == 6
    assert convention.indicators.get().label == "Tonnes détournées"
    page = staff_client.get(response["Location"]).content.decode()
    assert "préparée avec son échéancier de paiement" in page
    assert "16\u00a0000,00\u00a0€" in page
    assert "Solde à l&#x27;approbation du rapport" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_year": "2028", "start_year": "2024"}, "Une convention dure de 1 à 4 ans."),
        ({"end_year": "2023"}, "La dernière année ne peut pas précéder la première."),
        (
            {"end_year": "2025", "amount_granted": "40000", "tranches-2-year": "2026"},
            "La tranche 2026 est en dehors des années de la convention (2024–2025).",
        ),
        (
            {"amount_granted": "65000"},
            "Le total des tranches est de 60\u00a0000,00\u00a0€ mais le montant accordé est de "
            "65\u00a0000,00\u00a0€.",
        ),
        ({"indicators_text": "Tonnes; t; beaucoup"}, "Ligne 1 : l&#x27;objectif « beaucoup »"),
        ({"title": ""}, "Ce champ est obligatoire."),
    ],
)
def test_bad_convention_is_refused_in_french_and_input_kept(staff_client, changes, message):
    organisation = OrganisationFactory()
    response = staff_client.post(
        reverse("projects:convention_create"), convention_data(organisation, **changes)
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert "Détourner 120 tonnes par an." in content
    assert not Convention.objects.exists()


def test_tranche_on_another_year_line_is_refused(staff_client):
    data = convention_data(OrganisationFactory())
    data["tranches-0-programme_line"] = str(programme_line(2025).pk)
    response = staff_client.post(reverse("projects:convention_create"), data)
    assert "La tranche 2024 doit être financée par une ligne du programme 2024" in (
        response.content.decode()
    )


def test_warnings_for_23000_without_written_agreement_and_de_minimis(staff_client):
    company = OrganisationFactory(cooperative=True)
    make_convention(beneficiary=company, amounts={2025: 280000}, signed_on=datetime.date.today())
    data = convention_data(company)
    del data["written_agreement"]
    data.update(
        {
            "amount_granted": "72000",
            "tranches-0-amount": "24000",
            "tranches-1-amount": "24000",
            "tranches-2-amount": "24000",
        }
    )
    response = staff_client.post(reverse("projects:convention_create"), data, follow=True)
    content = response.content.decode()
    assert (
        "Une convention pluriannuelle d&#x27;objectifs écrite est obligatoire au-delà de "
        "23\u00a0000\u00a0€ par an : la tranche 2024" in content
    )
    assert "De minimis : " in content
    assert "le plafond de 300\u00a0000\u00a0€ serait dépassé" in content
    # Each warning once: on the page, not repeated as a message.
    assert content.count("la tranche 2024 (24\u00a0000,00\u00a0€)") == 1
    assert content.count("De minimis : ") == 1
    # The law requires the written agreement: the signature is refused until it is ticked.
    convention = Convention.objects.get(beneficiary=company, status=ConventionStatus.DRAFT)
    transition = reverse("projects:convention_transition", args=[convention.pk])
    response = staff_client.post(
        transition, {"to_status": "signed", "signature_date": "2024-02-10"}, follow=True
    )
    assert "Cochez « convention pluriannuelle d’objectifs écrite »" in response.content.decode()
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.DRAFT
    convention.written_agreement = True
    convention.save(update_fields=["written_agreement"])
    staff_client.post(transition, {"to_status": "signed", "signature_date": "2024-02-10"})
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.SIGNED


def test_sign_pay_first_instalment_and_balance_is_blocked(staff_client, applicant_organisation):
    convention = make_convention(
        beneficiary=applicant_organisation,
        amounts={2024: 20000, 2025: 20000, 2026: 20000},
        status=ConventionStatus.DRAFT,
    )
    transition = reverse("projects:convention_transition", args=[convention.pk])
    response = staff_client.post(transition, {"to_status": "signed"}, follow=True)
    assert "Indiquez la date de signature." in response.content.decode()
    response = staff_client.post(
        transition, {"to_status": "signed", "signature_date": "2024-02-10"}, follow=True
    )
    assert "La convention est maintenant « Signée »." in response.content.decode()
    assert len(mail.outbox) == 1  # the beneficiary is told

    advance = convention.payments.get(tranche__year=2024, kind=PaymentKind.ADVANCE)
    url = reverse("projects:payment_transition", args=[advance.pk])
    staff_client.post(url, {"to_status": "requested"})
    response = staff_client.post(url, {"to_status": "paid", "paid_date": "2024-03-01"})
    assert "Ce champ est obligatoire." in response.content.decode()
    response = staff_client.post(
        url, {"to_status": "paid", "paid_date": "2099-01-01", "accounting_reference": "MDT-1"}
    )
    assert "La date de paiement ne peut pas être dans le futur." in response.content.decode()
    response = staff_client.post(
        url, {"to_status": "paid", "paid_date": "2024-03-01", "accounting_reference": "MDT-2024-12"}
    )
    assert response.status_code == 302
    advance.refresh_from_db()
    assert (advance.status, advance.accounting_reference) == (PaymentStatus.PAID, "MDT-2024-12")
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.RUNNING  # the first payment starts it

    balance = convention.payments.get(tranche__year=2024, kind=PaymentKind.BALANCE)
    response = staff_client.post(
        reverse("projects:payment_transition", args=[balance.pk]),
        {"to_status": "requested"},
        follow=True,
    )
    assert "Le solde ne peut pas être versé avant l&#x27;approbation du rapport 2024." in (
        response.content.decode()
    )
    balance.refresh_from_db()
    assert balance.status == PaymentStatus.PLANNED

    page = staff_client.get(convention.get_absolute_url()).content.decode()
    assert "44\u00a0000,00\u00a0€" in page  # remaining over the three years
    assert "Historique" in page


def test_staff_adjusts_the_schedule_within_what_is_granted(staff_client, convention):
    payment = convention.payments.get(tranche__year=2026, kind=PaymentKind.ADVANCE)
    url = reverse("projects:payment_update", args=[payment.pk])
    data = {
        "tranche": payment.tranche_id,
        "kind": "advance",
        "condition": "Notification",
        "due_date": "2026-04-15",
        "amount": "17000",
    }
    response = staff_client.post(url, data)
    assert "Les paiements de 2026 atteindraient 21\u00a0000,00\u00a0€" in response.content.decode()
    response = staff_client.post(url, {**data, "amount": "15000"})
    assert response.status_code == 302
    payment.refresh_from_db()
    assert (payment.amount, payment.due_date) == (Decimal("15000.00"), datetime.date(2026, 4, 15))
    response = staff_client.post(
        reverse("projects:payment_create", args=[convention.pk]),
        {**data, "kind": "other", "amount": "1000", "condition": "Sur facture"},
    )
    assert response.status_code == 302
    assert convention.payments.filter(tranche__year=2026).count() == 3


def test_terminate_needs_a_reason(staff_client, convention):
    url = reverse("projects:convention_transition", args=[convention.pk])
    response = staff_client.post(url, {"to_status": "terminated"}, follow=True)
    assert "Indiquez le motif de la résiliation." in response.content.decode()
    staff_client.post(url, {"to_status": "terminated", "comment": "Dissolution."})
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.TERMINATED


def _report_post(**changes):
    data = {
        "activity_report": "Nous avons détourné 130 tonnes.",
        "financial_report": "Budget respecté.",
        "expenses": "98000",
        "attachments": SimpleUploadedFile("bilan.pdf", PDF, content_type="application/pdf"),
    }
    data.update(changes)
    return data


def test_beneficiary_submits_its_report_and_staff_approve(
    applicant_client, other_applicant_client, staff_client, convention, staff, settings
):
    settings.STAFF_NOTIFICATION_EMAIL = ""  # every officer is written to
    report = convention.reports.get(year=2024)
    indicator = convention.indicators.get()
    url = reverse("projects:space_report_submit", args=[report.pk])
    assert other_applicant_client.post(url, _report_post()).status_code == 404

    response = applicant_client.post(
        url,
        _report_post(
            attachments=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf"),
            **{f"indicator_{indicator.pk}": "130"},
        ),
    )
    assert "Ce type de fichier n&#x27;est pas accepté" in response.content.decode()
    assert "Nous avons détourné 130 tonnes." in response.content.decode()
    response = applicant_client.post(
        url, _report_post(attachments="", **{f"indicator_{indicator.pk}": "130"})
    )
    assert "Joignez au moins un document" in response.content.decode()
    response = applicant_client.post(url, _report_post(**{f"indicator_{indicator.pk}": "130"}))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.indicator_values.get().value == Decimal("130.00")
    assert [m.to for m in mail.outbox] == [[staff.email]]
    attachment = report.attachments.get()
    download = applicant_client.get(attachment.get_absolute_url())
    assert b"".join(download.streaming_content) == PDF
    download.close()  # a file download holds its file open
    assert other_applicant_client.get(attachment.get_absolute_url()).status_code == 404

    review = reverse("projects:report_review", args=[report.pk])
    response = staff_client.post(review, {"decision": "more", "comment": ""})
    assert "Précisez ce qui manque dans le rapport." in response.content.decode()
    staff_client.post(review, {"decision": "more", "comment": "Joindre le bilan signé."})
    report.refresh_from_db()
    assert report.status == ReportStatus.MORE_REQUESTED
    assert "Joindre le bilan signé." in mail.outbox[-1].body

    response = applicant_client.post(url, _report_post(attachments=""))
    assert "Ce champ est obligatoire." in response.content.decode()  # indicator values
    # The earlier document is still there: no new one needed.
    applicant_client.post(url, _report_post(attachments="", **{f"indicator_{indicator.pk}": "131"}))
    staff_client.post(review, {"decision": "approve"})
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    log = list(report.log.order_by("at", "pk").values_list("from_status", "to_status"))
    assert log == [
        ("expected", "submitted"),
        ("submitted", "more_requested"),
        ("more_requested", "submitted"),
        ("submitted", "approved"),
    ]
    balance = convention.payments.get(tranche__year=2024, kind=PaymentKind.BALANCE)
    staff_client.post(
        reverse("projects:payment_transition", args=[balance.pk]), {"to_status": "requested"}
    )
    balance.refresh_from_db()
    assert balance.status == PaymentStatus.REQUESTED


def test_report_of_a_draft_cannot_be_submitted(applicant_client, applicant_organisation):
    convention = make_convention(
        beneficiary=applicant_organisation, amounts={2026: 4000}, status=ConventionStatus.DRAFT
    )
    url = reverse("projects:space_report_submit", args=[convention.reports.get().pk])
    assert applicant_client.get(url).status_code == 404  # drafts are not shown to beneficiaries


def test_iban_is_validated_and_hidden_from_non_staff(applicant_client, staff_client, convention):
    url = reverse("projects:space_convention_bank_details", args=[convention.pk])
    response = applicant_client.post(
        url,
        {"account_holder": "Association", "iban": "FR76 3000 6000 0112 3456 7890 188", "bic": ""},
    )
    assert "Cet IBAN n&#x27;est pas valide" in response.content.decode()
    response = applicant_client.post(
        url,
        {"account_holder": "Association", "iban": "fr76 3000 6000 0112 3456 7890 189", "bic": "XX"},
    )
    assert "Ce BIC n&#x27;est pas valide" in response.content.decode()
    response = applicant_client.post(
        url,
        {
            "account_holder": "Association",
            "iban": "FR76 3000 6000 0112 3456 7890 189",
            "bic": "AGRIFRPP",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302
    convention.refresh_from_db()
    assert convention.iban == IBAN

    for page_url in (convention.get_space_url(), url):
        content = applicant_client.get(page_url).content.decode()
        assert "FR76 •••• •••• 0189" in content or "FR76 •••• •••• 0189" in content.replace(
            "&#x27;", "'"
        )
        assert "3000 6000 0112" not in content
        assert IBAN not in content
    pdf = applicant_client.get(reverse("projects:space_convention_pdf", args=[convention.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "3000 6000 0112" not in text and IBAN not in text
    staff_page = staff_client.get(convention.get_absolute_url()).content.decode()
    assert "FR76 3000 6000 0112 3456 7890 189" in staff_page


def test_beneficiary_sees_only_its_own_conventions_and_payments(
    applicant_client, other_applicant_client, convention, other_applicant
):
    other = make_convention(beneficiary=other_applicant.organisations.get(), amounts={2026: 4000})
    content = applicant_client.get(reverse("projects:space_convention_list")).content.decode()
    assert convention.reference in content
    assert other.reference not in content
    assert applicant_client.get(other.get_space_url()).status_code == 404
    assert (
        applicant_client.get(reverse("projects:space_convention_pdf", args=[other.pk])).status_code
        == 404
    )
    home = applicant_client.get(reverse("projects:space_home")).content.decode()
    assert convention.reference in home
    assert other.reference not in home
    assert "Rapports à envoyer" in home
    other_home = other_applicant_client.get(reverse("projects:space_home")).content.decode()
    assert convention.reference not in other_home


def test_convention_pdf_is_ready_to_sign(staff_client, convention):
    response = staff_client.get(reverse("projects:convention_pdf", args=[convention.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{convention.reference}.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Convention pluriannuelle d'objectifs" in text
    assert convention.reference in text
    assert "Article 4" in text
    assert "page 1 / " in text


def test_staff_records_a_structuring_project_and_public_page_lists_it(
    staff_client, anonymous_client
):
    carrier = OrganisationFactory()
    data = {
        "title": "Ressourcerie du Drac",
        "carrier": carrier.pk,
        "partners": [carrier.pk],
        "theme": "waste",
        "competence": "waste",
        "summary": "Réemploi des encombrants.",
        "objectives": "100 tonnes.",
        "status": "supported",
    }
    response = staff_client.post(reverse("projects:structuring_project_create"), data)
    content = response.content.decode()
    assert "La structure porteuse ne peut pas être aussi partenaire." in content
    assert "Choisissez les communes touchées par le projet" in content
    data.update(partners=[], communes=[Commune.objects.get(name="Fontaine").pk])
    response = staff_client.post(reverse("projects:structuring_project_create"), data)
    project = StructuringProject.objects.get()
    assert response["Location"] == project.get_absolute_url()
    StructuringProjectFactory(title="Projet à l'étude", status=StructuringProjectStatus.STUDY)
    public = anonymous_client.get(reverse("projects:public_structuring_projects")).content.decode()
    assert "Ressourcerie du Drac" in public
    assert "Fontaine" in public
    assert "Traitement des déchets" in public
    assert "Projet à l&#x27;étude" not in public


def test_daily_digest_goes_to_the_staff_group(
    convention, staff, django_capture_on_commit_callbacks, settings
):
    settings.STAFF_NOTIFICATION_EMAIL = ""  # no team mailbox: every officer is written to
    make_staff(email="karim@metro.example")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_staff_digest", "--date", "2026-11-29", stdout=io.StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == sorted([staff.email, "karim@metro.example"])
    message = mail.outbox[0]
    assert message.subject == "Conventions ESS : ce qui est à faire le 29 novembre 2026"
    assert "2 rapports en retard" in message.body
    assert convention.reference in message.body


def test_the_digest_is_plain_text_grouped_and_covers_all_the_staff_work(
    convention, staff, django_capture_on_commit_callbacks, settings
):
    from demo.factories.calls import application_in
    from demo.factories.communication import EventFactory
    from demo.factories.governance import MeetingFactory
    from projects.models import ApplicationStatus

    settings.STAFF_NOTIFICATION_EMAIL = "ess@metro.example"
    convention.beneficiary.name = "Association l'Épicerie & Cie"
    convention.beneficiary.save()
    application_in(ApplicationStatus.SUBMITTED, title="Tiers-lieu <solidaire>")
    EventFactory(proposed=True, title="Forum d'automne")
    MeetingFactory(date=datetime.date(2026, 12, 10), title="Programmation 2027", status="planned")
    late = convention.payments.filter(kind=PaymentKind.ADVANCE).order_by("pk").first()
    Payment.objects.filter(pk=late.pk).update(due_date=datetime.date(2026, 11, 1))
    convention.payments.exclude(pk=late.pk).filter(kind=PaymentKind.ADVANCE).update(
        due_date=datetime.date(2026, 12, 4)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_staff_digest", "--date", "2026-11-29", stdout=io.StringIO())
    body = mail.outbox[0].body
    assert "&#x27;" not in body and "&amp;" not in body and "&lt;" not in body
    assert "Association l'Épicerie & Cie" in body
    assert "Solde à l'approbation" not in body or "&#x27;" not in body
    # Overdue payments apart from those due soon; no heading without rows.
    assert "1 paiement en retard :\n- 1 novembre 2026" in body
    assert "2 paiements à échéance sous 30 jours :" in body
    assert "rapport à examiner" not in body and "rapports à examiner" not in body
    assert "1 dossier en attente d'instruction :" in body
    assert "Tiers-lieu <solidaire>" in body
    assert "1 proposition d'événement à examiner :" in body and "Forum d'automne" in body
    assert "1 séance à préparer (membres pas encore convoqués) :" in body
    assert "Programmation 2027" in body


def test_digest_goes_to_the_team_mailbox_when_there_is_one(
    convention, staff, django_capture_on_commit_callbacks, settings
):
    settings.STAFF_NOTIFICATION_EMAIL = "ess@metro.example"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_staff_digest", "--date", "2026-11-29", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["ess@metro.example"]]


def test_digest_sends_nothing_when_nothing_is_due(staff):
    out = io.StringIO()
    call_command("send_staff_digest", stdout=out)
    assert mail.outbox == []
    assert "Nothing to report" in out.getvalue()


def test_dashboard_shows_overdue_reports_and_payments_due(staff_client, convention):
    content = staff_client.get(reverse("projects:convention_dashboard")).content.decode()
    assert "Rapports en retard" in content
    assert "rapport 2024 attendu le 30 juin 2025" in content
    assert "Paiements à échéance sous 30 jours" in content


def test_staff_edit_a_draft_then_only_the_wording_once_signed(staff_client):
    organisation = OrganisationFactory()
    convention = make_convention(
        beneficiary=organisation,
        amounts={2024: 20000, 2025: 20000, 2026: 20000},
        status=ConventionStatus.DRAFT,
    )
    url = reverse("projects:convention_update", args=[convention.pk])
    assert "Tranches annuelles" in staff_client.get(url).content.decode()
    data = convention_data(
        organisation,
        **{
            "title": "Recyclerie solidaire (v2)",
            "end_year": "2025",
            "amount_granted": "8000",
            "tranches-0-amount": "4000",
            "tranches-1-amount": "4000",
            "tranches-2-year": "",
            "tranches-2-amount": "",
            "tranches-2-programme_line": "",
        },
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302
    convention.refresh_from_db()
    assert (convention.title, convention.end_year) == ("Recyclerie solidaire (v2)", 2025)
    assert sorted(p.kind for p in convention.payments.all()) == ["single", "single"]
    assert list(convention.reports.values_list("year", flat=True)) == [2024, 2025]

    Convention.objects.filter(pk=convention.pk).update(status=ConventionStatus.SIGNED)
    page = staff_client.get(url).content.decode()
    assert "ses années et ses montants ne peuvent plus changer" in page
    response = staff_client.post(url, {**data, "title": "Titre définitif", "amount_granted": "1"})
    assert response.status_code == 302
    convention.refresh_from_db()
    assert (convention.title, convention.amount_granted) == ("Titre définitif", Decimal("8000.00"))


def test_dashboard_filter_answers_htmx_with_the_table_only(staff_client, convention):
    url = reverse("projects:convention_dashboard")
    response = staff_client.get(url, {"statut": "running"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="convention-table">')
    assert convention.reference in content
    assert "<html" not in content
    response = staff_client.get(url, {"statut": "closed"}, HTTP_HX_REQUEST="true")
    assert convention.reference not in response.content.decode()


def test_beneficiary_reads_what_the_metro_asks_for(applicant_client, convention, staff):
    from projects.conventions import services

    report = convention.reports.get(year=2024)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
    services.report_review(report=report, user=staff, approve=False, comment="Joindre le bilan.")
    page = applicant_client.get(reverse("projects:space_report_submit", args=[report.pk]))
    assert "La Métropole demande des compléments" in page.content.decode()
    assert "Joindre le bilan." in page.content.decode()


def test_de_minimis_check_while_preparing_a_grant(staff_client):
    company = OrganisationFactory(cooperative=True)
    make_convention(beneficiary=company, amounts={2025: 280000}, signed_on=datetime.date.today())
    url = reverse("projects:de_minimis_check")
    response = staff_client.get(url, {"beneficiary": company.pk, "amount_granted": "10000"})
    assert "a reçu 280\u00a0000,00\u00a0€ de la Métropole sur les 3 dernières années" in (
        response.content.decode()
    )
    assert "alert-warning" not in response.content.decode()
    response = staff_client.get(url, {"beneficiary": company.pk, "amount_granted": "20000,01"})
    assert "le plafond de 300\u00a0000\u00a0€ serait dépassé" in response.content.decode()
    commune = OrganisationFactory(legal_form="commune", rna="")
    response = staff_client.get(url, {"beneficiary": commune.pk, "amount_granted": "900000"})
    assert "De minimis" not in response.content.decode()
    form = staff_client.get(reverse("projects:convention_create")).content.decode()
    assert 'id="de-minimis"' in form
    assert f'data-hx-get="{url}"' in form


def test_the_years_table_gives_the_report_deadline_without_repeating_its_status(
    staff_client, convention
):
    page = staff_client.get(convention.get_absolute_url()).content.decode()
    assert "Attendu" in page  # the report's status…
    assert "Échéance : 30 juin 2025" in page  # …then its deadline, not « attendu le »
    assert "attendu le" not in page


def test_a_tranche_above_its_programme_line_is_warned_on_the_page(staff_client, staff):
    convention = make_convention(amounts={2026: 20000}, status=ConventionStatus.DRAFT, user=staff)
    line = convention.tranches.get().programme_line
    line.planned_amount = Decimal("15000")
    line.save(update_fields=["planned_amount"])
    page = staff_client.get(convention.get_absolute_url()).content.decode()
    assert (
        page.count("La tranche 2026 (20\u00a0000,00\u00a0€) dépasse les 15\u00a0000,00\u00a0€") == 1
    )
    line.planned_amount = Decimal("20000")
    line.save(update_fields=["planned_amount"])
    page = staff_client.get(convention.get_absolute_url()).content.decode()
    assert "dépasse les" not in page


def test_the_de_minimis_hint_follows_the_last_state_of_amount_and_sieg(staff_client):
    company = OrganisationFactory(cooperative=True)
    make_convention(beneficiary=company, amounts={2025: 280000}, signed_on=datetime.date.today())
    url = reverse("projects:de_minimis_check")
    # One request carries the three fields: the amount typed and « SIEG » ticked together.
    both = staff_client.get(
        url, {"beneficiary": company.pk, "amount_granted": "60000", "sieg": "on"}
    ).content.decode()
    assert "serait dépassé" not in both
    assert "750\u00a0000" in both
    unticked = staff_client.get(
        url, {"beneficiary": company.pk, "amount_granted": "60000"}
    ).content.decode()
    assert "le plafond de 300\u00a0000\u00a0€ serait dépassé" in unticked
    # The form's fields replace a request still running by the newer one: the last state wins.
    form = staff_client.get(reverse("projects:convention_create")).content.decode()
    assert form.count('data-hx-sync="closest form:replace"') >= 3
