from io import StringIO

from django.core.management import call_command

from projects.models import Application, ApplicationStatus


def test_demo_has_an_open_call_with_files_in_every_state(db):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    states = set(Application.objects.values_list("status", flat=True))
    assert states == set(ApplicationStatus.values)
    assert Application.objects.count() == len(ApplicationStatus.values)
    granted = Application.objects.granted().get()
    assert granted.reference.startswith("AAP-") and granted.transitions.count() == 5
