"""The staff list of files as a CSV or XLSX export, declared to the kernel's background
exports (``ess_metro.export_jobs``) so that a large one is built by the worker."""

from django.utils.translation import gettext as _

from ess_metro.export_jobs import ExportKind, register_export

from . import selectors

APPLICATIONS = "applications"


def _headers() -> list[str]:
    return [str(header) for header in selectors.EXPORT_HEADERS]


def register() -> None:
    register_export(
        ExportKind(
            name=APPLICATIONS,
            sheet_title=lambda: _("Applications"),
            headers=_headers,
            queryset=selectors.export_queryset,
            rows=selectors.export_rows,
        )
    )
