"""Agenda items on the files of a call: conflicts, the committee's opinion, the members' summary."""

import datetime
from decimal import Decimal
from html import escape
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from demo.factories.calls import CallFactory, application_in
from demo.factories.core import MandateFactory, OrganisationFactory, make_applicant
from demo.factories.governance import (
    AgendaItemFactory,
    LineFactory,
    MeetingFactory,
    ProgrammeFactory,
    college,
)
from demo.factories.governance import seat as commune_seat
from governance import selectors, services
from governance.models import (
    AgendaItem,
    ConflictOfInterest,
    ConflictSource,
    Meeting,
    Opinion,
    Outcome,
    Presence,
    SeatCategory,
    VoteChoice,
)
from projects.calls import services as calls_services
from projects.models import ApplicationStatus, CriterionScore, EconomicDiagnosis

from .conftest import record

pytestmark = pytest.mark.django_db

S = ApplicationStatus
SECRET = "NOTE-PRIVEE-A-NE-JAMAIS-MONTRER"


def diagnosed_file(call, organisation, title="Autopartage dans les quartiers", score=4):
    """A file of ``call`` with a complete diagnosis (all criteria at ``score``), diagnosed."""
    application = application_in(S.DIAGNOSED, call=call, organisation=organisation, title=title)
    diagnosis = EconomicDiagnosis.objects.create(
        application=application,
        recommendation="favourable",
        proposed_amount=Decimal("9000.00"),
        financial_analysis="Trésorerie saine.",
        private_notes=SECRET,
        author=application.created_by,
    )
    for criterion in call.criteria.all():
        CriterionScore.objects.create(diagnosis=diagnosis, criterion=criterion, score=score)
    return application


@pytest.fixture
def coop():
    """Like the demo's coop@: an applicant of its cooperative who also sits in the committee."""
    organisation = OrganisationFactory(cooperative=True, name="URSCOP Auvergne-Rhône-Alpes")
    person = make_applicant(organisation=organisation)
    mandate = MandateFactory(
        person=person,
        organisation=organisation,
        college=college("ess-actors"),
        category=SeatCategory.COOPERATIVES,
    )
    return person, organisation, mandate


@pytest.fixture
def files_meeting(committee_member, staff, coop):
    """A meeting two days ago, convened, whose item concerns two diagnosed files: the coop's
    and another organisation's. Seats: the committee member, the coop, two communes."""
    _person, organisation, coop_seat = coop
    seats = [committee_member.mandates.get(), coop_seat, commune_seat(), commune_seat()]
    call = CallFactory()
    own = diagnosed_file(call, organisation, title="Reprise d'entreprises en SCOP")
    other = diagnosed_file(call, OrganisationFactory(name="Cité Lib Autopartage"))
    meeting = MeetingFactory()
    item = AgendaItemFactory(meeting=meeting, topic="Appel à projets : dossiers instruits")
    services.agenda_item_save(item=item, applications=[own, other])
    services.meeting_convene(meeting=meeting, user=staff)
    meeting.refresh_from_db()
    return meeting, item, seats, own, other


def _opinion_data(seats, **votes):
    data = {"outcome": Outcome.RESERVED, "text": "Avis favorable sous réserve d'un bilan."}
    for mandate in seats:
        data[f"vote_{mandate.pk}"] = votes.get(str(mandate.pk), VoteChoice.FOR)
    return data


# --- the item and its form ------------------------------------------------------------------


def test_item_form_offers_only_diagnosed_files_with_readable_labels(staff_client):
    call = CallFactory()
    application = diagnosed_file(call, OrganisationFactory(name="Cité Lib Autopartage"))
    eligible = application_in(S.ELIGIBLE, call=call, title="Guide de l'achat responsable")
    meeting = MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=10))
    page = staff_client.get(reverse("governance:item_create", args=[meeting.pk])).content.decode()
    label = (
        f"{application.reference} — Cité Lib Autopartage — Autopartage dans les quartiers — "
        "demandé 10\u00a0000,00\u00a0€ — diagnostic 80,0 / 100"
    )
    assert escape(label) in page
    assert f'value="{application.pk}"' in page
    assert escape(eligible.title) not in page
    assert SECRET not in page


def test_staff_put_files_on_an_item_and_the_lead_s_member_is_flagged(staff_client, coop):
    _person, organisation, coop_seat = coop
    call = CallFactory()
    own = diagnosed_file(call, organisation, title="Reprise d'entreprises en SCOP")
    meeting = MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=10))
    response = staff_client.post(
        reverse("governance:item_create", args=[meeting.pk]),
        {
            "start_time": "15:00",
            "end_time": "15:30",
            "topic": "Dossiers instruits de l'appel à projets",
            "applications": [own.pk],
        },
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting)
    assert list(item.applications.all()) == [own]
    conflict = ConflictOfInterest.objects.get(item=item)
    assert (conflict.mandate, conflict.source) == (coop_seat, ConflictSource.AUTOMATIC)
    assert conflict.reason == (
        f"URSCOP Auvergne-Rhône-Alpes est la structure cheffe de file du dossier "
        f"{own.reference} « Reprise d'entreprises en SCOP »."
    )
    # Taking the file off the item withdraws the automatic flag.
    response = staff_client.post(
        reverse("governance:item_update", args=[item.pk]),
        {"start_time": "15:00", "end_time": "15:30", "topic": "Dossiers instruits"},
    )
    assert response.status_code == 302
    assert not item.applications.exists()
    assert not ConflictOfInterest.objects.filter(item=item).exists()


def test_item_form_refuses_a_file_that_is_not_diagnosed(staff_client):
    eligible = application_in(S.ELIGIBLE)
    diagnosed_file(eligible.call, OrganisationFactory())
    meeting = MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=10))
    data = {"start_time": "15:00", "end_time": "15:30", "topic": "Dossiers"}
    response = staff_client.post(
        reverse("governance:item_create", args=[meeting.pk]),
        {**data, "applications": [eligible.pk]},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Sélectionnez un choix valide. {eligible.pk} n’en fait pas partie." in page
    assert 'value="Dossiers"' in page
    assert not AgendaItem.objects.exists()


def test_item_form_says_when_no_file_awaits_the_committee(staff_client):
    application_in(S.ELIGIBLE)
    meeting = MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=10))
    page = staff_client.get(reverse("governance:item_create", args=[meeting.pk])).content.decode()
    assert "Aucun dossier diagnostiqué n'attend l'avis du comité pour l'instant." in page


def test_item_form_refuses_files_and_a_programme_together(staff_client):
    application = diagnosed_file(CallFactory(), OrganisationFactory())
    programme = ProgrammeFactory()
    meeting = MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=10))
    response = staff_client.post(
        reverse("governance:item_create", args=[meeting.pk]),
        {
            "start_time": "15:00",
            "end_time": "15:30",
            "topic": "Dossiers",
            "programme": programme.pk,
            "applications": [application.pk],
        },
    )
    assert response.status_code == 200
    assert (
        escape(
            "Un point porte soit sur des dossiers d'un appel, soit sur une programmation annuelle, "
            "soit sur une stratégie de communication : scindez-le en plusieurs points."
        )
        in response.content.decode()
    )
    assert not AgendaItem.objects.exists()


def test_service_refuses_a_new_file_that_is_not_diagnosed():
    item = AgendaItemFactory(meeting=MeetingFactory())
    eligible = application_in(S.ELIGIBLE)
    with pytest.raises(ValidationError, match="n'est pas diagnostiqué"):
        services.agenda_item_save(item=item, applications=[eligible])
    assert not item.applications.exists()


def test_line_and_file_reasons_are_both_given(coop):
    _person, organisation, coop_seat = coop
    programme = ProgrammeFactory()
    LineFactory(programme=programme, beneficiary=organisation, title="Coopérative d'activités")
    item = AgendaItemFactory(meeting=MeetingFactory(), programme=programme)
    services.agenda_item_save(item=item)
    conflict = ConflictOfInterest.objects.get(item=item, mandate=coop_seat)
    assert conflict.reason.endswith("« Coopérative d'activités ».")


# --- conflicts and votes --------------------------------------------------------------------


def test_conflict_is_flagged_for_the_lead_organisation_s_member_only(files_meeting, coop):
    _meeting, item, _seats, own, other = files_meeting
    conflicts = list(ConflictOfInterest.objects.filter(item=item))
    assert [conflict.mandate for conflict in conflicts] == [coop[2]]
    assert own.reference in conflicts[0].reason
    assert other.reference not in conflicts[0].reason


def test_the_conflicted_seat_cannot_vote(staff_client, staff, files_meeting):
    meeting, item, seats, own, _other = files_meeting
    record(meeting, staff, dict.fromkeys(seats, Presence.PRESENT))
    coop_seat = seats[1]
    url = reverse("governance:opinion_create", args=[item.pk])
    response = staff_client.post(url, _opinion_data(seats, **{str(coop_seat.pk): VoteChoice.FOR}))
    assert response.status_code == 200
    assert (
        escape(f"{coop_seat.person} a un conflit d'intérêts sur ce point et ne peut pas voter.")
        in response.content.decode()
    )
    assert not Opinion.objects.exists()
    own.refresh_from_db()
    assert own.status == S.DIAGNOSED
    with pytest.raises(ValidationError, match="conflit d'intérêts"):
        services.opinion_record(
            item=item,
            user=staff,
            outcome=Outcome.FAVOURABLE,
            text="Avis",
            votes={coop_seat.pk: VoteChoice.AGAINST},
        )


# --- the opinion moves the files ------------------------------------------------------------


def test_opinion_moves_diagnosed_files_and_leaves_the_others(staff_client, staff, files_meeting):
    meeting, item, seats, own, other = files_meeting
    calls_services.application_withdraw(application=own, user=own.created_by, comment="Reporté")
    transitions_before = own.transitions.count()
    record(meeting, staff, dict.fromkeys(seats, Presence.PRESENT))
    response = staff_client.post(
        reverse("governance:opinion_create", args=[item.pk]),
        _opinion_data(seats, **{str(seats[1].pk): VoteChoice.ABSTENTION}),
        follow=True,
    )
    page = response.content.decode()
    assert escape(f"1 dossier passé à « avis du comité rendu » : {other.reference}.") in page
    assert (
        escape(
            f"1 dossier laissé inchangé car il n'était pas diagnostiqué : {own.reference} (Retiré)."
        )
        in page
    )
    other.refresh_from_db()
    assert other.status == S.COMMITTEE_OPINION
    assert other.committee_opinion == "reserved"
    assert other.committee_opinion_date == meeting.date
    log = other.transitions.order_by("-at", "-pk").first()
    assert (log.from_status, log.to_status, log.user) == (S.DIAGNOSED, S.COMMITTEE_OPINION, staff)
    assert log.comment.startswith(
        f"Avis du comité de suivi, séance du {meeting.date:%d/%m/%Y} "
        "(point « Appel à projets : dossiers instruits ») : Favorable avec réserves."
    )
    assert "Avis favorable sous réserve d'un bilan." in log.comment
    own.refresh_from_db()
    assert own.status == S.WITHDRAWN
    assert own.transitions.count() == transitions_before
    assert not own.committee_opinion


def test_opinion_report_from_the_service(staff, files_meeting):
    meeting, item, seats, own, other = files_meeting
    record(meeting, staff, dict.fromkeys(seats, Presence.PRESENT))
    opinion = services.opinion_record(
        item=item, user=staff, outcome=Outcome.UNFAVOURABLE, text="Avis défavorable", votes={}
    )
    assert sorted(a.pk for a in opinion.files_report.moved) == sorted([own.pk, other.pk])
    assert opinion.files_report.left == []
    own.refresh_from_db()
    assert (own.status, own.committee_opinion) == (S.COMMITTEE_OPINION, "unfavourable")


# --- what members see -----------------------------------------------------------------------


def test_members_see_the_summary_without_private_notes(committee_client, files_meeting):
    meeting, _item, _seats, own, other = files_meeting
    page = committee_client.get(meeting.get_absolute_url()).content.decode()
    for text in (
        own.reference,
        other.reference,
        "URSCOP Auvergne-Rhône-Alpes",
        escape("Reprise d'entreprises en SCOP"),
        "10\u00a0000,00\u00a0€",
        "9\u00a0000,00\u00a0€",
        "80,0",
        "Favorable",
        "Diagnostiqué",
        "2 dossiers de l'appel examinés sur ce point",
    ):
        assert text in page, text
    assert SECRET not in page
    assert "Trésorerie saine." not in page
    # A readable summary of each file: its description, communes and budget.
    assert f"Résumé du dossier {own.reference}" in page
    assert own.summary and escape(own.summary) in page
    assert "Total des dépenses" in page
    for line in own.expense_lines:
        assert escape(line.label) in page
    assert own.get_staff_url() not in page
    assert own.get_absolute_url() not in page
    assert "/pieces/" not in page


def test_staff_manage_page_links_to_the_staff_file(staff_client, files_meeting):
    meeting, _item, _seats, own, _other = files_meeting
    page = staff_client.get(meeting.get_manage_url()).content.decode()
    assert f'href="{own.get_staff_url()}"' in page
    assert SECRET not in page


def test_opinion_form_lists_the_files(staff_client, staff, files_meeting):
    meeting, item, seats, own, _other = files_meeting
    record(meeting, staff, dict.fromkeys(seats, Presence.PRESENT))
    page = staff_client.get(reverse("governance:opinion_create", args=[item.pk])).content
    page = page.decode()
    assert own.reference in page
    assert "Enregistrer l'avis fait passer chaque dossier diagnostiqué" in page
    assert SECRET not in page


MEETING_ACCESS = {
    "anonymous": 302,
    "applicant": 403,
    "other_applicant": 403,
    "committee": 200,
    "staff": 200,
}


@pytest.mark.parametrize(("role", "expected"), MEETING_ACCESS.items())
def test_meeting_page_with_files_per_role(role_clients, applicant, files_meeting, role, expected):
    meeting, item, _seats, own, _other = files_meeting
    # The applicant's own file is on the item: still no access to the committee's page.
    membership = applicant.memberships.get()
    mine = diagnosed_file(own.call, membership.organisation, title="Projet du demandeur")
    item.applications.add(mine)
    response = role_clients[role].get(meeting.get_absolute_url())
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))
    if expected == 200:
        page = response.content.decode()
        assert mine.reference in page
        assert SECRET not in page


ITEM_FORM_ACCESS = {
    "anonymous": 302,
    "applicant": 403,
    "other_applicant": 403,
    "committee": 403,
    "staff": 200,
}


@pytest.mark.parametrize(("role", "expected"), ITEM_FORM_ACCESS.items())
def test_item_form_with_files_per_role(role_clients, files_meeting, role, expected):
    _meeting, item, _seats, own, _other = files_meeting
    response = role_clients[role].get(reverse("governance:item_update", args=[item.pk]))
    assert response.status_code == expected
    if expected == 200:
        page = response.content.decode()
        assert escape(selectors.choice_label(own)) in page
        assert SECRET not in page


# --- queries --------------------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_meeting_pages_do_not_grow_with_files(committee_client, staff_client, files_meeting):
    meeting, item, _seats, own, _other = files_meeting
    item.applications.set([own])
    detail, manage = meeting.get_absolute_url(), meeting.get_manage_url()
    counts = (_count(committee_client, detail), _count(staff_client, manage))
    for index in range(9):
        call = CallFactory() if index % 3 == 0 else own.call
        item.applications.add(diagnosed_file(call, OrganisationFactory(), title=f"Projet {index}"))
    assert item.applications.count() == 10
    assert (_count(committee_client, detail), _count(staff_client, manage)) == counts
    # +1 since the partner organisations of the files are prefetched (constant, not per file).
    assert counts == (16, 16), counts


# --- demo -----------------------------------------------------------------------------------


def test_demo_puts_the_diagnosed_files_before_the_2026_programming_meeting():
    from projects.models import Application

    call_command("seed_demo", stdout=StringIO())
    meeting = Meeting.objects.get(date__year=2026, key_moment="programming")
    item = meeting.items.get(topic="Appel à projets innovation sociale 2026 : dossiers instruits")
    diagnosed = Application.objects.filter(call__year=2026, status=S.DIAGNOSED)
    assert diagnosed.exists()
    assert set(item.applications.all()) == set(diagnosed)
    lead = diagnosed.first().organisation
    assert item.conflicts.filter(
        source=ConflictSource.AUTOMATIC, mandate__organisation=lead
    ).exists()
    counts = (AgendaItem.objects.count(), ConflictOfInterest.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (AgendaItem.objects.count(), ConflictOfInterest.objects.count()) == counts


def test_register_names_the_files_of_the_opinion(committee_client, staff, files_meeting):
    meeting, item, seats, own, other = files_meeting
    record(meeting, staff, dict.fromkeys(seats, Presence.PRESENT))
    services.opinion_record(
        item=item, user=staff, outcome=Outcome.FAVOURABLE, text="Avis favorable", votes={}
    )
    references = ", ".join(sorted([own.reference, other.reference]))
    page = committee_client.get(reverse("governance:register")).content.decode()
    assert f"Dossiers {references}" in page
    csv = committee_client.get(reverse("governance:register_csv")).getvalue().decode("utf-8-sig")
    assert f"Dossiers {references}" in csv


def test_item_form_does_not_grow_with_files(staff_client):
    meeting = MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=10))
    url = reverse("governance:item_create", args=[meeting.pk])
    call = CallFactory()
    diagnosed_file(call, OrganisationFactory())
    first = _count(staff_client, url)
    for index in range(9):
        diagnosed_file(CallFactory() if index % 3 else call, OrganisationFactory(), f"P{index}")
    assert _count(staff_client, url) == first
