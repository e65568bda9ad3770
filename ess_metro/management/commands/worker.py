"""The background worker: django-tasks' database worker that loses no task.

``db_worker`` marks a task RUNNING when it takes it and never looks back: if the worker is
killed (deploy, crash, OOM, machine lost) the task stays RUNNING for ever. This command gives
every worker a stable id (``<host>-<name>``, e.g. ``web1-worker1``, set by the systemd unit) and,
when it starts, puts back in the queue:

- the tasks its previous life had started (same id: they cannot be running any more);
- any task RUNNING for longer than ``TASK_STALE_AFTER`` seconds, whoever took it (its worker
  is taken as lost for good).

Every task must therefore bear being run twice (tasks here are: send an e-mail, build a file,
run an import as a whole transaction).
"""

import datetime
import socket

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand
from django_tasks_db.models import DBTaskResult


def requeue_lost_tasks(*, worker_id: str, stale_after: int) -> int:
    """Put back in the queue the RUNNING tasks of ``worker_id`` and those older than
    ``stale_after`` seconds; returns how many."""
    limit = timezone.now() - datetime.timedelta(seconds=stale_after)
    with transaction.atomic():
        lost = [
            task
            for task in DBTaskResult.objects.running().select_for_update()
            if (task.worker_ids and task.worker_ids[-1] == worker_id)
            or (task.started_at and task.started_at < limit)
        ]
        for task in lost:  # a queue row of django-tasks-db, not one of the portal's workflows
            task.status = TaskResultStatus.READY
            task.started_at = None
            task.save(update_fields=["status", "started_at"])
        return len(lost)


class Command(DBWorkerCommand):
    help = "Run the background worker (queued e-mails, files, imports); requeues lost tasks."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        name = "--worker-id"
        for action in parser._actions:
            if name in action.option_strings:
                action.default = f"{socket.gethostname()}-worker"[:64]
                action.help = (
                    "Stable id of this worker, unique among running workers "
                    "(default: <host>-worker). Tasks it had started are requeued at start."
                )

    def handle(self, *args, worker_id: str, **options):
        self.configure_logging(options["verbosity"])
        count = requeue_lost_tasks(worker_id=worker_id, stale_after=settings.TASK_STALE_AFTER)
        if count:
            self.stderr.write(f"Requeued {count} task(s) left running by a lost worker.")
        return super().handle(*args, worker_id=worker_id, **options)
