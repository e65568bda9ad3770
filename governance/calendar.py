"""iCalendar documents for committee meetings: the convocation attachment and the feed."""

from email.utils import parseaddr

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Grenoble-Alpes Metropole//ESS Metro comite de suivi//FR"


def _calendar(method: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Comité de suivi ESS — Grenoble-Alpes Métropole")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    if method:
        cal.add("method", method)
    return cal


def _status(meeting) -> str:
    if meeting.is_cancelled:
        return "CANCELLED"
    return "CONFIRMED" if meeting.convened_at else "TENTATIVE"


def _event(meeting, items) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@essmetro")
    event.add("summary", f"Comité de suivi ESS — {meeting.display_title}")
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("dtstamp", meeting.updated_at)
    event.add("location", vText(meeting.place))
    agenda = "\n".join(str(item) for item in items)
    event.add("description", agenda)
    event.add("url", settings.SITE_URL + meeting.get_absolute_url())
    event.add("status", _status(meeting))
    event.add("sequence", meeting.sequence)
    return event


def invitation_ics(meeting, items) -> str:
    """The convocation's attachment. PUBLISH, not REQUEST: members answer on the portal."""
    cal = _calendar("PUBLISH")
    cal.add_component(_event(meeting, items))
    cal.add_missing_timezones()
    return cal.to_ical().decode()


def cancellation_ics(meeting) -> str:
    """The cancellation's attachment: METHOD:CANCEL, the convocation's UID, a higher SEQUENCE."""
    cal = _calendar("CANCEL")
    event = _event(meeting, [])
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    if name:
        organizer.params["cn"] = vText(name)
    event.add("organizer", organizer)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode()


def feed_ics(meetings) -> bytes:
    """A calendar of meetings (each with its prefetched ``items``)."""
    cal = _calendar("PUBLISH")
    for meeting in meetings:
        cal.add_component(_event(meeting, meeting.items.all()))
    cal.add_missing_timezones()
    return cal.to_ical()
