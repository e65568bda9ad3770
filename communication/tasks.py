"""Background tasks of the communication app (run by the worker)."""

from django.contrib.auth import get_user_model
from django_tasks import task


@task()
def import_dataset(
    *, fields: dict, year: int | None, file_name: str, original_name: str, user_id: int
) -> dict:
    """Import a stored statistics CSV (``services.dataset_import``). Returns the new dataset's
    id and counts, or the errors that kept the whole file out."""
    from . import services
    from .models import Dataset

    done = Dataset.objects.filter(original_file=file_name).first()
    if done is not None:  # run again after a worker was lost: imported already
        return {"dataset": done.pk, "lines_read": done.row_count, "skipped": 0}
    user = get_user_model().objects.filter(pk=user_id).first()
    dataset, result = services.dataset_import(
        fields=fields, year=year, file_name=file_name, original_name=original_name, user=user
    )
    if dataset is None:
        return {"errors": result.errors}
    return {"dataset": dataset.pk, "lines_read": result.lines_read, "skipped": result.skipped}
