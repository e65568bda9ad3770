"""Writes of the yearly reports: the beneficiary submits, staff review."""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ess_metro import workflow
from ess_metro.uploads import validate_upload

from ..models import IndicatorValue, Report, ReportAttachment, ReportStatus
from ._common import locked


def _check_submittable(report: Report, files: list) -> list[str]:
    """The reasons to refuse first; then the checked type of each new file."""
    if report.status in {ReportStatus.SUBMITTED, ReportStatus.APPROVED}:
        raise ValidationError(_("This report has already been submitted."))
    reasons = workflow.unmet_conditions(report, "submit")
    if reasons:
        raise ValidationError(reasons)
    mimes = [validate_upload(upload) for upload in files]
    if not files and not report.attachments.exists():
        raise ValidationError(
            _("Attach at least one document (the financial report signed by your organisation).")
        )
    return mimes


def _attach(report: Report, files: list, mimes: list[str], user) -> None:
    for upload, mime in zip(files, mimes, strict=True):
        ReportAttachment.objects.create(
            report=report,
            file=upload,
            original_name=upload.name[:255],
            content_type=mime,
            size=upload.size,
            uploaded_by=user,
        )


def _record_indicators(report: Report, indicator_values: dict) -> None:
    for indicator, value in indicator_values.items():
        if value is not None:
            IndicatorValue.objects.update_or_create(
                report=report, indicator=indicator, defaults={"value": value}
            )


@transaction.atomic
def report_submit(
    *,
    report: Report,
    user,
    activity_report: str,
    financial_report: str,
    expenses: Decimal | None,
    indicator_values: dict,
    files: Iterable = (),
) -> Report:
    """The beneficiary hands in (or completes) the report of a year (``Report.submit``)."""
    report = locked(Report.objects.select_related("convention"), report.pk)
    files = list(files)
    mimes = _check_submittable(report, files)
    report._history_user = user
    workflow.fire(
        report,
        "submit",
        user=user,
        activity_report=activity_report,
        financial_report=financial_report,
        expenses=expenses,
    )
    _attach(report, files, mimes, user)
    _record_indicators(report, indicator_values)
    return report


@transaction.atomic
def report_review(*, report: Report, user, approve: bool, comment: str = "") -> Report:
    """Staff approve the report, or ask the beneficiary for more (a comment is then required)."""
    report = locked(Report.objects.select_related("convention"), report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be reviewed."))
    workflow.fire(report, "approve" if approve else "request_more", user=user, comment=comment)
    return report
