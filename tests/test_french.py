"""French elisions before names (ess_metro/french.py) and their template filters."""

import pytest
from django.template import Context, Template
from django.utils import translation

from ess_metro import french


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Isabelle Faure", "d'Isabelle Faure"),
        ("Éric Gauthier", "d'Éric Gauthier"),
        ("Claire Martin", "de Claire Martin"),
        ("Hélène Roux", "d'Hélène Roux"),
        ("Hugo Blanc", "d'Hugo Blanc"),
        ("Hauts-de-France Active", "de Hauts-de-France Active"),
        ("Yasmine Benali", "de Yasmine Benali"),
        ("Yves Perrin", "de Yves Perrin"),
        ("Yvan Morel", "d'Yvan Morel"),
        ("Le Groupe de travail", "du Groupe de travail"),
        ("Les Ateliers du Drac", "des Ateliers du Drac"),
        ("La Régie de quartier", "de la Régie de quartier"),
        ("L'Union des Scop", "de l'Union des Scop"),
        ("  Olivier  ", "d'Olivier"),
        ("", "de "),
    ],
)
def test_de_elides_and_contracts(name, expected):
    assert french.de(name) == expected


def test_de_can_keep_a_surname_article():
    assert french.de("Le Gall", contract=False) == "de Le Gall"
    assert french.de("Le Gall") == "du Gall"


@pytest.mark.parametrize(
    ("noun", "feminine", "article", "of_article"),
    [
        ("Groupe de travail", False, "le Groupe de travail", "du Groupe de travail"),
        (
            "Association Alpesolidaires",
            True,
            "l'Association Alpesolidaires",
            "de l'Association Alpesolidaires",
        ),
        ("Avenant n°1", False, "l'Avenant n°1", "de l'Avenant n°1"),
        ("Régie", True, "la Régie", "de la Régie"),
        ("hall", False, "le hall", "du hall"),
    ],
)
def test_articles(noun, feminine, article, of_article):
    assert french.le(noun, feminine=feminine) == article
    assert french.de_article(noun, feminine=feminine) == of_article


def test_elide_other_particles():
    assert french.elide("que", "Anne") == "qu'Anne"
    assert french.elide("que", "Marc") == "que Marc"


def test_of_follows_the_active_language():
    with translation.override("fr"):
        assert french.of("Éric Gauthier") == "d'Éric Gauthier"
    with translation.override("en"):
        assert french.of("Éric Gauthier") == "of Éric Gauthier"


def test_template_filters():
    template = Template(
        "{% autoescape off %}Présence {{ name|de }} / {{ name|of }}{% endautoescape %}"
    )
    with translation.override("fr"):
        assert (
            template.render(Context({"name": "Isabelle Faure"}))
            == "Présence d'Isabelle Faure / d'Isabelle Faure"
        )


def test_vote_label_is_elided_in_french():
    with translation.override("fr"):
        rendered = Template(
            "{% load i18n %}{% blocktranslate with of_person=name|of %}"
            "Vote {{ of_person }}{% endblocktranslate %}"
        ).render(Context({"name": "Éric Gauthier"}))
    assert rendered == "Vote d&#x27;Éric Gauthier"
