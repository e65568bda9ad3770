"""Orientation 1, knowing and making known the ESS: events, news, working group, strategy, data."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ess_metro import french
from ess_metro.accounts import roles
from ess_metro.audit import AuditTrail
from ess_metro.concurrency import VersionedModel
from ess_metro.directory.models import EssFamily
from ess_metro.models import TimeStampedModel, TransitionLog, private_storage
from ess_metro.money import ZERO
from ess_metro.permissions import as_transition_permission
from ess_metro.workflow import StatusField, WorkflowModel, condition, transition

from . import notifications, rules
from .permissions import (
    can_edit_strategy,
    can_import_statistics,
    can_publish_event,
    can_validate_strategy,
)

# ---------------------------------------------------------------------------------------------
# Events and the Mois de l'ESS
# ---------------------------------------------------------------------------------------------


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("Conference")
    FORUM = "forum", _("Forum")
    VISIT = "visit", _("Visit")
    WORKSHOP = "workshop", _("Workshop")
    FAIR = "fair", _("Fair")


class EventStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PUBLISHED = "published", _("Published")


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=EventStatus.PUBLISHED)

    def proposed(self):
        """Proposals by members awaiting the staff's review, oldest first."""
        return self.filter(status=EventStatus.PROPOSED).for_list().order_by("created_at", "pk")

    def upcoming(self):
        """Published events not yet over, soonest first (the home page uses it)."""
        return (
            self.published()
            .filter(ends_at__gte=timezone.now())
            .select_related("commune", "organiser")
            .order_by("starts_at", "pk")
        )

    def mois_ess(self, year: int):
        return self.published().filter(mois_ess=True, starts_at__year=year)

    def visible_to(self, user):
        """Published events for everyone; staff see all; members see their organisations'."""
        if user.is_authenticated and roles.has_role(user, roles.STAFF):
            return self
        if user.is_authenticated:
            return self.filter(
                models.Q(status=EventStatus.PUBLISHED) | models.Q(organiser__memberships__user=user)
            ).distinct()
        return self.published()

    def proposed_by_member(self, user):
        return self.filter(organiser__memberships__user=user).distinct()

    def for_list(self):
        return self.select_related("commune", "organiser")


@condition(_("This event is already published."))
def event_not_published(event) -> bool:
    return event.status != EventStatus.PUBLISHED


@condition(_("This event is not published."))
def event_published(event) -> bool:
    return event.status == EventStatus.PUBLISHED


class Event(WorkflowModel, TimeStampedModel, VersionedModel):
    log_model = "communication.EventTransition"
    status_styles = {EventStatus.PROPOSED: "warning", EventStatus.PUBLISHED: "success"}

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("description"))
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(
        _("place"), max_length=200, help_text=_("Venue name and address, as shown to visitors.")
    )
    commune = models.ForeignKey(
        "directory.Commune",
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("commune"),
    )
    organiser = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("organiser"),
    )
    audience = models.CharField(
        _("audience"), max_length=200, blank=True, help_text=_("For example: everyone, students.")
    )
    registration_url = models.URLField(_("registration link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Number of places, when registration is not through a link."),
    )
    mois_ess = models.BooleanField(
        _("part of the Mois de l'ESS"),
        default=False,
        help_text=_("Only for events in November: they make up that year's programme."),
    )
    status = StatusField(choices=EventStatus.choices, default=EventStatus.PROPOSED)
    programme_line = models.ForeignKey(
        "programme.ProgrammeLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("programme line"),
    )
    budget = models.DecimalField(
        _("budget (€)"),
        max_digits=12,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Amount committed on the programme line."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_events",
        verbose_name=_("proposed by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = EventQuerySet.as_manager()

    history = AuditTrail(fields=["budget"])

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self):
        return self.title

    @property
    def location(self) -> str:
        """The place and the commune, the commune said once."""
        return rules.place_with_commune(self.place, self.commune.name if self.commune_id else "")

    def get_absolute_url(self):
        return reverse("communication:event_detail", args=[self.slug])

    def clean(self):
        errors = {}
        if rules.ends_before_start(self.starts_at, self.ends_at):
            errors["ends_at"] = _("The end must come after the start.")
        if (
            self.mois_ess
            and self.starts_at
            and not rules.in_mois_ess_month(timezone.localtime(self.starts_at).month)
        ):
            errors["mois_ess"] = _("Only an event held in November can join the Mois de l'ESS.")
        if self.budget and self.budget > 0 and not self.programme_line_id:
            errors["programme_line"] = _("Choose the programme line that pays for this budget.")
        if errors:
            raise ValidationError(errors)

    @transition(
        field=status,
        source="*",
        target=EventStatus.PUBLISHED,
        conditions=[event_not_published],
        permission=as_transition_permission(can_publish_event),
        custom={
            "label": _("Publish in the agenda"),
            "style": "success",
            "notify": notifications.event_published,
        },
    )
    def publish(self, *, user=None, comment=""):
        self.full_clean()
        self.published_at = timezone.now()

    @transition(
        field=status,
        source="*",
        target=EventStatus.PROPOSED,
        conditions=[event_published],
        permission=as_transition_permission(can_publish_event),
        custom={
            "label": _("Withdraw from the agenda"),
            "style": "outline-danger",
            "confirm": _("Withdraw this event from the agenda?"),
        },
    )
    def unpublish(self, *, user=None, comment=""):
        self.published_at = None

    @property
    def is_published(self):
        return self.status == EventStatus.PUBLISHED

    @property
    def mois_ess_year(self):
        return timezone.localtime(self.starts_at).year if self.mois_ess else None

    @property
    def same_day(self):
        return timezone.localdate(self.starts_at) == timezone.localdate(self.ends_at)


class EventTransition(TransitionLog):
    """Who moved an event from one status to another, when, and why."""

    subject_field = "event"

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("event")
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("event transition")
        verbose_name_plural = _("event transitions")


# ---------------------------------------------------------------------------------------------
# News
# ---------------------------------------------------------------------------------------------


class NewsQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_on__lte=timezone.localdate())

    def visible_to(self, user):
        if user.is_authenticated and roles.has_role(user, roles.STAFF):
            return self
        return self.published()


class NewsItem(TimeStampedModel, VersionedModel):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    text = models.TextField(_("text"))
    published_on = models.DateField(
        _("publication date"),
        default=timezone.localdate,
        help_text=_("The news appears on this date; a later date schedules it."),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="news",
        verbose_name=_("related event"),
    )
    call_url = models.URLField(
        _("link to a call for projects"),
        blank=True,
        help_text=_("The address of the call's page on this portal."),
    )
    programme_year = models.PositiveSmallIntegerField(
        _("related annual programme (year)"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = NewsQuerySet.as_manager()

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        ordering = ["-published_on", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("communication:news_detail", args=[self.slug])

    @property
    def programme_url(self):
        if not self.programme_year:
            return ""
        try:
            return reverse("programme:programme_detail", args=[self.programme_year])
        except NoReverseMatch:  # the programme pages are not installed
            return ""


# ---------------------------------------------------------------------------------------------
# Working group and communication strategy
# ---------------------------------------------------------------------------------------------


class WorkingGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see every group; members see the groups they sit in."""
        if not user.is_authenticated:
            return self.none()
        if roles.has_role(user, roles.STAFF):
            return self
        return self.filter(members=user).distinct()


class WorkingGroup(TimeStampedModel, VersionedModel):
    """The ad hoc group that drafts the communication strategy."""

    name = models.CharField(_("name"), max_length=200)
    mandate = models.TextField(_("mandate"))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="working_groups", verbose_name=_("members")
    )

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("communication:group_detail", args=[self.pk])


class GroupMeeting(VersionedModel):
    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("group")
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("meeting of the working group")
        verbose_name_plural = _("meetings of the working group")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.group} — {self.date:%d/%m/%Y}"


class StrategyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the committee")
    VALIDATED = "validated", _("Validated by the committee")


class StrategyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and committee members read every strategy; the drafting group its own."""
        if not user.is_authenticated:
            return self.none()
        if roles.has_role(user, roles.STAFF) or roles.has_role(user, roles.COMMITTEE):
            return self
        return self.filter(working_group__members=user).distinct()

    def awaiting_committee(self):
        return self.filter(status=StrategyStatus.SUBMITTED)


@condition(_("Add at least one action before submitting the strategy."))
def strategy_has_actions(strategy) -> bool:
    return strategy.actions.exists()


@condition(_("Only a draft strategy can be submitted to the committee."))
def strategy_is_draft(strategy) -> bool:
    return strategy.status == StrategyStatus.DRAFT


@condition(_("Only a strategy submitted to the committee can be taken back."))
def strategy_can_be_taken_back(strategy) -> bool:
    return strategy.status == StrategyStatus.SUBMITTED


@condition(_("Only a strategy submitted to the committee can be validated."))
def strategy_can_be_validated(strategy) -> bool:
    return strategy.status == StrategyStatus.SUBMITTED


class CommunicationStrategy(WorkflowModel, TimeStampedModel, VersionedModel):
    """The yearly communication strategy drafted by the ad hoc working group."""

    log_model = "communication.StrategyTransition"
    status_styles = {
        StrategyStatus.DRAFT: "secondary",
        StrategyStatus.SUBMITTED: "info",
        StrategyStatus.VALIDATED: "success",
    }

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    status = StatusField(choices=StrategyStatus.choices, default=StrategyStatus.DRAFT)
    working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="strategies",
        verbose_name=_("working group"),
    )
    document = models.FileField(
        _("document"),
        upload_to="communication/strategies/",
        storage=private_storage,
        blank=True,
        help_text=_("The strategy as adopted by the working group (PDF or office document)."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)

    objects = StrategyQuerySet.as_manager()

    class Meta:
        verbose_name = _("communication strategy")
        verbose_name_plural = _("communication strategies")
        ordering = ["-year"]

    def __str__(self):
        return self.title

    @property
    def drafted_by(self) -> str:
        """« élaborée par le Groupe de travail … »: the article before the group's name."""
        name = self.working_group.name if self.working_group_id else ""
        if (get_language() or "fr").startswith("fr"):
            name = french.le(name)
        return _("drafted by %(group)s") % {"group": name}

    def get_absolute_url(self):
        return reverse("communication:strategy_detail", args=[self.year])

    @transition(
        field=status,
        source="*",
        target=StrategyStatus.SUBMITTED,
        conditions=[strategy_has_actions, strategy_is_draft],
        permission=as_transition_permission(can_edit_strategy),
        custom={
            "label": _("Submit to the committee"),
            "confirm": _("Submit the strategy to the steering committee?"),
        },
    )
    def submit(self, *, user=None, comment=""):
        """Staff submit the drafted strategy to the steering committee."""
        self.submitted_at = timezone.now()

    @transition(
        field=status,
        source="*",
        target=StrategyStatus.DRAFT,
        conditions=[strategy_can_be_taken_back],
        permission=as_transition_permission(can_edit_strategy),
        custom={"label": _("Take back to draft"), "style": "outline-secondary"},
    )
    def withdraw(self, *, user=None, comment=""):
        """Staff take a submitted strategy back to draft (before the committee's opinion)."""

    @transition(
        field=status,
        source="*",
        target=StrategyStatus.VALIDATED,
        conditions=[strategy_can_be_validated],
        permission=as_transition_permission(can_validate_strategy),
    )
    def validate(self, *, user=None, comment=""):
        """Fired by the committee's favourable opinion (governance), never by a button."""
        self.validated_at = timezone.now()

    @property
    def is_editable(self):
        return self.status == StrategyStatus.DRAFT


class StrategyAction(VersionedModel):
    strategy = models.ForeignKey(
        CommunicationStrategy,
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("strategy"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    budget = models.DecimalField(
        _("budget (€)"),
        max_digits=12,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(Decimal("0"))],
    )
    programme_line = models.ForeignKey(
        "programme.ProgrammeLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="strategy_actions",
        verbose_name=_("programme line"),
        help_text=_("A line of orientation 1 of the annual programme, when there is one."),
    )

    history = AuditTrail(fields=["budget"])

    class Meta:
        verbose_name = _("action of the strategy")
        verbose_name_plural = _("actions of the strategy")
        ordering = ["starts_on", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        if rules.ends_before_start(self.starts_on, self.ends_on):
            raise ValidationError({"ends_on": _("The end must come after the start.")})
        if self.programme_line_id and self.programme_line.axis.orientation.number != 1:
            raise ValidationError(
                {"programme_line": _("Choose a line of orientation 1 (communication).")}
            )


class StrategyTransition(TransitionLog):
    subject_field = "strategy"

    strategy = models.ForeignKey(
        CommunicationStrategy,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("strategy"),
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("strategy transition")
        verbose_name_plural = _("strategy transitions")


# ---------------------------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------------------------


class DatasetFormat(models.TextChoices):
    AGGREGATE = "aggregate", _("Establishments and jobs by family, sector, commune and year")
    SIRENE = "sirene", _("Extract of the Sirene file with the ESS flag")


class DatasetStatus(models.TextChoices):
    DRAFT = "draft", _("Imported, awaiting publication")
    PUBLISHED = "published", _("Published")


class DatasetQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=DatasetStatus.PUBLISHED)

    def visible_to(self, user):
        if user.is_authenticated and roles.has_role(user, roles.STAFF):
            return self
        return self.published()


@condition(_("This dataset is already published."))
def dataset_is_draft(dataset) -> bool:
    return dataset.status == DatasetStatus.DRAFT


class Dataset(WorkflowModel, VersionedModel):
    """One imported file of statistics, with where it comes from and under which licence."""

    log_model = "communication.DatasetTransition"
    status_styles = {DatasetStatus.DRAFT: "warning", DatasetStatus.PUBLISHED: "success"}

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    format = models.CharField(
        _("format"), max_length=20, choices=DatasetFormat.choices, default=DatasetFormat.AGGREGATE
    )
    source = models.CharField(
        _("source"), max_length=255, help_text=_("Who produced the figures, e.g. INSEE, URSSAF.")
    )
    source_url = models.URLField(_("source address"), blank=True)
    licence = models.CharField(
        _("licence"), max_length=120, default="Licence Ouverte / Open Licence 2.0"
    )
    data_date = models.DateField(
        _("date of the data"), help_text=_("When the source published or extracted the figures.")
    )
    status = StatusField(choices=DatasetStatus.choices, default=DatasetStatus.DRAFT)
    original_file = models.FileField(
        _("original file"), upload_to="communication/datasets/", storage=private_storage
    )
    row_count = models.PositiveIntegerField(_("rows in the file"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = DatasetQuerySet.as_manager()

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["-data_date", "-pk"]

    def __str__(self):
        return self.title

    @transition(
        field=status,
        source="*",
        target=DatasetStatus.PUBLISHED,
        conditions=[dataset_is_draft],
        permission=as_transition_permission(can_import_statistics),
        custom={"label": _("Publish on the data page"), "style": "success"},
    )
    def publish(self, *, user=None, comment=""):
        self.published_at = timezone.now()

    @property
    def is_draft(self):
        return self.status == DatasetStatus.DRAFT

    def csv_filename(self):
        return f"ess-metro-donnees-{self.pk}.csv"


class DatasetTransition(TransitionLog):
    """Who imported and who published a dataset, when."""

    subject_field = "dataset"

    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("dataset")
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("dataset transition")
        verbose_name_plural = _("dataset transitions")


class StatisticQuerySet(models.QuerySet):
    def published(self):
        return self.filter(dataset__status=DatasetStatus.PUBLISHED)


class Statistic(models.Model):
    """Establishments and jobs of one ESS family and sector, in a commune (or the area), a year."""

    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="rows", verbose_name=_("dataset")
    )
    line_number = models.PositiveIntegerField(_("line in the file"))
    year = models.PositiveSmallIntegerField(_("year"))
    commune = models.ForeignKey(
        "directory.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statistics",
        verbose_name=_("commune"),
        help_text=_("Empty for figures of the whole area."),
    )
    family = models.CharField(_("ESS family"), max_length=20, choices=EssFamily.choices)
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    establishments = models.PositiveIntegerField(_("establishments"))
    jobs = models.PositiveIntegerField(_("jobs"))

    objects = StatisticQuerySet.as_manager()

    class Meta:
        verbose_name = _("statistic")
        verbose_name_plural = _("statistics")
        ordering = ["dataset", "line_number"]
        indexes = [models.Index(fields=["dataset", "year"])]

    def __str__(self):
        return f"{self.dataset} — {self.year} — {self.line_number}"
