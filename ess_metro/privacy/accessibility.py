"""The results of the automated accessibility checks, shown on the accessibility statement.

``record_accessibility_results`` runs the accessibility and HTML-validity tests and writes
their counts to ``settings.ACCESSIBILITY_RESULTS_FILE`` (at build time, in CI or on the
server); ``--commit`` writes them to ``docs/accessibility/last-results.json`` too, which the
repository keeps as the last recorded result. The page reads the build-time file when there
is one, the recorded one otherwise.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

RECORDED = Path(settings.BASE_DIR) / "docs" / "accessibility" / "last-results.json"


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: int
    failed: int
    skipped: int

    @property
    def ok(self) -> bool:
        return self.failed == 0


@dataclass(frozen=True)
class Results:
    recorded_at: object
    source: str
    checks: list[CheckResult]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


def _read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def latest_results() -> Results | None:
    build = Path(settings.ACCESSIBILITY_RESULTS_FILE)
    document, source = _read(build), "build"
    if document is None:
        document, source = _read(RECORDED), "recorded"
    if not document:
        return None
    checks = [
        CheckResult(
            name=str(item.get("name", "")),
            passed=int(item.get("passed", 0)),
            failed=int(item.get("failed", 0)),
            skipped=int(item.get("skipped", 0)),
        )
        for item in document.get("checks", [])
    ]
    return Results(
        recorded_at=parse_datetime(document.get("recorded_at", "") or ""),
        source=source,
        checks=checks,
    )


def conformity_status() -> str:
    """The RGAA wording of ``settings.ACCESSIBILITY_STATUS``."""
    return {
        "full": _("fully compliant"),
        "partial": _("partially compliant"),
    }.get(settings.ACCESSIBILITY_STATUS, _("not compliant"))
