"""Public pages come from the cache, yet every change of the data shows at once; 304s; statics."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from communication.models import Dataset
from demo.factories.calls import CallFactory
from demo.factories.communication import DatasetFactory, EventFactory, add_rows
from demo.factories.core import MandateFactory
from demo.factories.programme import ProgrammeFactory
from ess_metro import pagecache
from programme.models import Orientation


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def text_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def assert_change_shows(client, url, before, change, after, django_assert_num_queries):
    assert before in text_of(client, url)
    with django_assert_num_queries(0):  # served from the cache
        assert before in text_of(client, url)
    change()
    content = text_of(client, url)
    assert after in content and before not in content


def rename(obj, field, value):
    def change():
        setattr(obj, field, value)
        obj.save()

    return change


def test_home_and_agenda_show_a_changed_event_at_once(db, django_assert_num_queries):
    event = EventFactory(title="Forum des coopératives")
    for index, url in enumerate(["/", reverse("communication:agenda")]):
        new = f"Forum renommé n°{index}"
        assert_change_shows(
            Client(), url, event.title, rename(event, "title", new), new, django_assert_num_queries
        )


def test_calls_show_a_changed_call_at_once(db, django_assert_num_queries):
    call = CallFactory(title="Appel innovation 2026")
    assert_change_shows(
        Client(),
        reverse("projects:call_list"),
        "Appel innovation 2026",
        rename(call, "title", "Appel renommé"),
        "Appel renommé",
        django_assert_num_queries,
    )


def test_plan_shows_a_changed_orientation_at_once(db, django_assert_num_queries):
    orientation = Orientation.objects.order_by("number").first()
    assert_change_shows(
        Client(),
        reverse("programme:plan"),
        escape(orientation.title),
        rename(orientation, "title", "Orientation renommée"),
        "Orientation renommée",
        django_assert_num_queries,
    )


def test_programmes_show_a_new_year_at_once(db, django_assert_num_queries):
    ProgrammeFactory(published=True, year=2026)
    client, url = Client(), reverse("programme:programme_index")
    assert "2026" in text_of(client, url) and "2031" not in text_of(client, url)
    with django_assert_num_queries(0):
        text_of(client, url)
    ProgrammeFactory(published=True, year=2031)
    assert "2031" in text_of(client, url)


def test_composition_shows_a_changed_member_at_once(db, django_assert_num_queries):
    mandate = MandateFactory(person__first_name="Alice", person__last_name="Martin")
    person = mandate.person
    assert_change_shows(
        Client(),
        reverse("governance:composition"),
        "Alice Martin",
        rename(person, "last_name", "Dupont"),
        "Alice Dupont",
        django_assert_num_queries,
    )


def test_data_page_shows_a_changed_dataset_at_once(db, django_assert_num_queries):
    dataset = DatasetFactory(title="Emplois de l'ESS 2025")
    add_rows(dataset, 6)

    def retitle():  # a bulk update, which sends no signal, is seen too
        Dataset.objects.filter(pk=dataset.pk).update(title="Emplois renommés")

    assert_change_shows(
        Client(),
        reverse("communication:statistics"),
        "Emplois de l&#x27;ESS 2025",
        retitle,
        "Emplois renommés",
        django_assert_num_queries,
    )


def test_conditional_get_is_answered_304_until_the_data_changes(db):
    call = CallFactory(title="Appel innovation 2026")
    client, url = Client(), reverse("projects:call_list")
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    call.title = "Appel renommé"
    call.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_each_visitor_gets_their_own_csrf_token_and_it_works(db):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for client in [first, second]:
        content = text_of(client, "/")
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content)[1])
        assert pagecache.PLACEHOLDER not in content
    assert tokens[0] != tokens[1]
    response = second.post(
        reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": tokens[1]}
    )
    assert response.status_code == 302


def test_signed_in_people_never_get_a_cached_page(db, staff_client):
    CallFactory(title="Appel innovation 2026")
    Client().get("/")  # fills the cache for visitors
    content = text_of(staff_client, "/")
    assert 'href="/gestion/"' in content  # the staff menu


def test_hashed_static_files_are_cached_for_ever(settings, tmp_path):
    """In production the static files have hashed names (manifest storage): WhiteNoise sends
    them with a far-future, immutable Cache-Control."""
    import json

    from whitenoise.middleware import WhiteNoiseMiddleware

    manifest = {"paths": {"css/portal.css": "css/portal.0123456789ab.css"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    middleware = WhiteNoiseMiddleware(lambda request: None)
    assert middleware.immutable_file_test("", "/static/css/portal.0123456789ab.css")
    assert not middleware.immutable_file_test("", "/static/css/portal.css")
