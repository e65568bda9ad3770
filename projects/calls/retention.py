"""Retention of call files (RGPD): drafts left untouched, and files that were refused, found
ineligible or withdrawn, are deleted when their time is over, with their attachments and
their audit rows. The periods are settings (``RETENTION_DRAFT_DAYS``,
``RETENTION_CLOSED_FILE_YEARS``), stated on the « Données personnelles » page; the kernel's
``purge_expired_data`` command runs the rules (``ess_metro.privacy.retention``).
"""

import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from ess_metro.privacy.retention import RetentionRule, register

from .models import Application, ApplicationStatus, BudgetLine, EconomicDiagnosis

CLOSED_STATUSES = [
    ApplicationStatus.REFUSED,
    ApplicationStatus.INELIGIBLE,
    ApplicationStatus.WITHDRAWN,
]


def closed_file_limit(now: datetime.datetime) -> datetime.datetime:
    years = settings.RETENTION_CLOSED_FILE_YEARS
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def stale_drafts(now):
    limit = now - datetime.timedelta(days=settings.RETENTION_DRAFT_DAYS)
    return (
        Application.objects.filter(status=ApplicationStatus.DRAFT, last_saved_at__lt=limit)
        .select_related("organisation")
        .order_by("pk")
    )


def old_closed_files(now):
    return (
        Application.objects.filter(
            status__in=CLOSED_STATUSES,
            updated_at__lt=closed_file_limit(now),
            convention__isnull=True,
        )
        .select_related("organisation")
        .order_by("pk")
    )


def describe(application) -> str:
    return _("Call file %(reference)s « %(title)s » of %(organisation)s (%(status)s)") % {
        "reference": application.reference or f"#{application.pk}",
        "title": application.title,
        "organisation": application.organisation,
        "status": application.get_status_display(),
    }


def delete_application(application) -> None:
    """The file, its attachments (from the private storage) and its audit rows."""
    for attachment in application.attachments.all():
        attachment.file.delete(save=False)
    if application.receipt:
        application.receipt.delete(save=False)
    pk = application.pk
    lines = list(application.budget_lines.values_list("pk", flat=True))
    diagnoses = list(
        EconomicDiagnosis.objects.filter(application=application).values_list("pk", flat=True)
    )
    application.delete()
    # After the deletion, which writes its own "deleted" audit rows.
    BudgetLine.history.filter(id__in=lines).delete()
    EconomicDiagnosis.history.filter(id__in=diagnoses).delete()
    Application.history.filter(id=pk).delete()


def register_rules() -> None:
    register(
        RetentionRule(
            name="call_drafts",
            candidates=stale_drafts,
            describe=describe,
            delete=delete_application,
        )
    )
    register(
        RetentionRule(
            name="call_closed_files",
            candidates=old_closed_files,
            describe=describe,
            delete=delete_application,
        )
    )
