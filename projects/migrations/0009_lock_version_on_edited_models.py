# The edit version is named lock_version (AnnualProgramme already has a "version" of its own),
# and every staff edit form's model gets one.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0007_optimistic_concurrency_versions'),
    ]

    operations = [
        migrations.RenameField(model_name='application', old_name='version', new_name='lock_version'),
        migrations.RenameField(model_name='call', old_name='version', new_name='lock_version'),
        migrations.AlterField(
            model_name='application',
            name='lock_version',
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name='edit version'),
        ),
        migrations.AlterField(
            model_name='call',
            name='lock_version',
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name='edit version'),
        ),
        migrations.AddField(
            model_name='convention',
            name='lock_version',
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name='edit version'),
        ),
        migrations.AddField(
            model_name='payment',
            name='lock_version',
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name='edit version'),
        ),
        migrations.AddField(
            model_name='structuringproject',
            name='lock_version',
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name='edit version'),
        ),
    ]
