"""The Nu Html Checker finds no error on any page a role reaches from the home page.

``vnu.jar`` comes from the npm package ``vnu-jar`` (``make vnu`` installs the version pinned in
``tools/vnu/package-lock.json`` into ``tools/vnu/node_modules/``, ignored by git) and runs with
the machine's Java. Every page of every role is checked in ONE run of the checker.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from .conftest import ROLES

VNU = Path(settings.BASE_DIR) / "tools" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist"
VNU_JAR = VNU / "vnu.jar"


def checker() -> list[str]:
    java = shutil.which("java")
    if java and VNU_JAR.exists():
        return [java, "-Xss4m", "-jar", str(VNU_JAR)]
    message = "The HTML checker needs Java and `make vnu` (npm install of vnu-jar)."
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def test_every_page_is_valid_html(site, tmp_path):
    command = checker()
    names = {}
    for role in ROLES:
        for number, page in enumerate(site(role).html_pages()):
            path = tmp_path / role / f"{number:04d}.html"
            path.parent.mkdir(exist_ok=True)
            path.write_text(page.html, encoding="utf-8")
            names[str(path)] = f"{role} {page.url}"
    assert len(names) > 50
    result = subprocess.run(
        [*command, "--errors-only", "--format", "json", "--exit-zero-always", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = sorted(
        {
            f"{names.get(_path(message.get('url', '')), message.get('url'))}: {message['message']}"
            for message in messages
        }
    )
    assert errors == [], f"{len(errors)} HTML errors:\n" + "\n".join(errors[:200])


def _path(url: str) -> str:
    """``file:/tmp/x.html`` (as vnu writes it) → ``/tmp/x.html``."""
    return "/" + url.removeprefix("file:").lstrip("/")
