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
    assert granted.convention is not None


def test_every_demo_file_renders_for_staff_and_its_applicant(db, client):
    from django.urls import reverse

    from ess_metro.accounts.models import User

    call_command("seed_demo", stdout=StringIO())
    staff = User.objects.get(email="chargee@essmetro.example")
    client.force_login(staff)
    for application in Application.objects.all():
        assert client.get(application.get_staff_url()).status_code == 200
        if application.status == ApplicationStatus.ELIGIBLE:
            url = reverse("projects:staff_diagnosis", args=[application.pk])
            assert client.get(url).status_code == 200
    assert client.get(reverse("projects:staff_call_list")).status_code == 200
    for call in Application.objects.values_list("call", flat=True).distinct():
        assert client.get(reverse("projects:staff_call_detail", args=[call])).status_code == 200
    client.force_login(User.objects.get(email="porteur@essmetro.example"))
    assert client.get(reverse("projects:space_home")).status_code == 200
    for application in Application.objects.filter(
        organisation__memberships__user__email="porteur@essmetro.example"
    ):
        assert client.get(application.get_absolute_url()).status_code == 200
        if application.is_editable:
            url = reverse("projects:application_edit", args=[application.pk])
            assert client.get(url).status_code == 200
