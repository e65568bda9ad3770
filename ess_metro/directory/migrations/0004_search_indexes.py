"""Staff search on PostgreSQL: unaccent and pg_trgm, the French configuration without accents,
and the indexes of the organisations (nothing happens on SQLite)."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

from ess_metro import search

TABLE = "directory_organisation"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in [
        search.UNACCENT_FUNCTION,
        search.TEXT_SEARCH_CONFIG,
        search.gin_index_sql("directory_org_search", TABLE, ["name", "acronym"]),
        f'CREATE INDEX IF NOT EXISTS "directory_org_name_trgm" ON "{TABLE}" '
        'USING gin (ess_unaccent("name") gin_trgm_ops)',
        search.trigram_index_sql("directory_org_siret_trgm", TABLE, "siret"),
        f'CREATE INDEX IF NOT EXISTS "directory_org_name" ON "{TABLE}" ("name")',
    ]:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ["directory_org_search", "directory_org_name_trgm", "directory_org_siret_trgm",
                 "directory_org_name"]:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_workflow_status_audit_trail")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(forwards, backwards),
    ]
