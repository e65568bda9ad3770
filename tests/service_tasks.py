"""A task for the worker tests: marks each attempt in a folder; the first one is slow."""

import time
from pathlib import Path

from django_tasks import task


@task()
def slow_task(folder: str, seconds: float) -> int:
    attempt = len(list(Path(folder).glob("started-*"))) + 1
    (Path(folder) / f"started-{attempt}").touch()
    if attempt == 1:
        time.sleep(seconds)
    return attempt


def wait_for(marker: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{marker} never appeared")
        time.sleep(0.1)
