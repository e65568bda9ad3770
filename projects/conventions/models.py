"""Structuring projects, conventions, payments, reports and amendments (orientation 3 and
every grant), with their workflows.

The numbers of the deliberations (thresholds, schedule, de minimis) live in ``rules.py``; the
transitions are declared here, once, on each model (``ess_metro.workflow``), and fired by the
services with ``workflow.fire``. Every step of a convention, its payments, reports and
amendments goes to the one ``ConventionLog``.
"""

import datetime
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from ess_metro import french
from ess_metro.accounts import roles
from ess_metro.audit import AuditTrail
from ess_metro.concurrency import VersionedModel
from ess_metro.models import PrivateFile, TimeStampedModel, TransitionLog
from ess_metro.money import CENT, ZERO
from ess_metro.permissions import as_transition_permission
from ess_metro.workflow import StatusField, WorkflowModel, condition

from . import notifications
from .permissions import (
    can_manage_conventions,
    can_pay,
    can_review_report,
    can_sign,
    can_submit_report,
)
from .rules import (
    ADVANCE_SHARE,
    DE_MINIMIS_CEILING,
    DE_MINIMIS_SIEG_CEILING,
    MAX_CONVENTION_YEARS,
    SINGLE_PAYMENT_THRESHOLD,
    WRITTEN_AGREEMENT_THRESHOLD,
    de_minimis_ceiling,
    needs_written_agreement,
    report_due_date,
)

__all__ = [
    "ADVANCE_SHARE",
    "CONVENTION_STATUSES_FOR_FILTER",
    "DE_MINIMIS_CEILING",
    "DE_MINIMIS_SIEG_CEILING",
    "MAX_CONVENTION_YEARS",
    "SINGLE_PAYMENT_THRESHOLD",
    "WRITTEN_AGREEMENT_THRESHOLD",
    "AmendmentStatus",
    "AmendmentTranche",
    "Convention",
    "ConventionAmendment",
    "ConventionIndicator",
    "ConventionLog",
    "ConventionStatus",
    "IndicatorValue",
    "LogSubject",
    "MetroCompetence",
    "Payment",
    "PaymentKind",
    "PaymentStatus",
    "ProjectTheme",
    "Report",
    "ReportAttachment",
    "ReportStatus",
    "StructuringProject",
    "StructuringProjectStatus",
    "StructuringProjectTransition",
    "Tranche",
    "report_due_date",
]


def _is_staff(user) -> bool:
    return roles.has_role(user, roles.STAFF)


STAFF_ONLY = as_transition_permission(can_manage_conventions)


class LogSubject(models.TextChoices):
    CONVENTION = "convention", _("Convention")
    PAYMENT = "payment", _("Payment")
    REPORT = "report", _("Report")
    AMENDMENT = "amendment", _("Amendment")


class SharedLog:
    """A workflow whose steps go to the one ``ConventionLog`` of its convention: the model
    names its ``log_subject`` and the log's links to fill with itself (``log_links``)."""

    log_subject = ""
    log_links: tuple[str, ...] = ()

    def make_log(self, *, source, target, user, comment):
        return ConventionLog(
            convention=self if isinstance(self, Convention) else self.convention,
            subject=self.log_subject,
            from_status=source or "",
            to_status=target,
            user=user,
            comment=comment,
            **dict.fromkeys(self.log_links, self),
        )


class ProjectTheme(models.TextChoices):
    """The six themes of orientation 3 in the framework deliberation."""

    WASTE = "waste", _("Waste treatment")
    HOUSING = "housing", _("Housing")
    AGRICULTURE = "agriculture", _("Agricultural sector")
    PERSONAL_SERVICES = "personal_services", _("Personal services")
    PROCUREMENT = "procurement", _("Sustainable public or private procurement")
    ECONOMY = "economy", _("Economy: SOL currency and integration through economic activity")


class MetroCompetence(models.TextChoices):
    ECONOMIC_DEVELOPMENT = "economic_development", _("Economic development")
    WASTE = "waste", _("Collection and treatment of household waste")
    HOUSING = "housing", _("Housing policy")
    MOBILITY = "mobility", _("Mobility and transport")
    ENVIRONMENT = "environment", _("Environment, air and energy")
    AGRICULTURE = "agriculture", _("Agriculture and forestry")
    URBAN_POLICY = "urban_policy", _("Urban policy and social cohesion")
    EMPLOYMENT = "employment", _("Employment and integration")


class StructuringProjectStatus(models.TextChoices):
    STUDY = "study", _("Under study")
    SUPPORTED = "supported", _("Supported")
    COMPLETED = "completed", _("Completed")
    ABANDONED = "abandoned", _("Abandoned")


PUBLIC_PROJECT_STATUSES = [StructuringProjectStatus.SUPPORTED, StructuringProjectStatus.COMPLETED]


class StructuringProjectQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=PUBLIC_PROJECT_STATUSES)

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if _is_staff(user):
            return self
        return self.filter(carrier__memberships__user=user).distinct()

    def for_list(self):
        return self.select_related("carrier").prefetch_related("communes", "partners")


class StructuringProject(WorkflowModel, TimeStampedModel, VersionedModel):
    """A project of community interest carried by an ESS organisation (orientation 3).

    Staff set its status from the project's form: any status may follow any other.
    """

    title = models.CharField(_("title"), max_length=255)
    carrier = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="carried_projects",
        verbose_name=_("carrier organisation"),
    )
    partners = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="partner_projects",
        verbose_name=_("partners"),
    )
    theme = models.CharField(_("theme"), max_length=30, choices=ProjectTheme.choices)
    competence = models.CharField(
        _("Métro competence served"), max_length=30, choices=MetroCompetence.choices
    )
    summary = models.TextField(
        _("public summary"), help_text=_("Shown on the public page of structuring projects.")
    )
    objectives = models.TextField(_("objectives"))
    communes = models.ManyToManyField(
        "directory.Commune",
        blank=True,
        related_name="structuring_projects",
        verbose_name=_("communes reached"),
    )
    whole_metro = models.BooleanField(
        _("reaches the whole Métro"),
        default=False,
        help_text=_("Tick when the project reaches every commune of the agglomeration."),
    )
    status = StatusField(
        choices=StructuringProjectStatus.choices,
        default=StructuringProjectStatus.STUDY,
    )

    objects = StructuringProjectQuerySet.as_manager()

    log_model = "projects.StructuringProjectTransition"
    status_styles = {
        StructuringProjectStatus.STUDY: "info",
        StructuringProjectStatus.SUPPORTED: "success",
        StructuringProjectStatus.COMPLETED: "secondary",
        StructuringProjectStatus.ABANDONED: "dark",
    }

    class Meta:
        verbose_name = _("structuring project")
        verbose_name_plural = _("structuring projects")
        ordering = ["theme", "title"]

    def __str__(self):
        return self.title

    @transition(
        field=status, source="*", target=StructuringProjectStatus.STUDY, permission=STAFF_ONLY
    )
    def study(self, *, user=None, comment=""):
        """Back under study."""

    @transition(
        field=status, source="*", target=StructuringProjectStatus.SUPPORTED, permission=STAFF_ONLY
    )
    def support(self, *, user=None, comment=""):
        """The Métro supports the project."""

    @transition(
        field=status, source="*", target=StructuringProjectStatus.COMPLETED, permission=STAFF_ONLY
    )
    def complete(self, *, user=None, comment=""):
        """The project is completed."""

    @transition(
        field=status, source="*", target=StructuringProjectStatus.ABANDONED, permission=STAFF_ONLY
    )
    def abandon(self, *, user=None, comment=""):
        """The project is abandoned."""

    def get_absolute_url(self):
        return reverse("projects:structuring_project_detail", args=[self.pk])


class StructuringProjectTransition(TransitionLog):
    """The log of a structuring project's status: who, when, from, to."""

    subject_field = "project"

    project = models.ForeignKey(
        StructuringProject,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("structuring project"),
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("structuring project transition")
        verbose_name_plural = _("structuring project transitions")


class ConventionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")
    TERMINATED = "terminated", _("Terminated")


COMMITTED_STATUSES = [ConventionStatus.SIGNED, ConventionStatus.RUNNING, ConventionStatus.CLOSED]
ACTIVE_STATUSES = [ConventionStatus.SIGNED, ConventionStatus.RUNNING]


class ConventionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see every convention; a beneficiary's members see its signed conventions."""
        if not user.is_authenticated:
            return self.none()
        if _is_staff(user):
            return self
        return self.filter(beneficiary__memberships__user=user).exclude(
            status=ConventionStatus.DRAFT
        )

    def committed(self):
        return self.filter(status__in=COMMITTED_STATUSES)

    def for_list(self):
        return self.select_related("beneficiary", "structuring_project")

    def with_totals(self):
        paid = Payment.objects.filter(convention=models.OuterRef("pk"), status=PaymentStatus.PAID)
        return self.annotate(
            paid_total=models.functions.Coalesce(
                models.Subquery(
                    paid.values("convention")
                    .annotate(total=models.Sum("amount"))
                    .values("total")[:1]
                ),
                models.Value(ZERO),
                output_field=models.DecimalField(max_digits=12, decimal_places=2),
            )
        )


@condition(_("A convention can be closed only once every yearly report is approved."))
def every_report_approved(convention) -> bool:
    # .all() uses the reports prefetched for the page, if any
    return all(report.status == ReportStatus.APPROVED for report in convention.reports.all())


@condition(_("A convention cannot be closed while a payment is being requested."))
def no_payment_requested(convention) -> bool:
    return all(payment.status != PaymentStatus.REQUESTED for payment in convention.payments.all())


class Convention(SharedLog, WorkflowModel, TimeStampedModel, VersionedModel):
    """A grant agreement: a structuring project's or a granted application's."""

    reference = models.CharField(_("reference"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=255)
    beneficiary = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="conventions",
        verbose_name=_("beneficiary"),
    )
    structuring_project = models.ForeignKey(
        StructuringProject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conventions",
        verbose_name=_("structuring project"),
    )
    parties = models.TextField(
        _("parties"),
        help_text=_("Who signs, and who represents each party."),
    )
    objectives = models.TextField(_("objectives"))
    evaluation = models.TextField(
        _("evaluation"),
        blank=True,
        help_text=_("How the objectives will be evaluated (indicators, meetings)."),
    )
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    amount_granted = models.DecimalField(
        _("amount granted (€)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(CENT)],
    )
    written_agreement = models.BooleanField(
        _("written multi-year objectives agreement"),
        default=True,
        help_text=_("Mandatory above 23,000 € a year."),
    )
    sieg = models.BooleanField(
        _("service of general economic interest (SIEG)"),
        default=False,
        help_text=_(
            "Tick when the grant compensates a service of general economic interest: the de "
            "minimis ceiling is then 750,000 € over 3 years instead of 300,000 €."
        ),
    )
    status = StatusField(choices=ConventionStatus.choices, default=ConventionStatus.DRAFT)
    signature_date = models.DateField(_("signature date"), null=True, blank=True)
    termination_reason = models.TextField(_("reason for termination"), blank=True)
    account_holder = models.CharField(_("account holder"), max_length=200, blank=True)

    @property
    def account_holder_of(self) -> str:
        """« d'Association Alpesolidaires », « of … » in English."""
        return french.of(self.account_holder)

    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    bank_details_to_confirm = models.BooleanField(
        _("new bank details to confirm"),
        default=False,
        help_text=_(
            "Set when the bank details change: no payment is requested or recorded until "
            "another member of staff confirms them."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = ConventionQuerySet.as_manager()

    history = AuditTrail(
        fields=["amount_granted", "account_holder", "iban", "bic"], masked=["iban"]
    )

    status_styles = {
        ConventionStatus.DRAFT: "secondary",
        ConventionStatus.SIGNED: "info",
        ConventionStatus.RUNNING: "success",
        ConventionStatus.CLOSED: "dark",
        ConventionStatus.TERMINATED: "danger",
    }

    class Meta:
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")
        ordering = ["-start_year", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="convention_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.title}"

    def get_absolute_url(self):
        return reverse("projects:convention_detail", args=[self.pk])

    def get_space_url(self):
        return reverse("projects:space_convention_detail", args=[self.pk])

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    # --- workflow (fired by services.convention_transition) ---

    log_subject = LogSubject.CONVENTION

    @transition(
        field=status,
        source=ConventionStatus.DRAFT,
        target=ConventionStatus.SIGNED,
        permission=as_transition_permission(can_sign),
        custom={
            "to_status": ConventionStatus.SIGNED,
            "label": ConventionStatus.SIGNED.label,
            "notify": notifications.convention_signed,
        },
    )
    def sign(self, *, user=None, comment="", signature_date):
        self.signature_date = signature_date

    @transition(
        field=status,
        source=ConventionStatus.SIGNED,
        target=ConventionStatus.RUNNING,
        permission=STAFF_ONLY,
        custom={"to_status": ConventionStatus.RUNNING, "label": ConventionStatus.RUNNING.label},
    )
    def start(self, *, user=None, comment=""):
        """The first payment is made (or staff say it runs)."""

    @transition(
        field=status,
        source=ConventionStatus.RUNNING,
        target=ConventionStatus.CLOSED,
        conditions=[every_report_approved, no_payment_requested],
        permission=STAFF_ONLY,
        custom={"to_status": ConventionStatus.CLOSED, "label": ConventionStatus.CLOSED.label},
    )
    def close(self, *, user=None, comment=""):
        """Every report is approved: the convention is over."""

    @transition(
        field=status,
        source=[ConventionStatus.DRAFT, ConventionStatus.SIGNED, ConventionStatus.RUNNING],
        target=ConventionStatus.TERMINATED,
        permission=STAFF_ONLY,
        custom={
            "to_status": ConventionStatus.TERMINATED,
            "label": ConventionStatus.TERMINATED.label,
            "style": "danger",
        },
    )
    def terminate(self, *, user=None, comment=""):
        if not comment.strip():
            raise ValidationError(gettext("Give the reason for the termination."))
        self.termination_reason = comment.strip()

    @property
    def is_draft(self) -> bool:
        return self.status == ConventionStatus.DRAFT

    @property
    def can_be_amended(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def de_minimis_ceiling(self) -> Decimal:
        return de_minimis_ceiling(sieg=self.sieg)

    @property
    def iban_masked(self) -> str:
        """``FR76 **** … 0189``: enough for a beneficiary to recognise its account."""
        if not self.iban:
            return ""
        return f"{self.iban[:4]} •••• •••• {self.iban[-4:]}"

    @cached_property
    def pending_bank_change(self):
        """The latest change of the bank details still waiting for its confirmation."""
        changes = self.bank_changes.filter(confirmed_at=None).select_related("changed_by")
        return changes.first()

    @property
    def iban_display(self) -> str:
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))

    def clean(self):
        errors = {}
        if self.start_year and self.end_year:
            if self.end_year < self.start_year:
                errors["end_year"] = _("The last year cannot be before the first year.")
            elif self.end_year - self.start_year + 1 > MAX_CONVENTION_YEARS:
                errors["end_year"] = _("A convention lasts from 1 to 4 years.")
        if self.status == ConventionStatus.TERMINATED and not self.termination_reason.strip():
            errors["termination_reason"] = _("Give the reason for the termination.")
        if errors:
            raise ValidationError(errors)


class BankDetailsChange(models.Model):
    """One change of a convention's bank details: who, when, before and after (the IBAN
    masked), and the other member of staff who confirmed it. Until then the convention's
    payments wait (``bank_details_confirmed``)."""

    convention = models.ForeignKey(
        Convention,
        on_delete=models.CASCADE,
        related_name="bank_changes",
        verbose_name=_("convention"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    account_holder_before = models.CharField(_("holder before"), max_length=200, blank=True)
    account_holder_after = models.CharField(_("holder after"), max_length=200, blank=True)
    iban_before = models.CharField(_("IBAN before (masked)"), max_length=40, blank=True)
    iban_after = models.CharField(_("IBAN after (masked)"), max_length=40, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bank details change")
        verbose_name_plural = _("bank details changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.convention.reference} — {self.changed_at:%Y-%m-%d %H:%M}"


class ConventionIndicator(models.Model):
    """What the beneficiary reports on every year (number of people reached, tonnes…)."""

    convention = models.ForeignKey(
        Convention,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("convention"),
    )
    label = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    target = models.DecimalField(
        _("yearly target"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("convention indicator")
        verbose_name_plural = _("convention indicators")
        ordering = ["convention", "position", "pk"]

    def __str__(self):
        return self.label


class YearTranche(models.Model):
    """The amount of one year, funded by a line of that year's programme."""

    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("amount (€)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(CENT)],
    )

    class Meta:
        abstract = True


class Tranche(YearTranche):
    """The amount of one year of a convention, funded by a line of that year's programme."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="tranches", verbose_name=_("convention")
    )
    programme_line = models.ForeignKey(
        "programme.ProgrammeLine",
        on_delete=models.PROTECT,
        related_name="convention_tranches",
        verbose_name=_("programme line"),
    )

    history = AuditTrail(fields=["amount"])

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["convention", "year"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "year"], name="unique_tranche_year"),
        ]

    def __str__(self):
        return f"{self.convention.reference} — {self.year}"

    @property
    def needs_written_agreement(self) -> bool:
        return needs_written_agreement(self.amount)

    @property
    def line_year(self) -> int:
        return self.programme_line.programme.year


class PaymentKind(models.TextChoices):
    SINGLE = "single", _("Single payment at notification")
    ADVANCE = "advance", _("Advance at notification (80 %)")
    BALANCE = "balance", _("Balance on approval of the report")
    OTHER = "other", _("Other condition")


class PaymentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    REQUESTED = "requested", _("Requested from accounting")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_PAYMENT_STATUSES = [PaymentStatus.PLANNED, PaymentStatus.REQUESTED]


class PaymentQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if _is_staff(user):
            return self
        return self.filter(
            convention__in=Convention.objects.visible_to(user).values("pk"),
        )

    def open(self):
        return self.filter(status__in=OPEN_PAYMENT_STATUSES)

    def payable(self):
        """Open payments whose condition is met: a balance waits for its approved report."""
        return self.open().filter(
            ~Q(kind=PaymentKind.BALANCE) | Q(report__status=ReportStatus.APPROVED)
        )

    def due_within(self, days: int, today=None):
        """Payable payments due by ``today + days`` (late ones included)."""
        today = today or timezone.localdate()
        return self.payable().filter(
            due_date__lte=today + datetime.timedelta(days=days),
            convention__status__in=ACTIVE_STATUSES,
        )

    def for_list(self):
        return self.select_related("convention__beneficiary", "tranche", "report")


@condition(_("A payment can be made only on a signed or running convention."))
def convention_is_active(payment) -> bool:
    return payment.convention.status in ACTIVE_STATUSES


@condition(_("The balance cannot be paid before the report of its year is approved."))
def not_waiting_for_report(payment) -> bool:
    return not payment.is_blocked


@condition(
    _(
        "The bank details of the convention have changed: another member of staff must "
        "confirm them before any payment."
    )
)
def bank_details_confirmed(payment) -> bool:
    return not payment.convention.bank_details_to_confirm


class Payment(SharedLog, WorkflowModel, TimeStampedModel, VersionedModel):
    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="payments", verbose_name=_("convention")
    )
    tranche = models.ForeignKey(
        Tranche, on_delete=models.CASCADE, related_name="payments", verbose_name=_("tranche")
    )
    kind = models.CharField(_("condition"), max_length=20, choices=PaymentKind.choices)
    condition = models.CharField(
        _("condition details"),
        max_length=255,
        blank=True,
        help_text=_("What must happen before the payment."),
    )
    report = models.ForeignKey(
        "Report",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("report to approve first"),
    )
    due_date = models.DateField(_("due date"))
    amount = models.DecimalField(
        _("amount (€)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(CENT)],
    )
    status = StatusField(choices=PaymentStatus.choices, default=PaymentStatus.PLANNED)
    paid_date = models.DateField(_("payment date"), null=True, blank=True)
    accounting_reference = models.CharField(
        _("accounting reference"),
        max_length=60,
        blank=True,
        help_text=_("Number of the payment order (mandat)."),
    )

    objects = PaymentQuerySet.as_manager()

    history = AuditTrail(fields=["amount"])

    status_styles = {
        PaymentStatus.PLANNED: "secondary",
        PaymentStatus.REQUESTED: "warning",
        PaymentStatus.PAID: "success",
        PaymentStatus.CANCELLED: "dark",
    }

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["due_date", "id"], name="payment_staff_order")]

    def __str__(self):
        return f"{self.convention.reference} — {self.get_kind_display()} {self.tranche.year}"

    @property
    def is_blocked(self) -> bool:
        """A balance waits for the approval of its report."""
        return self.kind == PaymentKind.BALANCE and (
            self.report is None or self.report.status != ReportStatus.APPROVED
        )

    @property
    def is_late(self) -> bool:
        return (
            self.status in OPEN_PAYMENT_STATUSES
            and not self.is_blocked
            and self.due_date < timezone.localdate()
        )

    # --- workflow (fired by services.payment_transition); a paid payment never moves ---

    log_subject = LogSubject.PAYMENT
    log_links = ("payment",)

    @transition(
        field=status,
        source=PaymentStatus.PLANNED,
        target=PaymentStatus.REQUESTED,
        conditions=[convention_is_active, not_waiting_for_report, bank_details_confirmed],
        permission=as_transition_permission(can_pay),
        custom={"label": _("Request")},
    )
    def request(self, *, user=None, comment=""):
        """Ask accounting to pay."""

    @transition(
        field=status,
        source=PaymentStatus.REQUESTED,
        target=PaymentStatus.PAID,
        conditions=[convention_is_active, not_waiting_for_report, bank_details_confirmed],
        permission=as_transition_permission(can_pay),
        custom={"label": _("Record as paid"), "notify": notifications.payment_paid},
    )
    def pay(self, *, user=None, comment="", paid_date, accounting_reference):
        self.paid_date = paid_date
        self.accounting_reference = accounting_reference.strip()

    @transition(
        field=status,
        source=PaymentStatus.REQUESTED,
        target=PaymentStatus.PLANNED,
        permission=as_transition_permission(can_pay),
    )
    def withdraw(self, *, user=None, comment=""):
        """The request to accounting is withdrawn: the payment is planned again."""

    @transition(
        field=status,
        source=[PaymentStatus.PLANNED, PaymentStatus.REQUESTED],
        target=PaymentStatus.CANCELLED,
        permission=as_transition_permission(can_pay),
    )
    def cancel(self, *, user=None, comment=""):
        """The payment will not be made (its convention is closed or terminated)."""


class ReportStatus(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    SUBMITTED = "submitted", _("Submitted")
    MORE_REQUESTED = "more_requested", _("More information requested")
    APPROVED = "approved", _("Approved")


AWAITED_REPORT_STATUSES = [ReportStatus.EXPECTED, ReportStatus.MORE_REQUESTED]


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if _is_staff(user):
            return self
        return self.filter(convention__in=Convention.objects.visible_to(user).values("pk"))

    def awaited(self):
        return self.filter(
            status__in=AWAITED_REPORT_STATUSES,
            convention__status__in=[*ACTIVE_STATUSES, ConventionStatus.CLOSED],
        )

    def overdue(self, today=None):
        return self.awaited().filter(due_date__lt=today or timezone.localdate())

    def to_review(self):
        return self.filter(status=ReportStatus.SUBMITTED)

    def for_list(self):
        return self.select_related("convention__beneficiary")


@condition(_("This report cannot be submitted yet: the convention is not signed."))
def convention_is_signed(report) -> bool:
    return report.convention.status in [*ACTIVE_STATUSES, ConventionStatus.CLOSED]


class Report(SharedLog, WorkflowModel, models.Model):
    """The activity and financial report of one year of a convention."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="reports", verbose_name=_("convention")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    due_date = models.DateField(_("due date"))
    status = StatusField(choices=ReportStatus.choices, default=ReportStatus.EXPECTED)
    activity_report = models.TextField(_("activity report"), blank=True)
    financial_report = models.TextField(
        _("financial report"),
        blank=True,
        help_text=_("How the grant was used: expenses, co-financing, differences from the budget."),
    )
    expenses = models.DecimalField(
        _("expenses of the year (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    history = AuditTrail(fields=["expenses"])

    status_styles = {
        ReportStatus.EXPECTED: "secondary",
        ReportStatus.SUBMITTED: "primary",
        ReportStatus.MORE_REQUESTED: "warning",
        ReportStatus.APPROVED: "success",
    }

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["convention", "year"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "year"], name="unique_report_year"),
        ]

    def __str__(self):
        return f"{self.convention.reference} — {self.year}"

    @property
    def is_overdue(self) -> bool:
        return self.status in AWAITED_REPORT_STATUSES and self.due_date < timezone.localdate()

    @property
    def can_be_submitted(self) -> bool:
        return self.status in AWAITED_REPORT_STATUSES and convention_is_signed(self)

    # --- workflow (fired by services.report_submit and report_review) ---

    log_subject = LogSubject.REPORT
    log_links = ("report",)

    @transition(
        field=status,
        source=AWAITED_REPORT_STATUSES,
        target=ReportStatus.SUBMITTED,
        conditions=[convention_is_signed],
        permission=as_transition_permission(can_submit_report),
        custom={"label": _("Submit"), "notify": notifications.report_submitted},
    )
    def submit(self, *, user=None, comment="", activity_report, financial_report, expenses):
        self.activity_report = activity_report
        self.financial_report = financial_report
        self.expenses = expenses
        self.submitted_at = timezone.now()
        self.submitted_by = user

    @transition(
        field=status,
        source=ReportStatus.SUBMITTED,
        target=ReportStatus.APPROVED,
        permission=as_transition_permission(can_review_report),
        custom={"label": _("Approve the report"), "notify": notifications.report_reviewed},
    )
    def approve(self, *, user=None, comment=""):
        self.reviewed_at = timezone.now()

    @transition(
        field=status,
        source=ReportStatus.SUBMITTED,
        target=ReportStatus.MORE_REQUESTED,
        permission=as_transition_permission(can_review_report),
        custom={"label": _("Ask for more"), "notify": notifications.report_reviewed},
    )
    def request_more(self, *, user=None, comment=""):
        if not comment.strip():
            raise ValidationError(gettext("Say what is missing from the report."))
        self.reviewed_at = timezone.now()


class ReportAttachment(PrivateFile):
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("report")
    )

    class Meta:
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")
        ordering = ["uploaded_at", "pk"]

    def get_absolute_url(self):
        return reverse("projects:report_attachment", args=[self.pk])

    def upload_path(self, filename: str) -> str:
        return f"conventions/{self.report.convention_id}/reports/{self.report_id}/{filename}"


class IndicatorValue(models.Model):
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="indicator_values", verbose_name=_("report")
    )
    indicator = models.ForeignKey(
        ConventionIndicator,
        on_delete=models.CASCADE,
        related_name="values",
        verbose_name=_("indicator"),
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="unique_indicator_value"),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value}"


class ConventionLog(TransitionLog):
    """Every state change of a convention, its payments and reports: who, when, from, to, why."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="log", verbose_name=_("convention")
    )
    subject = models.CharField(_("subject"), max_length=20, choices=LogSubject.choices)
    payment = models.ForeignKey(
        Payment, on_delete=models.SET_NULL, null=True, blank=True, related_name="log"
    )
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="log"
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("convention log entry")
        verbose_name_plural = _("convention log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.convention.reference}: {self.from_status} → {self.to_status}"

    def status_labels(self) -> dict:
        return {}

    def _label(self, value):
        choices = {
            LogSubject.CONVENTION: ConventionStatus,
            LogSubject.PAYMENT: PaymentStatus,
            LogSubject.REPORT: ReportStatus,
            LogSubject.AMENDMENT: AmendmentStatus,
        }[self.subject]
        try:
            return choices(value).label
        except ValueError:
            return value or "—"

    @property
    def from_label(self):
        return self._label(self.from_status)

    @property
    def to_label(self):
        return self._label(self.to_status)


class AmendmentStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("amendment status", "Draft")
    SIGNED = "signed", pgettext_lazy("amendment status", "Signed")


class ConventionAmendmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see every amendment; a beneficiary's members see the signed ones."""
        if not user.is_authenticated:
            return self.none()
        if _is_staff(user):
            return self
        return self.filter(
            status=AmendmentStatus.SIGNED,
            convention__in=Convention.objects.visible_to(user).values("pk"),
        )

    def signed(self):
        return self.filter(status=AmendmentStatus.SIGNED)


class ConventionAmendment(SharedLog, WorkflowModel, TimeStampedModel):
    """An amendment (avenant) to a signed convention: new last year, yearly tranches, objectives.

    While a draft it only describes the change; signing it (``amendment_sign``) applies it to
    the convention and keeps what the convention said before in ``previous_terms``.
    """

    convention = models.ForeignKey(
        Convention,
        on_delete=models.CASCADE,
        related_name="amendments",
        verbose_name=_("convention"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    reason = models.TextField(
        _("purpose of the amendment"),
        help_text=_("Why the convention changes: extension, new action, lower activity…"),
    )
    end_year = models.PositiveSmallIntegerField(_("new last year"))
    objectives = models.TextField(
        _("new objectives"),
        blank=True,
        help_text=_("Leave empty to keep the objectives of the convention."),
    )
    status = StatusField(choices=AmendmentStatus.choices, default=AmendmentStatus.DRAFT)
    signature_date = models.DateField(_("signature date"), null=True, blank=True)
    previous_terms = models.JSONField(
        _("terms before the amendment"),
        default=dict,
        blank=True,
        help_text=_("Last year, amount granted and yearly amounts before signature."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded as signed by"),
    )

    objects = ConventionAmendmentQuerySet.as_manager()

    status_styles = {AmendmentStatus.DRAFT: "secondary", AmendmentStatus.SIGNED: "success"}

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"], name="unique_amendment_number"
            ),
        ]

    def __str__(self):
        return _("Amendment no. %(number)s to %(reference)s") % {
            "number": self.number,
            "reference": self.convention.reference,
        }

    def get_absolute_url(self):
        return reverse("projects:amendment_detail", args=[self.pk])

    @property
    def label(self) -> str:
        return _("Amendment no. %(number)s") % {"number": self.number}

    @property
    def is_draft(self) -> bool:
        return self.status == AmendmentStatus.DRAFT

    @property
    def amount_granted(self) -> Decimal:
        return sum((tranche.amount for tranche in self.tranches.all()), ZERO)

    def get_space_pdf_url(self):
        return reverse("projects:space_amendment_pdf", args=[self.pk])

    # --- workflow (fired by services.amendment_sign, once the convention is amended) ---

    log_subject = LogSubject.AMENDMENT

    @transition(
        field=status,
        source=AmendmentStatus.DRAFT,
        target=AmendmentStatus.SIGNED,
        permission=as_transition_permission(can_sign),
        custom={"label": _("Record the signature"), "notify": notifications.amendment_signed},
    )
    def sign(self, *, user=None, comment="", signature_date):
        self.signature_date = signature_date
        self.signed_by = user


class AmendmentTranche(YearTranche):
    """One year of the convention as the amendment sets it (every year is listed)."""

    amendment = models.ForeignKey(
        ConventionAmendment,
        on_delete=models.CASCADE,
        related_name="tranches",
        verbose_name=_("amendment"),
    )
    programme_line = models.ForeignKey(
        "programme.ProgrammeLine",
        on_delete=models.PROTECT,
        related_name="amendment_tranches",
        verbose_name=_("programme line"),
    )

    history = AuditTrail(fields=["amount"])

    class Meta:
        verbose_name = _("amendment tranche")
        verbose_name_plural = _("amendment tranches")
        ordering = ["amendment", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["amendment", "year"], name="unique_amendment_tranche_year"
            ),
        ]

    def __str__(self):
        return f"{self.amendment} — {self.year}"

    @property
    def line_year(self) -> int:
        return self.programme_line.programme.year


CONVENTION_STATUSES_FOR_FILTER = ConventionStatus.choices
