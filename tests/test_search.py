"""Staff search: French stems and accents on PostgreSQL, names by trigram, a fallback on SQLite."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.factories.calls import CallFactory, application_in
from demo.factories.conventions import make_convention
from demo.factories.core import OrganisationFactory
from projects.models import ApplicationStatus

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="French full-text search needs PostgreSQL"
)


@pytest.fixture
def files(db):
    call = CallFactory()
    coop = OrganisationFactory(name="Coopérative des Alpes", siret="12345678900017")
    shop = OrganisationFactory(name="Les Amis du Vercors")
    return {
        "coop": application_in(
            ApplicationStatus.SUBMITTED, call=call, organisation=shop, title="Une coopérative"
        ),
        "grocery": application_in(
            ApplicationStatus.SUBMITTED, call=call, organisation=shop, title="Épicerie solidaire"
        ),
        "lead": application_in(
            ApplicationStatus.SUBMITTED, call=call, organisation=coop, title="Atelier vélo"
        ),
    }


def found(client, url_name, query):
    response = client.get(reverse(url_name), {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def test_words_of_the_title_and_the_organisation_are_found(staff_client, files):
    content = found(staff_client, "projects:staff_application_list", "Épicerie")
    assert "Épicerie solidaire" in content and "Atelier vélo" not in content
    content = found(staff_client, "projects:staff_application_list", "Alpes vélo")
    assert "Atelier vélo" in content and "Épicerie solidaire" not in content


@postgresql_only
def test_stems_match_and_accents_do_not_matter(staff_client, files):
    content = found(staff_client, "projects:staff_application_list", "coopératives")
    assert "Une coopérative" in content  # plural → singular (French stemmer)
    assert "Atelier vélo" in content  # the lead organisation's name
    content = found(staff_client, "projects:staff_application_list", "EPICERIE SOLIDAIRES")
    assert "Épicerie solidaire" in content and "Une coopérative" not in content


@postgresql_only
def test_organisations_by_part_of_the_name_or_of_the_siret(staff_client, files):
    content = found(staff_client, "directory:staff_organisation_list", "cooperat")
    assert "Coopérative des Alpes" in content and "Amis du Vercors" not in content
    content = found(staff_client, "directory:staff_organisation_list", "5678900")
    assert "Coopérative des Alpes" in content and "Amis du Vercors" not in content
    content = found(staff_client, "projects:staff_application_list", "5678900")
    assert "Atelier vélo" in content and "Épicerie solidaire" not in content


@postgresql_only
def test_results_are_ranked(staff_client, files):
    files["grocery"].summary = "Une épicerie, une épicerie, encore une épicerie."
    files["grocery"].save()
    files["coop"].summary = "Avec une épicerie."
    files["coop"].save()
    content = found(staff_client, "projects:staff_application_list", "épiceries")
    assert content.index("Épicerie solidaire") < content.index("Une coopérative")


@postgresql_only
def test_conventions_by_stem_and_beneficiary(staff_client, db):
    make_convention(beneficiary=OrganisationFactory(name="Régie de quartier Villeneuve"))
    content = found(staff_client, "projects:convention_dashboard", "recycleries")
    assert "Recyclerie solidaire" in content
    content = found(staff_client, "projects:convention_dashboard", "regie villeneuve")
    assert "Villeneuve" in content
    assert "Villeneuve" not in found(staff_client, "projects:convention_dashboard", "mutuelle")


@postgresql_only
def test_search_uses_the_indexes(staff_client, files):
    """The plan of the search reads the GIN indexes, not every row's text."""
    with CaptureQueriesContext(connection) as queries:
        found(staff_client, "projects:staff_application_list", "coopératives")
    page = next(q["sql"] for q in queries.captured_queries if "ts_rank" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + page)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "projects_application_search" in plan


SEARCHES = [
    # (list, query, pinned queries on SQLite, on PostgreSQL: organisations looked up first)
    ("projects:staff_application_list", "épicerie solidaire", 4, 8),
    ("projects:convention_dashboard", "recyclerie", 11, 13),
    ("directory:staff_organisation_list", "coopérative", 5, 5),
]


@pytest.mark.parametrize(("name", "query", "sqlite", "postgresql"), SEARCHES)
def test_searched_lists_are_pinned_and_constant(
    staff_client, django_assert_num_queries, name, query, sqlite, postgresql
):
    def grow(count):
        for _index in range(count):
            organisation = OrganisationFactory(name="Coopérative solidaire")
            application_in(
                ApplicationStatus.SUBMITTED, organisation=organisation, title="Épicerie solidaire"
            )
            make_convention(beneficiary=organisation)

    grow(1)
    expected = postgresql if connection.vendor == "postgresql" else sqlite
    url = reverse(name)
    staff_client.get(url, {"q": query})  # warm: the session, the cached filter form
    with django_assert_num_queries(expected):
        staff_client.get(url, {"q": query})
    grow(20)
    staff_client.get(url, {"q": query})
    with django_assert_num_queries(expected):
        assert staff_client.get(url, {"q": query, "page": 1}).status_code == 200
