"""Run the automated accessibility checks and record their result for the statement page.

    manage.py record_accessibility_results            # writes ACCESSIBILITY_RESULTS_FILE
    manage.py record_accessibility_results --commit   # and docs/accessibility/last-results.json

Each test module given (default: the accessibility and HTML-validity tests that exist) is run
by pytest with a JUnit report, whose counts are written as JSON. The command fails when a
check fails, so a build that records a failure also stops.
"""

import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ess_metro.privacy.accessibility import RECORDED

LEAKS = frozenset({"DEBUG", "DJANGO_SETTINGS_MODULE"})
DEFAULT_TESTS = (
    "tests/test_accessibility.py",
    "tests/test_html_validity.py",
    "tests/browser/test_axe.py",
)


def _counts(report: Path) -> dict:
    if not report.exists():  # pytest could not even start
        return {"passed": 0, "failed": 1, "skipped": 0}
    suite = ET.parse(report).getroot()  # noqa: S314
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    total = int(suite.get("tests", 0))
    failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    skipped = int(suite.get("skipped", 0))
    return {"passed": total - failed - skipped, "failed": failed, "skipped": skipped}


class Command(BaseCommand):
    help = "Run the accessibility checks and record their result for the statement page."

    def add_arguments(self, parser):
        parser.add_argument("tests", nargs="*", help="Test modules (default: the a11y ones).")
        parser.add_argument("--commit", action="store_true", help="Also update the repo copy.")

    def _run(self, module: str) -> dict:
        with tempfile.TemporaryDirectory() as folder:
            report = Path(folder) / "report.xml"
            command = [sys.executable, "-m", "pytest", module, "-q", f"--junitxml={report}"]
            # The tests use their own settings: the caller's must not leak into them.
            env = {name: value for name, value in os.environ.items() if name not in LEAKS}
            subprocess.run(command, cwd=settings.BASE_DIR, env=env, check=False)  # noqa: S603
            return {"name": module, **_counts(report)}

    def handle(self, *args, tests=(), commit=False, **options):
        base = Path(settings.BASE_DIR)
        modules = list(tests) or [name for name in DEFAULT_TESTS if (base / name).exists()]
        checks = [self._run(module) for module in modules]
        document = {"recorded_at": timezone.now().isoformat(), "checks": checks}
        content = json.dumps(document, indent=2) + "\n"
        targets = [Path(settings.ACCESSIBILITY_RESULTS_FILE)] + ([RECORDED] if commit else [])
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
            self.stdout.write(f"Recorded {target}")
        if any(check["failed"] for check in checks):
            raise CommandError("An accessibility check failed.")
