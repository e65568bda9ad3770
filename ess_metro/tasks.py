"""Kernel background tasks."""

import io

from django.conf import settings
from django.core.management import call_command
from django_tasks import task


@task()
def run_command(name: str, args: list[str]) -> str:
    """Run one of the scheduled management commands in the worker; returns what it printed."""
    allowed = {command for _time, command, _args in settings.SCHEDULE}
    if name not in allowed:
        raise ValueError(f"{name} is not a scheduled command.")
    output = io.StringIO()
    call_command(name, *args, stdout=output)
    return output.getvalue()[-2000:]
