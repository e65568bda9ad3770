"""Boundary tests of the communication app's pure rules (no database)."""

import datetime

import pytest
from django.utils import translation

from communication import rules
from ess_metro.directory.models import EssFamily


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


# --- the Mois de l'ESS window ----------------------------------------------------------------


@pytest.mark.parametrize(("month", "joins"), [(10, False), (11, True), (12, False)])
def test_only_november_joins_the_mois_ess(month, joins):
    assert rules.in_mois_ess_month(month) is joins


@pytest.mark.parametrize(
    ("year", "exists"),
    [(1999, False), (2000, True), (2001, True), (2099, True), (2100, True), (2101, False)],
)
def test_programme_years(year, exists):
    assert rules.is_programme_year(year) is exists


def test_the_end_may_equal_the_start_but_not_come_before():
    start = datetime.datetime(2030, 11, 1, 10)
    assert rules.ends_before_start(start, start - datetime.timedelta(seconds=1)) is True
    assert rules.ends_before_start(start, start) is False
    assert rules.ends_before_start(start, start + datetime.timedelta(seconds=1)) is False
    assert rules.ends_before_start(None, start) is False
    assert rules.ends_before_start(start, None) is False


def test_dates_compare_too():
    day = datetime.date(2030, 9, 1)
    assert rules.ends_before_start(day, day - datetime.timedelta(days=1)) is True
    assert rules.ends_before_start(day, day) is False


# --- one row of a statistics file ------------------------------------------------------------


def test_plain_drops_accents_case_and_punctuation():
    assert rules.plain("  Saint-Martin-d'Hères ") == "saint martin d heres"
    assert rules.plain("Coopérative") == "cooperative"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0),
        ("12", 12),
        ("1 234", 1234),
        ("1\u00a0234", 1234),
        ("1\u202f234", 1234),
        ("", None),
        ("-1", None),
        ("1,5", None),
        ("12a", None),
    ],
)
def test_whole_numbers(text, value):
    assert rules.whole_number(text) == value


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("1989", None),
        ("1990", 1990),
        ("1991", 1991),
        ("2099", 2099),
        ("2100", 2100),
        ("2101", None),
        ("vingt", None),
    ],
)
def test_data_years_between_1990_and_2100(text, year):
    assert rules.data_year(text) == year


def test_year_error_message():
    assert rules.year_error("2020") is None
    assert rules.year_error("1989") == ("l'année « 1989 » n'est pas une année entre 1990 et 2100.")


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("Associations", EssFamily.ASSOCIATION),
        ("coopérative", EssFamily.COOPERATIVE),
        ("Mutuelle", EssFamily.MUTUAL),
        ("fondations", EssFamily.FOUNDATION),
        ("Société commerciale de l'ESS", EssFamily.COMPANY),
        ("entreprise commerciale de l'ESS", EssFamily.COMPANY),
        ("syndicat", None),
        ("", None),
    ],
)
def test_families_read_in_any_spelling(text, family):
    assert rules.family_from_text(text) == family


def test_family_error_message():
    assert rules.family_error("association") is None
    message = rules.family_error("syndicat")
    assert message.startswith("la famille de l'ESS « syndicat » est inconnue")


def test_count_error_message():
    assert rules.count_error("0", "emplois") is None
    assert rules.count_error("1 200", "emplois") is None
    assert rules.count_error("douze", "emplois") == (
        "le nombre d'emplois « douze » n'est pas un nombre entier."
    )


def test_commune_errors_name_the_code_first_then_the_name():
    assert rules.commune_error(code="38185", name="Grenoble", found=True) is None
    assert rules.commune_error(code="", name="", found=False) is None  # the whole area
    assert rules.commune_error(code="99999", name="Nulle part", found=False) == (
        "le code commune « 99999 » n'est pas celui d'une commune de la Métro."
    )
    assert rules.commune_error(code="", name="Nulle part", found=False) == (
        "« Nulle part » n'est pas l'une des 49 communes de la Métro."
    )


@pytest.mark.parametrize(
    ("code", "family"),
    [
        ("9220", EssFamily.ASSOCIATION),
        ("9300", EssFamily.FOUNDATION),
        ("8210", EssFamily.MUTUAL),
        ("8310", EssFamily.MUTUAL),
        ("8510", EssFamily.MUTUAL),
        ("8520", EssFamily.MUTUAL),
        ("8320", EssFamily.COMPANY),
        ("5458", EssFamily.COOPERATIVE),
        ("6536", EssFamily.COOPERATIVE),
        ("5710", EssFamily.COMPANY),
        ("9120", EssFamily.COMPANY),
    ],
)
def test_family_of_a_legal_category(code, family):
    assert rules.family_from_legal_category(code) == family


@pytest.mark.parametrize(
    ("band", "jobs"), [("NN", 0), ("", 0), ("00", 0), ("01", 1), ("12", 34), ("53", 10000)]
)
def test_headcount_bands_give_their_middle(band, jobs):
    assert rules.HEADCOUNT_BANDS[band] == jobs


GOOD_SIRENE = {
    "siret": "12345678901234",
    "flag": "O",
    "category": "9220",
    "band": "03",
    "code": "38185",
}


def test_a_right_sirene_row_has_no_error():
    assert rules.sirene_row_errors(**GOOD_SIRENE) == []
    assert rules.sirene_row_errors(**{**GOOD_SIRENE, "flag": "N"}) == []
    assert rules.sirene_row_errors(**{**GOOD_SIRENE, "flag": ""}) == []
    assert rules.sirene_row_errors(**{**GOOD_SIRENE, "code": "2A004"}) == []
    assert rules.sirene_row_errors(**{**GOOD_SIRENE, "code": "2B033"}) == []


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("siret", "1234567890123", "le SIRET « 1234567890123 » ne compte pas 14 chiffres."),
        ("siret", "123456789012345", "le SIRET « 123456789012345 » ne compte pas 14 chiffres."),
        ("siret", "1234567890123A", "le SIRET « 1234567890123A » ne compte pas 14 chiffres."),
        ("flag", "X", "l'indicateur ESS « X » doit valoir O ou N."),
        ("category", "922", "la catégorie juridique « 922 » ne compte pas 4 chiffres."),
        ("category", "92200", "la catégorie juridique « 92200 » ne compte pas 4 chiffres."),
        ("band", "99", "la tranche d'effectifs « 99 » est inconnue."),
        ("code", "3818", "le code commune « 3818 » n'est pas un code INSEE."),
        ("code", "381850", "le code commune « 381850 » n'est pas un code INSEE."),
        ("code", "3C185", "le code commune « 3C185 » n'est pas un code INSEE."),
    ],
)
def test_each_wrong_sirene_cell_gives_its_message(cell, value, message):
    assert rules.sirene_row_errors(**{**GOOD_SIRENE, cell: value}) == [message]


def test_every_wrong_sirene_cell_is_reported_in_order():
    errors = rules.sirene_row_errors(siret="1", flag="X", category="1", band="99", code="1")
    assert [error.split(" « ")[0] for error in errors] == [
        "le SIRET",
        "l'indicateur ESS",
        "la catégorie juridique",
        "la tranche d'effectifs",
        "le code commune",
    ]


@pytest.mark.parametrize(
    ("flag", "state", "in_metro", "counts"),
    [
        ("O", "A", True, True),
        ("O", "", True, True),
        ("N", "A", True, False),
        ("", "A", True, False),
        ("O", "F", True, False),
        ("O", "A", False, False),
    ],
)
def test_an_establishment_counts_when_ess_open_and_in_the_metro(flag, state, in_metro, counts):
    assert rules.counts_as_metro_ess(flag=flag, state=state, in_metro=in_metro) is counts


# --- key figures and charts ------------------------------------------------------------------


def test_growth_in_per_cent():
    assert rules.growth_percent(200, 250) == 25
    assert rules.growth_percent(200, 150) == -25
    assert rules.growth_percent(200, 200) == 0
    assert rules.growth_percent(0, 150) is None


def test_share_in_per_cent():
    assert rules.share_percent(25, 200) == 12.5
    assert rules.share_percent(0, 200) == 0
    assert rules.share_percent(200, 200) == 100
    assert rules.share_percent(5, 0) is None


@pytest.mark.parametrize(
    ("value", "step"),
    [
        (0, 1),
        (4, 1),
        (5, 2),
        (8, 2),
        (9, 5),
        (20, 5),
        (21, 10),
        (40, 10),
        (41, 20),
        (80, 20),
        (81, 50),
        (200, 50),
        (201, 100),
        (3456, 1000),
        (4000, 1000),
        (4001, 2000),
    ],
)
def test_chart_steps_are_round_and_give_about_four_intervals(value, step):
    assert rules.nice_step(value) == step


@pytest.mark.parametrize(
    ("highest", "scale"),
    [(0, (1, 1)), (1, (1, 1)), (4, (1, 4)), (5, (2, 3)), (20, (5, 4)), (21, (10, 3))],
)
def test_column_scale_reaches_the_highest_value(highest, scale):
    assert rules.column_scale(highest) == scale
    step, intervals = scale
    assert step * intervals >= highest


def test_short_labels_are_cut_at_28_characters():
    assert rules.short_label("a" * 28) == "a" * 28
    assert rules.short_label("a" * 29) == "a" * 27 + "…"
    assert rules.short_label("abcdef", 5) == "abcd…"
    assert rules.short_label("abcde", 5) == "abcde"


@pytest.mark.parametrize(
    ("place", "commune", "location"),
    [
        ("Salle des fêtes", "Vif", "Salle des fêtes, Vif"),
        ("Salle des fêtes, Vif", "Vif", "Salle des fêtes, Vif"),  # the issue's « Vif, Vif »
        ("Salle des fêtes, 38450 Vif", "Vif", "Salle des fêtes, 38450 Vif"),
        ("Place de la mairie, echirolles", "Échirolles", "Place de la mairie, echirolles"),
        (
            "Maison des associations, Saint-Martin d'Hères",
            "Saint-Martin-d'Hères",
            "Maison des associations, Saint-Martin d'Hères",
        ),
        ("Rue de Vif", "Vizille", "Rue de Vif, Vizille"),
        ("Vif, salle Olympe", "Vif", "Vif, salle Olympe, Vif"),  # only the end counts
        ("", "Vif", "Vif"),
        ("La Source", "", "La Source"),
    ],
)
def test_an_event_location_names_its_commune_once(place, commune, location):
    assert rules.place_with_commune(place, commune) == location
