"""French elisions and contractions before a name: « d'Isabelle Faure », « du Groupe de travail ».

Pure functions (no database, no request). ``de``, ``le`` and ``de_article`` always write French;
``of`` follows the active language, for strings shared by the French and English catalogues::

    _("Vote %(of_person)s") % {"of_person": french.of(person)}   # « Vote d'Éric Gauthier »

In templates, the filters ``|de`` and ``|of`` (``ess_metro/templatetags/ess.py``) do the same.
"""

from django.utils.translation import get_language

APOSTROPHE = "'"
VOWELS = frozenset("aàâäeéèêëiîïoôöuùûüyÿæœ")
# Words whose initial « h » is aspirated: no elision (« de Hauts-de-Seine », « le hall »).
ASPIRATED_H = frozenset(
    {
        "hache",
        "haie",
        "hall",
        "halle",
        "hameau",
        "hangar",
        "handicap",
        "haricot",
        "hasard",
        "haut",
        "haute",
        "hautes",
        "hauts",
        "héros",
        "hibou",
        "hollande",
        "homard",
        "honte",
        "hors",
        "hublot",
        "hugues",
        "huit",
        "hutte",
    }
)
# Vowel letters said as a consonant: no elision (« le yaourt », « de Yann »).
CONSONANT_SOUND = frozenset(
    {"onze", "ouate", "yacht", "yaourt", "yann", "yannick", "yves", "yvette", "yvonne"}
)


def _first_word(text: str) -> str:
    word = text.split(maxsplit=1)[0] if text.split() else ""
    for separator in ("-", APOSTROPHE, "’"):
        word = word.split(separator, 1)[0]
    return word.lower()


def elides(word: str) -> bool:
    """Whether a word starts with a vowel sound, so « de », « le », « que » elide before it."""
    first = _first_word(str(word).strip())
    if not first or first in CONSONANT_SOUND:
        return False
    if first[0] == "h":
        return first not in ASPIRATED_H and len(first) > 1
    if first[0] == "y":
        return len(first) > 1 and first[1] not in VOWELS
    return first[0] in VOWELS


def elide(particle: str, word: str) -> str:
    """``elide("de", "Isabelle")`` → « d'Isabelle »; ``elide("que", "Claire")`` → « que Claire »."""
    word = str(word).strip()
    if particle.endswith(("e", "a")) and elides(word):
        return f"{particle[:-1]}{APOSTROPHE}{word}"
    return f"{particle} {word}"


_ARTICLES = (("les ", "des "), ("le ", "du "), ("la ", "de la "), ("l'", "de l'"), ("l’", "de l’"))


def de(name, *, contract: bool = True) -> str:
    """« de » before a name, elided or contracted with its article.

    « d'Isabelle Faure », « d'Éric Gauthier », « de Claire Martin », « du Groupe de travail »
    (for a name starting with « Le »), « des Ateliers », « de la Régie », « de l'Union ».
    ``contract=False`` keeps a surname's article as it is (« de Le Gall »).
    """
    name = str(name).strip()
    lowered = name.lower()
    for article, contracted in _ARTICLES if contract else ():
        if lowered.startswith(article) and len(name) > len(article):
            rest = name[len(article) :]
            if contracted.endswith(" ") and elides(rest) and article != "les ":
                return f"de l{APOSTROPHE}{rest}"
            return f"{contracted}{rest}"
    return elide("de", name)


def le(noun, *, feminine: bool = False) -> str:
    """The definite article before a noun: « le Groupe », « la Régie », « l'Association »."""
    return elide("la" if feminine else "le", noun)


def de_article(noun, *, feminine: bool = False) -> str:
    """« de » and the article: « du Groupe de travail », « de la Régie », « de l'Association »."""
    noun = str(noun).strip()
    if elides(noun):
        return f"de l{APOSTROPHE}{noun}"
    return f"{'de la' if feminine else 'du'} {noun}"


def of(name) -> str:
    """« de … » with elision in French, « of … » in any other language."""
    if (get_language() or "fr").startswith("fr"):
        return de(name)
    return f"of {str(name).strip()}"
