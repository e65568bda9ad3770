"""Staff search on PostgreSQL: the French text vector of files and conventions, stored in a
generated column with its GIN index (see ess_metro.search); the staff lists' orderings."""

from django.db import migrations, models

from ess_metro import search

APPLICATION_COLUMNS = ["reference", "title", "summary", "social_need", "innovation", "partners"]
CONVENTION_COLUMNS = ["reference", "title", "objectives"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in [
        ("projects_application", APPLICATION_COLUMNS),
        ("projects_convention", CONVENTION_COLUMNS),
    ]:
        for sql in search.vector_column_sql(table, columns):
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in ["projects_application", "projects_convention"]:
        schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS "search_vector"')


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_search_indexes"),
        ("projects", "0006_call_and_structuring_project_logs"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                fields=["-submitted_at", "-created_at", "status", "id"],
                name="application_staff_order",
            ),
        ),
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(fields=["due_date", "id"], name="payment_staff_order"),
        ),
    ]
