"""The scheduler: queues the periodic jobs of ``settings.SCHEDULE`` for the worker.

Each job is (``HH:MM`` Europe/Paris, management command, arguments). When the clock passes a
job's time, the job is queued (``ess_metro.tasks.run_command``); the worker runs it. One
scheduler is enough for the whole service; if two run, the shared cache (Redis) lets only one
of them queue a given job on a given day. A restarted scheduler does not replay the day's jobs
whose time had passed more than a minute before it started.

``--once`` queues what is due now (or at ``--at``) and exits: the same thing from cron.
"""

import datetime
import time

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ess_metro.tasks import run_command


def due_jobs(since: datetime.datetime, now: datetime.datetime) -> list[tuple]:
    """The jobs whose time of day falls in ``(since, now]`` (local times)."""
    due = []
    for at, command, args in settings.SCHEDULE:
        hour, minute = (int(part) for part in at.split(":"))
        day = since.date()
        while day <= now.date():
            moment = timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(hour, minute)), since.tzinfo
            )
            if since < moment <= now:
                due.append((moment, command, args))
            day += datetime.timedelta(days=1)
    return sorted(due, key=lambda job: job[0])


def queue_due(since: datetime.datetime, now: datetime.datetime) -> list[str]:
    queued = []
    for moment, command, args in due_jobs(since, now):
        if cache.add(f"schedule:{command}:{moment.isoformat()}", "1", 3 * 24 * 3600):
            run_command.enqueue(name=command, args=list(args))
            queued.append(command)
    return queued


class Command(BaseCommand):
    help = "Queue the periodic jobs (staff digest, purges) for the worker, at their time."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Queue what is due, then exit.")
        parser.add_argument("--at", help="With --once: pretend it is this local time (ISO).")
        parser.add_argument("--interval", type=float, default=30, help="Seconds between checks.")

    def handle(self, *args, once: bool, at: str | None, interval: float, **options):
        now = timezone.localtime()
        if at:
            try:
                now = timezone.make_aware(datetime.datetime.fromisoformat(at))
            except ValueError as error:
                raise CommandError(f"Invalid time: {at}") from error
        since = now - datetime.timedelta(seconds=60)
        while True:
            for command in queue_due(since, now):
                self.stdout.write(f"{now:%Y-%m-%d %H:%M} queued {command}")
            if once:
                return
            time.sleep(interval)
            since, now = now, timezone.localtime()
