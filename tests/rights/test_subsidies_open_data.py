"""SCDL « subventions »: the files validate against the schema kept in the repository."""

import csv
import datetime
import io
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from frictionless import Checklist, Resource, Schema, checks, validate

from ess_metro.directory.rules import is_valid_siret
from projects import subsidies

SCHEMA = Path(settings.BASE_DIR) / "projects" / "schemas" / "scdl-subventions-2.1.0.json"
CHECKLIST = Checklist(checks=[checks.row_constraint(formula="idBeneficiaire or rnaBeneficiaire")])


def _validate(content: bytes):
    schema = Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    resource = Resource(data=content, format="csv", encoding="utf-8", schema=schema)
    return validate(resource, checklist=CHECKLIST)


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def _rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


@pytest.mark.django_db
def test_the_demo_csv_validates_against_the_scdl_schema(demo, client, settings):
    settings.SCDL_PUBLISH_ALL = True
    response = client.get("/donnees/subventions.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    report = _validate(response.content)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = _rows(response.content)
    assert rows, "the demo data has subsidies this year"
    assert list(rows[0]) == list(subsidies.FIELDS)
    assert {row["nomAttribuant"] for row in rows} == {"Grenoble-Alpes Métropole"}
    assert all(is_valid_siret(row["idBeneficiaire"]) for row in rows if row["idBeneficiaire"])
    assert all(row["idBeneficiaire"] or row["rnaBeneficiaire"] for row in rows)
    assert all(row["dispositifAide"] for row in rows)


@pytest.mark.django_db
def test_every_year_of_the_demo_validates_and_the_json_has_the_same_rows(demo, client, settings):
    settings.SCDL_PUBLISH_ALL = True
    years = subsidies.subsidy_years()
    assert timezone.localdate().year in years
    for year in years:
        content = client.get(f"/donnees/subventions-{year}.csv").content
        report = _validate(content)
        assert report.valid, (year, report.flatten(["rowNumber", "fieldName", "type"]))
        document = json.loads(client.get(f"/donnees/subventions-{year}.json").content)
        assert document["annee"] == year
        assert len(document["data"]) == len(_rows(content))
        for row, item in zip(_rows(content), document["data"], strict=True):
            assert Decimal(row["montant"]) == Decimal(str(item["montant"]))
            assert row["nomBeneficiaire"] == item["nomBeneficiaire"]


@pytest.mark.django_db
def test_the_legal_threshold_setting_narrows_the_file(demo, client, settings):
    year = timezone.localdate().year
    settings.SCDL_PUBLISH_ALL = True
    every = subsidies.subsidy_rows(year=year)
    settings.SCDL_PUBLISH_ALL = False
    legal = subsidies.subsidy_rows(year=year)
    assert len(legal) < len(every)
    assert legal == [row for row in every if row in legal]
    settings.SCDL_AUTHORITY_NAME = "Métropole de test"
    settings.SCDL_AUTHORITY_SIRET = "35600000000048"
    rows = _rows(client.get("/donnees/subventions.csv").content)
    assert {(r["nomAttribuant"], r["idAttribuant"]) for r in rows} <= {
        ("Métropole de test", "35600000000048")
    }
    assert _validate(client.get("/donnees/subventions.csv").content).valid


def test_a_row_without_siret_nor_rna_fails_the_checklist():
    """The rule is really checked: the validator rejects a row that breaks it."""
    row = dict.fromkeys(subsidies.FIELDS, "")
    row.update(
        nomAttribuant="Grenoble-Alpes Métropole",
        idAttribuant="20004071500019",
        dateConvention="2026-01-15",
        nomBeneficiaire="Sans identifiant",
        objet="Test",
        montant="1000.00",
        nature=subsidies.CASH,
        conditionsVersement="unique",
        datesPeriodeVersement="2026-01-15",
        notificationUE="non",
        pourcentageSubvention="1.00",
    )
    content = subsidies.as_csv([row]).encode()
    report = _validate(content)
    assert not report.valid
    assert [error[0] for error in report.flatten(["type"])] == ["row-constraint"]
    row["rnaBeneficiaire"] = "W381234567"
    assert _validate(subsidies.as_csv([row]).encode()).valid


def test_text_with_commas_quotes_and_line_breaks_stays_in_its_cell():
    row = dict.fromkeys(subsidies.FIELDS, "")
    row["objet"] = 'Ateliers "vélo", réparation\net =SOMME(A1)'
    parsed = _rows(subsidies.as_csv([row]).encode())
    assert parsed == [row]


@pytest.mark.parametrize(
    "role", ["anonymous", "applicant", "other_applicant", "committee", "staff"]
)
@pytest.mark.parametrize(
    "url",
    ["/donnees/subventions.csv", "/donnees/subventions.json", "/donnees/subventions-2025.csv"],
)
def test_every_role_reads_the_files(role_clients, role, url):
    assert role_clients[role].get(url).status_code == 200


def test_a_year_out_of_range_is_a_404(client, db):
    assert client.get("/donnees/subventions-1999.csv").status_code == 404
    assert client.get("/donnees/subventions-2101.json").status_code == 404


@pytest.mark.parametrize("page", ["/donnees/", "/flux/"])
def test_the_data_and_feeds_pages_link_the_files(client, db, page):
    html = client.get(page).content.decode()
    assert 'href="/donnees/subventions.csv"' in html
    assert 'href="/donnees/subventions.json"' in html
    assert "SCDL" in html


def _subsidies(count: int, year: int):
    from demo.factories.calls import application_in
    from demo.factories.conventions import make_convention
    from projects.calls.models import ApplicationStatus

    for _ in range(count):
        make_convention(amounts={year: 30000, year + 1: 25000})
        application = application_in(ApplicationStatus.GRANTED)
        application.granted_amount = Decimal("24000.00")
        application.decision_date = datetime.date(year, 3, 1)
        application.save()


@pytest.mark.django_db
def test_the_file_costs_the_same_queries_for_1_or_8_subsidies(client, django_assert_num_queries):
    _subsidies(1, 2026)
    with django_assert_num_queries(8):
        rows = _rows(client.get("/donnees/subventions-2026.csv").content)
    assert len(rows) == 2
    _subsidies(7, 2026)
    with django_assert_num_queries(8):
        rows = _rows(client.get("/donnees/subventions-2026.csv").content)
    assert len(rows) == 16
    convention_row = next(
        row for row in rows if row["dispositifAide"] != rows[-1]["dispositifAide"]
    )
    assert convention_row["montant"] == "55000.00"
    assert convention_row["conditionsVersement"] == "échelonné"
    assert rows[-1]["montant"] == "24000.00"
