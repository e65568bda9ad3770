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
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ess_metro.directory.models import Commune

from . import rules

MAX_ERRORS = 200

AGGREGATE_REQUIRED = ["annee", "famille", "etablissements", "emplois"]
AGGREGATE_COLUMNS = [*AGGREGATE_REQUIRED, "code_commune", "commune", "secteur"]
SIRENE_REQUIRED = [
    "siret",
    "codecommuneetablissement",
    "categoriejuridiqueunitelegale",
    "activiteprincipaleetablissement",
    "economiesocialesolidaireunitelegale",
    "trancheeffectifsetablissement",
]
SIRENE_COLUMNS = {
    "siret": "siret",
    "code": "codecommuneetablissement",
    "category": "categoriejuridiqueunitelegale",
    "activity": "activiteprincipaleetablissement",
    "flag": "economiesocialesolidaireunitelegale",
    "band": "trancheeffectifsetablissement",
    "state": "etatadministratifetablissement",
}


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
        by_name[rules.plain(commune.name)] = commune
        if commune.insee_code:
            by_code[commune.insee_code] = commune
    return by_name, by_code


def _columns(header_row: list[str], format: str) -> tuple[dict[str, int], list[str]]:
    """Where each column is, and the required columns the header lacks."""
    header = [rules.plain(column).replace(" ", "_") for column in header_row]
    if format == "sirene":
        header = [column.replace("_", "") for column in header]
        required = SIRENE_REQUIRED
    else:
        required = AGGREGATE_REQUIRED
    columns = {name: header.index(name) for name in header}
    return columns, [column for column in required if column not in header]


def parse(data: bytes, *, format: str, year: int | None = None) -> ParseResult:
    """Check every row of a statistics file; the rows are kept only if none has an error."""
    result = ParseResult()
    text = _decode(data)
    if not text.strip():
        result.errors.append(_("The file is empty."))
        return result
    rows = list(_reader(text))
    columns, missing = _columns(rows[0], format)
    if missing:
        result.errors.append(
            _("Line 1: missing columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
        return result
    by_name, by_code = _commune_index()
    if format == "sirene":
        _parse_sirene(rows[1:], columns, year, by_code, result)
    else:
        _parse_aggregate(rows[1:], columns, by_name, by_code, result)
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


def _report(result, line, messages) -> bool:
    """Record the row's error messages (None means right); True when there was one."""
    found = [message for message in messages if message]
    for message in found:
        _error(result, line, message)
    return bool(found)


def _data_lines(body, result):
    """(line number in the file, row) of every row that is not blank, counted as read."""
    for offset, row in enumerate(body):
        if not any(cell.strip() for cell in row):
            continue
        result.lines_read += 1
        yield offset + 2, row


# --- aggregate figures -----------------------------------------------------------------------


def _find_commune(code: str, name: str, by_name: dict, by_code: dict) -> Commune | None:
    if code:
        return by_code.get(code) or (by_name.get(rules.plain(name)) if name else None)
    if name:
        return by_name.get(rules.plain(name))
    return None


def _aggregate_row(line, row, columns, by_name, by_code) -> tuple[ParsedRow, list]:
    """The row read from its cells, and the messages of its checks (None when right)."""
    cells = {name: _cell(row, columns, name) for name in AGGREGATE_COLUMNS}
    code, name = cells["code_commune"], cells["commune"]
    commune = _find_commune(code, name, by_name, by_code)
    messages = [
        rules.year_error(cells["annee"]),
        rules.commune_error(code=code, name=name, found=commune is not None),
        rules.family_error(cells["famille"]),
        rules.count_error(cells["etablissements"], _("establishments")),
        rules.count_error(cells["emplois"], _("jobs")),
    ]
    parsed = ParsedRow(
        line_number=line,
        year=rules.data_year(cells["annee"]),
        commune=commune,
        family=rules.family_from_text(cells["famille"]),
        sector=cells["secteur"][:120],
        establishments=rules.whole_number(cells["etablissements"]),
        jobs=rules.whole_number(cells["emplois"]),
    )
    return parsed, messages


def _parse_aggregate(body, columns, by_name, by_code, result):
    seen = set()
    for line, row in _data_lines(body, result):
        parsed, messages = _aggregate_row(line, row, columns, by_name, by_code)
        if _report(result, line, messages):
            continue
        commune_pk = parsed.commune.pk if parsed.commune else None
        key = (parsed.year, commune_pk, parsed.family, rules.plain(parsed.sector))
        if key in seen:
            _error(result, line, _("this year, commune, family and sector appear twice."))
            continue
        seen.add(key)
        result.rows.append(parsed)


# --- Sirene extract --------------------------------------------------------------------------


def _sirene_cells(row, columns) -> dict[str, str]:
    cell = {name: _cell(row, columns, column) for name, column in SIRENE_COLUMNS.items()}
    cell["siret"] = cell["siret"].replace(" ", "")
    for name in ("flag", "band", "activity", "state"):
        cell[name] = cell[name].upper()
    return cell


def _count_establishment(groups: dict, *, line, year, commune, cells) -> None:
    """Add one ESS establishment to its commune, family and activity code."""
    family = rules.family_from_legal_category(cells["category"])
    jobs = rules.HEADCOUNT_BANDS[cells["band"]]
    key = (commune.pk, family, cells["activity"])
    group = groups.get(key)
    if group is None:
        groups[key] = ParsedRow(
            line_number=line,
            year=year,
            commune=commune,
            family=family,
            sector=cells["activity"],
            establishments=1,
            jobs=jobs,
        )
    else:
        group.establishments += 1
        group.jobs += jobs


def _parse_sirene(body, columns, year, by_code, result):
    groups: dict[tuple, ParsedRow] = {}
    for line, row in _data_lines(body, result):
        cells = _sirene_cells(row, columns)
        checked = {name: cells[name] for name in ("siret", "flag", "category", "band", "code")}
        if _report(result, line, rules.sirene_row_errors(**checked)):
            continue
        commune = by_code.get(cells["code"])
        if not rules.counts_as_metro_ess(
            flag=cells["flag"], state=cells["state"], in_metro=commune is not None
        ):
            result.skipped += 1
            continue
        _count_establishment(groups, line=line, year=year, commune=commune, cells=cells)
    result.rows.extend(groups.values())
