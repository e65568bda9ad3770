import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from communication.models import Dataset, DatasetStatus, Statistic
from demo.factories.communication import DatasetFactory, add_rows
from ess_metro.directory.models import Commune

pytestmark = pytest.mark.django_db

GOOD_CSV = """annee;commune;famille;secteur;etablissements;emplois
2022;Grenoble;association;Action sociale;410;5 020
2022;Échirolles;Coopératives;Commerce;12;140
2023;grenoble;association;Action sociale;420;5100
2023;ECHIROLLES;coopérative;Commerce;13;151
2023;;mutuelle;Assurance;30;900
2023;Fontaine;fondation;Santé;2;80
"""

BAD_CSV = """annee;commune;famille;secteur;etablissements;emplois
2023;Grenoble;association;Action sociale;420;5100
20x3;Grenoble;association;Culture;12;30
2023;Paris;association;Culture;12;30
2023;Fontaine;syndicat;Culture;12;30
2023;Fontaine;association;Culture;douze;30
2023;Grenoble;association;Action sociale;1;1
"""

SIRENE_HEADER = ",".join(
    [
        "siret",
        "codeCommuneEtablissement",
        "categorieJuridiqueUniteLegale",
        "activitePrincipaleEtablissement",
        "economieSocialeSolidaireUniteLegale",
        "trancheEffectifsEtablissement",
        "etatAdministratifEtablissement",
    ]
)
SIRENE_CSV = (
    SIRENE_HEADER
    + """
44306184100021,38185,9220,88.99B,O,11,A
40483304800022,38185,9220,88.99B,O,02,A
77567227200017,38151,5458,43.21A,O,03,A
77568519100014,38185,8210,65.12Z,O,NN,A
55208131766522,38185,5710,62.01Z,N,12,A
12345678901234,38185,9220,88.99B,O,01,F
98765432109876,75056,9220,88.99B,O,01,A
"""
)


def _post(client, content: str, name="chiffres.csv", **fields):
    data = {
        "title": "Chiffres ESS 2023",
        "description": "",
        "format": "aggregate",
        "source": "URSSAF",
        "source_url": "https://open.urssaf.fr/",
        "licence": "Licence Ouverte / Open Licence 2.0",
        "data_date": "2024-06-30",
        "year": "",
        "file": SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv"),
    }
    data.update(fields)
    return client.post(reverse("communication:dataset_import"), data)


def test_good_csv_is_imported_as_a_draft_then_published(staff_client, staff):
    response = _post(staff_client, GOOD_CSV)
    dataset = Dataset.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("communication:dataset_preview", args=[dataset.pk])
    assert dataset.status == DatasetStatus.DRAFT
    assert (dataset.source, dataset.licence, str(dataset.data_date)) == (
        "URSSAF",
        "Licence Ouverte / Open Licence 2.0",
        "2024-06-30",
    )
    assert dataset.imported_by == staff and dataset.row_count == 6
    with dataset.original_file.open("rb") as original:
        assert original.read().decode() == GOOD_CSV
    rows = Statistic.objects.filter(dataset=dataset)
    assert rows.count() == 6
    assert rows.get(year=2022, commune__name="Grenoble").jobs == 5020
    assert rows.get(year=2023, commune__name="Échirolles").family == "cooperative"
    assert rows.get(year=2023, commune=None).family == "mutual"
    # Drafts stay off the public page until published.
    assert (
        dataset.title not in staff_client.get(reverse("communication:statistics")).content.decode()
    )
    preview = staff_client.get(response["Location"]).content.decode()
    assert "6 lignes importées" in preview
    staff_client.post(reverse("communication:dataset_publish", args=[dataset.pk]))
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.PUBLISHED
    assert dataset.title in staff_client.get(reverse("communication:statistics")).content.decode()


def test_broken_csv_imports_nothing_and_lists_line_numbered_french_errors(staff_client):
    response = _post(staff_client, BAD_CSV)
    content = response.content.decode()
    assert response.status_code == 200
    assert not Dataset.objects.exists()
    assert not Statistic.objects.exists()
    assert "Rien n'a été importé" in content
    for message in [
        "Ligne 3 : l&#x27;année « 20x3 » n&#x27;est pas une année entre 1990 et 2100.",
        "Ligne 4 : « Paris » n&#x27;est pas l&#x27;une des 49 communes de la Métro.",
        "Ligne 5 : la famille de l&#x27;ESS « syndicat » est inconnue",
        "Ligne 6 : le nombre d&#x27;établissements « douze » n&#x27;est pas un nombre entier.",
        "Ligne 7 : cette année, cette commune, cette famille et ce secteur figurent deux fois.",
    ]:
        assert message in content
    # What was typed is kept.
    assert 'value="Chiffres ESS 2023"' in content


def test_missing_columns_and_wrong_file_type(staff_client):
    content = _post(staff_client, "annee;commune\n2023;Grenoble\n").content.decode()
    assert "Ligne 1 : colonnes manquantes : famille, etablissements, emplois." in content
    content = _post(staff_client, GOOD_CSV, name="chiffres.xlsx").content.decode()
    assert "Envoyez un fichier CSV (.csv)." in content
    content = _post(staff_client, "annee;famille;etablissements;emplois\n").content.decode()
    assert "Le fichier ne contient aucune ligne de données." in content
    assert not Dataset.objects.exists()


def test_sirene_extract_counts_active_ess_establishments_of_the_metro(staff_client):
    response = _post(staff_client, SIRENE_CSV, format="sirene", year="2024")
    assert response.status_code == 302
    rows = Statistic.objects.all()
    grenoble_associations = rows.get(commune__name="Grenoble", family="association")
    assert (grenoble_associations.establishments, grenoble_associations.jobs) == (2, 18)
    assert rows.get(commune__name="Échirolles").family == "cooperative"
    assert rows.get(family="mutual").jobs == 0
    assert set(rows.values_list("year", flat=True)) == {2024}
    assert rows.count() == 3  # not ESS, closed and Paris rows are left out


def test_sirene_extract_needs_a_year_and_valid_rows(staff_client):
    content = _post(staff_client, SIRENE_CSV, format="sirene").content.decode()
    assert "Indiquez l&#x27;année des chiffres de l&#x27;extrait Sirene." in content
    broken = SIRENE_CSV.replace(
        "44306184100021,38185,9220,88.99B,O,11", "4430,38185,92,88.99B,X,99"
    )
    content = _post(staff_client, broken, format="sirene", year="2024").content.decode()
    assert "Ligne 2 : le SIRET « 4430 » ne compte pas 14 chiffres." in content
    assert "Ligne 2 : l&#x27;indicateur ESS « X » doit valoir O ou N." in content
    assert "Ligne 2 : la catégorie juridique « 92 » ne compte pas 4 chiffres." in content
    assert "Ligne 2 : la tranche d&#x27;effectifs « 99 » est inconnue." in content
    assert not Dataset.objects.exists()


def test_a_draft_can_be_discarded_a_published_dataset_cannot(staff_client):
    draft = DatasetFactory(status=DatasetStatus.DRAFT)
    add_rows(draft, 3)
    staff_client.post(reverse("communication:dataset_discard", args=[draft.pk]))
    assert not Dataset.objects.filter(pk=draft.pk).exists()
    assert not Statistic.objects.exists()
    published = DatasetFactory()
    response = staff_client.post(
        reverse("communication:dataset_discard", args=[published.pk]), follow=True
    )
    assert "Un jeu de données publié ne peut pas être abandonné." in response.content.decode()
    assert Dataset.objects.filter(pk=published.pk).exists()


# --- public data page ------------------------------------------------------------------------


@pytest.fixture
def dataset():
    dataset = DatasetFactory(title="ESS par commune", source="URSSAF (test)")
    add_rows(dataset, 30)
    return dataset


def test_statistics_page_has_key_figures_charts_and_data_tables(client, dataset):
    response = client.get(reverse("communication:statistics"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Chiffres clés 2023" in content
    for chart_id in ("chart-years", "chart-families", "chart-communes"):
        assert (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="ess-chart" id="{chart_id}"' in content
        )
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in content
        assert f'<caption id="{chart_id}-caption">' in content
    assert 'role="img"' in content
    assert "Les emplois de l&#x27;ESS par année" in content
    assert "Licence Ouverte / Open Licence 2.0" in content
    assert reverse("communication:dataset_csv", args=[dataset.pk]) in content
    # Establishments instead of jobs.
    content = client.get(reverse("communication:statistics"), {"mesure": "etablissements"})
    assert "Les établissements de l&#x27;ESS par année" in content.content.decode()


def test_the_communes_table_says_it_lists_every_commune(client):
    dataset = DatasetFactory(title="ESS par commune", source="URSSAF (test)")
    add_rows(dataset, 60)  # 20 communes in 2023: the chart shows 15, the table all 20
    content = client.get(reverse("communication:statistics")).content.decode()
    assert "Les 15 communes qui comptent le plus" in content
    assert "Établissements et emplois de l&#x27;ESS des 20 communes renseignées en 2023" in content


def test_the_open_data_csv_uses_french_families_and_insee_codes(client, dataset):
    from ess_metro.directory.models import Commune

    Commune.objects.filter(name="Bresson").update(insee_code="38057")
    response = client.get(reverse("communication:dataset_csv", args=[dataset.pk]))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    families = {row[header.index("famille")] for row in rows[1:]}
    assert families == {
        "association",
        "coopérative",
        "mutuelle",
        "fondation",
        "société commerciale de l'ESS",
    }
    bresson = [row for row in rows[1:] if row[header.index("commune")] == "Bresson"]
    assert bresson and {row[header.index("code_commune")] for row in bresson} == {"38057"}


def test_unknown_or_draft_dataset_is_a_404(client, dataset):
    draft = DatasetFactory(status=DatasetStatus.DRAFT)
    url = reverse("communication:statistics")
    assert client.get(url, {"jeu": draft.pk}).status_code == 404
    assert client.get(reverse("communication:dataset_csv", args=[draft.pk])).status_code == 404


def test_statistics_pdf_contains_the_same_charts(client, dataset):
    response = client.get(reverse("communication:statistics_pdf"), {"jeu": dataset.pk})
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Les emplois de l'ESS par année" in text
    assert "Les emplois de l'ESS par famille en 2023" in text
    assert "Données du graphique" in text
    assert "Licence Ouverte" in text
    # The SVG's own labels are drawn as text in the PDF.
    html = client.get(reverse("communication:statistics")).content.decode()
    assert "<svg" in html
    for label in ("2021", "2022", "2023", "Associations"):
        assert label in text


def test_dataset_csv_is_open_data_with_source_and_licence(client, dataset):
    response = client.get(reverse("communication:dataset_csv", args=[dataset.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "annee",
        "code_commune",
        "commune",
        "famille",
        "secteur",
        "etablissements",
        "emplois",
        "source",
        "licence",
    ]
    assert len(rows) == 31
    assert {row[7] for row in rows[1:]} == {"URSSAF (test)"}
    assert {row[8] for row in rows[1:]} == {"Licence Ouverte / Open Licence 2.0"}


def test_statistics_page_query_count_does_not_grow(client, django_assert_num_queries):
    dataset = DatasetFactory()
    add_rows(dataset, 1)
    url = reverse("communication:statistics")
    with django_assert_num_queries(4):
        client.get(url)
    add_rows(dataset, 60, years=(2023,))
    other = DatasetFactory(data_date=datetime.date(2010, 1, 1))
    add_rows(other, 25)
    with django_assert_num_queries(4):
        response = client.get(url)
    assert len(response.context["datasets"]) == 2
    assert len(response.context["charts"][2].rows) > 20


def test_statistics_page_without_data(client):
    content = client.get(reverse("communication:statistics")).content.decode()
    assert "Aucune statistique n'est encore publiée." in content
    assert client.get(reverse("communication:statistics_pdf")).status_code == 404


def test_commune_names_are_matched_without_accents_or_case():
    from communication.importers import parse

    result = parse(
        "annee;commune;famille;etablissements;emplois\n2023;SAINT-MARTIN-D'HERES;Fondations;1;2\n".encode(
            "cp1252"
        ),
        format="aggregate",
    )
    assert result.ok
    assert result.rows[0].commune == Commune.objects.get(name="Saint-Martin-d'Hères")


def test_the_same_svg_is_served_in_the_page_and_put_in_the_pdf(client, dataset, rf):
    from django.template.loader import render_to_string

    from communication import selectors

    context = selectors.as_context(selectors.statistics_page(wanted="", measure=""))
    html = client.get(reverse("communication:statistics")).content.decode()
    pdf_html = render_to_string(
        "pdf/communication/statistics.html", {**context, "generated_on": dataset.data_date}
    )
    assert len(context["charts"]) == 3
    for chart in context["charts"]:
        assert str(chart.svg) in html
        assert str(chart.svg) in pdf_html


def test_a_file_with_many_errors_lists_the_first_and_counts_the_rest():
    from communication.importers import MAX_ERRORS, parse

    lines = ["annee;famille;etablissements;emplois"] + ["x;association;1;1"] * (MAX_ERRORS + 5)
    result = parse("\n".join(lines).encode(), format="aggregate")
    assert not result.ok and not result.rows
    assert len(result.errors) == MAX_ERRORS + 1
    assert result.errors[-1] == "… et 5 erreurs de plus, non listées."


def test_import_and_publication_are_logged(staff_client, staff):
    _post(staff_client, GOOD_CSV)
    dataset = Dataset.objects.get()
    staff_client.post(reverse("communication:dataset_publish", args=[dataset.pk]))
    log = list(dataset.transitions.values_list("user", "from_status", "to_status"))
    assert log == [(staff.pk, "", "draft"), (staff.pk, "draft", "published")]
    assert (
        "6 lignes importées depuis chiffres.csv."
        in staff_client.get(
            reverse("communication:dataset_preview", args=[dataset.pk])
        ).content.decode()
    )


def test_staff_correct_the_description_of_a_dataset(staff_client):
    dataset = DatasetFactory(source="URSAF")
    url = reverse("communication:dataset_update", args=[dataset.pk])
    response = staff_client.post(
        url,
        {
            "title": dataset.title,
            "description": "",
            "source": "URSSAF",
            "source_url": "open.urssaf.fr",
            "licence": dataset.licence,
            "data_date": "2025-06-30",
        },
    )
    assert response.status_code == 302
    dataset.refresh_from_db()
    assert (dataset.source, dataset.source_url) == ("URSSAF", "https://open.urssaf.fr")
    response = staff_client.post(url, {"title": "", "source": "", "licence": "x"})
    assert "Ce champ est obligatoire." in response.content.decode()


def test_whole_area_figures_give_year_and_family_charts_only(client):
    from communication.models import Statistic

    dataset = DatasetFactory(title="Région grenobloise 2007")
    Statistic.objects.create(
        dataset=dataset,
        line_number=2,
        year=2007,
        family="association",
        establishments=5950,
        jobs=10900,
    )
    response = client.get(reverse("communication:statistics"), {"jeu": dataset.pk})
    assert [chart.id for chart in response.context["charts"]] == ["chart-years", "chart-families"]
    content = response.content.decode()
    assert "5\u202f950" in content or "5\u00a0950" in content
    assert "Évolution des emplois" not in content  # a single year has no change


def test_communes_are_also_matched_by_insee_code():
    from communication.importers import parse

    result = parse(
        b"annee;code_commune;famille;etablissements;emplois\n2023;38151;association;3;40\n"
        b"2023;99999;association;3;40\n",
        format="aggregate",
    )
    assert result.errors == [
        "Ligne 3 : le code commune « 99999 » n'est pas celui d'une commune de la Métro."
    ]
    assert result.rows[0].commune == Commune.objects.get(name="Échirolles")


def test_spreadsheet_exports_are_read_bom_crlf_and_commas():
    from communication.importers import parse

    content = (
        "\ufeffAnnée,Commune,Famille,Secteur,Établissements,Emplois\r\n"
        '2023,Grenoble,association,"Culture, sport",12,"1 240"\r\n'
        "\r\n"
    ).encode("utf-8")
    result = parse(content, format="aggregate")
    assert result.errors == []
    row = result.rows[0]
    assert (row.sector, row.establishments, row.jobs) == ("Culture, sport", 12, 1240)
