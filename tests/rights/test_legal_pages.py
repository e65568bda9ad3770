"""The accessibility statement, the legal notice and the personal-data page: public, linked
from the footer of every page."""

import json

import pytest

from ess_metro.privacy import accessibility

PAGES = ["/accessibilite/", "/mentions-legales/", "/donnees-personnelles/"]


@pytest.mark.parametrize(
    "role", ["anonymous", "applicant", "other_applicant", "committee", "staff"]
)
@pytest.mark.parametrize("url", PAGES)
def test_every_role_reads_the_legal_pages(role_clients, role, url):
    assert role_clients[role].get(url).status_code == 200


@pytest.mark.parametrize("page", ["/", "/agenda/", "/compte/connexion/"])
def test_the_footer_of_every_page_links_the_legal_pages(client, db, page):
    html = client.get(page).content.decode()
    footer = html[html.index("<footer") :]
    assert 'href="/accessibilite/">Accessibilité : non conforme</a>' in footer
    assert 'href="/mentions-legales/">Mentions légales</a>' in footer
    assert 'href="/donnees-personnelles/">Données personnelles</a>' in footer
    assert "/compte/mes-donnees/" not in footer


def test_the_footer_offers_my_data_when_signed_in(applicant_client):
    html = applicant_client.get("/").content.decode()
    assert 'href="/compte/mes-donnees/">Mes données</a>' in html[html.index("<footer") :]


def test_the_statement_shows_the_build_time_result_first(client, db, settings, tmp_path):
    results = tmp_path / "results.json"
    settings.ACCESSIBILITY_RESULTS_FILE = results
    results.write_text(
        json.dumps(
            {
                "recorded_at": "2026-12-01T10:00:00+00:00",
                "checks": [{"name": "tests/test_accessibility.py", "passed": 41, "failed": 2}],
            }
        )
    )
    html = client.get("/accessibilite/").content.decode()
    assert "<strong>non conforme</strong>" in html
    assert "Des contrôles ont échoué" in html
    assert '<td class="text-end">41</td>' in html
    assert "Défenseur des droits" in html
    assert "accessibilite@grenoblealpesmetropole.fr" in html


def test_without_a_build_file_the_statement_shows_the_recorded_result(
    client, db, settings, tmp_path
):
    settings.ACCESSIBILITY_RESULTS_FILE = tmp_path / "absent.json"
    settings.ACCESSIBILITY_STATUS = "partial"
    results = accessibility.latest_results()
    assert results is not None and results.source == "recorded"
    html = client.get("/accessibilite/").content.decode()
    assert "<strong>partiellement conforme</strong>" in html
    assert "Aucun audit" not in html
    for check in results.checks:
        assert check.name in html


def test_the_legal_notice_names_the_publisher(client, db):
    html = client.get("/mentions-legales/").content.decode()
    assert "Grenoble-Alpes Métropole" in html
    assert "20004071500019" in html
    assert "Licence Ouverte" in html
