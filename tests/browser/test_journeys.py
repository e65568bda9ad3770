"""The portal used as people use it: by clicking on what they read (French labels and roles,
never ids), from the first visit to the end of each journey."""

import re

import pytest
from django.core import mail

from demo.factories.calls import CallFactory

from .conftest import field, log_in

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _sign_up_and_confirm(page, email):
    page.goto("/")
    page.get_by_role("link", name="Créer un compte").first.click()
    field(page, "Prénom").fill("Inès")
    field(page, "Nom").fill("Da Silva")
    field(page, "Adresse e-mail").fill(email)
    field(page, "Mot de passe").fill("Vélo-cargo 2027 !")
    field(page, "Confirmation du mot de passe").fill("Vélo-cargo 2027 !")
    page.get_by_label(re.compile("J'accepte que la Métro traite mes données")).check()
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_load_state()
    message = next(m for m in mail.outbox if email in m.to)
    link = re.search(r"https?://\S+/compte/confirmer/\S+", message.body).group(0)
    page.goto(link[link.index("/compte/") :])
    page.wait_for_load_state()


def _register_association(page):
    page.get_by_role("link", name="Enregistrer une structure").first.click()
    field(page, "Nom").fill("Vélos Solidaires d'Échirolles")
    field(page, "Forme juridique").select_option(label="Association")
    field(page, "Numéro RNA").fill("W381012345")
    field(page, "Adresse").fill("12 rue des Écoles")
    field(page, "Code postal").fill("38130")
    field(page, "Commune").select_option(label="Échirolles")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_load_state()


def _fill_the_file(page):
    field(page, "Résumé du projet").fill("Un atelier de réparation de vélos.")
    field(page, "Besoin social auquel répond le projet").fill("Se déplacer à moindre coût.")
    field(page, "Ce qui est innovant").fill("Des ateliers mobiles dans les quartiers.")
    field(page, "Résultats attendus et indicateurs").fill("300 vélos réparés par an.")
    field(page, "Échirolles").check()
    field(page, "Grenoble").check()
    field(page, "Date de début").fill("2027-03-01")
    field(page, "Date de fin").fill("2027-12-31")
    field(page, "Principales étapes").fill("Mars : ouverture ; juin : atelier mobile.")
    field(page, "Nom du contact").fill("Inès Da Silva")
    field(page, "Courriel du contact").fill("ines@velos.example")
    field(page, "Dépenses 1 — Libellé").fill("Outillage")
    field(page, "Dépenses 1 — Montant (€)").fill("20000")
    field(page, "Cofinancement 1 — Libellé").fill("Région")
    field(page, "Cofinancement 1 — Montant (€)").fill("10000")
    field(page, "Montant demandé à la Métropole (€)").fill("10000")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_load_state()


def _upload(page, title, tmp_path):
    path = tmp_path / f"{title}.pdf"
    path.write_bytes(PDF)
    field(page, "Pièce").select_option(label=title)
    field(page, "Fichier").set_input_files(path)
    page.get_by_role("button", name="Ajouter").click()
    page.wait_for_load_state()


def test_a_newcomer_signs_up_registers_applies_and_gets_the_receipt(page, tmp_path):
    page.set_default_timeout(90_000)  # a shared CI machine can be slow
    call = CallFactory(title="Appel innovation sociale 2027")
    _sign_up_and_confirm(page, "ines@velos.example")
    log_in(page, "ines@velos.example", "Vélo-cargo 2027 !")
    page.get_by_role("link", name="Appels à projets").first.click()
    page.get_by_role("link", name=call.title).click()
    page.get_by_role("link", name="Déposer un projet").click()
    _register_association(page)  # asked first: the file is the organisation's
    assert "La structure a été enregistrée." in page.get_by_role("main").inner_text()
    assert field(page, "Structure porteuse du projet").input_value()  # her one organisation
    field(page, "Titre du projet").fill("Atelier vélo mobile")
    page.get_by_role("button", name="Commencer mon dossier").click()
    page.wait_for_load_state()
    _fill_the_file(page)
    _upload(page, "Statuts", tmp_path)
    _upload(page, "Budget prévisionnel", tmp_path)
    page.get_by_role("button", name="Déposer mon dossier").click()
    page.wait_for_load_state()
    main = page.get_by_role("main")
    assert "Atelier vélo mobile" in main.inner_text()
    receipt = main.get_by_role("link", name=re.compile("récépissé", re.IGNORECASE)).first
    response = page.request.get(receipt.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    to_her = [message for message in mail.outbox if "ines@velos.example" in message.to]
    assert len(to_her) >= 2  # the confirmation, then the receipt of the submission
    assert page.console_errors == []


def test_a_committee_member_comments_on_the_submitted_programme(page):
    from demo.factories.core import PASSWORD, UserFactory, make_committee_member
    from demo.factories.programme import LineFactory, ProgrammeFactory
    from programme.models import ProgrammeStatus

    page.set_default_timeout(90_000)
    member = make_committee_member(person=UserFactory(email="membre@comite.example"))
    programme = ProgrammeFactory(year=2027, status=ProgrammeStatus.SUBMITTED)
    line = LineFactory(programme=programme, title="Mois de l'ESS 2027")
    log_in(page, member.email, PASSWORD)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Comité"
    ).click()
    page.get_by_role("link", name=str(programme)).click()
    card = page.get_by_role("article").filter(has_text=line.title)
    field(card, "Votre commentaire").fill("Prévoir des rendez-vous dans les communes.")
    card.get_by_role("button", name="Commenter cette ligne").click()
    page.wait_for_load_state()
    card = page.get_by_role("article").filter(has_text=line.title)
    assert "Prévoir des rendez-vous dans les communes." in card.inner_text()
    assert page.console_errors == []


def _meeting_held_with_quorum(staff, *, days_ago):
    """A later meeting, held with every seat present (made directly: the journey is the
    earlier one)."""
    import datetime

    from django.utils import timezone

    from demo.factories.governance import AgendaItemFactory, MeetingFactory
    from governance import services
    from governance.models import Presence
    from governance.selectors import seats_on

    date = timezone.localdate() - datetime.timedelta(days=days_ago)
    meeting = MeetingFactory(date=date, title="Séance de suivi")
    AgendaItemFactory(meeting=meeting)
    services.meeting_convene(meeting=meeting, user=staff, send=False)
    presences = {seat.pk: Presence.PRESENT for seat in seats_on(date)}
    services.attendance_record(meeting=meeting, user=staff, presences=presences)
    return meeting


def test_staff_hold_a_meeting_through_to_approved_minutes(page):
    import datetime

    from django.utils import timezone

    from demo.factories.core import PASSWORD, make_staff
    from demo.factories.governance import seat

    page.set_default_timeout(90_000)
    page.on("dialog", lambda dialog: dialog.accept())  # « Convoquer ? » asks for a confirmation
    staff = make_staff(email="agent@metro.example")
    for _ in range(3):
        seat()
    held_on = timezone.localdate() - datetime.timedelta(days=7)
    later = _meeting_held_with_quorum(staff, days_ago=1)
    log_in(page, staff.email, PASSWORD)
    page.get_by_role("link", name="Gestion", exact=True).click()
    page.get_by_role("link", name="Séances du comité").first.click()
    page.get_by_role("link", name="Programmer une séance").click()
    field(page, "Temps fort").select_option(label="Autre séance")
    field(page, "Année concernée").fill(str(held_on.year))
    field(page, "Titre").fill("Séance exceptionnelle")
    field(page, "Date").fill(held_on.isoformat())
    field(page, "Heure de début").fill("14:00")
    field(page, "Heure de fin").fill("16:00")
    field(page, "Lieu").fill("Forum de la Métropole")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("link", name="Ajouter un point à l'ordre du jour").click()
    field(page, "Début").fill("14:00")
    field(page, "Fin").fill("15:00")
    field(page, "Sujet").fill("Bilan des actions de l'année")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("button", name="Convoquer les membres").click()
    page.get_by_role("link", name="Saisir les présences").click()
    for select in page.get_by_label(re.compile("^Présence d")).all():
        select.select_option(label="Présent·e")
    page.get_by_role("button", name="Saisir les présences").click()
    assert "Le quorum du comité est atteint" in page.get_by_role("main").inner_text()
    page.get_by_role("link", name="Rédiger le procès-verbal").click()
    field(page, "Procès-verbal").fill("Le comité a examiné le bilan des actions de l'année.")
    page.get_by_role("button", name="Enregistrer le procès-verbal").click()
    field(page, "Approuvé à la séance du").select_option(value=str(later.pk))
    page.get_by_role("button", name="Marquer comme approuvé").click()
    page.wait_for_load_state()
    assert "Procès-verbal approuvé" in page.get_by_role("main").inner_text()
    assert page.console_errors == []


def _a_submitted_file():
    """A complete file submitted by an association to this year's call, funded by a line of
    this year's programme (made directly: submitting is the newcomer's journey)."""
    from django.utils import timezone

    from demo.factories.calls import application_in, make_line
    from demo.factories.core import MembershipFactory
    from projects.models import ApplicationStatus

    year = timezone.localdate().year
    call = CallFactory(year=year, programme_line=make_line(year=year))
    membership = MembershipFactory(organisation__name="Vélos Solidaires d'Échirolles")
    return application_in(
        ApplicationStatus.SUBMITTED,
        call=call,
        organisation=membership.organisation,
        created_by=membership.user,
        title="Atelier vélo mobile",
    )


def _the_beneficiary_gives_its_bank_details(application):
    """The association gives its RIB from its space (made directly: that is its journey)."""
    from projects.conventions.services import convention_set_bank_details

    application.refresh_from_db()
    convention_set_bank_details(
        convention=application.convention,
        account_holder="Vélos Solidaires d'Échirolles",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
        user=application.created_by,
    )


def _main_text(page) -> str:
    return page.get_by_role("main").inner_text()


def _file_status(page) -> str:
    """The line under the file's title: its call, its organisation and its status badge."""
    organisation = page.get_by_role("link", name="Vélos Solidaires d'Échirolles")
    return page.get_by_role("paragraph").filter(has=organisation).inner_text()


def _instruct_to_a_decision(page, application):
    page.goto("/gestion/dossiers/")
    assert "Déposé" in page.get_by_role("row").filter(has_text=application.title).inner_text()
    page.get_by_role("link", name=re.compile(application.reference)).first.click()
    assert _file_status(page).endswith("Déposé")
    field(page, "Recevable").check()
    field(page, "Commentaire").first.fill("Dossier complet, structure éligible.")
    page.get_by_role("button", name="Enregistrer la recevabilité").click()
    assert "La recevabilité a été enregistrée." in _main_text(page)
    assert _file_status(page).endswith("Recevable")
    page.get_by_role("link", name="Diagnostic économique").click()
    for criterion, score in (("Utilité sociale", "4"), ("Innovation", "4"), ("Viabilité", "3")):
        page.get_by_label(f"{criterion} (poids").select_option(score)
    field(page, "Analyse financière").fill("Budget équilibré, cofinancement acquis.")
    field(page, "Risques").fill("Dépendance à un seul salarié.")
    field(page, "Recommandation").select_option(label="Favorable")
    field(page, "Montant proposé (€)").fill("10000")
    page.get_by_role("button", name="Enregistrer et marquer comme diagnostiqué").click()
    assert "Le diagnostic est terminé." in _main_text(page)
    assert _file_status(page).endswith("Diagnostiqué")
    field(page, "Avis du comité").select_option(label="Favorable")
    field(page, "Avis").fill("Le comité soutient l'atelier mobile.")
    page.get_by_role("button", name="Enregistrer l'avis du comité").click()
    assert "L'avis du comité a été enregistré." in _main_text(page)
    assert _file_status(page).endswith("Avis du comité rendu")
    page.get_by_role("link", name="Enregistrer la décision").click()
    field(page, "Accordé").check()
    assert field(page, "Montant accordé (€)").input_value()  # the proposed amount, offered
    field(page, "Référence de la délibération du conseil").fill("DEL-2026-042")
    field(page, "Date de la délibération du conseil").fill(_today())
    page.get_by_role("button", name="Enregistrer la décision").click()
    main = _main_text(page)
    assert "La décision a été enregistrée et le porteur de projet prévenu." in main
    assert "Accordé — 10\xa0000,00\xa0€" in main
    assert _file_status(page).endswith("Accordé")
    assert any(application.created_by.email in message.to for message in mail.outbox)


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


def test_staff_instruct_a_file_to_a_convention_and_a_payment(page):
    from demo.factories.core import PASSWORD, make_staff

    page.set_default_timeout(90_000)  # a shared CI machine can be slow
    staff = make_staff(email="instructrice@metro.example")
    application = _a_submitted_file()
    log_in(page, staff.email, PASSWORD)
    _instruct_to_a_decision(page, application)
    page.get_by_role("button", name="Préparer la convention").click()
    _sign_the_convention_and_pay_the_advance(page, application)
    assert page.console_errors == []


def _sign_the_convention_and_pay_the_advance(page, application):
    main = _main_text(page)
    assert "Un projet de convention a été préparé : vérifiez-le et complétez-le." in main
    assert "Brouillon" in main and "Pas encore renseignées." in main
    field(page, "Nouveau statut").select_option(label="Signée")
    field(page, "Date de signature").fill(_today())
    page.get_by_role("button", name="Appliquer").click()
    assert "La convention est maintenant « Signée »." in _main_text(page)
    _the_beneficiary_gives_its_bank_details(application)
    page.reload()
    warning = page.get_by_role("alert").filter(
        has_text="Nouvelles coordonnées bancaires à confirmer"
    )
    by = application.created_by.get_full_name()  # the association's member, not staff
    assert f"Modification faite par {by}" in warning.inner_text()
    page.get_by_role("button", name="Confirmer les nouvelles coordonnées bancaires").click()
    main = _main_text(page)
    assert "Nouvelles coordonnées bancaires à confirmer" not in main
    assert "Les nouvelles coordonnées bancaires sont confirmées" in main
    advance = page.get_by_role("row").filter(has_text="Avance à la notification")
    advance.get_by_role("button", name="Demander").click()
    assert "Le paiement est maintenant « Demandé à la comptabilité »." in _main_text(page)
    advance = page.get_by_role("row").filter(has_text="Avance à la notification")
    assert "8\xa0000,00\xa0€" in advance.inner_text()
    advance.get_by_role("link", name="Enregistrer le paiement").click()
    field(page, "Date de paiement").fill(_today())
    field(page, "Référence comptable").fill("MANDAT-2026-1187")
    page.get_by_role("button", name="Enregistrer le paiement").click()
    main = _main_text(page)
    assert "Le paiement est maintenant « Versé »." in main
    assert "· En cours" in main  # the first payment starts the convention
    advance = page.get_by_role("row").filter(has_text="Avance à la notification")
    assert "Versé" in advance.inner_text() and "MANDAT-2026-1187" in advance.inner_text()
    year = page.get_by_role("row").filter(has_text="Appel à projets innovation sociale")
    assert "8\xa0000,00\xa0€" in year.inner_text()  # paid
    assert "2\xa0000,00\xa0€" in year.inner_text()  # left to pay: the balance
