"""Calls for projects and applications (orientation 4: the annual social-innovation call)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ess_metro.accounts import roles
from ess_metro.audit import AuditTrail
from ess_metro.concurrency import VersionedModel
from ess_metro.directory.models import LEGAL_FORM_FAMILY, EssFamily
from ess_metro.models import PrivateFile, TimeStampedModel, TransitionLog, private_storage
from ess_metro.money import money_field, round_percent
from ess_metro.permissions import as_transition_permission
from ess_metro.workflow import StatusField, WorkflowModel, condition, transition

from . import notifications, rules
from . import permissions as perms

__all__ = [
    "MAX_SCORE",
    "Application",
    "ApplicationMessage",
    "ApplicationStatus",
    "ApplicationTransition",
    "Attachment",
    "BudgetKind",
    "BudgetLine",
    "Call",
    "CallStatus",
    "CallTransition",
    "CommitteeOpinion",
    "CriterionScore",
    "EconomicDiagnosis",
    "Partnership",
    "PartnershipStatus",
    "PartnershipTransition",
    "Recommendation",
    "ReferenceSequence",
    "RequiredDocument",
    "SelectionCriterion",
]

MAX_SCORE = 5


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class CallQuerySet(models.QuerySet):
    def published(self):
        """Calls the public can see (published, or closed after publication)."""
        return self.filter(status__in=[CallStatus.PUBLISHED, CallStatus.CLOSED])

    def open_now(self, now=None):
        now = now or timezone.now()
        return self.filter(
            status=CallStatus.PUBLISHED, opens_at__lte=now, closes_at__gt=now
        ).order_by("closes_at")

    def upcoming(self, now=None):
        now = now or timezone.now()
        return self.filter(status=CallStatus.PUBLISHED, opens_at__gt=now).order_by("opens_at")

    def closed(self, now=None):
        now = now or timezone.now()
        return (
            self.published()
            .filter(Q(status=CallStatus.CLOSED) | Q(closes_at__lte=now))
            .order_by("-closes_at")
        )

    def visible_to(self, user):
        if user.is_authenticated and roles.has_role(user, roles.STAFF):
            return self
        return self.published()


@condition(_("A call cannot be published with a closing date in the past."))
def _closes_in_the_future(call) -> bool:
    return call.closes_at > timezone.now()


@condition(_("A call cannot be published with an aid cap above its envelope."))
def _cap_within_envelope(call) -> bool:
    return rules.cap_within_envelope(call.aid_cap, call.envelope)


@condition(_("List at least one required document before publishing."))
def _has_documents(call) -> bool:
    return call.required_documents.exists()


@condition(_("Define at least one selection criterion before publishing."))
def _has_criteria(call) -> bool:
    return call.criteria.exists()


class Call(WorkflowModel, TimeStampedModel, VersionedModel):
    """A call for projects: its rules, dates, cap and envelope."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        help_text=_("Used in the call's web address, for example appel-innovation-sociale-2026."),
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("Two or three sentences."))
    text = models.TextField(_("text of the call"), help_text=_("Aims, who may apply, how."))
    opens_at = models.DateTimeField(_("opening date and time"))
    closes_at = models.DateTimeField(
        _("closing date and time"), help_text=_("Europe/Paris time, for example 17:00.")
    )
    aid_cap = money_field(_("aid cap (€)"), help_text=_("Maximum aid for one project."))
    max_share = models.DecimalField(
        _("maximum share of the project budget (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("100"))],
        default=Decimal("50"),
    )
    envelope = money_field(_("envelope (€)"), help_text=_("Total budget of the call."))
    programme_line = models.ForeignKey(
        "programme.ProgrammeLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("programme line"),
    )
    accepted_families = models.JSONField(_("accepted ESS legal families"), default=list, blank=True)
    min_communes = models.PositiveSmallIntegerField(
        _("minimum number of communes reached"),
        default=2,
        help_text=_("A project reaching the whole agglomeration always meets this rule."),
    )
    status = StatusField(max_length=10, choices=CallStatus.choices, default=CallStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = CallQuerySet.as_manager()

    history = AuditTrail(fields=["aid_cap", "max_share", "envelope"])

    status_styles = {CallStatus.PUBLISHED: "success", CallStatus.CLOSED: "dark"}
    log_model = "projects.CallTransition"

    class Meta:
        verbose_name = _("call for projects")
        verbose_name_plural = _("calls for projects")
        ordering = ["-year", "-opens_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:call_detail", args=[self.slug])

    def get_staff_url(self):
        return reverse("projects:staff_call_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if not rules.closes_after_opens(self.opens_at, self.closes_at):
            errors["closes_at"] = [_("The closing date must come after the opening date.")]
        if not rules.cap_within_envelope(self.aid_cap, self.envelope):
            errors["aid_cap"] = [_("The aid cap cannot be above the envelope of the call.")]
        unknown = set(self.accepted_families or []) - set(EssFamily.values)
        if unknown:
            errors["accepted_families"] = [_("Unknown legal family.")]
        if errors:
            raise ValidationError(errors)

    def publication_errors(self, now=None) -> list[str]:
        """What prevents publication, in French."""
        now = now or timezone.now()
        checks = [
            (self.closes_at > now, _closes_in_the_future.message),
            (_cap_within_envelope(self), _cap_within_envelope.message),
            (_has_documents(self), _has_documents.message),
            (_has_criteria(self), _has_criteria.message),
        ]
        return [message for met, message in checks if not met]

    @transition(
        field=status,
        source=CallStatus.DRAFT,
        target=CallStatus.PUBLISHED,
        conditions=[_closes_in_the_future, _cap_within_envelope, _has_documents, _has_criteria],
        permission=as_transition_permission(perms.can_manage_calls),
        custom={"label": _("Publish")},
    )
    def publish(self, *, user=None, comment="", now=None):
        self.published_at = now or timezone.now()
        self.closed_at = None

    @transition(
        field=status,
        source=CallStatus.PUBLISHED,
        target=CallStatus.CLOSED,
        permission=as_transition_permission(perms.can_manage_calls),
        custom={"label": _("Close the call"), "style": "outline-danger"},
    )
    def close(self, *, user=None, comment="", now=None):
        self.closed_at = now or timezone.now()

    @property
    def is_published(self):
        return self.status != CallStatus.DRAFT

    @property
    def accepts_files(self) -> bool:
        """Published, or closed by hand at a known moment (files that arrived before it count)."""
        if self.status == CallStatus.CLOSED:
            return self.closed_at is not None
        return self.status == CallStatus.PUBLISHED

    @property
    def stopped_at(self) -> datetime.datetime:
        """When files stopped (or stop) being accepted: the closing date, or the moment staff
        closed the call by hand when that came first."""
        if self.status == CallStatus.CLOSED and self.closed_at and self.closed_at < self.closes_at:
            return self.closed_at
        return self.closes_at

    def is_open(self, now=None) -> bool:
        """Whether a file could be submitted at ``now`` (a request's arrival, by default the
        present): a call closed by hand while a request was on its way still takes it."""
        return rules.is_open(
            published=self.accepts_files,
            opens_at=self.opens_at,
            closes_at=self.stopped_at,
            now=now or timezone.now(),
        )

    def phase(self, now=None) -> str:
        now = now or timezone.now()
        if self.status == CallStatus.DRAFT:
            return "draft"
        if self.status == CallStatus.CLOSED or self.closes_at <= now:
            return "closed"
        if self.opens_at > now:
            return "upcoming"
        return "open"

    def get_phase_display(self):
        return {
            "draft": _("Draft"),
            "upcoming": _("Upcoming"),
            "open": _("Open"),
            "closed": _("Closed"),
        }[self.phase()]

    def accepted_family_labels(self):
        return [EssFamily(value).label for value in self.accepted_families or []]

    def accepts_legal_form(self, legal_form) -> bool:
        if not self.accepted_families:
            return legal_form in LEGAL_FORM_FAMILY
        family = LEGAL_FORM_FAMILY.get(legal_form)
        return family is not None and family.value in self.accepted_families


class SelectionCriterion(models.Model):
    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("call")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("criterion"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("selection criterion")
        verbose_name_plural = _("selection criteria")
        ordering = ["call", "position", "pk"]

    def __str__(self):
        return self.title


class RequiredDocument(models.Model):
    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="required_documents", verbose_name=_("call")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("document"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    mandatory = models.BooleanField(_("mandatory"), default=True)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["call", "position", "pk"]

    def __str__(self):
        return self.title


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    DOCUMENTS_REQUESTED = "documents_requested", _("Documents requested")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
    DIAGNOSED = "diagnosed", _("Diagnosed")
    COMMITTEE_OPINION = "committee_opinion", _("Committee opinion given")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = ApplicationStatus
EDITABLE_STATUSES = {S.DRAFT, S.DOCUMENTS_REQUESTED}
FINAL_STATUSES = {S.INELIGIBLE, S.GRANTED, S.REFUSED, S.WITHDRAWN}
OPEN_STATUSES = [status for status in S if status not in FINAL_STATUSES]
DIAGNOSIS_STATUSES = {S.ELIGIBLE, S.DIAGNOSED, S.COMMITTEE_OPINION}
DECISION_FIELDS = (
    "decision_conditions",
    "decision_reasons",
    "decision_date",
    "deliberation_reference",
    "deliberation_date",
)


class CommitteeOpinion(models.TextChoices):
    FAVOURABLE = "favourable", _("Favourable")
    RESERVED = "reserved", _("Favourable with reservations")
    UNFAVOURABLE = "unfavourable", _("Unfavourable")


@condition(
    _(
        "Complete the diagnosis first: a score for every criterion, a recommendation and a "
        "proposed amount."
    )
)
def diagnosis_is_complete(application) -> bool:
    diagnosis = getattr(application, "diagnosis", None)
    if diagnosis is None or not diagnosis.is_complete:
        return False
    scored = set(diagnosis.scores.values_list("criterion_id", flat=True))
    return all(criterion.pk in scored for criterion in application.call.criteria.all())


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see every file; an applicant only those of its organisations."""
        if not user.is_authenticated:
            return self.none()
        if roles.has_role(user, roles.STAFF):
            return self
        return self.filter(organisation__memberships__user=user).distinct()

    def editable_by(self, user):
        """Files the user may change as an applicant (member of the organisation)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation__memberships__user=user, status__in=EDITABLE_STATUSES)

    def granted(self):
        return self.filter(status=ApplicationStatus.GRANTED)

    def submitted(self):
        """Files that reached the services (everything but drafts)."""
        return self.exclude(status=ApplicationStatus.DRAFT)

    def for_list(self):
        return self.select_related("call", "organisation", "organisation__commune")


class Application(WorkflowModel, TimeStampedModel, VersionedModel):
    """An organisation's answer to a call, from draft to decision."""

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call")
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("lead organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="applications_created",
        verbose_name=_("created by"),
    )
    reference = models.CharField(
        _("reference"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    status = StatusField(choices=ApplicationStatus.choices, default=S.DRAFT)
    # Section: project
    title = models.CharField(_("project title"), max_length=255)
    summary = models.TextField(_("summary of the project"), blank=True)
    # Section: social need and innovation
    social_need = models.TextField(_("social need addressed"), blank=True)
    innovation = models.TextField(_("what is innovative"), blank=True)
    expected_results = models.TextField(_("expected results and indicators"), blank=True)
    # Section: partners
    partners = models.TextField(
        _("other partners"),
        blank=True,
        help_text=_(
            "Partners not registered on the portal (a school, a company…): one per line, "
            "with its role."
        ),
    )
    partner_organisations = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        through="Partnership",
        related_name="partner_applications",
        verbose_name=_("partner organisations"),
        help_text=_("Partners registered on the portal."),
    )
    # Section: communes reached
    communes = models.ManyToManyField(
        "directory.Commune", blank=True, related_name="applications", verbose_name=_("communes")
    )
    whole_agglomeration = models.BooleanField(_("the whole agglomeration"), default=False)
    # Section: calendar
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    schedule = models.TextField(
        _("main steps"), blank=True, help_text=_("One step per line, with its date.")
    )
    # Section: amount
    requested_amount = money_field(_("amount requested from the Métro (€)"), null=True, blank=True)
    # Section: contact
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    # Lifecycle
    last_saved_at = models.DateTimeField(_("last saved at"), default=timezone.now)
    # "<version>:<digest>" of the edit-page POST whose every field the save at <version>
    # stored (forms.draft_fingerprint): a "submit" carrying the same data at the same version
    # has nothing to save (views/space.py). Empty when the last save left fields in error.
    draft_fingerprint = models.CharField(
        _("fingerprint of the saved draft"), max_length=80, blank=True, editable=False
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    receipt = models.FileField(
        _("receipt"),
        upload_to="projects/receipts/",
        storage=private_storage,
        blank=True,
    )
    # Committee opinion (recorded by staff)
    committee_opinion = models.CharField(
        _("committee opinion"), max_length=15, choices=CommitteeOpinion.choices, blank=True
    )
    committee_opinion_date = models.DateField(_("date of the opinion"), null=True, blank=True)
    committee_opinion_text = models.TextField(_("opinion"), blank=True)
    # Decision
    granted_amount = money_field(_("granted amount (€)"), null=True, blank=True)
    decision_conditions = models.TextField(_("conditions"), blank=True)
    decision_reasons = models.TextField(_("reasons"), blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    deliberation_reference = models.CharField(
        _("council deliberation reference"), max_length=100, blank=True
    )
    deliberation_date = models.DateField(_("council deliberation date"), null=True, blank=True)
    convention = models.OneToOneField(
        "projects.Convention",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("convention"),
    )

    objects = ApplicationQuerySet.as_manager()

    history = AuditTrail(fields=["requested_amount", "granted_amount"])

    log_model = "projects.ApplicationTransition"
    status_styles = {
        S.DRAFT: "secondary",
        S.SUBMITTED: "primary",
        S.DOCUMENTS_REQUESTED: "warning",
        S.ELIGIBLE: "info",
        S.INELIGIBLE: "dark",
        S.DIAGNOSED: "info",
        S.COMMITTEE_OPINION: "info",
        S.GRANTED: "success",
        S.REFUSED: "danger",
        S.WITHDRAWN: "secondary",
    }

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["-submitted_at", "-created_at", "status", "id"],
                name="application_staff_order",
            )
        ]

    def __str__(self):
        return f"{self.reference or _('Draft')} — {self.title}"

    def get_absolute_url(self):
        return reverse("projects:application_detail", args=[self.pk])

    def get_staff_url(self):
        return reverse("projects:staff_application_detail", args=[self.pk])

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES

    @property
    def is_final(self):
        return self.status in FINAL_STATUSES

    @property
    def is_under_diagnosis(self):
        return self.status in DIAGNOSIS_STATUSES

    # --- Workflow ---------------------------------------------------------------------------

    @transition(
        field=status,
        source=[S.DRAFT, S.DOCUMENTS_REQUESTED],
        target=S.SUBMITTED,
        permission=as_transition_permission(perms.can_submit_application),
        custom={"writes": ["submitted_at"]},
    )
    def submit(self, *, user=None, comment="", now):
        """``now`` is when the request arrived. The reference (given once, at the first
        submission), the receipt and the e-mail are the service's and its task's
        (``services.application_submit``, ``tasks.application_receipt``)."""
        self.submitted_at = now

    @transition(
        field=status,
        source=[S.SUBMITTED, S.ELIGIBLE],
        target=S.DOCUMENTS_REQUESTED,
        permission=as_transition_permission(perms.can_instruct),
        custom={
            "label": _("Request documents or corrections"),
            "notify": notifications.documents_requested,
        },
    )
    def request_documents(self, *, user=None, comment=""):
        pass

    @transition(
        field=status,
        source=S.SUBMITTED,
        target=S.ELIGIBLE,
        permission=as_transition_permission(perms.can_instruct),
        custom={"label": _("Eligible")},
    )
    def set_eligible(self, *, user=None, comment=""):
        pass

    @transition(
        field=status,
        source=S.SUBMITTED,
        target=S.INELIGIBLE,
        permission=as_transition_permission(perms.can_instruct),
        custom={"label": _("Ineligible"), "notify": notifications.application_ineligible},
    )
    def set_ineligible(self, *, user=None, comment=""):
        pass

    @transition(
        field=status,
        source=S.ELIGIBLE,
        target=S.DIAGNOSED,
        conditions=[diagnosis_is_complete],
        permission=as_transition_permission(perms.can_instruct),
        custom={"label": _("Economic diagnosis")},
    )
    def complete_diagnosis(self, *, user=None, comment=""):
        pass

    @transition(
        field=status,
        source=S.DIAGNOSED,
        target=S.COMMITTEE_OPINION,
        permission=as_transition_permission(perms.can_instruct),
        custom={"label": _("Record the committee opinion")},
    )
    def record_opinion(self, *, user=None, comment="", opinion: str, date):
        self.committee_opinion = opinion
        self.committee_opinion_date = date
        self.committee_opinion_text = comment

    @transition(
        field=status,
        source=S.COMMITTEE_OPINION,
        target=S.GRANTED,
        permission=as_transition_permission(perms.can_instruct),
        custom={"label": _("Record the decision"), "notify": notifications.application_decided},
    )
    def grant(self, *, user=None, comment="", granted_amount, **decision):
        self._record_decision(decision)
        self.granted_amount = granted_amount

    @transition(
        field=status,
        source=S.COMMITTEE_OPINION,
        target=S.REFUSED,
        permission=as_transition_permission(perms.can_instruct),
        custom={"label": _("Record the decision"), "notify": notifications.application_decided},
    )
    def refuse(self, *, user=None, comment="", **decision):
        self._record_decision(decision)
        self.granted_amount = None

    def _record_decision(self, decision: dict) -> None:
        for name in DECISION_FIELDS:
            setattr(self, name, decision.get(name) or ("" if "date" not in name else None))

    @transition(
        field=status,
        source=OPEN_STATUSES,
        target=S.WITHDRAWN,
        permission=as_transition_permission(perms.can_withdraw_application),
        custom={"label": _("Withdraw the file"), "style": "outline-danger"},
    )
    def withdraw(self, *, user=None, comment=""):
        pass

    def expected_of_applicant(self):
        """What the applicant has to do now, in a sentence."""
        if self.status == S.DRAFT:
            if self.call.is_open():
                return _("Complete your file and submit it before the call closes.")
            return _("The call is closed: this draft can no longer be submitted.")
        if self.status == S.DOCUMENTS_REQUESTED:
            return _("The services asked for documents or corrections: update and resubmit.")
        if self.status == S.GRANTED:
            return _("Aid granted: the services will contact you about the agreement.")
        if self.status in FINAL_STATUSES:
            return _("Nothing: this file is closed.")
        return _("Nothing for now: the services are reviewing your file.")

    # Budget figures (computed from the lines, prefetched or not)
    def _lines(self, kind):
        return [line for line in self.budget_lines.all() if line.kind == kind]

    @property
    def expense_lines(self):
        return self._lines(BudgetKind.EXPENSE)

    @property
    def income_lines(self):
        return self._lines(BudgetKind.INCOME)

    def rule_lines(self) -> list[rules.Line]:
        return [
            rules.Line(kind=line.kind, label=line.label, amount=line.amount)
            for line in self.budget_lines.all()
        ]

    @property
    def total_expenses(self):
        return rules.total(self.rule_lines(), rules.EXPENSE)

    @property
    def total_cofinancing(self):
        return rules.total(self.rule_lines(), rules.INCOME)

    @property
    def total_income(self):
        return rules.total_income(self.rule_lines(), self.requested_amount)

    @property
    def requested_share(self):
        """Share of the project budget requested from the Métro, in percent."""
        return rules.requested_share(self.requested_amount, self.total_expenses)

    def clean(self):
        if not rules.end_after_start(self.start_date, self.end_date):
            raise ValidationError({"end_date": _("The end date must come after the start date.")})


class PartnershipStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the partner's answer")
    ACCEPTED = "accepted", _("Accepted by the partner")
    DECLINED = "declined", _("Declined by the partner")


class PartnershipQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(status=PartnershipStatus.ACCEPTED)

    def to_answer_by(self, user):
        """Requests addressed to the organisations this person administers."""
        return self.filter(
            organisation__memberships__user=user,
            organisation__memberships__role="admin",
        )


class Partnership(WorkflowModel):
    """A registered organisation named as a partner of a file: it counts once it accepts.

    Naming a partner is a request to that organisation's administrators. Until they accept,
    the partner is shown as pending and does not count for conflicts of interest in the
    committee: an applicant cannot silence a seat by naming its holder without its consent.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="partnerships"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="partnerships"
    )
    status = StatusField(
        max_length=10, choices=PartnershipStatus.choices, default=PartnershipStatus.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        db_table = "projects_application_partner_organisations"
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        unique_together = [("application", "organisation")]

    def __str__(self):
        return f"{self.organisation} — {self.application}"

    log_model = "projects.PartnershipTransition"
    status_styles = {PartnershipStatus.ACCEPTED: "success", PartnershipStatus.DECLINED: "danger"}

    @transition(
        field=status,
        source=PartnershipStatus.PENDING,
        target=PartnershipStatus.ACCEPTED,
        permission=as_transition_permission(perms.administers_the_partner),
        custom={"label": _("Accept"), "notify": notifications.partnership_answered},
    )
    def accept(self, *, user=None, comment=""):
        self.answered_by, self.answered_at = user, timezone.now()

    @transition(
        field=status,
        source=PartnershipStatus.PENDING,
        target=PartnershipStatus.DECLINED,
        permission=as_transition_permission(perms.administers_the_partner),
        custom={"label": _("Decline"), "notify": notifications.partnership_answered},
    )
    def decline(self, *, user=None, comment=""):
        self.answered_by, self.answered_at = user, timezone.now()


class BudgetKind(models.TextChoices):
    EXPENSE = "expense", _("Expense")
    INCOME = "income", _("Co-financing")


class BudgetLine(models.Model):
    """One line of the project budget: an expense or a co-financing (other than the Métro)."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="budget_lines",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=BudgetKind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("label"), max_length=255)
    amount = money_field(_("amount (€)"), null=True, blank=True)
    secured = models.BooleanField(_("secured"), default=False)

    history = AuditTrail(fields=["amount"])

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["application", "kind", "position", "pk"]

    def __str__(self):
        return self.label


class Attachment(PrivateFile):
    """A document sent with an application, kept in the private storage."""

    upload_prefix = "projects/attachments"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    required_document = models.ForeignKey(
        RequiredDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("document"),
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["required_document__position", "uploaded_at", "pk"]

    def get_absolute_url(self):
        return reverse("projects:attachment_download", args=[self.application_id, self.pk])


class CallTransition(TransitionLog):
    """The log of a call's publication and closing: who, when, why."""

    subject_field = "call"

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("call")
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("call transition")
        verbose_name_plural = _("call transitions")


class PartnershipTransition(TransitionLog):
    """The log of a partner's answer: who accepted or declined, and when."""

    subject_field = "partnership"

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("partnership"),
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("partnership transition")
        verbose_name_plural = _("partnership transitions")


class ApplicationTransition(TransitionLog):
    """The log of every change of state of a file: who, when, from, to, why."""

    subject_field = "application"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=ApplicationStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ApplicationStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")


class ApplicationMessage(models.Model):
    """A message between the services and the applicant, kept on the file."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_staff = models.BooleanField(_("from the services"), default=False)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:50]


class Recommendation(models.TextChoices):
    FAVOURABLE = "favourable", _("Favourable")
    RESERVED = "reserved", _("Favourable with reservations")
    UNFAVOURABLE = "unfavourable", _("Unfavourable")


class EconomicDiagnosis(models.Model):
    """The services' analysis of a file: scores per criterion, finances, risks, advice."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="diagnosis"
    )
    financial_analysis = models.TextField(_("financial analysis"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=15, choices=Recommendation.choices, blank=True
    )
    proposed_amount = money_field(_("proposed amount (€)"), null=True, blank=True)
    private_notes = models.TextField(
        _("private notes"), blank=True, help_text=_("Never shown to the applicant.")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = AuditTrail(fields=["proposed_amount"])

    class Meta:
        verbose_name = _("economic diagnosis")
        verbose_name_plural = _("economic diagnoses")

    def __str__(self):
        return str(self.application)

    def weighted_total(self, criteria=None, scores=None):
        """Weighted score out of 100: Σ(score × weight) / Σ(MAX_SCORE × weight) × 100."""
        criteria = list(criteria if criteria is not None else self.application.call.criteria.all())
        scores = (
            scores if scores is not None else {s.criterion_id: s.score for s in self.scores.all()}
        )
        total_weight = sum(criterion.weight for criterion in criteria)
        if not total_weight:
            return None
        points = sum(criterion.weight * scores.get(criterion.pk, 0) for criterion in criteria)
        return round_percent(Decimal(points * 100) / Decimal(MAX_SCORE * total_weight), 1)

    @property
    def is_complete(self):
        return bool(self.recommendation) and self.proposed_amount is not None


class CriterionScore(models.Model):
    diagnosis = models.ForeignKey(
        EconomicDiagnosis, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        SelectionCriterion, on_delete=models.CASCADE, related_name="scores"
    )
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(MAX_SCORE)])
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(fields=["diagnosis", "criterion"], name="unique_score"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class ReferenceSequence(models.Model):
    """The last number given to a file of a year (AAP-<year>-<nnnn>), locked when incremented."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference sequence")
        verbose_name_plural = _("reference sequences")

    def __str__(self):
        return f"{self.year}: {self.last_number}"
