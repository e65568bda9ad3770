from django.db import migrations


def load(apps, schema_editor):
    from governance.reference import load_colleges

    load_colleges(apps.get_model("governance", "College"))


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
