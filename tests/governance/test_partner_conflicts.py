"""A seat whose organisation is a partner of a file on an item is flagged, as the lead's is."""

import pytest
from django.urls import reverse

from demo.factories.calls import CallFactory
from demo.factories.core import OrganisationFactory
from demo.factories.governance import AgendaItemFactory, MeetingFactory
from ess_metro import workflow
from governance import services
from governance.models import ConflictOfInterest, ConflictSource

from .test_files import coop, diagnosed_file  # noqa: F401  (fixture and helper reused)

pytestmark = pytest.mark.django_db
ACCEPTED = {"status": "accepted"}


def test_a_partner_s_seat_is_flagged_with_a_french_reason_naming_the_file(coop):  # noqa: F811
    _person, organisation, coop_seat = coop
    call = CallFactory()
    application = diagnosed_file(call, OrganisationFactory(name="Cité Lib Autopartage"))
    application.partner_organisations.add(organisation, through_defaults=ACCEPTED)
    item = AgendaItemFactory(meeting=MeetingFactory())
    services.agenda_item_save(item=item, applications=[application])
    conflict = ConflictOfInterest.objects.get(item=item, mandate=coop_seat)
    assert conflict.source == ConflictSource.AUTOMATIC
    assert conflict.reason == (
        f"URSCOP Auvergne-Rhône-Alpes est partenaire du dossier {application.reference} "
        "« Autopartage dans les quartiers »."
    )


def test_a_partner_that_has_not_accepted_does_not_silence_its_seat(coop):  # noqa: F811
    _person, organisation, coop_seat = coop
    application = diagnosed_file(CallFactory(), OrganisationFactory())
    application.partner_organisations.add(organisation)  # named, not yet accepted
    declined = diagnosed_file(CallFactory(), OrganisationFactory())
    declined.partner_organisations.add(organisation, through_defaults={"status": "declined"})
    item = AgendaItemFactory(meeting=MeetingFactory())
    services.agenda_item_save(item=item, applications=[application, declined])
    assert not item.conflicts.filter(mandate=coop_seat).exists()
    workflow.fire(application.partnerships.get(), "accept")
    services.conflicts_flag_automatic(item=item)
    assert item.conflicts.filter(mandate=coop_seat).exists()


def test_lead_reason_is_kept_and_partner_reason_added_for_two_files(coop):  # noqa: F811
    _person, organisation, coop_seat = coop
    call = CallFactory()
    own = diagnosed_file(call, organisation, title="Reprise d'entreprises en SCOP")
    other = diagnosed_file(call, OrganisationFactory(name="Cité Lib Autopartage"))
    other.partner_organisations.add(organisation, through_defaults=ACCEPTED)
    item = AgendaItemFactory(meeting=MeetingFactory())
    services.agenda_item_save(item=item, applications=[own, other])
    reason = ConflictOfInterest.objects.get(item=item, mandate=coop_seat).reason
    assert "est la structure cheffe de file du dossier" in reason
    assert own.reference in reason
    assert f"partenaire du dossier {other.reference}" in reason


def test_partner_flag_is_withdrawn_when_the_partner_is_removed(coop):  # noqa: F811
    _person, organisation, coop_seat = coop
    application = diagnosed_file(CallFactory(), OrganisationFactory())
    application.partner_organisations.add(organisation, through_defaults=ACCEPTED)
    item = AgendaItemFactory(meeting=MeetingFactory())
    services.agenda_item_save(item=item, applications=[application])
    assert item.conflicts.filter(mandate=coop_seat).exists()
    application.partner_organisations.clear()
    services.conflicts_flag_automatic(item=item)
    assert not item.conflicts.exists()


def test_partner_conflict_is_shown_to_staff_on_the_item(staff_client, coop):  # noqa: F811
    _person, organisation, _seat = coop
    application = diagnosed_file(CallFactory(), OrganisationFactory())
    application.partner_organisations.add(organisation, through_defaults=ACCEPTED)
    meeting = MeetingFactory()
    item = AgendaItemFactory(meeting=meeting)
    services.agenda_item_save(item=item, applications=[application])
    page = staff_client.get(reverse("governance:meeting_detail", args=[meeting.pk]))
    assert page.status_code == 200
    assert "partenaire du dossier" in page.content.decode()


def test_demo_file_has_a_committee_partner_whose_seat_is_flagged():
    from io import StringIO

    from django.core.management import call_command

    from projects.models import Application

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    application = Application.objects.get(title="Autopartage dans les quartiers prioritaires")
    partner = application.partner_organisations.get()
    conflicts = ConflictOfInterest.objects.filter(
        mandate__organisation=partner, item__applications=application
    )
    assert conflicts.exists()
    assert all("partenaire du dossier" in conflict.reason for conflict in conflicts)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("applicant", 403),
        ("other_applicant", 403),
        ("committee", 200),
        ("staff", 200),
    ],
)
def test_committee_summary_of_the_files_names_the_partners(role_clients, role, status):
    application = diagnosed_file(CallFactory(), OrganisationFactory(name="Cité Lib Autopartage"))
    application.partner_organisations.add(
        OrganisationFactory(name="Maison des Jeux"), through_defaults=ACCEPTED
    )
    meeting = MeetingFactory()
    item = AgendaItemFactory(meeting=meeting)
    services.agenda_item_save(item=item, applications=[application])
    response = role_clients[role].get(meeting.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert "Partenaires : Maison des Jeux" in response.content.decode()
