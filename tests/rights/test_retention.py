"""The retention purge: the dry run lists exactly what the real run then deletes."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo.factories.calls import PDF, add_attachment, application_in
from ess_metro.privacy.models import DataExport, PurgeLog
from projects.calls.models import Application, ApplicationStatus, Attachment

S = ApplicationStatus


def _aged(application, *, days: int):
    """Make ``application`` look untouched for ``days`` (no save: auto_now would reset it)."""
    when = timezone.now() - datetime.timedelta(days=days)
    Application.objects.filter(pk=application.pk).update(updated_at=when, last_saved_at=when)
    return application


def _run(*args) -> list[str]:
    out = StringIO()
    call_command("purge_expired_data", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture
def files(db, settings, person):
    settings.RETENTION_DRAFT_DAYS = 180
    settings.RETENTION_CLOSED_FILE_YEARS = 3
    settings.RETENTION_DATA_EXPORT_DAYS = 7
    old_draft = _aged(application_in(S.DRAFT), days=181)
    refused = _aged(application_in(S.REFUSED), days=3 * 366 + 1)
    attachment = add_attachment(refused, refused.call.required_documents.first(), content=PDF)
    _aged(refused, days=3 * 366 + 1)
    withdrawn = _aged(application_in(S.WITHDRAWN), days=4 * 365)
    kept = [
        _aged(application_in(S.DRAFT), days=179),
        _aged(application_in(S.REFUSED), days=2 * 365),
        _aged(application_in(S.GRANTED), days=10 * 365),
        _aged(application_in(S.SUBMITTED), days=10 * 365),
    ]
    old_export = DataExport.objects.create(
        user=person, requested_at=timezone.now() - datetime.timedelta(days=8)
    )
    DataExport.objects.create(user=person, requested_at=timezone.now())
    return {
        "purged": [old_draft, refused, withdrawn],
        "attachment": attachment,
        "kept": kept,
        "export": old_export,
    }


@pytest.mark.django_db
def test_the_dry_run_lists_exactly_what_the_real_run_deletes(files):
    dry = _run()
    dry_explicit = _run("--dry-run")
    assert dry == dry_explicit
    assert Application.objects.count() == 7
    assert PurgeLog.objects.count() == 0
    storage, name = files["attachment"].file.storage, files["attachment"].file.name
    assert storage.exists(name)

    wet = _run("--wet-run")

    assert wet[:-1] == dry[:-1]
    assert dry[-1] == "4 object(s) due (dry run: nothing deleted)."
    assert wet[-1] == "4 object(s) deleted."
    purged = {("projects.Application", app.pk) for app in files["purged"]}
    purged.add(("privacy.DataExport", files["export"].pk))
    listed = {(line.split("\t")[1], int(line.split("\t")[2])) for line in dry[:-1]}
    assert listed == purged
    assert set(Application.objects.values_list("pk", flat=True)) == {
        app.pk for app in files["kept"]
    }
    assert not Attachment.objects.filter(pk=files["attachment"].pk).exists()
    assert not storage.exists(name)
    assert not Application.history.filter(id__in=[app.pk for app in files["purged"]]).exists()
    logged = set(PurgeLog.objects.values_list("object_type", "object_id"))
    assert logged == purged
    assert DataExport.objects.count() == 1
    assert _run("--wet-run") == ["0 object(s) deleted."]


@pytest.mark.django_db
def test_the_personal_data_page_states_the_periods_the_purge_applies(settings, client):
    settings.RETENTION_DRAFT_DAYS = 90
    settings.RETENTION_CLOSED_FILE_YEARS = 6
    settings.RETENTION_DATA_EXPORT_DAYS = 1
    html = client.get("/donnees-personnelles/").content.decode()
    assert "pendant 90 jours est supprimé" in html
    assert "supprimé 6 ans après sa dernière modification" in html
    assert "Supprimée 1 jour après la demande." in html
    for heading in ("Finalité", "Base légale", "Données conservées", "Durée de conservation"):
        assert heading in html
