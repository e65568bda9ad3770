from django.db import migrations


def load(apps, schema_editor):
    from programme.reference import load_plan

    load_plan(
        apps.get_model("programme", "Plan"),
        apps.get_model("programme", "Orientation"),
        apps.get_model("programme", "Axis"),
    )


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
