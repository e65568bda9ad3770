"""What the writes of conventions share: the tranche being prepared, the log of the edits
that are not workflow steps, the row locks."""

from dataclasses import dataclass
from decimal import Decimal

from ..models import ConventionLog, LogSubject, Report, ReportStatus, Tranche
from ..rules import report_due_date


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
