import datetime
import json

import feedparser
import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from demo.factories.communication import EventFactory, NewsFactory, in_days
from ess_metro.directory.models import Commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    return {
        "mois": EventFactory(
            november=True,
            title="Forum de l'emploi dans l'ESS",
            commune=Commune.objects.get(name="Échirolles"),
            place="La Rampe, Échirolles",  # the commune already in the place: said once
            capacity=300,
        ),
        "soon": EventFactory(
            title="Atelier finance solidaire",
            starts_at=in_days(3, 14),
            registration_url="https://exemple.fr/inscription",
        ),
        "proposal": EventFactory(proposed=True, title="Proposition non publiée"),
        "news": NewsFactory(title="Le programme du Mois de l'ESS est en ligne"),
        "future_news": NewsFactory(
            title="Actualité programmée",
            published_on=timezone.localdate() + datetime.timedelta(days=3),
        ),
    }


def test_agenda_ics_is_a_valid_calendar_with_published_events(client, published):
    response = client.get("/agenda.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Forum de l'emploi dans l'ESS", "Atelier finance solidaire"}
    forum = events["Forum de l'emploi dans l'ESS"]
    mois = published["mois"]
    assert forum.decoded("DTSTART") == mois.starts_at
    assert forum.decoded("DTEND") == mois.ends_at
    assert "Échirolles" in str(forum["LOCATION"])
    assert str(forum["LOCATION"]).count("Échirolles") == 1
    assert str(forum["URL"]).endswith(mois.get_absolute_url())
    assert str(forum["UID"]).startswith(f"evenement-{mois.pk}@")
    # Every event has the properties RFC 5545 requires.
    for event in calendar.walk("VEVENT"):
        for prop in ("UID", "DTSTAMP", "DTSTART"):
            assert prop in event


def test_events_rss_and_atom_parse_with_feedparser(client, published):
    for name, version in (("events_rss", "rss20"), ("events_atom", "atom10")):
        response = client.get(reverse(f"communication:{name}"))
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.version == version
        titles = [entry.title for entry in feed.entries]
        assert titles == ["Atelier finance solidaire", "Forum de l'emploi dans l'ESS"]
        forum = feed.entries[1]
        assert "Échirolles" in forum.summary
        assert forum.link.endswith(published["mois"].get_absolute_url())
        assert "Mois de l'ESS" in [tag.term for tag in forum.tags]


def test_news_feeds_hide_scheduled_news(client, published):
    for name in ("news_rss", "news_atom"):
        feed = feedparser.parse(client.get(reverse(f"communication:{name}")).content)
        assert not feed.bozo
        assert [entry.title for entry in feed.entries] == [
            "Le programme du Mois de l'ESS est en ligne"
        ]


def test_calls_feeds_are_valid_when_no_call_is_open(client, published):
    for name, version in (("calls_rss", "rss20"), ("calls_atom", "atom10")):
        response = client.get(reverse(f"communication:{name}"))
        feed = feedparser.parse(response.content)
        assert response.status_code == 200
        assert not feed.bozo
        assert feed.version == version
        assert feed.feed.title == "ESS Métro — appels à projets ouverts"


def test_json_feed_follows_json_feed_1_1(client, published):
    response = client.get(reverse("communication:json_feed"))
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    document = json.loads(response.content)
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["title"] and document["feed_url"].endswith("/flux/ess-metro.json")
    ids = [item["id"] for item in document["items"]]
    assert len(ids) == len(set(ids)) == 3
    for item in document["items"]:
        assert item["id"] and item["url"] and item["title"]
        assert "content_text" in item or "content_html" in item
        datetime.datetime.fromisoformat(item["date_published"])  # RFC 3339
    by_title = {item["title"]: item for item in document["items"]}
    forum = by_title["Forum de l'emploi dans l'ESS"]["_ess_metro"]
    assert forum["type"] == "event"
    assert forum["commune"] == "Échirolles"
    assert forum["commune_insee"] == "38151"
    assert forum["mois_ess"] is True and forum["capacity"] == 300
    assert datetime.datetime.fromisoformat(forum["starts_at"]) == published["mois"].starts_at
    news = by_title["Le programme du Mois de l'ESS est en ligne"]["_ess_metro"]
    assert news == {"type": "news", "event": None, "call": None, "programme_year": None}
    assert "Proposition non publiée" not in by_title


def test_feeds_page_documents_every_feed(client):
    content = client.get(reverse("communication:feeds")).content.decode()
    for name in (
        "agenda_ics",
        "events_rss",
        "events_atom",
        "calls_rss",
        "calls_atom",
        "news_rss",
        "news_atom",
        "json_feed",
    ):
        assert reverse(f"communication:{name}") in content
    assert "_ess_metro" in content
    assert "Flux RSS et Atom" in content


def test_agenda_page_advertises_its_feeds(client):
    content = client.get(reverse("communication:agenda")).content.decode()
    assert 'type="application/rss+xml"' in content
    assert 'type="application/feed+json"' in content


class _Call:
    """The contract of projects.Call that the feeds read (title, text, opens_at, closes_at)."""

    title = "Appel à projets innovation sociale 2030"
    text = "Projets d'innovation sociale dans au moins deux communes."
    opens_at = timezone.make_aware(datetime.datetime(2030, 1, 10, 9))
    closes_at = timezone.make_aware(datetime.datetime(2030, 3, 15, 12))

    def get_absolute_url(self):
        return "/appels/innovation-sociale-2030/"


def test_open_calls_appear_in_rss_atom_and_json(client, monkeypatch):
    from communication import feeds

    monkeypatch.setattr(feeds, "optional_queryset", lambda label, method: [_Call()])
    for name in ("calls_rss", "calls_atom"):
        feed = feedparser.parse(client.get(reverse(f"communication:{name}")).content)
        assert not feed.bozo
        entry = feed.entries[0]
        assert entry.title == _Call.title
        assert entry.link.endswith("/appels/innovation-sociale-2030/")
        assert "15/03/2030 12:00" in entry.summary
    document = json.loads(client.get(reverse("communication:json_feed")).content)
    call = document["items"][0]
    assert call["_ess_metro"]["type"] == "call"
    assert call["_ess_metro"]["closes_at"].startswith("2030-03-15T12:00:00+01:00")


def test_event_feeds_accept_the_agenda_filters(client, published):
    feed = feedparser.parse(client.get(reverse("communication:events_rss"), {"mois": "1"}).content)
    assert [entry.title for entry in feed.entries] == ["Forum de l'emploi dans l'ESS"]
    feed = feedparser.parse(
        client.get(reverse("communication:events_atom"), {"commune": "grenoble"}).content
    )
    assert [entry.title for entry in feed.entries] == ["Atelier finance solidaire"]
    document = json.loads(
        client.get(reverse("communication:json_feed"), {"kind": "workshop"}).content
    )
    assert [item["_ess_metro"]["type"] for item in document["items"]] == ["news"]


def test_open_calls_of_the_projects_app_are_syndicated(client):
    from demo.factories.calls import CallFactory

    call = CallFactory(title="Appel innovation sociale 2026")
    CallFactory(draft=True, title="Appel en préparation")
    feed = feedparser.parse(client.get(reverse("communication:calls_rss")).content)
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == [call.title]
    assert feed.entries[0].link.endswith(call.get_absolute_url())
    document = json.loads(client.get(reverse("communication:json_feed")).content)
    calls = [item for item in document["items"] if item["_ess_metro"]["type"] == "call"]
    assert [item["title"] for item in calls] == [call.title]
    assert calls[0]["content_text"] == call.text
