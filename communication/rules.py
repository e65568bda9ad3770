"""Pure rules of the communication app: no database, no request; plain values in, values out.

- the Mois de l'ESS window (November) and the years its programme pages exist for;
- the checks of one row of a statistics CSV file (aggregate figures or a Sirene extract),
  each returning its French message, or None when the value is right;
- the key figures of the data page (growth, share) and the scales of its charts.
"""

import re
import unicodedata

from django.utils.translation import gettext as _

from ess_metro.directory.models import EssFamily

# --- events and the Mois de l'ESS ------------------------------------------------------------

MOIS_ESS_MONTH = 11
FIRST_PROGRAMME_YEAR = 2000
LAST_PROGRAMME_YEAR = 2100


def in_mois_ess_month(month: int) -> bool:
    """Only an event held in November can join the Mois de l'ESS."""
    return month == MOIS_ESS_MONTH


def is_programme_year(year: int) -> bool:
    """The years a Mois de l'ESS programme page can exist for."""
    return FIRST_PROGRAMME_YEAR <= year <= LAST_PROGRAMME_YEAR


def ends_before_start(start, end) -> bool:
    """True when both are given and the end comes before the start (equal is allowed)."""
    return start is not None and end is not None and end < start


# --- one row of a statistics file ------------------------------------------------------------

FIRST_DATA_YEAR = 1990
LAST_DATA_YEAR = 2100


def plain(text: str) -> str:
    """Lower case, no accents, words separated by one space: how names are compared."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def whole_number(value: str) -> int | None:
    """A count written with or without thousands spaces; None when it is not a whole number."""
    cleaned = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not re.fullmatch(r"\d+", cleaned):
        return None
    return int(cleaned)


def data_year(text: str) -> int | None:
    """The year of a row, between 1990 and 2100; None otherwise."""
    year = whole_number(text)
    if year is None or not FIRST_DATA_YEAR <= year <= LAST_DATA_YEAR:
        return None
    return year


def year_error(text: str) -> str | None:
    if data_year(text) is not None:
        return None
    return _("the year “%(value)s” is not a year between 1990 and 2100.") % {"value": text}


FAMILY_ALIASES = {
    "association": EssFamily.ASSOCIATION,
    "associations": EssFamily.ASSOCIATION,
    "cooperative": EssFamily.COOPERATIVE,
    "cooperatives": EssFamily.COOPERATIVE,
    "mutuelle": EssFamily.MUTUAL,
    "mutuelles": EssFamily.MUTUAL,
    "mutual": EssFamily.MUTUAL,
    "mutuals": EssFamily.MUTUAL,
    "fondation": EssFamily.FOUNDATION,
    "fondations": EssFamily.FOUNDATION,
    "foundation": EssFamily.FOUNDATION,
    "foundations": EssFamily.FOUNDATION,
    "company": EssFamily.COMPANY,
    "societe commerciale": EssFamily.COMPANY,
    "societes commerciales": EssFamily.COMPANY,
    "societe commerciale de l ess": EssFamily.COMPANY,
    "societes commerciales de l ess": EssFamily.COMPANY,
    "entreprise commerciale de l ess": EssFamily.COMPANY,
}


def family_from_text(text: str) -> str | None:
    """The ESS family a file names (French or English, singular or plural, any accents)."""
    return FAMILY_ALIASES.get(plain(text))


def family_error(text: str) -> str | None:
    if family_from_text(text) is not None:
        return None
    return _(
        "the ESS family “%(value)s” is unknown (association, coopérative, mutuelle, "
        "fondation or société commerciale)."
    ) % {"value": text}


def count_error(text: str, what: str) -> str | None:
    if whole_number(text) is not None:
        return None
    return _("the number of %(what)s “%(value)s” is not a whole number.") % {
        "what": what,
        "value": text,
    }


def commune_error(*, code: str, name: str, found: bool) -> str | None:
    """A row names its commune by INSEE code or by name; none at all means the whole area."""
    if found:
        return None
    if code:
        return _("the commune code “%(value)s” is not one of the Métro's communes.") % {
            "value": code
        }
    if name:
        return _("“%(value)s” is not one of the 49 communes of the Métro.") % {"value": name}
    return None


# Middle of each Sirene headcount band (trancheEffectifs): an estimate of jobs.
HEADCOUNT_BANDS = {
    "NN": 0,
    "": 0,
    "00": 0,
    "01": 1,
    "02": 4,
    "03": 7,
    "11": 14,
    "12": 34,
    "21": 74,
    "22": 149,
    "31": 199,
    "32": 374,
    "41": 749,
    "42": 1499,
    "51": 3499,
    "52": 7499,
    "53": 10000,
}

COOPERATIVE_CATEGORIES = frozenset({
    "5385", "5432", "5443", "5458", "5459", "5460", "5551", "5552", "5553",
    "5554", "5555", "5558", "5559", "5560", "5632", "5642", "5651", "5652",
    "5653", "5654", "5655", "5658", "5659", "5660", "5785", "6316", "6317",
    "6318", "6532", "6533", "6534", "6535", "6536",
})  # fmt: skip
MUTUAL_CATEGORIES = frozenset({"8310", "8510", "8520"})


def family_from_legal_category(code: str) -> str:
    """The ESS family of an INSEE legal category (catégorie juridique, 4 digits)."""
    if code.startswith("92"):
        return EssFamily.ASSOCIATION
    if code.startswith("93"):
        return EssFamily.FOUNDATION
    if code.startswith("82") or code in MUTUAL_CATEGORIES:
        return EssFamily.MUTUAL
    if code in COOPERATIVE_CATEGORIES:
        return EssFamily.COOPERATIVE
    return EssFamily.COMPANY


def sirene_row_errors(*, siret: str, flag: str, category: str, band: str, code: str) -> list[str]:
    """The French messages of the wrong cells of one Sirene row (empty when it is right)."""
    errors = []
    if not re.fullmatch(r"\d{14}", siret):
        errors.append(_("the SIRET “%(value)s” does not have 14 digits.") % {"value": siret})
    if flag not in {"O", "N", ""}:
        errors.append(_("the ESS flag “%(value)s” must be O or N.") % {"value": flag})
    if not re.fullmatch(r"\d{4}", category):
        errors.append(
            _("the legal category “%(value)s” does not have 4 digits.") % {"value": category}
        )
    if band not in HEADCOUNT_BANDS:
        errors.append(_("the headcount band “%(value)s” is unknown.") % {"value": band})
    if not re.fullmatch(r"\d[\dAB]\d{3}", code):
        errors.append(_("the commune code “%(value)s” is not an INSEE code.") % {"value": code})
    return errors


def counts_as_metro_ess(*, flag: str, state: str, in_metro: bool) -> bool:
    """A Sirene establishment counts when its legal unit is ESS, it is open and in the Métro."""
    return flag == "O" and state != "F" and in_metro


# --- key figures and charts ------------------------------------------------------------------


def growth_percent(first: int, latest: int) -> float | None:
    """How much ``latest`` grew from ``first``, in per cent; None when ``first`` is zero."""
    if not first:
        return None
    return (latest - first) * 100 / first


def share_percent(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``; None when ``whole`` is zero."""
    if not whole:
        return None
    return part * 100 / whole


def nice_step(value: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving about four intervals up to value."""
    raw = max(value / 4, 1)
    magnitude = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 5):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


def column_scale(highest: int) -> tuple[int, int]:
    """The step and the number of intervals of a column chart's axis reaching ``highest``."""
    step = nice_step(highest)
    intervals = max(-(-highest // step), 1)
    return step, intervals


def short_label(label: str, length: int = 28) -> str:
    """A bar's label cut to ``length`` characters, with an ellipsis when it was longer."""
    return label if len(label) <= length else label[: length - 1] + "…"


def place_with_commune(place: str, commune: str) -> str:
    """Where an event is: its place, then its commune unless the place already ends with it
    (« Salle des fêtes, Vif » stays as it is, never « …, Vif, Vif »)."""
    place, commune = (place or "").strip(), (commune or "").strip()
    if not commune:
        return place
    if not place:
        return commune
    last = re.split(r"[,\n]", place)[-1].strip()
    # « 38450 Vif » or « Vif »: the postcode before the name counts as the same commune.
    if _folded(re.sub(r"^\d{5}\s+", "", last)) == _folded(commune):
        return place
    return f"{place}, {commune}"


def _folded(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain.casefold().replace("-", " ").strip()
