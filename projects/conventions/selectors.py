"""Reads of conventions: what the pages, the PDFs, the dashboard and the daily digest show.

Each returns plain values or a dataclass (``as_context()`` gives a template's context); a
selector never writes. The numbers come from ``rules.py``.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, fields
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Prefetch, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ess_metro import search
from ess_metro.audit import AuditEntry, audit_entries, audit_entries_of
from ess_metro.directory.models import Organisation
from ess_metro.money import ZERO
from ess_metro.views import optional_queryset
from programme.models import ToolSupport

from . import rules
from .models import (
    COMMITTED_STATUSES,
    AmendmentStatus,
    Convention,
    ConventionAmendment,
    ConventionStatus,
    Payment,
    PaymentKind,
    PaymentStatus,
    ProjectTheme,
    Report,
    StructuringProject,
)

COMMITTED_PAYMENT_STATUSES = [PaymentStatus.PAID, PaymentStatus.REQUESTED]


class PageData:
    """A dataclass whose fields are a template's context."""

    def as_context(self) -> dict:
        return {item.name: getattr(self, item.name) for item in fields(self)}


# --- de minimis and the written agreement ----------------------------------------------------


@dataclass(frozen=True)
class DeMinimisBreakdown:
    """What an organisation received from the Métro over 3 rolling years, by channel."""

    conventions: Decimal
    tools: Decimal

    @property
    def total(self) -> Decimal:
        return self.conventions + self.tools


def de_minimis_breakdown(organisation, *, on=None, exclude_convention=None) -> DeMinimisBreakdown:
    """The Métro's aid to ``organisation`` over the 3 rolling years ending on ``on``.

    Conventions count at the date they are granted (their signature) and a terminated one for
    what was actually paid; the support of a development tool counts at its date.
    """
    first, last = rules.de_minimis_window(on or timezone.localdate())
    conventions = Convention.objects.filter(
        beneficiary=organisation, signature_date__gte=first, signature_date__lte=last
    )
    if exclude_convention is not None and exclude_convention.pk:
        conventions = conventions.exclude(pk=exclude_convention.pk)
    granted = (
        conventions.filter(status__in=COMMITTED_STATUSES).aggregate(total=Sum("amount_granted"))[
            "total"
        ]
        or ZERO
    )
    paid_on_terminated = (
        Payment.objects.filter(
            convention__in=conventions.filter(status=ConventionStatus.TERMINATED),
            status=PaymentStatus.PAID,
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    tools = (
        ToolSupport.objects.filter(
            organisation=organisation, date__gte=first, date__lte=last
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    return DeMinimisBreakdown(conventions=granted + paid_on_terminated, tools=tools)


def de_minimis_received(organisation, *, on=None, exclude_convention=None) -> Decimal:
    """The total of ``de_minimis_breakdown``: conventions and development tools."""
    return de_minimis_breakdown(organisation, on=on, exclude_convention=exclude_convention).total


def de_minimis_warning(
    organisation, amount: Decimal, *, on=None, exclude_convention=None, sieg: bool = False
) -> str:
    """A French warning when granting ``amount`` would pass the de minimis ceiling, else ''."""
    if organisation is None or not organisation.is_enterprise or amount is None:
        return ""
    breakdown = de_minimis_breakdown(organisation, on=on, exclude_convention=exclude_convention)
    return rules.de_minimis_message(
        name=organisation.name,
        conventions=breakdown.conventions,
        tools=breakdown.tools,
        amount=amount,
        sieg=sieg,
    )


@dataclass
class DeMinimisCheck(PageData):
    """The htmx fragment of the convention form: what the beneficiary already received."""

    organisation: object
    ceiling: Decimal
    breakdown: DeMinimisBreakdown | None = None
    received: Decimal | None = None
    warning: str = ""


def de_minimis_check(organisation, amount: Decimal, *, sieg: bool) -> DeMinimisCheck:
    check = DeMinimisCheck(organisation=organisation, ceiling=rules.de_minimis_ceiling(sieg=sieg))
    if organisation is not None and organisation.is_enterprise:
        check.breakdown = de_minimis_breakdown(organisation)
        check.received = check.breakdown.total
        check.warning = de_minimis_warning(organisation, amount, sieg=sieg)
    return check


def written_agreement_warnings(convention: Convention, tranches=None) -> list[str]:
    """Years above 23,000 € when the convention is not a written multi-year agreement."""
    return rules.written_agreement_warnings(
        written_agreement=convention.written_agreement,
        tranches=convention.tranches.all() if tranches is None else tranches,
    )


def line_overrun_warnings(tranches) -> list[str]:
    """Tranches above the planned amount of their programme line."""
    return rules.line_overrun_warnings(
        SimpleNamespace(
            year=tranche.year,
            amount=tranche.amount,
            line_title=tranche.programme_line.title,
            line_planned=tranche.programme_line.planned_amount,
        )
        for tranche in tranches
    )


def convention_warnings(convention: Convention, *, on=None) -> list[str]:
    """The written-agreement rule, the programme lines' planned amounts, then the de minimis
    check of the amount granted."""
    tranches = list(convention.tranches.select_related("programme_line"))
    warnings = [
        *written_agreement_warnings(convention, tranches),
        *line_overrun_warnings(tranches),
    ]
    de_minimis = de_minimis_warning(
        convention.beneficiary,
        convention.amount_granted,
        on=on,
        exclude_convention=convention,
        sieg=convention.sieg,
    )
    return [*warnings, de_minimis] if de_minimis else warnings


# --- dashboard and daily digest --------------------------------------------------------------


@dataclass
class StaffDigest(PageData):
    """What the dashboard and the daily digest show."""

    today: datetime.date
    overdue_reports: list
    reports_to_review: list
    payments_due: list
    amendments_to_sign: list
    files_to_instruct: list = field(default_factory=list)
    event_proposals: list = field(default_factory=list)
    meetings_to_prepare: list = field(default_factory=list)

    @property
    def overdue_payments(self) -> list:
        """Payments whose due date has passed (the others are due within 30 days)."""
        return [payment for payment in self.payments_due if payment.due_date < self.today]

    @property
    def payments_soon(self) -> list:
        return [payment for payment in self.payments_due if payment.due_date >= self.today]

    @property
    def has_news(self) -> bool:
        return bool(
            self.overdue_reports
            or self.reports_to_review
            or self.payments_due
            or self.files_to_instruct
            or self.event_proposals
            or self.meetings_to_prepare
        )


def _other_work(today) -> dict:
    """Beyond conventions: files waiting for instruction, event proposals, meetings to prepare
    (read without importing communication and governance)."""
    from projects.models import Application, ApplicationStatus

    return {
        "files_to_instruct": list(
            Application.objects.filter(status=ApplicationStatus.SUBMITTED)
            .select_related("call", "organisation")
            .order_by("submitted_at", "pk")
        ),
        "event_proposals": list(optional_queryset("communication.Event", "proposed") or []),
        "meetings_to_prepare": list(
            optional_queryset("governance.Meeting", "to_prepare", today) or []
        ),
    }


def staff_digest_data(today=None, *, beyond_conventions: bool = False) -> StaffDigest:
    """The conventions' to-do list (the dashboard); ``beyond_conventions`` adds the rest of the
    staff's work (the daily digest)."""
    today = today or timezone.localdate()
    return StaffDigest(
        today=today,
        overdue_reports=list(Report.objects.overdue(today).for_list().order_by("due_date")),
        reports_to_review=list(Report.objects.to_review().for_list().order_by("submitted_at")),
        payments_due=list(
            Payment.objects.due_within(30, today).for_list().order_by("due_date", "pk")
        ),
        amendments_to_sign=list(
            ConventionAmendment.objects.filter(status=AmendmentStatus.DRAFT)
            .select_related("convention__beneficiary")
            .order_by("created_at", "pk")
        ),
        **(_other_work(today) if beyond_conventions else {}),
    )


@dataclass
class StaffDashboard(PageData):
    """The dashboard's to-do lists: the first rows of each, and how many there are."""

    today: datetime.date
    overdue_reports: list
    overdue_reports_count: int
    reports_to_review: list
    reports_to_review_count: int
    payments_due: list
    payments_due_count: int
    amendments_to_sign: list


def staff_dashboard_data(today=None, *, rows: int = 10) -> StaffDashboard:
    """Like the daily digest, but at any volume: ``rows`` of each list and its count (the
    payments list has them all)."""
    today = today or timezone.localdate()
    lists = {
        "overdue_reports": Report.objects.overdue(today).for_list().order_by("due_date"),
        "reports_to_review": Report.objects.to_review().for_list().order_by("submitted_at"),
        "payments_due": Payment.objects.due_within(30, today).for_list().order_by("due_date", "pk"),
    }
    data = {}
    for name, queryset in lists.items():
        data[name] = list(queryset[:rows])
        data[f"{name}_count"] = queryset.order_by().count()  # one query, whatever the volume
    return StaffDashboard(
        today=today,
        amendments_to_sign=list(
            ConventionAmendment.objects.filter(status=AmendmentStatus.DRAFT)
            .select_related("convention__beneficiary")
            .order_by("created_at", "pk")
        ),
        **data,
    )


# --- public page -----------------------------------------------------------------------------


@dataclass
class PublicProjects(PageData):
    themes: list
    project_count: int


def public_projects() -> PublicProjects:
    """The structuring projects the Métro supports, theme by theme."""
    by_theme = defaultdict(list)
    for project in StructuringProject.objects.public().for_list().order_by("title"):
        by_theme[project.theme].append(project)
    return PublicProjects(
        themes=[
            {"value": value, "label": label, "projects": by_theme.get(value, [])}
            for value, label in ProjectTheme.choices
        ],
        project_count=sum(len(projects) for projects in by_theme.values()),
    )


# --- the convention page and its PDF ---------------------------------------------------------


def convention_queryset():
    """Conventions with everything their page and PDF show, in a fixed number of queries."""
    return Convention.objects.select_related(
        "beneficiary", "structuring_project", "created_by"
    ).prefetch_related(
        "tranches__programme_line__programme",
        "indicators",
        Prefetch(
            "payments",
            queryset=Payment.objects.select_related("tranche", "report").order_by("due_date", "pk"),
        ),
        Prefetch("reports", queryset=Report.objects.prefetch_related("attachments")),
        Prefetch(
            "amendments",
            queryset=ConventionAmendment.objects.select_related("created_by").order_by("number"),
        ),
    )


def year_rows(convention: Convention) -> list[dict]:
    """Granted, paid, remaining and the report of each year (from prefetched rows)."""
    reports = {report.year: report for report in convention.reports.all()}
    paid = defaultdict(lambda: ZERO)
    for payment in convention.payments.all():
        if payment.status == PaymentStatus.PAID:
            paid[payment.tranche.year] += payment.amount
    return [
        {
            "year": tranche.year,
            "tranche": tranche,
            "granted": tranche.amount,
            "paid": paid[tranche.year],
            "remaining": tranche.amount - paid[tranche.year],
            "report": reports.get(tranche.year),
        }
        for tranche in convention.tranches.all()
    ]


def _totals(rows: list[dict]) -> dict:
    return {key: sum((row[key] for row in rows), ZERO) for key in ("granted", "paid", "remaining")}


@dataclass
class ConventionPage(PageData):
    convention: Convention
    year_rows: list
    totals: dict
    payments: list
    amendments: list
    can_amend: bool
    warnings: list
    is_staff_view: bool
    log: list = field(default_factory=list)
    audit_entries: list = field(default_factory=list)


def _page_warnings(convention: Convention, staff: bool) -> list[str]:
    if staff and convention.status in {ConventionStatus.DRAFT, ConventionStatus.SIGNED}:
        return convention_warnings(convention, on=convention.signature_date)
    return written_agreement_warnings(convention, convention.tranches.all())


def convention_page(convention: Convention, *, staff: bool) -> ConventionPage:
    """The convention's page (``staff``: the staff desk, else the beneficiary's space or the
    PDF): years, payments, amendments, warnings; the log and the audit trail for staff."""
    rows = year_rows(convention)
    amendments = [a for a in convention.amendments.all() if staff or not a.is_draft]
    return ConventionPage(
        convention=convention,
        year_rows=rows,
        totals=_totals(rows),
        payments=list(convention.payments.all()),
        amendments=amendments,
        can_amend=staff
        and convention.can_be_amended
        and not any(amendment.is_draft for amendment in amendments),
        warnings=_page_warnings(convention, staff),
        is_staff_view=staff,
        log=list(convention.log.select_related("user")[:50]) if staff else [],
        audit_entries=convention_audit(convention) if staff else [],
    )


def convention_audit(convention: Convention) -> list[AuditEntry]:
    """Amount granted and IBAN (masked), then the amounts of the tranches and payments: three
    queries whatever the number of years."""
    entries = [
        *audit_entries(convention),
        *audit_entries_of(
            convention.tranches.all(),
            label=lambda tranche: _("tranche %(year)s") % {"year": tranche.year},
        ),
        *audit_entries_of(
            convention.payments.all(),
            label=lambda payment: f"{payment.get_kind_display()} {payment.tranche.year}",
        ),
    ]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


# --- amendments ------------------------------------------------------------------------------


def amendment_queryset(user):
    return (
        ConventionAmendment.objects.visible_to(user)
        .select_related("convention__beneficiary", "created_by", "signed_by")
        .prefetch_related(
            "tranches__programme_line",
            "convention__tranches__programme_line",
            "convention__payments__tranche",
        )
    )


def amendment_comparison(amendment: ConventionAmendment, convention=None) -> list[dict]:
    """Year by year, before and after the amendment (from prefetched rows when possible)."""
    convention = convention or amendment.convention
    if amendment.is_draft:
        before = {t.year: (t.amount, t.programme_line.title) for t in convention.tranches.all()}
    else:
        before = {
            int(year): (Decimal(item["amount"]), item.get("line", ""))
            for year, item in amendment.previous_terms.get("tranches", {}).items()
        }
    after = {t.year: (t.amount, t.programme_line.title) for t in amendment.tranches.all()}
    rows = []
    for year in sorted(set(before) | set(after)):
        old = before.get(year, (ZERO, ""))
        new = after.get(year, (ZERO, ""))
        rows.append(
            {
                "year": year,
                "before": old[0],
                "after": new[0],
                "difference": new[0] - old[0],
                "line_before": old[1],
                "line_after": new[1],
                "changed": old != new,
            }
        )
    return rows


def amendment_warnings(amendment: ConventionAmendment, *, on=None) -> list[str]:
    """The written-agreement rule on the new tranches and the de minimis check on the new
    amount granted."""
    convention = amendment.convention
    warnings = written_agreement_warnings(convention, list(amendment.tranches.all()))
    de_minimis = de_minimis_warning(
        convention.beneficiary,
        amendment.amount_granted,
        on=on or amendment.signature_date or timezone.localdate(),
        exclude_convention=convention,
        sieg=convention.sieg,
    )
    if de_minimis:
        warnings.append(de_minimis)
    return warnings


def committed_by_kind(payments) -> tuple[Decimal, Decimal]:
    """(notification, balance) already paid or requested among ``payments``."""
    notification = balance = ZERO
    for payment in payments:
        if payment.status not in COMMITTED_PAYMENT_STATUSES:
            continue
        if payment.kind == PaymentKind.BALANCE:
            balance += payment.amount
        else:
            notification += payment.amount
    return notification, balance


def _unchanged(old, tranche) -> bool:
    return (
        old is not None
        and old.amount == tranche.amount
        and old.programme_line_id == tranche.programme_line_id
    )


def amendment_payment_preview(amendment: ConventionAmendment) -> list[dict]:
    """The payments a draft amendment would plan for each changed year, once signed."""
    convention = amendment.convention
    current = {t.year: t for t in convention.tranches.all()}
    payments = defaultdict(list)
    for payment in convention.payments.all():
        payments[payment.tranche.year].append(payment)
    rows = []
    for tranche in amendment.tranches.all():
        if _unchanged(current.get(tranche.year), tranche):
            continue
        notification, balance = committed_by_kind(payments[tranche.year])
        for kind, amount in rules.year_plan(
            tranche.amount, committed_notification=notification, committed_balance=balance
        ):
            rows.append(
                {
                    "year": tranche.year,
                    "kind": kind,
                    "kind_label": PaymentKind(kind).label,
                    "amount": amount,
                    "committed": notification + balance,
                }
            )
    return rows


@dataclass
class AmendmentPage(PageData):
    amendment: ConventionAmendment
    convention: Convention
    comparison: list
    before_total: Decimal
    after_total: Decimal
    difference_total: Decimal
    before_end_year: int
    warnings: list = field(default_factory=list)
    payment_preview: list = field(default_factory=list)


def amendment_page(amendment: ConventionAmendment, *, preview: bool = False) -> AmendmentPage:
    """Before and after, year by year; with ``preview`` (a draft's staff page) the warnings
    and the payments the signature would plan."""
    rows = amendment_comparison(amendment)
    draft = amendment.is_draft
    return AmendmentPage(
        amendment=amendment,
        convention=amendment.convention,
        comparison=rows,
        before_total=sum((row["before"] for row in rows), ZERO),
        after_total=sum((row["after"] for row in rows), ZERO),
        difference_total=sum((row["difference"] for row in rows), ZERO),
        before_end_year=amendment.convention.end_year
        if draft
        else amendment.previous_terms.get("end_year", amendment.end_year),
        warnings=amendment_warnings(amendment) if preview and draft else [],
        payment_preview=amendment_payment_preview(amendment) if preview and draft else [],
    )


def current_rows(convention: Convention) -> list[dict]:
    """Each year's amount and what is already paid or requested (the amendment's floor)."""
    committed = defaultdict(lambda: ZERO)
    for payment in convention.payments.all():
        if payment.status in COMMITTED_PAYMENT_STATUSES:
            committed[payment.tranche.year] += payment.amount
    return [
        {
            "year": tranche.year,
            "line": tranche.programme_line.title,
            "granted": tranche.amount,
            "committed": committed[tranche.year],
        }
        for tranche in convention.tranches.all()
    ]


# --- reports ---------------------------------------------------------------------------------


def report_queryset(user):
    return (
        Report.objects.visible_to(user)
        .select_related("convention__beneficiary", "submitted_by")
        .prefetch_related("attachments", "indicator_values__indicator", "convention__indicators")
    )


def last_request_for_more(report: Report):
    """The log row asking the beneficiary for more, while the report waits for it."""
    if report.status != "more_requested":
        return None
    return report.log.filter(to_status="more_requested").order_by("-at", "-pk").first()


def convention_search(queryset, query: str):
    """Conventions whose reference, title or objectives match ``query`` in French (PostgreSQL,
    ranked) or whose beneficiary matches it by name or SIRET; on SQLite, by reference or name."""
    query = query.strip()
    if not query:
        return queryset
    if not search.is_postgresql():
        return queryset.filter(
            Q(reference__icontains=query) | Q(beneficiary__name__icontains=query)
        )
    # Looked up first: then each side of the condition below uses its own index.
    beneficiaries = list(
        Organisation.objects.filter(search.name_or_siret(query)).values_list("pk", flat=True)[:1000]
    )
    condition = Q(search.full_text(query)) | Q(reference__istartswith=query)
    return (
        queryset.filter(condition | Q(beneficiary_id__in=beneficiaries))
        .annotate(search_rank=search.rank(query))
        .order_by("-search_rank", "-start_year", "reference")
    )
