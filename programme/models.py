from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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


class AnnualProgramme(models.Model):
    """The yearly programming of the plan, reviewed by the committee and adopted by council."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("plan")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=255, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("annual programme")
        verbose_name_plural = _("annual programmes")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="unique_programme_version"),
        ]

    def __str__(self):
        return self.title or _("Annual programme %(year)s") % {"year": self.year}


class ProgrammeLine(models.Model):
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
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("programme line")
        verbose_name_plural = _("programme lines")
        ordering = ["programme", "axis__orientation__number", "axis__number", "position", "pk"]

    def __str__(self):
        return f"{self.programme.year} — {self.title}"
