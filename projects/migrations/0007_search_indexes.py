"""Staff search on PostgreSQL: GIN indexes of the French text of files and conventions (the
expressions of projects.calls.filters and projects.conventions.selectors); list orderings."""

from django.db import migrations, models

from ess_metro import search

APPLICATION_COLUMNS = ["reference", "title", "summary", "social_need", "innovation", "partners"]
CONVENTION_COLUMNS = ["reference", "title", "objectives"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        search.gin_index_sql("projects_application_search", "projects_application",
                             APPLICATION_COLUMNS)
    )
    schema_editor.execute(
        search.gin_index_sql("projects_convention_search", "projects_convention",
                             CONVENTION_COLUMNS)
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('DROP INDEX IF EXISTS "projects_application_search"')
    schema_editor.execute('DROP INDEX IF EXISTS "projects_convention_search"')


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_search_indexes"),
        ("projects", "0006_call_and_structuring_project_logs"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["-submitted_at", "-created_at"], name="application_staff_order"),
        ),
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(fields=["due_date", "id"], name="payment_staff_order"),
        ),
    ]
