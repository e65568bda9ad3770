"""What the writes of conventions share: the tranche being prepared, the log of the edits
that are not workflow steps, the row locks."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from ..models import ConventionLog, LogSubject, Report, ReportStatus, Tranche
from ..rules import check_not_in_future, report_due_date


@dataclass(frozen=True)
class TrancheSpec:
    """One year of a convention being prepared."""

    year: int
    amount: Decimal
    programme_line: object

    @property
    def line_year(self) -> int:
        return self.programme_line.programme.year


def log_edit(
    convention,
    *,
    user,
    comment: str,
    from_status: str,
    to_status: str,
    subject: str = LogSubject.CONVENTION,
    payment=None,
) -> None:
    """A log row for a step that is no workflow transition (prepared, updated, removed…)."""
    ConventionLog.objects.create(
        convention=convention,
        subject=subject,
        payment=payment,
        from_status=from_status,
        to_status=to_status,
        user=user,
        comment=comment,
    )


def check_signature_date(value: datetime.date | None) -> None:
    check_not_in_future(
        value,
        today=timezone.localdate(),
        missing=_("Give the signature date."),
        future=_("The signature date cannot be in the future."),
    )


def step_towards(obj, steps: dict, to_status: str, refusal: str) -> str:
    """The name of the transition of ``obj`` to ``to_status`` (``steps``: status → name) when
    its status allows it, else the French ``refusal`` (“cannot go from %(from)s to %(to)s”)."""
    name = steps.get(to_status)
    if name is None or not can_proceed(getattr(obj, name), check_conditions=False):
        target = dict(type(obj)._meta.get_field("status").flatchoices)[to_status]
        raise ValidationError(refusal % {"from": obj.get_status_display(), "to": target})
    return name


def locked(queryset, pk):
    """The row ``pk`` of ``queryset``, locked until the end of the transaction."""
    return queryset.select_for_update(of=("self",)).get(pk=pk)


def create_tranches(convention, specs) -> list[Tranche]:
    return Tranche.objects.bulk_create(
        Tranche(
            convention=convention, year=t.year, amount=t.amount, programme_line=t.programme_line
        )
        for t in sorted(specs, key=lambda t: t.year)
    )


def sync_reports(convention) -> None:
    """One report per year of the convention: expected ones of removed years go."""
    years = set(convention.years)
    convention.reports.exclude(year__in=years).filter(status=ReportStatus.EXPECTED).delete()
    existing = set(convention.reports.values_list("year", flat=True))
    Report.objects.bulk_create(
        Report(convention=convention, year=year, due_date=report_due_date(year))
        for year in sorted(years - existing)
    )
