from django.db import migrations


def load(apps, schema_editor):
    from ess_metro.directory.reference import load_communes

    load_communes(apps.get_model("directory", "Commune"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
