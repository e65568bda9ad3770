"""Staff search: PostgreSQL full-text search in French, trigrams for names; a simpler SQLite one.

On PostgreSQL, a text is searched through the ``french_unaccent`` configuration (the French
stemmer after ``unaccent``), so "coopératives" finds "coopérative" and "epicerie" finds
"Épicerie"; each searched table has a GIN index on the text vector ``document_sql()``
builds, stored in a generated ``search_vector`` column (see the migrations), and results are
ranked with ``ts_rank``. Names and SIRET are
matched with ``pg_trgm`` (GIN ``gin_trgm_ops`` indexes make ``ILIKE '%…%'`` fast).

On SQLite, every word must appear in one of the columns (``icontains``).

The raw SQL below takes what people type only as query parameters; the table and column names
it formats in are constants of the code.
"""

from django.db import connection
from django.db.models import BooleanField, FloatField, Q, QuerySet
from django.db.models.expressions import Expression

CONFIG = "french_unaccent"
VECTOR = "search_vector"  # a PostgreSQL-only column, unknown to the models
MAX_WORDS = 8


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def document_sql(columns: list[str], table: str = "") -> str:
    """The indexed text of a row: ``table`` qualifies the columns in a query; the index is
    created from the unqualified form (PostgreSQL matches the two)."""
    prefix = f'"{table}".' if table else ""
    text = " || ' ' || ".join(f"coalesce({prefix}\"{column}\", '')" for column in columns)
    return f"to_tsvector('{CONFIG}'::regconfig, {text})"


def gin_index_sql(name: str, table: str, columns: list[str]) -> str:
    return f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ({document_sql(columns)})'


def vector_column_sql(table: str, columns: list[str]) -> list[str]:
    """A stored, generated ``search_vector`` column and its GIN index: ranking reads the stored
    vector instead of parsing every matching row's text again."""
    return [
        f'ALTER TABLE "{table}" ADD COLUMN IF NOT EXISTS "{VECTOR}" tsvector '
        f"GENERATED ALWAYS AS ({document_sql(columns)}) STORED",
        f'CREATE INDEX IF NOT EXISTS "{table}_search" ON "{table}" USING gin ("{VECTOR}")',
    ]


def trigram_index_sql(name: str, table: str, column: str) -> str:
    return f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("{column}" gin_trgm_ops)'


def _tsquery() -> str:
    return f"websearch_to_tsquery('{CONFIG}'::regconfig, %s)"


class OwnTableSQL(Expression):
    """SQL on the columns of the query's own table, under the alias it has in that query: the
    same condition works in a subquery (``U0``), where a hard-written table name would make
    it correlated with the outer query."""

    sql = ""

    def __init__(self, *params, output_field):
        super().__init__(output_field=output_field)
        self.params = list(params)

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        return self.sql.replace("{table}", table), self.params


class FullText(OwnTableSQL):
    sql = f'{{table}}."{VECTOR}" @@ ' + _tsquery()


class Rank(OwnTableSQL):
    sql = f'ts_rank({{table}}."{VECTOR}", {_tsquery()})'


def full_text(query: str) -> FullText:
    """A condition: the row's stored text vector matches every word of ``query``."""
    return FullText(query, output_field=BooleanField())


def rank(query: str) -> Rank:
    return Rank(query, output_field=FloatField())


def words(query: str) -> list[str]:
    return query.split()[:MAX_WORDS]


def all_words_in(queryset: QuerySet, query: str, lookups: list[str]) -> QuerySet:
    """SQLite: each word in one of the ``lookups`` (``field__icontains``)."""
    for word in words(query):
        condition = Q()
        for lookup in lookups:
            condition |= Q(**{f"{lookup}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


UNACCENT_FUNCTION = """
CREATE OR REPLACE FUNCTION ess_unaccent(text) RETURNS text AS
$$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
"""
TEXT_SEARCH_CONFIG = """
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIG}') THEN
    CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = french);
    ALTER TEXT SEARCH CONFIGURATION {CONFIG}
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
  END IF;
END $$
""".replace("{CONFIG}", CONFIG)


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class NameOrSiret(OwnTableSQL):
    sql = (
        "(ess_unaccent({table}.\"name\") ILIKE '%%' || ess_unaccent(%s) || '%%'"
        ' OR {table}."siret" LIKE %s'
        f" OR {document_sql(['name', 'acronym'], '@')} @@ {_tsquery()})"
    ).replace('"@".', "{table}.")


def name_or_siret(query: str) -> NameOrSiret:
    """PostgreSQL: the name contains ``query`` (accents and case ignored, trigram index), the
    SIRET contains its digits, or the name or acronym matches it word for word."""
    digits = query.replace(" ", "")
    siret = f"%{_like(digits)}%" if digits.isdigit() and len(digits) >= 3 else None
    return NameOrSiret(_like(query), siret, query, output_field=BooleanField())


class NameSimilarity(OwnTableSQL):
    sql = 'similarity(ess_unaccent({table}."name"), ess_unaccent(%s))'


def name_similarity(query: str) -> NameSimilarity:
    return NameSimilarity(query, output_field=FloatField())
