"""Background work of the personal-data rights (django-tasks)."""

from django_tasks import task


@task()
def build_data_export_task(export_id: int) -> None:
    from . import services

    try:
        services.build_data_export(export_id=export_id)
    except Exception:
        services.mark_export_failed(export_id=export_id)
        raise
