"""Reading statistics CSV files: every row is checked, errors name their line, in French.

Two formats are read:

- ``aggregate``: one row per year, commune (or none for the whole area), ESS family and sector,
  with columns ``annee``, ``commune`` or ``code_commune``, ``famille``, ``secteur``,
  ``etablissements``, ``emplois``;
- ``sirene``: an extract of the INSEE Sirene establishment file with the legal unit's ESS flag
  (columns ``siret``, ``codeCommuneEtablissement``, ``categorieJuridiqueUniteLegale``,
  ``activitePrincipaleEtablissement``, ``economieSocialeSolidaireUniteLegale``,
  ``trancheEffectifsEtablissement``, optionally ``etatAdministratifEtablissement``). ESS
  establishments of the Métro's communes are counted by commune, family and activity code; jobs
  are estimated from the headcount band (its middle).
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ess_metro.directory.models import Commune, EssFamily

MAX_ERRORS = 200


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


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

AGGREGATE_REQUIRED = ["annee", "famille", "etablissements", "emplois"]
SIRENE_REQUIRED = [
    "siret",
    "codecommuneetablissement",
    "categoriejuridiqueunitelegale",
    "activiteprincipaleetablissement",
    "economiesocialesolidaireunitelegale",
    "trancheeffectifsetablissement",
]


@dataclass
class ParsedRow:
    line_number: int
    year: int
    commune: Commune | None
    family: str
    sector: str
    establishments: int
    jobs: int


@dataclass
class ParseResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lines_read: int = 0
    skipped: int = 0  # Sirene: rows left out (not ESS, closed or outside the Métro)
    hidden_errors: int = 0  # errors beyond MAX_ERRORS, counted but not listed

    @property
    def error_total(self) -> int:
        return len(self.errors) + self.hidden_errors

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def family_from_legal_category(code: str) -> str:
    """The ESS family of an INSEE legal category (catégorie juridique, 4 digits)."""
    if code.startswith("92"):
        return EssFamily.ASSOCIATION
    if code.startswith("93"):
        return EssFamily.FOUNDATION
    if code.startswith("82") or code in {"8310", "8510", "8520"}:
        return EssFamily.MUTUAL
    cooperative_codes = {
        "5385", "5432", "5443", "5458", "5459", "5460", "5551", "5552", "5553",
        "5554", "5555", "5558", "5559", "5560", "5632", "5642", "5651", "5652",
        "5653", "5654", "5655", "5658", "5659", "5660", "5785", "6316", "6317",
        "6318", "6532", "6533", "6534", "6535", "6536",
    }  # fmt: skip
    if code in cooperative_codes:
        return EssFamily.COOPERATIVE
    return EssFamily.COMPANY


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _reader(text: str):
    first_line = text.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=first_line.count)
    return csv.reader(io.StringIO(text), delimiter=delimiter)


def _commune_index():
    by_name, by_code = {}, {}
    for commune in Commune.objects.all():
        by_name[_plain(commune.name)] = commune
        if commune.insee_code:
            by_code[commune.insee_code] = commune
    return by_name, by_code


def _integer(value: str):
    cleaned = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not re.fullmatch(r"\d+", cleaned):
        return None
    return int(cleaned)


def parse(data: bytes, *, format: str, year: int | None = None) -> ParseResult:
    result = ParseResult()
    text = _decode(data)
    if not text.strip():
        result.errors.append(_("The file is empty."))
        return result
    rows = list(_reader(text))
    header = [_plain(column).replace(" ", "_") for column in rows[0]]
    header_plain = [column.replace("_", "") for column in header]
    if format == "sirene":
        missing = [column for column in SIRENE_REQUIRED if column not in header_plain]
        columns = {name: header_plain.index(name) for name in header_plain}
    else:
        missing = [column for column in AGGREGATE_REQUIRED if column not in header]
        columns = {name: header.index(name) for name in header}
    if missing:
        result.errors.append(
            _("Line 1: missing columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
        return result
    by_name, by_code = _commune_index()
    body = rows[1:]
    if format == "sirene":
        _parse_sirene(body, columns, year, by_code, result)
    else:
        _parse_aggregate(body, columns, by_name, by_code, result)
    if not result.errors and not result.rows:
        result.errors.append(_("The file has no data row."))
    if result.hidden_errors:
        result.errors.append(
            _("… and %(count)s more errors, not listed.") % {"count": result.hidden_errors}
        )
    return result


def _cell(row, columns, name):
    index = columns.get(name)
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def _error(result, line, message):
    if len(result.errors) < MAX_ERRORS:
        result.errors.append(_("Line %(line)s: %(message)s") % {"line": line, "message": message})
    else:
        result.hidden_errors += 1


def _parse_aggregate(body, columns, by_name, by_code, result):
    seen = set()
    for offset, row in enumerate(body):
        line = offset + 2
        if not any(cell.strip() for cell in row):
            continue
        result.lines_read += 1
        errors_before = result.error_total
        year_text = _cell(row, columns, "annee")
        year = _integer(year_text)
        if year is None or not 1990 <= year <= 2100:
            _error(
                result,
                line,
                _("the year “%(value)s” is not a year between 1990 and 2100.")
                % {"value": year_text},
            )
        commune = None
        code = _cell(row, columns, "code_commune")
        name = _cell(row, columns, "commune")
        if code:
            commune = by_code.get(code) or (by_name.get(_plain(name)) if name else None)
            if commune is None:
                _error(
                    result,
                    line,
                    _("the commune code “%(value)s” is not one of the Métro's communes.")
                    % {"value": code},
                )
        elif name:
            commune = by_name.get(_plain(name))
            if commune is None:
                _error(
                    result,
                    line,
                    _("“%(value)s” is not one of the 49 communes of the Métro.") % {"value": name},
                )
        family_text = _cell(row, columns, "famille")
        family = FAMILY_ALIASES.get(_plain(family_text))
        if family is None:
            _error(
                result,
                line,
                _(
                    "the ESS family “%(value)s” is unknown (association, coopérative, mutuelle, "
                    "fondation or société commerciale)."
                )
                % {"value": family_text},
            )
        counts = {}
        for column, label in (("etablissements", _("establishments")), ("emplois", _("jobs"))):
            value_text = _cell(row, columns, column)
            counts[column] = _integer(value_text)
            if counts[column] is None:
                _error(
                    result,
                    line,
                    _("the number of %(what)s “%(value)s” is not a whole number.")
                    % {"what": label, "value": value_text},
                )
        sector = _cell(row, columns, "secteur")[:120]
        if result.error_total > errors_before:
            continue
        key = (year, commune.pk if commune else None, family, _plain(sector))
        if key in seen:
            _error(result, line, _("this year, commune, family and sector appear twice."))
            continue
        seen.add(key)
        result.rows.append(
            ParsedRow(
                line_number=line,
                year=year,
                commune=commune,
                family=family,
                sector=sector,
                establishments=counts["etablissements"],
                jobs=counts["emplois"],
            )
        )


def _parse_sirene(body, columns, year, by_code, result):
    groups: dict[tuple, ParsedRow] = {}
    for offset, row in enumerate(body):
        line = offset + 2
        if not any(cell.strip() for cell in row):
            continue
        result.lines_read += 1
        errors_before = result.error_total
        siret = _cell(row, columns, "siret").replace(" ", "")
        if not re.fullmatch(r"\d{14}", siret):
            _error(
                result, line, _("the SIRET “%(value)s” does not have 14 digits.") % {"value": siret}
            )
        flag = _cell(row, columns, "economiesocialesolidaireunitelegale").upper()
        if flag not in {"O", "N", ""}:
            _error(result, line, _("the ESS flag “%(value)s” must be O or N.") % {"value": flag})
        category = _cell(row, columns, "categoriejuridiqueunitelegale")
        if not re.fullmatch(r"\d{4}", category):
            _error(
                result,
                line,
                _("the legal category “%(value)s” does not have 4 digits.") % {"value": category},
            )
        band = _cell(row, columns, "trancheeffectifsetablissement").upper()
        if band not in HEADCOUNT_BANDS:
            _error(result, line, _("the headcount band “%(value)s” is unknown.") % {"value": band})
        code = _cell(row, columns, "codecommuneetablissement")
        if not re.fullmatch(r"\d[\dAB]\d{3}", code):
            _error(
                result,
                line,
                _("the commune code “%(value)s” is not an INSEE code.") % {"value": code},
            )
        activity = _cell(row, columns, "activiteprincipaleetablissement").upper()
        if result.error_total > errors_before:
            continue
        state = _cell(row, columns, "etatadministratifetablissement").upper()
        commune = by_code.get(code)
        if flag != "O" or state == "F" or commune is None:
            result.skipped += 1
            continue
        family = family_from_legal_category(category)
        key = (commune.pk, family, activity)
        group = groups.get(key)
        if group is None:
            groups[key] = ParsedRow(
                line_number=line,
                year=year,
                commune=commune,
                family=family,
                sector=activity,
                establishments=1,
                jobs=HEADCOUNT_BANDS[band],
            )
        else:
            group.establishments += 1
            group.jobs += HEADCOUNT_BANDS[band]
    result.rows.extend(groups.values())
