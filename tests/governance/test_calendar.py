import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from demo.factories.governance import AgendaItemFactory, MeetingFactory
from governance import services

pytestmark = pytest.mark.django_db


def test_the_meetings_feed_parses_with_icalendar(committee_client, staff):
    meeting = MeetingFactory(
        date=timezone.localdate() + datetime.timedelta(days=12), place="Forum, Grenoble"
    )
    AgendaItemFactory(meeting=meeting, topic="communication")
    services.meeting_convene(meeting=meeting, user=staff)
    MeetingFactory(date=timezone.localdate() - datetime.timedelta(days=800))  # too old
    response = committee_client.get(reverse("governance:calendar_feed"))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["uid"]) == f"meeting-{meeting.pk}@essmetro"
    assert str(event["location"]) == "Forum, Grenoble"
    assert str(event["status"]) == "CONFIRMED"
    start = event.decoded("dtstart")
    assert start.date() == meeting.date
    assert (start.hour, start.minute) == (14, 30)
    assert start.utcoffset() is not None  # an aware time, not a floating one
    assert "14h45–15h15 : communication" in str(event["description"])
    assert str(event["url"]).endswith(meeting.get_absolute_url())
    # Calendar applications need the time zone definition that TZID refers to.
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_only_convened_meetings_are_upcoming_and_in_calendars(committee_client, staff):
    today = timezone.localdate()
    convened = MeetingFactory(date=today + datetime.timedelta(days=12), title="Convoquée")
    AgendaItemFactory(meeting=convened)
    services.meeting_convene(meeting=convened, user=staff)
    MeetingFactory(date=today + datetime.timedelta(days=20), title="Jamais convoquée")
    held_today = MeetingFactory(date=today, title="Tenue ce jour")
    AgendaItemFactory(meeting=held_today)
    services.meeting_convene(meeting=held_today, user=staff)
    services.attendance_record(meeting=held_today, user=staff, presences={})
    held_today.refresh_from_db()
    assert held_today.is_held
    home = committee_client.get(reverse("governance:committee_home"))
    assert [meeting.title for meeting in home.context["upcoming"]] == ["Convoquée"]
    response = committee_client.get(reverse("governance:calendar_feed"))
    calendar = icalendar.Calendar.from_ical(response.content)
    summaries = sorted(str(event["summary"]) for event in calendar.walk("VEVENT"))
    assert summaries == ["Comité de suivi ESS — Convoquée", "Comité de suivi ESS — Tenue ce jour"]
    assert {str(event["status"]) for event in calendar.walk("VEVENT")} == {"CONFIRMED"}


def test_subscription_address_can_be_renewed(committee_client, committee_member, client):
    page = committee_client.get(reverse("governance:calendar"))
    old_url = page.context["subscription_url"]
    assert old_url.startswith("http://testserver/comite/calendrier/")
    path = old_url.removeprefix("http://testserver")
    assert client.get(path).status_code == 200
    response = committee_client.post(reverse("governance:calendar"), follow=True)
    assert "la précédente ne fonctionne plus" in response.content.decode()
    assert client.get(path).status_code == 404
    new_path = response.context["subscription_url"].removeprefix("http://testserver")
    assert new_path != path
    calendar = icalendar.Calendar.from_ical(client.get(new_path).content)
    assert str(calendar["x-wr-calname"]).startswith("Comité de suivi ESS")
