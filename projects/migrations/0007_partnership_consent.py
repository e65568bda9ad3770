"""Named partners become requests that the partner accepts (a through model on the same table).

The table of the former automatic many-to-many keeps its rows, which become accepted
partnerships (they were named before consent existed); new ones start pending.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_load_communes"),
        ("projects", "0006_call_and_structuring_project_logs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Partnership",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "application",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="partnerships",
                                to="projects.application",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="partnerships",
                                to="directory.organisation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "partnership",
                        "verbose_name_plural": "partnerships",
                        "db_table": "projects_application_partner_organisations",
                        "unique_together": {("application", "organisation")},
                    },
                ),
                migrations.AlterField(
                    model_name="application",
                    name="partner_organisations",
                    field=models.ManyToManyField(
                        blank=True,
                        help_text="Partners registered on the portal.",
                        related_name="partner_applications",
                        through="projects.Partnership",
                        to="directory.organisation",
                        verbose_name="partner organisations",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="partnership",
            name="status",
            field=models.CharField(default="accepted", max_length=10, verbose_name="status"),
        ),
        migrations.AlterField(
            model_name="partnership",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Awaiting the partner's answer"),
                    ("accepted", "Accepted by the partner"),
                    ("declined", "Declined by the partner"),
                ],
                default="pending",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="partnership",
            name="requested_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="requested at"
            ),
        ),
        migrations.AddField(
            model_name="partnership",
            name="answered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="answered at"),
        ),
        migrations.AddField(
            model_name="partnership",
            name="answered_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="answered by",
            ),
        ),
    ]
