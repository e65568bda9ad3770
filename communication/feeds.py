"""Feeds the Alpesolidaires website (or anyone) can syndicate: iCalendar, RSS, Atom, JSON Feed."""

import datetime
import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control

from ess_metro.views import optional_queryset

from .models import Event, NewsItem

FEED_SIZE = 50
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def feed_events_queryset():
    """Published events from a month ago on, soonest first."""
    since = timezone.now() - datetime.timedelta(days=30)
    return (
        Event.objects.published()
        .filter(ends_at__gte=since)
        .select_related("commune", "organiser")
        .order_by("starts_at", "pk")
    )


def filter_events(params, events):
    """Narrow events with the agenda's filters (?commune=<slug>, ?kind=<kind>, ?mois=1).

    Returns the queryset, the bound form and the filters that applied.
    """
    from .forms import AgendaFilterForm

    form = AgendaFilterForm(params or None)
    filters = {}
    if form.is_valid():
        filters = form.cleaned_data
        if filters.get("commune"):
            events = events.filter(commune=filters["commune"])
        if filters.get("kind"):
            events = events.filter(kind=filters["kind"])
        if filters.get("mois"):
            events = events.filter(mois_ess=True)
    return events, form, filters


def feed_events(params=None):
    events, _form, _filters = filter_events(params, feed_events_queryset())
    return list(events[:FEED_SIZE])


def feed_calls():
    """Open calls for projects, read without importing the projects app (empty without it)."""
    calls = optional_queryset("projects.Call", "open_now")
    return list(calls[:FEED_SIZE]) if calls is not None else []


def feed_news():
    return list(NewsItem.objects.published().select_related("event")[:FEED_SIZE])


def plain_text(value: str) -> str:
    """Text typed on the portal, for a feed reader. Readers take an RSS or Atom description
    as HTML: tags are dropped and what remains is escaped, so that nothing in it is ever
    markup (a ``<script>`` or an ``<img onerror>`` typed in a description stays text)."""
    return escape(strip_tags(value))


def event_summary(event: Event) -> str:
    start = timezone.localtime(event.starts_at)
    return _("%(date)s, %(place)s (%(commune)s). Organised by %(organiser)s.") % {
        "date": start.strftime("%d/%m/%Y %H:%M"),
        "place": event.place,
        "commune": event.commune.name,
        "organiser": event.organiser.name,
    }


def _at_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


# --- RSS and Atom ----------------------------------------------------------------------------


class EventsFeed(Feed):
    title = gettext_lazy("ESS Métro — events")
    description = gettext_lazy(
        "Events of the social and solidarity economy in Grenoble-Alpes Métropole."
    )

    def get_object(self, request, *args, **kwargs):
        return request.GET  # the agenda's filters narrow the feed

    def link(self):
        return reverse("communication:agenda")

    def items(self, obj):
        return feed_events(obj)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return plain_text(f"{event_summary(item)}\n\n{item.description}")

    def item_pubdate(self, item):
        return item.published_at or item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        categories = [item.get_kind_display(), item.commune.name]
        if item.mois_ess:
            categories.append("Mois de l'ESS")
        return categories

    def item_guid(self, item):
        return f"{settings.SITE_URL}{item.get_absolute_url()}"


class EventsAtomFeed(EventsFeed):
    feed_type = Atom1Feed
    subtitle = EventsFeed.description


class CallsFeed(Feed):
    title = gettext_lazy("ESS Métro — open calls for projects")
    description = gettext_lazy("Calls for projects of Grenoble-Alpes Métropole open now.")

    def link(self):
        try:
            return reverse("projects:call_list")
        except NoReverseMatch:  # the calls pages are not installed
            return reverse("communication:feeds")

    def items(self):
        return feed_calls()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        closes = timezone.localtime(item.closes_at).strftime("%d/%m/%Y %H:%M")
        return plain_text(_("Applications until %(date)s.") % {"date": closes} + f"\n\n{item.text}")

    def item_pubdate(self, item):
        return item.opens_at


class CallsAtomFeed(CallsFeed):
    feed_type = Atom1Feed
    subtitle = CallsFeed.description


class NewsFeed(Feed):
    title = gettext_lazy("ESS Métro — news")
    description = gettext_lazy("News of the ESS plan of Grenoble-Alpes Métropole.")

    def link(self):
        return reverse("communication:news_list")

    def items(self):
        return feed_news()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return plain_text(item.text)

    def item_pubdate(self, item):
        return _at_midnight(item.published_on)


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description


# --- JSON Feed 1.1 ---------------------------------------------------------------------------


def _iso(value: datetime.datetime) -> str:
    return timezone.localtime(value).isoformat()


def _json_event(base: str, event: Event) -> dict:
    url = f"{base}{event.get_absolute_url()}"
    return {
        "id": url,
        "url": url,
        "title": event.title,
        "content_text": f"{event_summary(event)}\n\n{event.description}",
        "summary": event_summary(event),
        "date_published": _iso(event.published_at or event.created_at),
        "date_modified": _iso(event.updated_at),
        "tags": ["événement", event.get_kind_display(), event.commune.name]
        + (["Mois de l'ESS"] if event.mois_ess else []),
        "_ess_metro": {
            "type": "event",
            "starts_at": _iso(event.starts_at),
            "ends_at": _iso(event.ends_at),
            "kind": event.kind,
            "place": event.place,
            "commune": event.commune.name,
            "commune_insee": event.commune.insee_code or None,
            "organiser": event.organiser.name,
            "audience": event.audience or None,
            "registration_url": event.registration_url or None,
            "capacity": event.capacity,
            "mois_ess": event.mois_ess,
        },
    }


def _json_call(base: str, call) -> dict:
    url = f"{base}{call.get_absolute_url()}"
    return {
        "id": url,
        "url": url,
        "title": call.title,
        "content_text": call.text,
        "date_published": _iso(call.opens_at),
        "tags": ["appel à projets"],
        "_ess_metro": {
            "type": "call",
            "opens_at": _iso(call.opens_at),
            "closes_at": _iso(call.closes_at),
        },
    }


def _json_news(base: str, item: NewsItem) -> dict:
    url = f"{base}{item.get_absolute_url()}"
    links = {
        "event": f"{base}{item.event.get_absolute_url()}" if item.event_id else None,
        "call": item.call_url or None,
        "programme_year": item.programme_year,
    }
    return {
        "id": url,
        "url": url,
        "title": item.title,
        "content_text": item.text,
        "date_published": _iso(_at_midnight(item.published_on)),
        "tags": ["actualité"],
        "_ess_metro": {"type": "news", **links},
    }


@login_not_required
@cache_control(public=True, max_age=900)
def json_feed(request) -> HttpResponse:
    """One JSON Feed 1.1 with events, open calls and news; ``_ess_metro`` holds the details."""
    base = settings.SITE_URL
    items = [_json_event(base, event) for event in feed_events(request.GET)]
    items += [_json_call(base, call) for call in feed_calls()]
    items += [_json_news(base, item) for item in feed_news()]
    document = {
        "version": JSON_FEED_VERSION,
        "title": _("ESS Métro — events, calls and news"),
        "home_page_url": f"{base}{reverse('communication:agenda')}",
        "feed_url": f"{base}{reverse('communication:json_feed')}",
        "description": _(
            "Events, open calls for projects and news of the ESS plan of Grenoble-Alpes "
            "Métropole. Documentation: %(url)s"
        )
        % {"url": f"{base}{reverse('communication:feeds')}"},
        "language": "fr",
        "authors": [{"name": "Grenoble-Alpes Métropole", "url": base}],
        "items": items,
    }
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/feed+json; charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- iCalendar -------------------------------------------------------------------------------


def calendar_bytes(events, *, name: str) -> bytes:
    from icalendar import Calendar
    from icalendar import Event as IcsEvent

    calendar = Calendar()
    calendar.add("prodid", "-//Grenoble-Alpes Métropole//ESS Métro//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("x-published-ttl", "PT1H")
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={"value": "DURATION"})
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    for event in events:
        entry = IcsEvent()
        entry.add("uid", f"evenement-{event.pk}@{host}")
        entry.add("dtstamp", event.updated_at.astimezone(datetime.UTC))
        entry.add("dtstart", event.starts_at.astimezone(datetime.UTC))
        entry.add("dtend", event.ends_at.astimezone(datetime.UTC))
        entry.add("summary", event.title)
        entry.add("description", f"{event.description}\n\n{event_summary(event)}")
        entry.add("location", event.location)
        entry.add("url", f"{settings.SITE_URL}{event.get_absolute_url()}")
        entry.add("categories", [event.get_kind_display()])
        if event.organiser.email:
            entry.add(
                "organizer",
                f"mailto:{event.organiser.email}",
                parameters={"cn": event.organiser.name},
            )
        entry.add("last-modified", event.updated_at.astimezone(datetime.UTC))
        calendar.add_component(entry)
    return calendar.to_ical()


def ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
