import pytest
from django.urls import reverse

from programme.models import Axis, Orientation, Plan
from programme.reference import ORIENTATIONS

ORIENTATION_TITLES = [
    "Connaître et faire connaître l&#x27;ESS",
    "Doter l&#x27;ESS d&#x27;outils de développement",
    "Soutenir des projets structurants d&#x27;intérêt communautaire",
    "Soutenir l&#x27;émergence de l&#x27;innovation sociale",
]


def test_plan_reference_data_is_loaded(db):
    plan = Plan.objects.current()
    assert plan.deliberation_date.isoformat() == "2009-07-03"
    assert list(Orientation.objects.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert Axis.objects.count() == sum(len(o["axes"]) for o in ORIENTATIONS)
    assert plan.mission_list() == [
        "Programmation annuelle",
        "Son évaluation",
        "Réflexions prospectives",
        "Stratégie de communication",
    ]


@pytest.mark.parametrize("url", ["/", "/plan/"])
def test_public_pages_show_the_four_orientations_in_french(client, db, url):
    response = client.get(url)
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in content
    for title in ORIENTATION_TITLES:
        assert title in content


def test_plan_page_shows_axes_and_committee_missions(client, db):
    content = client.get(reverse("programme:plan")).content.decode()
    for text in [
        "Conforter le site Alpesolidaires",
        "Soutien au Dispositif local d&#x27;accompagnement (DLA)",
        "Étude d&#x27;opportunités Artis 2",
        "monnaie SOL",
        "Réflexions prospectives",
        "Délibération-cadre du conseil communautaire du 3 juillet 2009",
    ]:
        assert text in content


@pytest.mark.parametrize("url", ["/", "/plan/"])
@pytest.mark.parametrize(
    "role", ["anonymous", "applicant", "other_applicant", "committee", "staff"]
)
def test_public_pages_open_to_every_role(role_clients, url, role):
    assert role_clients[role].get(url).status_code == 200


# "/": plan, orientations and axes, open calls, upcoming events (communication.Event).
@pytest.mark.parametrize(("url", "queries"), [("/", 5), ("/plan/", 3)])
def test_public_pages_query_count_is_pinned(
    client, db, django_assert_max_num_queries, url, queries
):
    with django_assert_max_num_queries(queries):
        client.get(url)


def test_404_page_is_french(client, db):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_500_page_is_french():
    from ess_metro.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Erreur du serveur" in response.content.decode()


def test_english_is_available(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    content = client.get("/").content.decode()
    assert '<html lang="en">' in content
    assert "The plan's four orientations" in content


def test_strict_content_security_policy(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "default-src 'self'" in policy
    content = response.content.decode()
    assert "cdn" not in content.lower()
    assert "/static/bootstrap/css/bootstrap.min.css" in content
    assert "<script>" not in content  # no inline script


def test_french_even_when_the_browser_prefers_english(client, db):
    content = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="fr">' in content
    assert "Les quatre orientations du plan" in content


def test_years_are_never_grouped_like_amounts(client, db):
    content = client.get("/").content.decode()
    assert "(2009–2013)" in content
