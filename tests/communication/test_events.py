import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from communication import services
from communication.models import Event, EventStatus, EventTransition
from communication.totals import event_amounts
from demo.factories.communication import EventFactory, in_days
from ess_metro.directory.models import Commune, Organisation
from programme.models import AnnualProgramme, Axis, Plan, ProgrammeLine
from programme.totals import amounts_by_line

pytestmark = pytest.mark.django_db


def _form_data(organiser, **changes):
    data = {
        "title": "Atelier coopératif",
        "organiser": organiser.pk,
        "kind": "workshop",
        "description": "Un atelier pour découvrir les coopératives.",
        "starts_at": "2030-11-12T14:00",
        "ends_at": "2030-11-12T17:00",
        "place": "La Péniche, quai de la Graille",
        "commune": Commune.objects.get(name="Fontaine").pk,
        "audience": "Tout public",
        "registration_url": "",
        "capacity": "30",
        "mois_ess": "on",
    }
    data.update(changes)
    return data


def _line(orientation=1, planned="10000.00"):
    plan = Plan.objects.current()
    programme, _ = AnnualProgramme.objects.get_or_create(plan=plan, year=2030)
    axis = Axis.objects.filter(orientation__number=orientation).first()
    return ProgrammeLine.objects.create(
        programme=programme, axis=axis, title="Mois de l'ESS", planned_amount=Decimal(planned)
    )


# --- model and querysets ---------------------------------------------------------------------


def test_upcoming_lists_published_events_not_over_soonest_first():
    later = EventFactory(starts_at=in_days(20))
    sooner = EventFactory(starts_at=in_days(2))
    EventFactory(proposed=True)
    EventFactory(starts_at=in_days(-5))  # over
    assert list(Event.objects.upcoming()) == [sooner, later]
    assert sooner.get_absolute_url() == f"/agenda/{sooner.slug}/"


def test_an_event_outside_november_cannot_join_the_mois_ess():
    event = EventFactory.build(
        starts_at=timezone.make_aware(datetime.datetime(2030, 10, 5, 10)),
        ends_at=timezone.make_aware(datetime.datetime(2030, 10, 5, 12)),
        mois_ess=True,
        organiser=Organisation(pk=1),
    )
    with pytest.raises(ValidationError) as error:
        event.clean()
    assert "Seul un événement qui a lieu en novembre" in str(error.value)


# --- staff create and publish ----------------------------------------------------------------


def test_staff_create_and_publish_an_event(staff_client, staff):
    organiser = Organisation.objects.create(name="MNEI", legal_form="association", rna="W381234567")
    response = staff_client.post(
        reverse("communication:staff_event_create"), {**_form_data(organiser), "publish": "1"}
    )
    event = Event.objects.get(title="Atelier coopératif")
    assert response.status_code == 302
    assert event.status == EventStatus.PUBLISHED
    assert event.mois_ess and event.slug == "atelier-cooperatif-2030"
    assert list(event.transitions.values_list("to_status", flat=True)) == [
        "proposed",
        "published",
    ]


def test_staff_form_errors_are_french_and_keep_the_input(staff_client):
    organiser = Organisation.objects.create(name="MNEI", legal_form="association", rna="W381234567")
    response = staff_client.post(
        reverse("communication:staff_event_create"),
        _form_data(organiser, ends_at="2030-11-12T10:00", budget="500"),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "La fin doit venir après le début." in content
    assert "Choisissez la ligne de programmation qui finance ce budget." in content
    assert 'value="Atelier coopératif"' in content
    assert not Event.objects.exists()


def test_mois_ess_outside_november_is_refused_in_french(staff_client):
    organiser = Organisation.objects.create(name="MNEI", legal_form="association", rna="W381234567")
    response = staff_client.post(
        reverse("communication:staff_event_create"),
        _form_data(organiser, starts_at="2030-10-12T14:00", ends_at="2030-10-12T16:00"),
    )
    assert "Seul un événement qui a lieu en novembre peut rejoindre le Mois de l" in (
        response.content.decode()
    )


def test_staff_publish_then_withdraw(staff_client, staff):
    event = EventFactory(proposed=True)
    response = staff_client.post(reverse("communication:staff_event_publish", args=[event.pk]))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    staff_client.post(reverse("communication:staff_event_unpublish", args=[event.pk]))
    event.refresh_from_db()
    assert event.status == EventStatus.PROPOSED
    log = list(EventTransition.objects.filter(event=event).values_list("from_status", "to_status"))
    assert log == [("proposed", "published"), ("published", "proposed")]


def test_publishing_twice_gives_a_french_message(staff_client):
    event = EventFactory()
    response = staff_client.post(
        reverse("communication:staff_event_publish", args=[event.pk]), follow=True
    )
    assert "Cet événement est déjà publié." in response.content.decode()


# --- member proposals ------------------------------------------------------------------------


def test_member_proposes_an_event_staff_are_told_and_publish_it(
    applicant_client, applicant, staff, staff_client, django_capture_on_commit_callbacks, settings
):
    settings.STAFF_NOTIFICATION_EMAIL = ""  # every active staff member is told
    organisation = applicant.organisations.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = applicant_client.post(
            reverse("communication:event_propose"), _form_data(organisation)
        )
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.status, event.proposed_by, event.organiser) == (
        EventStatus.PROPOSED,
        applicant,
        organisation,
    )
    assert mail.outbox[-1].to == [staff.email]
    assert "Événement proposé" in mail.outbox[-1].subject
    # Not in the agenda yet, but the proposer sees its page.
    assert event not in Event.objects.upcoming()
    assert applicant_client.get(event.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("communication:staff_event_publish", args=[event.pk]))
    assert mail.outbox[-1].to == [applicant.email]
    assert "Votre événement est publié" in mail.outbox[-1].subject
    assert event in Event.objects.upcoming()


def test_member_cannot_propose_for_another_organisation(applicant_client, other_applicant):
    other = other_applicant.organisations.get()
    response = applicant_client.post(reverse("communication:event_propose"), _form_data(other))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Event.objects.exists()


def test_proposal_of_another_organisation_is_a_404(
    other_applicant_client, anonymous_client, applicant
):
    event = EventFactory(proposed=True, organiser=applicant.organisations.get())
    assert other_applicant_client.get(event.get_absolute_url()).status_code == 404
    assert anonymous_client.get(event.get_absolute_url()).status_code == 404


def test_member_event_list_shows_only_own_organisations(applicant_client, applicant):
    mine = EventFactory(proposed=True, organiser=applicant.organisations.get())
    other = EventFactory(proposed=True)
    content = applicant_client.get(reverse("communication:member_events")).content.decode()
    assert mine.title in content
    assert other.title not in content


# --- public agenda ---------------------------------------------------------------------------


def test_agenda_filters_by_commune_kind_and_mois_ess(client):
    fontaine = Commune.objects.get(name="Fontaine")
    in_fontaine = EventFactory(commune=fontaine, kind="visit")
    in_grenoble = EventFactory(kind="forum")
    mois = EventFactory(november=True)
    url = reverse("communication:agenda")
    content = client.get(url, {"commune": fontaine.slug}).content.decode()
    assert in_fontaine.title in content and in_grenoble.title not in content
    content = client.get(url, {"kind": "forum"}).content.decode()
    assert in_grenoble.title in content and in_fontaine.title not in content
    content = client.get(url, {"mois": "1"}).content.decode()
    assert mois.title in content and in_grenoble.title not in content
    content = client.get(url, {"kind": "visit", "commune": "grenoble"}).content.decode()
    assert "Aucun événement à venir ne correspond à ces critères." in content


def test_agenda_htmx_request_gets_the_partial(client):
    event = EventFactory()
    response = client.get(reverse("communication:agenda"), HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert event.title in content
    assert "<html" not in content


def test_agenda_query_count_does_not_grow(client, django_assert_num_queries, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # the page as built (tests/test_pagecache.py: cached)
    EventFactory()
    url = reverse("communication:agenda")
    client.get(url)
    with django_assert_num_queries(5):
        client.get(url)
    EventFactory.create_batch(24)
    with django_assert_num_queries(5):
        response = client.get(url)
    assert len(response.context["events"]) == 20


def test_event_page_and_its_ics(client):
    event = EventFactory(registration_url="https://exemple.fr/inscription", capacity=None)
    content = client.get(event.get_absolute_url()).content.decode()
    assert event.title in content
    assert 'href="https://exemple.fr/inscription"' in content
    assert "Ajouter à mon agenda" in content
    response = client.get(reverse("communication:event_ics", args=[event.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content


# --- Mois de l'ESS programme -----------------------------------------------------------------


def test_mois_ess_programme_page_and_pdf(client):
    first = EventFactory(november=True, title="Ouverture du Mois")
    EventFactory(
        title="Forum de clôture",
        mois_ess=True,
        starts_at=timezone.make_aware(datetime.datetime(2030, 11, 28, 9)),
        ends_at=timezone.make_aware(datetime.datetime(2030, 11, 28, 17)),
        commune=Commune.objects.get(name="Échirolles"),
    )
    EventFactory(november=True, proposed=True, title="Pas encore publié")
    content = client.get(reverse("communication:mois_ess", args=[2030])).content.decode()
    assert first.title in content and "Forum de clôture" in content
    assert "Pas encore publié" not in content
    response = client.get(reverse("communication:mois_ess_pdf", args=[2030]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Mois de l'ESS 2030" in text
    assert "Ouverture du Mois" in text and "Forum de clôture" in text
    assert "Échirolles" in text
    assert "page 1 / " in text


def test_mois_ess_pdf_of_an_empty_year_is_a_404(client):
    assert client.get(reverse("communication:mois_ess_pdf", args=[2031])).status_code == 404


# --- programme totals ------------------------------------------------------------------------


def test_events_source_commits_event_budgets_on_programme_lines(django_assert_num_queries):
    line, other = _line(), _line()
    EventFactory(programme_line=line, budget=Decimal("1200.00"))
    EventFactory(programme_line=line, budget=Decimal("300.50"), proposed=True)
    EventFactory(programme_line=other, budget=Decimal("99.00"))
    EventFactory()  # no line
    with django_assert_num_queries(1):
        amounts = event_amounts([line.pk, other.pk])
    assert amounts[line.pk].committed == Decimal("1500.50")
    assert amounts[line.pk].paid == Decimal("0.00")
    assert amounts[other.pk].committed == Decimal("99.00")
    assert amounts_by_line([line.pk])[line.pk].committed == Decimal("1500.50")


def test_publish_service_refuses_an_already_published_event(staff):
    event = EventFactory()
    with pytest.raises(ValidationError):
        services.event_publish(event=event, user=staff)


def test_member_edits_its_proposal_until_it_is_published(applicant_client, applicant):
    event = EventFactory(proposed=True, organiser=applicant.organisations.get())
    url = reverse("communication:event_proposal_update", args=[event.pk])
    data = _form_data(event.organiser, title="Atelier corrigé")
    assert applicant_client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert event.title == "Atelier corrigé" and event.status == EventStatus.PROPOSED
    services.event_publish(event=event, user=None)
    assert applicant_client.get(url).status_code == 404


def test_calendar_can_be_narrowed_to_the_mois_ess(client):
    import icalendar

    EventFactory(title="Hors Mois")
    EventFactory(november=True, title="Dans le Mois")
    response = client.get(reverse("communication:agenda_ics"), {"mois": "1"})
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Dans le Mois"]
