import datetime
import secrets

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from ess_metro.audit import AuditTrail
from ess_metro.concurrency import VersionedModel
from ess_metro.models import PrivateFile, TimeStampedModel, TransitionLog, private_storage
from ess_metro.permissions import as_transition_permission, is_committee_or_staff
from ess_metro.workflow import StatusField, WorkflowModel, condition, transition

from . import permissions, rules


class College(models.Model):
    """One of the four colleges of the steering committee (reference data from the seed)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    number = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("composition rule"), blank=True)

    class Meta:
        verbose_name = _("college")
        verbose_name_plural = _("colleges")
        ordering = ["number"]

    def __str__(self):
        return self.name


class SeatCategory(models.TextChoices):
    """Categories of seats, each in one college, some with a quota of holders."""

    COOPERATIVES = "cooperatives", _("Cooperatives")
    MUTUALS = "mutuals", _("Mutuals")
    ASSOCIATIONS = "associations", _("Associations and solidarity enterprises")
    COMMUNE = "commune", _("Volunteer commune")
    STATE = "state", _("State")
    DEPARTMENT = "department", _("Conseil général")
    REGION = "region", _("Conseil régional")
    DEVELOPMENT_COUNCIL = "development_council", _("Conseil de développement")
    CDC = "cdc", _("Caisse des Dépôts et Consignations")
    COMPANY = "company", _("Volunteer company")
    FOUNDATION = "foundation", _("Volunteer foundation")
    INSTITUTION = "institution", _("Volunteer institution")
    RESEARCH = "research", _("Volunteer research centre")


# college code → {category: quota of holders (None: any number)}
COLLEGE_SEATS = {
    "ess-actors": {
        SeatCategory.COOPERATIVES: 2,
        SeatCategory.MUTUALS: 2,
        SeatCategory.ASSOCIATIONS: 8,
    },
    "communes": {SeatCategory.COMMUNE: None},
    "public-partners": {
        SeatCategory.STATE: 1,
        SeatCategory.DEPARTMENT: 1,
        SeatCategory.REGION: 1,
    },
    "resource-actors": {
        SeatCategory.DEVELOPMENT_COUNCIL: 1,
        SeatCategory.CDC: 1,
        SeatCategory.COMPANY: None,
        SeatCategory.FOUNDATION: None,
        SeatCategory.INSTITUTION: None,
        SeatCategory.RESEARCH: None,
    },
}


class MandateKind(models.TextChoices):
    HOLDER = "holder", _("Holder")
    SUBSTITUTE = "substitute", _("Substitute")


def category_college(category: str) -> str | None:
    """The code of the college a seat category belongs to."""
    for code, seats in COLLEGE_SEATS.items():
        if category in seats:
            return code
    return None


class MandateQuerySet(models.QuerySet):
    def active(self, on=None):
        """Mandates running on the given day (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)

    def ended(self, on=None):
        on = on or timezone.localdate()
        return self.filter(end_date__lt=on)

    def holders(self):
        return self.filter(kind=MandateKind.HOLDER)

    def overlapping(self, start, end):
        """Mandates running at some point between ``start`` and ``end`` (None: open-ended)."""
        queryset = self.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        if end is not None:
            queryset = queryset.filter(start_date__lte=end)
        return queryset

    def with_people(self):
        return self.select_related("person", "organisation", "college", "holder__person")


class Mandate(VersionedModel):
    """A seat held by a person for an organisation in a college of the committee."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mandates",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="mandates",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
    )
    college = models.ForeignKey(
        College, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("college")
    )
    category = models.CharField(_("category"), max_length=30, choices=SeatCategory.choices)
    kind = models.CharField(
        _("holder or substitute"),
        max_length=10,
        choices=MandateKind.choices,
        default=MandateKind.HOLDER,
    )
    holder = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substitutes",
        verbose_name=_("substitute of"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = MandateQuerySet.as_manager()

    # The seat itself: what staff edit (MandateForm) and what the audit trail keeps.
    SEAT_FIELDS = (
        "organisation",
        "college",
        "category",
        "kind",
        "holder",
        "start_date",
        "end_date",
    )
    history = AuditTrail(fields=["person", *SEAT_FIELDS])

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["college__number", "category", "kind", "person__last_name"]

    def __str__(self):
        return f"{self.person} — {self.college} ({self.get_kind_display()})"

    @property
    def is_holder(self) -> bool:
        return self.kind == MandateKind.HOLDER

    def is_active_on(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)

    @property
    def seat(self) -> "Mandate":
        """The holder's mandate this mandate sits for (itself for a holder)."""
        return self if self.is_holder or self.holder_id is None else self.holder

    def clean(self):
        errors = {}
        college_code = self.college.code if self.college_id else None
        if self.category and college_code and self.category not in COLLEGE_SEATS[college_code]:
            errors["category"] = _(
                "The category “%(category)s” is not a seat of the %(college)s."
            ) % {
                "category": self.get_category_display(),
                "college": self.college.name,
            }
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.kind == MandateKind.SUBSTITUTE:
            if self.holder_id is None:
                errors["holder"] = _("Choose the holder this substitute replaces.")
            else:
                holder = self.holder
                if holder.kind != MandateKind.HOLDER:
                    errors["holder"] = _("A substitute replaces a holder, not another substitute.")
                elif holder.college_id != self.college_id or holder.category != self.category:
                    errors["holder"] = _(
                        "The substitute must sit in the same college and category as the holder."
                    )
                elif holder.person_id == self.person_id:
                    errors["holder"] = _("A person cannot be their own substitute.")
        elif self.holder_id is not None:
            errors["holder"] = _("Only a substitute is tied to a holder.")
        if errors:
            raise ValidationError(errors)
        self._check_quota()

    def _check_quota(self):
        if self.kind != MandateKind.HOLDER or not (self.college_id and self.start_date):
            return
        quota = COLLEGE_SEATS.get(self.college.code, {}).get(self.category)
        if quota is None:
            return
        others = (
            Mandate.objects.holders()
            .filter(college_id=self.college_id, category=self.category)
            .overlapping(self.start_date, self.end_date)
            .exclude(pk=self.pk)
        )
        rules.check_quota(
            quota=quota,
            holders=others.count(),
            college=self.college.name,
            category=self.get_category_display(),
        )


class KeyMoment(models.TextChoices):
    """The four key moments of the committee's year (seed: « 4 temps forts »), or another."""

    PROGRAMMING = "programming", _("Annual programming")
    EVALUATION = "evaluation", _("Evaluation of the programme")
    PROSPECTIVE = "prospective", _("Prospective reflections")
    COMMUNICATION = "communication", _("Communication strategy")
    OTHER = "other", _("Other meeting")


KEY_MOMENTS = [
    KeyMoment.PROGRAMMING,
    KeyMoment.EVALUATION,
    KeyMoment.PROSPECTIVE,
    KeyMoment.COMMUNICATION,
]


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("meeting", "Planned")
    CONVENED = "convened", pgettext_lazy("meeting", "Convened")
    HELD = "held", pgettext_lazy("meeting", "Held")
    MINUTES_APPROVED = "minutes_approved", _("Minutes approved")
    CANCELLED = "cancelled", pgettext_lazy("meeting", "Cancelled")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Committee members and staff see every meeting; nobody else sees any."""
        if is_committee_or_staff(user):
            return self
        return self.none()

    def upcoming(self, on=None):
        """The meetings members are convened to, from ``on``: not held (even today), not
        cancelled, and not merely planned (the members have not been told of them)."""
        on = on or timezone.localdate()
        return self.filter(date__gte=on, status=MeetingStatus.CONVENED)

    def to_prepare(self, on=None, days: int = 30):
        """Meetings of the next ``days`` days whose members are not convened yet."""
        on = on or timezone.localdate()
        return self.filter(
            status=MeetingStatus.PLANNED, date__gte=on, date__lte=on + datetime.timedelta(days=days)
        ).order_by("date", "start_time")

    def announced(self):
        """The meetings members have been convened to (held or cancelled since, or not)."""
        return self.filter(convened_at__isnull=False)

    def past(self, on=None):
        on = on or timezone.localdate()
        return self.filter(date__lt=on)

    def held(self):
        return self.filter(status__in=[MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED])


@condition(_("Add at least one agenda item before convening the meeting."))
def has_agenda(meeting) -> bool:
    return meeting.items.exists()


@condition(_("Attendance can be recorded only once the meeting has taken place."))
def has_taken_place(meeting) -> bool:
    return rules.has_taken_place(meeting.date, today=timezone.localdate())


@condition(_("Write the minutes before having them approved."))
def has_minutes(meeting) -> bool:
    return bool(meeting.minutes or meeting.minutes_file)


class Meeting(WorkflowModel, TimeStampedModel, VersionedModel):
    """A meeting of the steering committee, typed by one of the four key moments.

    Planned when created; convened (the members receive the agenda), held (attendance
    recorded), its minutes approved at a later meeting; or cancelled before it is held.
    """

    log_model = "governance.MeetingTransition"
    status_styles = {
        MeetingStatus.PLANNED: "secondary",
        MeetingStatus.CONVENED: "primary",
        MeetingStatus.HELD: "info",
        MeetingStatus.MINUTES_APPROVED: "success",
        MeetingStatus.CANCELLED: "danger",
    }

    title = models.CharField(_("title"), max_length=200, blank=True)
    key_moment = models.CharField(_("key moment"), max_length=20, choices=KeyMoment.choices)
    year = models.PositiveSmallIntegerField(
        _("year concerned"), help_text=_("The year of the programme or strategy discussed.")
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), default=datetime.time(14, 30))
    end_time = models.TimeField(_("end time"), default=datetime.time(17, 0))
    place = models.CharField(_("place"), max_length=255)
    status = StatusField(choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    convened_at = models.DateTimeField(_("convened at"), null=True, blank=True)
    sequence = models.PositiveIntegerField(
        _("revision"), default=0, help_text=_("Raised each time a convened meeting is moved.")
    )
    attendance_recorded_at = models.DateTimeField(
        _("attendance recorded at"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for the cancellation"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_file = models.FileField(
        _("minutes (signed file)"),
        storage=private_storage,
        upload_to="governance/minutes/%Y/",
        blank=True,
    )
    minutes_approved_at = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes",
        verbose_name=_("minutes approved at the meeting of"),
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        ordering = ["-date", "-start_time"]

    def __str__(self):
        return _("%(moment)s — %(date)s") % {
            "moment": self.display_title,
            "date": self.date.strftime("%d/%m/%Y"),
        }

    def get_absolute_url(self):
        return reverse("governance:meeting_detail", args=[self.pk])

    def get_manage_url(self):
        return reverse("governance:meeting_manage", args=[self.pk])

    @property
    def display_title(self):
        return self.title or self.get_key_moment_display()

    @property
    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.start_time))

    @property
    def ends_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.end_time))

    @property
    def is_over(self) -> bool:
        """The meeting's hours have passed."""
        return self.ends_at <= timezone.now()

    @property
    def is_editable(self) -> bool:
        return self.status in {MeetingStatus.PLANNED, MeetingStatus.CONVENED}

    @property
    def is_held(self) -> bool:
        return self.status in {MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED}

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def can_be_cancelled(self) -> bool:
        return self.status in {MeetingStatus.PLANNED, MeetingStatus.CONVENED}

    def clean(self):
        if (
            self.start_time
            and self.end_time
            and not rules.ends_after_start(self.start_time, self.end_time)
        ):
            raise ValidationError({"end_time": _("The meeting must end after it starts.")})
        if self.pk and self.start_time and self.end_time:
            outside = rules.items_outside(
                self.start_time,
                self.end_time,
                ((item.start_time, item.end_time, item.topic) for item in self.items.all()),
            )
            if outside:
                raise ValidationError(
                    {
                        "end_time": _(
                            "These agenda items would fall outside the meeting's hours: "
                            "%(items)s. Move them first."
                        )
                        % {"items": ", ".join(outside)}
                    }
                )

    # --- workflow (fired by the services through ess_metro.workflow.fire) -------------------

    @transition(
        field=status,
        source=MeetingStatus.PLANNED,
        target=MeetingStatus.CONVENED,
        conditions=[has_agenda],
        permission=as_transition_permission(permissions.can_convene),
        custom={
            "label": _("Convene the members"),
            "confirm": _("Send the convocation with the agenda to every member?"),
        },
    )
    def convene(self, *, user=None, comment=""):
        self.convened_at = timezone.now()

    @transition(
        field=status,
        source=MeetingStatus.CONVENED,
        target=MeetingStatus.HELD,
        conditions=[has_taken_place],
        permission=as_transition_permission(permissions.can_record_attendance),
    )
    def hold(self, *, user=None, comment=""):
        self.attendance_recorded_at = timezone.now()

    @transition(
        field=status,
        source=MeetingStatus.HELD,
        target=MeetingStatus.MINUTES_APPROVED,
        conditions=[has_minutes],
        permission=as_transition_permission(permissions.can_approve_minutes),
    )
    def approve_minutes(self, *, user=None, comment="", at_meeting):
        self.minutes_approved_at = at_meeting

    @transition(
        field=status,
        source=[MeetingStatus.PLANNED, MeetingStatus.CONVENED],
        target=MeetingStatus.CANCELLED,
        permission=as_transition_permission(permissions.can_cancel),
    )
    def cancel(self, *, user=None, comment="", reason):
        self.cancelled_at = timezone.now()
        self.cancellation_reason = reason
        # A new revision: calendars that saw the event replace it with the cancelled one.
        self.sequence += 1


class MeetingTransition(TransitionLog):
    """Every change of a meeting's status: who, when, from, to, comment."""

    subject_field = "meeting"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("meeting")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=MeetingStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=MeetingStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("meeting status change")
        verbose_name_plural = _("meeting status changes")

    def __str__(self):
        return f"{self.meeting} : {self.get_from_status_display()} → {self.get_to_status_display()}"


class AgendaItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(meeting__in=Meeting.objects.visible_to(user))


class AgendaItem(VersionedModel):
    """A timed item of a meeting's agenda, like the seed's « 14h45-15h15 : communication »."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting")
    )
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    topic = models.CharField(_("topic"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    orientation = models.ForeignKey(
        "programme.Orientation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("orientation concerned"),
    )
    programme = models.ForeignKey(
        "programme.AnnualProgramme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("annual programme concerned"),
    )
    is_evaluation = models.BooleanField(
        _("evaluation of this programme"),
        default=False,
        help_text=_("Tick when the item reviews the evaluation of the programme chosen above."),
    )
    strategy = models.ForeignKey(
        "communication.CommunicationStrategy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("communication strategy concerned"),
    )
    applications = models.ManyToManyField(
        "projects.Application",
        blank=True,
        related_name="agenda_items",
        verbose_name=_("files of a call concerned"),
        help_text=_("Files of a call for projects on which the committee gives its opinion."),
    )

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "start_time", "pk"]

    def __str__(self):
        return f"{self.time_range} : {self.topic}"

    @property
    def time_range(self) -> str:
        return f"{self.start_time:%H}h{self.start_time:%M}–{self.end_time:%H}h{self.end_time:%M}"

    @property
    def recorded_opinion(self):
        """The opinion on this item, or None (safe in templates)."""
        try:
            return self.opinion
        except Opinion.DoesNotExist:
            return None

    @property
    def object_label(self) -> str:
        if self.programme_id and self.is_evaluation:
            return _("Evaluation of %(programme)s") % {"programme": self.programme}
        if self.programme_id:
            return str(self.programme)
        if self.strategy_id:
            return str(self.strategy)
        references = (
            sorted(a.reference or a.title for a in self.applications.all()) if self.pk else []
        )
        if references:
            return ngettext("File %(files)s", "Files %(files)s", len(references)) % {
                "files": ", ".join(references)
            }
        return ""

    def clean(self):
        errors = {}
        if (
            self.start_time
            and self.end_time
            and not rules.ends_after_start(self.start_time, self.end_time)
        ):
            errors["end_time"] = _("An item must end after it starts.")
        if self.programme_id and self.strategy_id:
            errors["strategy"] = _(
                "An item concerns either an annual programme or a communication strategy, not both."
            )
        if self.is_evaluation and not self.programme_id:
            errors["is_evaluation"] = _("Choose the programme whose evaluation is reviewed.")
        if errors:
            raise ValidationError(errors)
        if self.meeting_id and self.start_time and self.end_time:
            others = AgendaItem.objects.filter(meeting_id=self.meeting_id).exclude(pk=self.pk)
            rules.check_no_overlap(
                self.start_time,
                self.end_time,
                ((other.start_time, other.end_time, other) for other in others),
            )
            rules.check_within_meeting(
                self.start_time,
                self.end_time,
                meeting_start=self.meeting.start_time,
                meeting_end=self.meeting.end_time,
            )


class AgendaDocument(PrivateFile):
    """A document of a meeting file, attached to an agenda item (private storage)."""

    upload_prefix = "governance/documents"

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="documents", verbose_name=_("item")
    )
    title = models.CharField(_("title"), max_length=255)

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["item", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("governance:document_download", args=[self.pk])


class Reply(models.TextChoices):
    ATTENDING = "attending", _("Attending")
    EXCUSED = "excused", _("Excused")
    REPRESENTED = "represented", _("Represented by my substitute")


class Presence(models.TextChoices):
    PRESENT = "present", _("Present")
    REPRESENTED = "represented", _("Represented by the substitute")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


PRESENT_STATUSES = {Presence.PRESENT, Presence.REPRESENTED}


class Attendance(models.Model):
    """A seat at a meeting: the holder's reply before, and the presence staff record after."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    mandate = models.ForeignKey(
        Mandate,
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("seat (holder's mandate)"),
    )
    reply = models.CharField(_("reply"), max_length=20, choices=Reply.choices, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    presence = models.CharField(_("presence"), max_length=20, choices=Presence.choices, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["mandate__college__number", "mandate__category", "mandate__person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "mandate"], name="unique_attendance"),
        ]

    def __str__(self):
        return f"{self.meeting} — {self.mandate.person}"

    @property
    def counts_for_quorum(self) -> bool:
        return self.presence in PRESENT_STATUSES


class ConflictSource(models.TextChoices):
    DECLARED = "declared", _("Declared by the member")
    AUTOMATIC = "automatic", _("Flagged by the portal")


class ConflictOfInterest(models.Model):
    """A seat whose organisation is concerned by an agenda item: it cannot vote on it."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("item")
    )
    mandate = models.ForeignKey(
        Mandate, on_delete=models.PROTECT, related_name="conflicts", verbose_name=_("seat")
    )
    source = models.CharField(_("source"), max_length=20, choices=ConflictSource.choices)
    reason = models.TextField(_("reason"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("declared by"),
    )
    created_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["item", "mandate__person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["item", "mandate"], name="unique_conflict"),
        ]

    def __str__(self):
        return f"{self.mandate.person} — {self.item}"


class Outcome(models.TextChoices):
    FAVOURABLE = "favourable", _("Favourable")
    RESERVED = "reserved", _("Favourable with reservations")
    UNFAVOURABLE = "unfavourable", _("Unfavourable")


FAVOURABLE_OUTCOMES = rules.FAVOURABLE_OUTCOMES


class OpinionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(item__meeting__in=Meeting.objects.visible_to(user))

    def for_register(self):
        return (
            self.select_related(
                "item__meeting", "item__programme", "item__strategy", "item__orientation"
            )
            .prefetch_related(
                "votes__mandate__college",
                "votes__mandate__person",
                models.Prefetch(
                    "item__applications",
                    queryset=apps.get_model("projects", "Application").objects.only(
                        "pk", "reference", "title"
                    ),
                ),
            )
            .order_by("-item__meeting__date", "item__start_time")
        )


class Opinion(models.Model):
    """The committee's opinion on an agenda item, with the votes of the seats present."""

    item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, related_name="opinion", verbose_name=_("item")
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    text = models.TextField(_("opinion"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["-recorded_at"]

    def __str__(self):
        return f"{self.get_outcome_display()} — {self.item}"

    def tallies(self) -> list[dict]:
        """Votes counted per college, in college order (uses prefetched votes)."""
        return rules.tallies(
            ((vote.mandate.college, vote.choice) for vote in self.votes.all()),
            order=lambda college: college.number,
        )

    def conflicted_votes(self) -> list:
        return [vote for vote in self.votes.all() if vote.conflict]

    def totals(self) -> dict:
        return rules.count_choices(vote.choice for vote in self.votes.all())


class VoteChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTENTION = "abstention", _("Abstention")


class Vote(models.Model):
    """The vote of a seat present or represented; a conflicted seat abstains."""

    opinion = models.ForeignKey(
        Opinion, on_delete=models.CASCADE, related_name="votes", verbose_name=_("opinion")
    )
    mandate = models.ForeignKey(
        Mandate, on_delete=models.PROTECT, related_name="votes", verbose_name=_("seat")
    )
    choice = models.CharField(_("vote"), max_length=20, choices=VoteChoice.choices)
    conflict = models.BooleanField(_("abstained for a conflict of interest"), default=False)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["mandate__college__number", "mandate__person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["opinion", "mandate"], name="unique_vote"),
        ]

    def __str__(self):
        return f"{self.mandate.person} : {self.get_choice_display()}"


class LineCommentQuerySet(models.QuerySet):
    def of_programme(self, programme):
        """The members' comments on the lines of ``programme``, line by line (read by the
        staff programme page through ``optional_queryset``)."""
        return (
            self.filter(line__programme=programme)
            .select_related("author", "line")
            .order_by(
                "line__axis__orientation__number",
                "line__axis__number",
                "line__position",
                "line__pk",
                "created_at",
            )
        )


class LineComment(models.Model):
    """A member's comment on a line of the draft annual programme, before the meeting."""

    line = models.ForeignKey(
        "programme.ProgrammeLine",
        on_delete=models.CASCADE,
        related_name="committee_comments",
        verbose_name=_("programme line"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="line_comments",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    objects = LineCommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment on a programme line")
        verbose_name_plural = _("comments on programme lines")
        ordering = ["line", "created_at"]

    def __str__(self):
        return f"{self.author} — {self.line}"


class CalendarToken(models.Model):
    """A secret URL through which a calendar application subscribes to the meetings."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="committee_calendar_token",
        verbose_name=_("user"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")

    def __str__(self):
        return str(self.user)

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)
