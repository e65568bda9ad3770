from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ess_metro.accounts import roles
from ess_metro.audit import AuditTrail
from ess_metro.concurrency import VersionedModel
from ess_metro.models import TimeStampedModel, TransitionLog, private_storage
from ess_metro.money import ZERO
from ess_metro.workflow import StatusField, WorkflowModel, condition, transition

from . import rules
from .permissions import may_move_programme


class PlanQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True).order_by("-period_start").first()


class Plan(models.Model):
    """The ESS development plan set by the framework deliberation of the council."""

    title = models.CharField(_("title"), max_length=255)
    short_title = models.CharField(_("short title"), max_length=120)
    summary = models.TextField(_("summary"))
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    deliberation_date = models.DateField(_("date of the framework deliberation"))
    deliberation_reference = models.CharField(_("deliberation reference"), max_length=255)
    committee_missions = models.TextField(
        _("missions of the steering committee"), help_text=_("One mission per line.")
    )
    is_current = models.BooleanField(_("current plan"), default=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-period_start"]

    def __str__(self):
        return self.short_title

    def get_absolute_url(self):
        return reverse("programme:plan")

    def mission_list(self):
        return [line.strip() for line in self.committee_missions.splitlines() if line.strip()]


class Orientation(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="orientations", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=80)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_orientation_number"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("programme:plan") + f"#orientation-{self.number}"


class Axis(models.Model):
    """A line of action of an orientation, as listed in the deck."""

    orientation = models.ForeignKey(
        Orientation, on_delete=models.CASCADE, related_name="axes", verbose_name=_("orientation")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    code = models.SlugField(
        _("code"),
        max_length=40,
        help_text=_("Stable identifier used by the portal to link records to this axis."),
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    examples = models.TextField(_("examples"), blank=True)

    class Meta:
        verbose_name = _("axis")
        verbose_name_plural = _("axes")
        ordering = ["orientation__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["orientation", "number"], name="unique_axis_number"),
            models.UniqueConstraint(fields=["orientation", "code"], name="unique_axis_code"),
        ]

    def __str__(self):
        return f"{self.orientation.number}.{self.number} {self.title}"

    @property
    def full_number(self):
        return f"{self.orientation.number}.{self.number}"


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the committee")
    COMMITTEE_OPINION = "committee_opinion", _("Committee opinion recorded")
    ADOPTED = "adopted", _("Adopted by the council")
    PUBLISHED = "published", _("Published")
    EVALUATED = "evaluated", _("Evaluated")


# Who sees a programme in each state: the public once published, committee members
# from the moment it is submitted to them, staff always.
PUBLIC_STATUSES = frozenset({ProgrammeStatus.PUBLISHED, ProgrammeStatus.EVALUATED})
COMMITTEE_STATUSES = PUBLIC_STATUSES | {
    ProgrammeStatus.SUBMITTED,
    ProgrammeStatus.COMMITTEE_OPINION,
    ProgrammeStatus.ADOPTED,
}
# Adopted by the council: the content is frozen, changes need a new version.
FROZEN_STATUSES = frozenset(
    {ProgrammeStatus.ADOPTED, ProgrammeStatus.PUBLISHED, ProgrammeStatus.EVALUATED}
)
# Not adopted yet: documents are marked as drafts on every page.
DRAFT_STATUSES = frozenset(
    {ProgrammeStatus.DRAFT, ProgrammeStatus.SUBMITTED, ProgrammeStatus.COMMITTEE_OPINION}
)


class AnnualProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see every version; committee members from submission; others once published."""
        if user.is_authenticated and roles.has_role(user, roles.STAFF):
            return self
        if user.is_authenticated and roles.has_role(user, roles.COMMITTEE):
            return self.filter(status__in=COMMITTEE_STATUSES)
        return self.filter(status__in=PUBLIC_STATUSES)

    def public(self):
        return self.filter(status__in=PUBLIC_STATUSES)

    def in_force_ids(self) -> list[int]:
        """The version in force of each year: the latest adopted (or published, evaluated)
        version, else the latest version while none is adopted yet."""
        chosen: dict[int, tuple[bool, int, int]] = {}
        for pk, year, version, status in self.values_list("pk", "year", "version", "status"):
            key = (status in FROZEN_STATUSES, version, pk)
            if year not in chosen or key > chosen[year]:
                chosen[year] = key
        return [pk for _frozen, _version, pk in chosen.values()]

    def version_for(self, year, version=None):
        """The given version of the year, or the one to show by default.

        By default: the latest published version, else the latest version in this queryset.
        """
        versions = self.filter(year=year)
        if version is not None:
            return versions.filter(version=version).first()
        return (
            versions.filter(status__in=PUBLIC_STATUSES).order_by("-version").first()
            or versions.order_by("-version").first()
        )


DELIBERATION_NEEDED = _(
    "An adopted programme needs the reference and date of the council deliberation."
)


@condition(_("A programme without any line cannot be submitted."))
def has_lines(programme) -> bool:
    return programme.lines.exists()


@condition(
    _(
        "Write the conclusions of the evaluation before marking the programme as evaluated: "
        "they can no longer be changed afterwards."
    )
)
def has_conclusions(programme) -> bool:
    return bool(programme.evaluation_summary.strip())


@condition(
    _(
        "Give the value achieved by every indicator before marking the programme as "
        "evaluated: they can no longer be changed afterwards."
    )
)
def has_results(programme) -> bool:
    return not Indicator.objects.filter(line__programme=programme, actual__isnull=True).exists()


@condition(DELIBERATION_NEEDED)
def has_deliberation(programme) -> bool:
    return bool(programme.deliberation_reference.strip() and programme.deliberation_date)


def _step(target: ProgrammeStatus, style: str = "primary") -> dict:
    """What a page shows of a transition: the status it leads to."""
    return {"label": target.label, "style": style}


class AnnualProgramme(WorkflowModel, TimeStampedModel, VersionedModel):
    """The yearly programming of the plan, reviewed by the committee and adopted by council.

    Its workflow: draft → submitted to the committee (back to draft if need be) → committee
    opinion → adopted by the council (with the deliberation) → published → evaluated. Every
    step is taken by Métro staff and logged in ``ProgrammeTransition``.
    """

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("plan")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=255, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    status = StatusField(choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT)
    previous_version = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
        verbose_name=_("previous version"),
    )
    deliberation_reference = models.CharField(
        _("council deliberation reference"), max_length=255, blank=True
    )
    deliberation_date = models.DateField(_("council deliberation date"), null=True, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    evaluation_summary = models.TextField(
        _("evaluation summary"),
        blank=True,
        help_text=_("The conclusions of the evaluation, presented to the committee."),
    )
    # The PDF of a public programme, rendered once by a background task when it is published
    # and again when what it shows changes (programme/documents.py); served from storage.
    published_pdf = models.FileField(
        _("published PDF"),
        upload_to="programme/pdf/",
        storage=private_storage,
        blank=True,
        editable=False,
    )
    published_pdf_at = models.DateTimeField(
        _("published PDF rendered at"), null=True, blank=True, editable=False
    )

    objects = AnnualProgrammeQuerySet.as_manager()

    log_model = "programme.ProgrammeTransition"
    status_styles = {
        ProgrammeStatus.DRAFT: "warning",
        ProgrammeStatus.SUBMITTED: "info",
        ProgrammeStatus.COMMITTEE_OPINION: "info",
        ProgrammeStatus.ADOPTED: "primary",
        ProgrammeStatus.PUBLISHED: "success",
        ProgrammeStatus.EVALUATED: "success",
    }

    class Meta:
        verbose_name = _("annual programme")
        verbose_name_plural = _("annual programmes")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="unique_programme_version"),
        ]

    def __str__(self):
        return self.title or _("Annual programme %(year)s") % {"year": self.year}

    def get_absolute_url(self):
        url = reverse("programme:programme_detail", args=[self.year])
        return f"{url}?version={self.version}"

    def get_staff_url(self):
        return reverse("programme:staff_programme_detail", args=[self.pk])

    def get_pdf_url(self):
        return reverse("programme:programme_pdf", args=[self.year]) + f"?version={self.version}"

    def get_xlsx_url(self):
        return reverse("programme:programme_xlsx", args=[self.year]) + f"?version={self.version}"

    def get_evaluation_url(self):
        url = reverse("programme:programme_evaluation", args=[self.year])
        return f"{url}?version={self.version}"

    def get_evaluation_pdf_url(self):
        url = reverse("programme:programme_evaluation_pdf", args=[self.year])
        return f"{url}?version={self.version}"

    @property
    def is_editable(self):
        return self.status == ProgrammeStatus.DRAFT

    @property
    def is_frozen(self):
        return self.status in FROZEN_STATUSES

    @property
    def is_draft_document(self):
        return self.status in DRAFT_STATUSES

    @property
    def is_public(self):
        return self.status in PUBLIC_STATUSES

    @property
    def indicators_editable(self):
        """Targets are set in the draft; actual values are filled once published."""
        return self.status in {ProgrammeStatus.DRAFT, ProgrammeStatus.PUBLISHED}

    @property
    def has_evaluation(self):
        return self.status in PUBLIC_STATUSES

    def clean(self):
        if self.status in FROZEN_STATUSES and not has_deliberation(self):
            raise ValidationError(DELIBERATION_NEEDED)

    # --- The workflow (fired by services through ess_metro.workflow.fire) -----------------

    @transition(
        field=status,
        source=ProgrammeStatus.DRAFT,
        target=ProgrammeStatus.SUBMITTED,
        conditions=[has_lines],
        permission=may_move_programme,
        custom=_step(ProgrammeStatus.SUBMITTED),
    )
    def submit(self, *, user=None, comment=""):
        """Submit the draft to the steering committee."""

    @transition(
        field=status,
        source=ProgrammeStatus.SUBMITTED,
        target=ProgrammeStatus.DRAFT,
        permission=may_move_programme,
        custom=_step(ProgrammeStatus.DRAFT, "secondary"),
    )
    def return_to_draft(self, *, user=None, comment=""):
        """Take the programme back from the committee to change it."""

    @transition(
        field=status,
        source=ProgrammeStatus.SUBMITTED,
        target=ProgrammeStatus.COMMITTEE_OPINION,
        permission=may_move_programme,
        custom=_step(ProgrammeStatus.COMMITTEE_OPINION),
    )
    def record_opinion(self, *, user=None, comment=""):
        """The committee gave its opinion (recorded from its meeting, or by staff)."""

    @transition(
        field=status,
        source=ProgrammeStatus.COMMITTEE_OPINION,
        target=ProgrammeStatus.ADOPTED,
        conditions=[has_deliberation],
        permission=may_move_programme,
        custom=_step(ProgrammeStatus.ADOPTED),
    )
    def adopt(self, *, user=None, comment=""):
        """The council adopted it: the service first sets the deliberation's reference and date."""

    @transition(
        field=status,
        source=ProgrammeStatus.ADOPTED,
        target=ProgrammeStatus.PUBLISHED,
        permission=may_move_programme,
        custom=_step(ProgrammeStatus.PUBLISHED, "success"),
    )
    def publish(self, *, user=None, comment=""):
        self.published_on = timezone.localdate()

    @transition(
        field=status,
        source=ProgrammeStatus.PUBLISHED,
        target=ProgrammeStatus.EVALUATED,
        conditions=[has_conclusions, has_results],
        permission=may_move_programme,
        custom=_step(ProgrammeStatus.EVALUATED, "success"),
    )
    def evaluate(self, *, user=None, comment=""):
        """The evaluation has been presented: the programme's cycle is complete."""


class ProgrammeTransition(TransitionLog):
    """One step of a programme's workflow: who moved it, when, from which state to which."""

    subject_field = "programme"

    programme = models.ForeignKey(
        AnnualProgramme,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("annual programme"),
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=ProgrammeStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=ProgrammeStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("programme transition")
        verbose_name_plural = _("programme transitions")


class ProgrammeLineQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(programme__in=AnnualProgramme.objects.visible_to(user))

    def for_structure(self):
        return self.select_related("beneficiary").prefetch_related("indicators")

    def in_force(self):
        """The lines of the version in force of each year (``in_force_ids``)."""
        return self.filter(programme_id__in=AnnualProgramme.objects.in_force_ids())


class ProgrammeLine(VersionedModel):
    """A budget line of a year; what links to it gives its committed and paid totals."""

    programme = models.ForeignKey(
        AnnualProgramme,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("annual programme"),
    )
    axis = models.ForeignKey(
        Axis, on_delete=models.PROTECT, related_name="programme_lines", verbose_name=_("axis")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    beneficiary = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programme_lines",
        verbose_name=_("operator or beneficiary"),
    )
    planned_amount = models.DecimalField(
        _("planned amount (€)"),
        max_digits=12,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(Decimal("0"))],
    )
    origin = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first version of this line"),
        help_text=_("Versions of a programme share their lines' origin, and so their amounts."),
    )

    objects = ProgrammeLineQuerySet.as_manager()

    history = AuditTrail(fields=["planned_amount"])

    class Meta:
        verbose_name = _("programme line")
        verbose_name_plural = _("programme lines")
        ordering = ["programme", "axis__orientation__number", "axis__number", "position", "pk"]

    def __str__(self):
        return f"{self.programme.year} — {self.title}"

    @property
    def choice_label(self) -> str:
        """The line in a list of choices: its year, its version once there are several."""
        if self.programme.version > 1:
            return f"{self.programme.year} v{self.programme.version} — {self.title}"
        return str(self)

    @property
    def origin_key(self):
        return self.origin_id or self.pk


class Indicator(VersionedModel):
    """What a line aims at and what it achieved, filled during the evaluation."""

    line = models.ForeignKey(
        ProgrammeLine,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("programme line"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("label"), max_length=255)
    unit = models.CharField(_("unit"), max_length=60, help_text=_("For example: jobs, events."))
    target = models.DecimalField(
        _("target"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    actual = models.DecimalField(
        _("actual"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Filled during the evaluation."),
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["line", "position", "pk"]

    def __str__(self):
        return self.label

    @property
    def achievement_rate(self):
        """Actual as a percentage of the target (None when not measurable)."""
        return rules.achievement_rate(self.actual, self.target)


class ToolKind(models.TextChoices):
    """The four development tools of orientation 2; values are the codes of their axes."""

    SUPPORT = "support", _("Economic support of projects")
    FINANCING = "financing", _("Financing of developing activities")
    REAL_ESTATE = "real-estate", _("Real estate")
    ENTREPRENEURSHIP = "entrepreneurship", _("Solidarity entrepreneurship")


class DevelopmentToolQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_authenticated and roles.has_role(user, roles.STAFF):
            return self
        return self.filter(is_published=True)


class DevelopmentTool(TimeStampedModel, VersionedModel):
    """A tool of orientation 2: DLA, a financing fund, premises, solidarity entrepreneurship."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ToolKind.choices)
    operator = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="operated_tools",
        verbose_name=_("operator"),
    )
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    started_on = models.DateField(_("start date"), null=True, blank=True)
    is_published = models.BooleanField(
        _("shown on the public site"), default=True, help_text=_("Unticked: staff only.")
    )

    objects = DevelopmentToolQuerySet.as_manager()

    class Meta:
        verbose_name = _("development tool")
        verbose_name_plural = _("development tools")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programme:tool_detail", args=[self.slug])

    def get_staff_url(self):
        return reverse("programme:staff_tool_detail", args=[self.pk])


class ToolEndowment(VersionedModel):
    """A yearly endowment of the Métro to a tool, drawn on a line of that year's programme."""

    tool = models.ForeignKey(
        DevelopmentTool,
        on_delete=models.CASCADE,
        related_name="endowments",
        verbose_name=_("development tool"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    line = models.ForeignKey(
        ProgrammeLine,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tool_endowments",
        verbose_name=_("programme line"),
    )
    amount = models.DecimalField(
        _("amount committed (€)"),
        max_digits=12,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0.01"), message=_("The amount must be more than zero."))
        ],
    )
    paid_amount = models.DecimalField(
        _("amount paid (€)"),
        max_digits=12,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(Decimal("0"))],
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    history = AuditTrail(fields=["amount", "paid_amount"])

    class Meta:
        verbose_name = _("endowment")
        verbose_name_plural = _("endowments")
        ordering = ["-year", "pk"]

    def __str__(self):
        return f"{self.tool} {self.year}"

    def clean(self):
        errors = {}
        if (
            self.amount is not None
            and self.paid_amount is not None
            and self.paid_amount > self.amount
        ):
            errors["paid_amount"] = _("The amount paid cannot exceed the amount committed.")
        if self.line_id and self.year and self.line.programme.year != self.year:
            errors["line"] = _("The line belongs to the programme of another year.")
        elif self.line_id and self.tool_id and self.line.axis.code != self.tool.kind:
            errors["line"] = _("The line belongs to another axis than this tool's.")
        if errors:
            raise ValidationError(errors)


class ToolSupport(VersionedModel):
    """An organisation supported by a development tool."""

    tool = models.ForeignKey(
        DevelopmentTool,
        on_delete=models.CASCADE,
        related_name="supports",
        verbose_name=_("development tool"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="tool_supports",
        verbose_name=_("supported organisation"),
    )
    date = models.DateField(_("date"))
    kind_of_support = models.CharField(
        _("kind of support"),
        max_length=200,
        help_text=_("For example: shared diagnosis, solidarity loan, premises."),
    )
    amount = models.DecimalField(
        _("amount (€)"),
        max_digits=12,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(Decimal("0"))],
    )
    jobs_concerned = models.PositiveIntegerField(_("jobs concerned"), default=0)
    comment = models.TextField(_("comment"), blank=True)

    history = AuditTrail(fields=["amount"])

    class Meta:
        verbose_name = _("supported organisation")
        verbose_name_plural = _("supported organisations")
        ordering = ["-date", "pk"]

    def __str__(self):
        return f"{self.organisation} ({self.tool})"
