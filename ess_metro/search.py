"""Staff search: PostgreSQL full-text search in French, trigrams for names; a simpler SQLite one.

On PostgreSQL, a text is searched through the ``french_unaccent`` configuration (the French
stemmer after ``unaccent``), so "coopératives" finds "coopérative" and "epicerie" finds
"Épicerie"; each searched table has a GIN index on exactly the expression ``document_sql()``
builds (see the migrations), and results are ranked with ``ts_rank``. Names and SIRET are
matched with ``pg_trgm`` (GIN ``gin_trgm_ops`` indexes make ``ILIKE '%…%'`` fast).

On SQLite, every word must appear in one of the columns (``icontains``).

The raw SQL below takes what people type only as query parameters; the table and column names
it formats in are constants of the code.
"""

from django.db import connection
from django.db.models import BooleanField, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL

CONFIG = "french_unaccent"
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


def trigram_index_sql(name: str, table: str, column: str) -> str:
    return f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("{column}" gin_trgm_ops)'


def _tsquery() -> str:
    return f"websearch_to_tsquery('{CONFIG}'::regconfig, %s)"


def full_text(table: str, columns: list[str], query: str) -> RawSQL:
    """A condition: the row's text matches every word of ``query`` (stems, no accents)."""
    sql = f"{document_sql(columns, table)} @@ {_tsquery()}"
    return RawSQL(sql, [query], output_field=BooleanField())  # noqa: S611


def rank(table: str, columns: list[str], query: str) -> RawSQL:
    sql = f"ts_rank({document_sql(columns, table)}, {_tsquery()})"
    return RawSQL(sql, [query], output_field=FloatField())  # noqa: S611


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


def name_or_siret(table: str, query: str) -> RawSQL:
    """PostgreSQL: the name contains ``query`` (accents and case ignored, trigram index), the
    SIRET contains its digits, or the name or acronym matches it word for word."""
    digits = query.replace(" ", "")
    siret = f"%{_like(digits)}%" if digits.isdigit() and len(digits) >= 3 else None
    sql = (
        f"(ess_unaccent(\"{table}\".\"name\") ILIKE '%%' || ess_unaccent(%s) || '%%'"
        f' OR "{table}"."siret" LIKE %s'
        f" OR {document_sql(['name', 'acronym'], table)} @@ {_tsquery()})"
    )
    return RawSQL(sql, [_like(query), siret, query], output_field=BooleanField())  # noqa: S611


def name_similarity(table: str, query: str) -> RawSQL:
    sql = f'similarity(ess_unaccent("{table}"."name"), ess_unaccent(%s))'
    return RawSQL(sql, [query], output_field=FloatField())  # noqa: S611
