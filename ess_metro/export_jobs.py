"""Large exports built in the background, with progress, downloaded when ready.

An export of at most ``settings.EXPORT_SYNC_MAX_ROWS`` rows is answered at once
(``ess_metro.exports``). A larger one becomes an ``ExportJob``: ``start_export`` records it
and queues ``build_export`` (django-tasks) once the transaction commits; the task writes the
rows to a temporary file, updating the progress every ``PROGRESS_EVERY`` rows, then saves the
file through the private storage's API (local files or object storage alike). The owner
follows it on "Mes exports" and downloads it through ``protected_download``.

The kernel imports no app: an app declares what it can export with ``register_export`` in its
``AppConfig.ready()`` (the query from the filters, the rows, the headers).
"""

import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django_tasks import task

from . import exports
from .models import ExportJob

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 1000
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ExportKind:
    """What one export writes: ``queryset(params)`` from the list's filters, ``rows(queryset)``
    one list of cells per row, ``headers()`` the first row."""

    name: str
    sheet_title: Callable[[], str]
    headers: Callable[[], list]
    queryset: Callable[[QueryDict], object]
    rows: Callable[[object], Iterable[list]]


_KINDS: dict[str, ExportKind] = {}


def register_export(kind: ExportKind) -> None:
    _KINDS[kind.name] = kind


def export_kind(name: str) -> ExportKind:
    return _KINDS[name]


def is_large(count: int) -> bool:
    """Whether an export of ``count`` rows is built in the background."""
    return count > settings.EXPORT_SYNC_MAX_ROWS


def _query_params(params: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, values)
    return query


@transaction.atomic
def start_export(
    *, user, kind: str, file_format: str, params: QueryDict, filename: str, rows_total: int
) -> ExportJob:
    """Record an export and queue its building once the transaction commits."""
    if kind not in _KINDS or file_format not in FORMATS:
        raise ValueError(f"Unknown export {kind!r} as {file_format!r}")
    job = ExportJob.objects.create(
        owner=user,
        kind=kind,
        file_format=file_format,
        params={key: params.getlist(key) for key in params if key != "export"},
        language=translation.get_language() or settings.LANGUAGE_CODE,
        filename=filename,
        rows_total=rows_total,
    )
    transaction.on_commit(lambda: build_export.enqueue(job.pk))
    return job


def _counted(job_id: int, rows: Iterable[list]) -> Iterator[list]:
    """The rows, recording the progress of the job every ``PROGRESS_EVERY`` rows."""
    done = 0
    for done, row in enumerate(rows, 1):
        if done % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job_id).update(rows_done=done)
        yield row
    ExportJob.objects.filter(pk=job_id).update(rows_done=done)


def _write(job: ExportJob, handle) -> None:
    kind = export_kind(job.kind)
    rows = _counted(job.pk, kind.rows(kind.queryset(_query_params(job.params))))
    if job.file_format == "csv":
        exports.write_csv(handle, kind.headers(), rows)
    else:
        exports.write_xlsx(handle, kind.sheet_title(), kind.headers(), rows)


@task()
def build_export(job_id: int) -> None:
    """Write the rows of an export to the private storage (run again from the start when a
    worker died in the middle: the job is rewritten, never half-kept)."""
    job = ExportJob.objects.get(pk=job_id)
    ExportJob.objects.filter(pk=job_id).update(
        started_at=timezone.now(), rows_done=0, failed_at=None
    )
    try:
        with translation.override(job.language), tempfile.TemporaryFile() as handle:
            _write(job, handle)
            handle.seek(0)
            job.file.save(job.filename, File(handle), save=False)
    except Exception:
        logger.exception("Export %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(failed_at=timezone.now())
        raise
    ExportJob.objects.filter(pk=job_id).update(file=job.file.name, finished_at=timezone.now())
