"""The workflows, predicates, notifications and audit trails of the communication app."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from communication import services
from communication.models import (
    CommunicationStrategy,
    DatasetStatus,
    Event,
    EventStatus,
    StrategyStatus,
)
from communication.permissions import (
    can_discard_dataset,
    can_edit_strategy_content,
    can_import_statistics,
    can_propose_event,
    can_publish_event,
    can_validate_strategy,
)
from demo.factories.communication import (
    DatasetFactory,
    EventFactory,
    StrategyActionFactory,
    StrategyFactory,
)
from ess_metro import workflow

pytestmark = pytest.mark.django_db


def _names(obj, user):
    return [action.name for action in workflow.actions_for(obj, user)]


# --- events ----------------------------------------------------------------------------------


def test_event_buttons_follow_the_status_and_the_role(staff, applicant):
    event = EventFactory(proposed=True)
    assert _names(event, staff) == ["publish"]
    assert _names(event, applicant) == []
    services.event_publish(event=event, user=staff)
    event.refresh_from_db()
    assert _names(event, staff) == ["unpublish"]
    assert event.published_at is not None


def test_an_event_status_saved_outside_the_workflow_is_refused():
    event = EventFactory(proposed=True)
    event.status = EventStatus.PUBLISHED
    with pytest.raises(workflow.StatusChangedOutsideWorkflow):
        event.save()


def test_the_transition_reasons_are_french(staff):
    event = EventFactory()
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        services.event_publish(event=event, user=staff)
    assert error.value.messages == ["Cet événement est déjà publié."]
    proposal = EventFactory(proposed=True)
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        services.event_unpublish(event=proposal, user=staff)
    assert error.value.messages == ["Cet événement n'est pas publié."]


def test_a_member_may_not_publish(applicant):
    event = EventFactory(proposed=True, organiser=applicant.organisations.get())
    with pytest.raises(PermissionDenied):
        services.event_publish(event=event, user=applicant)
    assert Event.objects.get(pk=event.pk).status == EventStatus.PROPOSED


def test_publishing_an_invalid_event_is_refused_and_changes_nothing(staff):
    event = EventFactory(proposed=True, budget=Decimal("100.00"))  # a budget without its line
    with pytest.raises(ValidationError):
        services.event_publish(event=event, user=staff)
    assert Event.objects.get(pk=event.pk).status == EventStatus.PROPOSED
    assert not event.transitions.exists()


def test_the_proposal_goes_to_the_team_mailbox_when_there_is_one(
    applicant, django_capture_on_commit_callbacks, settings
):
    from communication.forms import EventProposalForm
    from tests.communication.test_events import _form_data

    settings.STAFF_NOTIFICATION_EMAIL = "ess@exemple.fr"
    organisation = applicant.organisations.get()
    form = EventProposalForm(_form_data(organisation), organisations=applicant.organisations.all())
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        event = services.event_propose(form=form, user=applicant)
    assert mail.outbox[-1].to == ["ess@exemple.fr"]
    assert list(event.transitions.values_list("from_status", "to_status", "user")) == [
        ("", "proposed", applicant.pk)
    ]


def test_no_mail_when_staff_publish_their_own_event(staff, django_capture_on_commit_callbacks):
    event = EventFactory(proposed=True, proposed_by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_publish(event=event, user=staff)
    assert mail.outbox == []


def test_the_staff_page_shows_the_history_buttons_and_the_budget_audit(staff_client, staff):
    event = EventFactory(proposed=True)
    services.event_publish(event=event, user=staff)
    event.refresh_from_db()
    event.budget = Decimal("250.00")
    event._history_user = staff
    event.save()
    page = staff_client.get(reverse("communication:staff_event_update", args=[event.pk]))
    content = page.content.decode()
    assert "Retirer de l&#x27;agenda" in content and "Publier dans l&#x27;agenda" not in content
    assert "Modifications des champs sensibles" in content
    assert "250,00" in content
    assert 'class="badge text-bg-success"' in content


# --- strategy --------------------------------------------------------------------------------


def test_strategy_buttons(staff, committee_member):
    strategy = StrategyFactory()
    assert _names(strategy, staff) == []  # no action yet
    StrategyActionFactory(strategy=strategy)
    assert _names(strategy, staff) == ["submit"]
    assert _names(strategy, committee_member) == []
    services.strategy_submit(strategy=strategy, user=staff)
    strategy.refresh_from_db()
    assert _names(strategy, staff) == ["withdraw"]  # validation is never a button


def test_strategy_reasons(staff):
    strategy = StrategyFactory()
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        services.strategy_withdraw(strategy=strategy, user=staff)
    assert error.value.messages == ["Seule une stratégie soumise au comité peut être reprise."]


def test_the_strategy_page_shows_the_budget_audit_to_staff_only(
    staff_client, committee_client, staff
):
    action = StrategyActionFactory(strategy__year=2031, title="Programme imprimé")
    action.budget = Decimal("1800.00")
    action._history_user = staff
    action.save()
    url = action.strategy.get_absolute_url()
    content = staff_client.get(url).content.decode()
    assert "Modifications des champs sensibles" in content
    assert "Programme imprimé — budget (€)" in content
    assert "Soumettre au comité" in content
    committee = committee_client.get(url).content.decode()
    assert "Modifications des champs sensibles" not in committee


def test_a_submitted_strategy_keeps_its_actions(staff_client, staff):
    action = StrategyActionFactory(strategy__year=2031)
    services.strategy_submit(strategy=action.strategy, user=staff)
    url = reverse("communication:strategy_action_delete", args=[2031, action.pk])
    assert staff_client.post(url).status_code == 403
    assert action.strategy.actions.count() == 1


def test_the_strategy_document_is_a_private_download(committee_client):
    from django.core.files.base import ContentFile

    strategy = StrategyFactory(year=2031)
    strategy.document.save("strategie.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    response = committee_client.get(reverse("communication:strategy_document", args=[2031]))
    assert response["Cache-Control"] == "private, no-store"
    assert "strategie" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


def test_a_strategy_without_document_is_a_404(committee_client):
    StrategyFactory(year=2031)
    response = committee_client.get(reverse("communication:strategy_document", args=[2031]))
    assert response.status_code == 404


# --- datasets --------------------------------------------------------------------------------


def test_dataset_publication_goes_through_the_workflow(staff):
    dataset = DatasetFactory(status=DatasetStatus.DRAFT)
    assert _names(dataset, staff) == ["publish"]
    published = services.dataset_publish(dataset=dataset, user=staff)
    assert published.status == DatasetStatus.PUBLISHED and published.published_at
    assert _names(published, staff) == []
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        services.dataset_publish(dataset=published, user=staff)
    assert error.value.messages == ["Ce jeu de données est déjà publié."]


# --- predicates ------------------------------------------------------------------------------


def test_predicates(staff, committee_member, applicant):
    draft = StrategyFactory()
    submitted = CommunicationStrategy.objects.create(
        year=2040, title="Soumise", status=StrategyStatus.SUBMITTED
    )
    draft_dataset = DatasetFactory(status=DatasetStatus.DRAFT)
    published_dataset = DatasetFactory()
    assert can_propose_event(applicant) and not can_propose_event(staff)
    assert can_publish_event(staff) and not can_publish_event(applicant)
    assert can_edit_strategy_content(staff, draft)
    assert not can_edit_strategy_content(staff, submitted)
    assert not can_edit_strategy_content(committee_member, draft)
    assert can_validate_strategy(committee_member) and can_validate_strategy(staff)
    assert not can_validate_strategy(applicant)
    assert can_import_statistics(staff) and not can_import_statistics(committee_member)
    assert can_discard_dataset(staff, draft_dataset)
    assert not can_discard_dataset(staff, published_dataset)
    assert staff.has_perm("communication.discard_dataset", draft_dataset)
    assert not applicant.has_perm("communication.publish_event")
