import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communication import services
from communication.models import (
    CommunicationStrategy,
    GroupMeeting,
    NewsItem,
    StrategyStatus,
    StrategyTransition,
    WorkingGroup,
)
from demo.factories.communication import (
    EventFactory,
    StrategyActionFactory,
    StrategyFactory,
    WorkingGroupFactory,
)
from programme.models import AnnualProgramme, Axis, Plan, ProgrammeLine

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _line(orientation: int) -> ProgrammeLine:
    programme, _ = AnnualProgramme.objects.get_or_create(plan=Plan.objects.current(), year=2031)
    return ProgrammeLine.objects.create(
        programme=programme,
        axis=Axis.objects.filter(orientation__number=orientation).first(),
        title=f"Ligne de l'orientation {orientation}",
        planned_amount=Decimal("20000.00"),
    )


# --- working group ---------------------------------------------------------------------------


def test_staff_create_a_working_group_and_record_meetings(staff_client, staff, committee_member):
    response = staff_client.post(
        reverse("communication:group_create"),
        {
            "name": "Groupe communication",
            "mandate": "Proposer la stratégie de communication.",
            "members": [staff.pk, committee_member.pk],
        },
    )
    group = WorkingGroup.objects.get()
    assert response.status_code == 302
    assert set(group.members.all()) == {staff, committee_member}
    response = staff_client.post(
        group.get_absolute_url(),
        {"date": "2030-02-03", "place": "Métro", "notes": "Bilan du Mois de l'ESS."},
    )
    assert response.status_code == 302
    meeting = GroupMeeting.objects.get()
    assert (meeting.group, meeting.date) == (group, datetime.date(2030, 2, 3))
    content = staff_client.get(group.get_absolute_url()).content.decode()
    assert "Bilan du Mois de l" in content


def test_a_meeting_without_date_is_refused_in_french(staff_client):
    group = WorkingGroupFactory()
    response = staff_client.post(group.get_absolute_url(), {"date": "", "notes": "Notes gardées"})
    content = response.content.decode()
    assert "Ce champ est obligatoire." in content
    assert "Notes gardées" in content
    assert not GroupMeeting.objects.exists()


# --- strategy --------------------------------------------------------------------------------


def test_staff_draft_a_strategy_with_document_and_actions_then_submit_it(staff_client, staff):
    group = WorkingGroupFactory()
    response = staff_client.post(
        reverse("communication:strategy_create"),
        {
            "year": "2031",
            "title": "Stratégie 2031",
            "summary": "Faire connaître l'ESS.",
            "working_group": group.pk,
            "document": SimpleUploadedFile("strategie.pdf", PDF, content_type="application/pdf"),
        },
    )
    strategy = CommunicationStrategy.objects.get()
    assert response.status_code == 302 and strategy.document
    line = _line(1)
    response = staff_client.post(
        strategy.get_absolute_url(),
        {
            "title": "Programme imprimé",
            "description": "",
            "starts_on": "2031-09-01",
            "ends_on": "2031-10-15",
            "budget": "4500.00",
            "programme_line": line.pk,
        },
    )
    assert response.status_code == 302
    action = strategy.actions.get()
    assert (action.budget, action.programme_line) == (Decimal("4500.00"), line)
    content = staff_client.get(strategy.get_absolute_url()).content.decode()
    assert "4\u202f500,00\u00a0€" in content or "4\u00a0500,00\u00a0€" in content
    staff_client.post(reverse("communication:strategy_submit", args=[2031]))
    strategy.refresh_from_db()
    assert strategy.status == StrategyStatus.SUBMITTED and strategy.submitted_at
    log = StrategyTransition.objects.get()
    assert (log.user, log.from_status, log.to_status) == (staff, "draft", "submitted")
    # A submitted strategy is no longer editable.
    assert (
        staff_client.get(reverse("communication:strategy_update", args=[2031])).status_code == 403
    )


def test_action_must_use_an_orientation_one_line_and_a_coherent_calendar(staff_client):
    strategy = StrategyFactory(year=2031)
    other_line = _line(2)
    response = staff_client.post(
        strategy.get_absolute_url(),
        {
            "title": "Action",
            "starts_on": "2031-10-01",
            "ends_on": "2031-09-01",
            "budget": "100",
            "programme_line": other_line.pk,
        },
    )
    content = response.content.decode()
    assert "La fin doit venir après le début." in content
    assert "Sélectionnez un choix valide" in content
    assert not strategy.actions.exists()


def test_a_strategy_without_action_cannot_be_submitted(staff_client):
    StrategyFactory(year=2031)
    response = staff_client.post(reverse("communication:strategy_submit", args=[2031]), follow=True)
    assert "Ajoutez au moins une action avant de soumettre la stratégie." in (
        response.content.decode()
    )


def test_a_document_of_a_wrong_type_is_refused(staff_client):
    response = staff_client.post(
        reverse("communication:strategy_create"),
        {
            "year": "2031",
            "title": "Stratégie 2031",
            "document": SimpleUploadedFile("virus.exe", b"MZ\x90\x00binary", "application/pdf"),
        },
    )
    assert "Ce type de fichier n" in response.content.decode()
    assert not CommunicationStrategy.objects.exists()


def test_validation_comes_only_from_the_committee_opinion(staff, committee_member):
    strategy = StrategyActionFactory(strategy__year=2031).strategy
    with pytest.raises(ValidationError):
        services.strategy_validate(strategy=strategy, user=committee_member)
    services.strategy_submit(strategy=strategy, user=staff)
    validated = services.strategy_validate(
        strategy=strategy, user=committee_member, comment="Avis favorable"
    )
    assert validated.status == StrategyStatus.VALIDATED and validated.validated_at
    assert list(strategy.transitions.values_list("to_status", "comment")) == [
        ("submitted", ""),
        ("validated", "Avis favorable"),
    ]
    with pytest.raises(ValidationError):
        services.strategy_submit(strategy=strategy, user=staff)


def test_staff_can_take_a_submitted_strategy_back(staff_client, staff):
    strategy = StrategyActionFactory(strategy__year=2031).strategy
    services.strategy_submit(strategy=strategy, user=staff)
    staff_client.post(reverse("communication:strategy_withdraw", args=[2031]))
    strategy.refresh_from_db()
    assert strategy.status == StrategyStatus.DRAFT


def test_committee_members_read_the_submitted_strategy(committee_client, staff):
    strategy = StrategyActionFactory(strategy__year=2031, title="Forum de l'emploi").strategy
    services.strategy_submit(strategy=strategy, user=staff)
    content = committee_client.get(strategy.get_absolute_url()).content.decode()
    assert "Forum de l&#x27;emploi" in content
    assert "Soumise au comité de suivi" in content
    assert "Soumettre au comité" not in content  # no staff buttons
    response = committee_client.post(strategy.get_absolute_url(), {"title": "x"})
    assert response.status_code == 403


# --- news ------------------------------------------------------------------------------------


def test_staff_publish_news_linked_to_an_event_a_call_and_a_programme(staff_client, client):
    event = EventFactory(title="Forum ESS")
    response = staff_client.post(
        reverse("communication:staff_news_create"),
        {
            "title": "Le forum approche",
            "text": "Rendez-vous au forum.",
            "published_on": "2020-01-01",
            "event": event.pk,
            "call_url": "https://portail.example/appels/innovation-2030/",
            "programme_year": "2030",
        },
    )
    item = NewsItem.objects.get()
    assert response.status_code == 302
    assert item.slug == "le-forum-approche"
    content = client.get(item.get_absolute_url()).content.decode()
    assert event.get_absolute_url() in content
    assert "https://portail.example/appels/innovation-2030/" in content
    assert "La programmation annuelle 2030" in content
    assert item.title in client.get(reverse("communication:news_list")).content.decode()


def test_news_without_title_is_refused_in_french(staff_client):
    response = staff_client.post(
        reverse("communication:staff_news_create"),
        {"title": "", "text": "Texte gardé", "published_on": "2020-01-01"},
    )
    content = response.content.decode()
    assert "Ce champ est obligatoire." in content and "Texte gardé" in content


def test_strategy_pdf_lists_actions_and_budget(committee_client, staff):
    import io

    from pypdf import PdfReader

    action = StrategyActionFactory(strategy__year=2031, title="Forum de l'emploi")
    services.strategy_submit(strategy=action.strategy, user=staff)
    response = committee_client.get(reverse("communication:strategy_pdf", args=[2031]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Forum de l'emploi" in text, text
    assert "1 500,00" in text.replace("\u202f", " ").replace("\u00a0", " ")
    assert "Stratégie de communication 2031 — Soumise au comité" in text
    assert "septembre 2030" in text and "Sep 2030" not in text  # months in full


def test_staff_delete_a_news_item(staff_client):
    from demo.factories.communication import NewsFactory

    item = NewsFactory()
    response = staff_client.post(reverse("communication:staff_news_delete", args=[item.pk]))
    assert response.status_code == 302
    assert not NewsItem.objects.exists()


def test_home_page_lists_upcoming_events(client):
    event = EventFactory(title="Forum de la Métro")
    EventFactory(title="Proposition cachée", proposed=True)
    content = client.get("/").content.decode()
    assert event.title in content and event.get_absolute_url() in content
    assert "Proposition cachée" not in content
