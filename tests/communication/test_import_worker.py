"""A statistics import goes through the worker: the page follows it, then shows the preview
or the errors (the immediate backend of development and tests does it at once)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from communication.models import Dataset, Statistic
from tests.communication.test_statistics import BAD_CSV, GOOD_CSV, _post


@pytest.fixture
def worker_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _run_worker():
    call_command(
        "worker", worker_id="test-worker", batch=True, reload=False, startup_delay=False,
        verbosity=0,
    )  # fmt: skip


def test_an_import_is_queued_followed_and_then_previewed(staff_client, worker_backend):
    response = _post(staff_client, GOOD_CSV)
    assert response.status_code == 302
    status_url = response["Location"]
    assert status_url.startswith("/gestion/donnees/importer/")
    assert not Dataset.objects.exists()
    page = staff_client.get(status_url).content.decode()
    assert "Import en cours" in page
    assert "« Chiffres ESS 2023 » est en cours de vérification et d'import." in page
    fragment = staff_client.get(status_url, headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div class="alert alert-info"')
    _run_worker()
    assert staff_client.get(status_url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    done = staff_client.get(status_url)
    dataset = Dataset.objects.get()
    assert done["Location"] == reverse("communication:dataset_preview", args=[dataset.pk])
    assert Statistic.objects.filter(dataset=dataset).count() == 6
    with dataset.original_file.open("rb") as original:
        assert original.read().decode() == GOOD_CSV
    preview = staff_client.get(done["Location"]).content.decode()
    assert "6 lignes lues et vérifiées" in preview


def test_a_rejected_file_shows_its_errors_with_what_was_typed(staff_client, worker_backend):
    status_url = _post(staff_client, BAD_CSV)["Location"]
    _run_worker()
    page = staff_client.get(status_url).content.decode()
    assert "Rien n'a été importé" in page
    assert "Ligne 4 : « Paris » n&#x27;est pas l&#x27;une des 49 communes de la Métro." in page
    assert 'value="Chiffres ESS 2023"' in page
    assert not Dataset.objects.exists()


def test_an_import_run_twice_after_a_lost_worker_imports_once(staff_client, worker_backend):
    from django_tasks_db.models import DBTaskResult

    status_url = _post(staff_client, GOOD_CSV)["Location"]
    _run_worker()
    DBTaskResult.objects.update(status="READY")
    _run_worker()
    assert Dataset.objects.count() == 1
    assert staff_client.get(status_url).status_code == 302


EXPECTED = {
    "anonymous": 302,
    "applicant": 403,
    "other_applicant": 403,
    "committee": 403,
    "staff": 200,
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_the_import_page_per_role(role_clients, role, staff_client, worker_backend):
    status_url = _post(staff_client, GOOD_CSV)["Location"]
    assert role_clients[role].get(status_url).status_code == EXPECTED[role]


def test_another_officer_or_an_unknown_import_is_a_404(staff_client, worker_backend):
    from demo.factories import core

    status_url = _post(staff_client, GOOD_CSV)["Location"]
    colleague = core.make_staff(first_name="Paul")
    staff_client.force_login(colleague)
    assert staff_client.get(status_url).status_code == 404
    unknown = reverse(
        "communication:dataset_import_status", args=["6f1c0e8e-0000-4000-8000-000000000000"]
    )
    assert staff_client.get(unknown).status_code == 404
