"""Reads of the steering committee: the data of its pages, PDFs and exports (no writes).

- the files of a call the committee reviews (a summary, never the diagnosis' private notes);
- the quorum of a meeting (counted by ``rules.quorum``);
- the pages: composition, members' home, meeting, staff management, register, cycle;
- what the programme app shows about the committee (``committee_review_for_programme``).
"""

import datetime
from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from ess_metro import formatting
from ess_metro.directory.models import Commune
from ess_metro.params import parse_year
from programme.models import AnnualProgramme, ProgrammeStatus
from projects.models import (
    Application,
    ApplicationStatus,
    CriterionScore,
    Partnership,
    SelectionCriterion,
)

from . import rules
from .models import (
    COLLEGE_SEATS,
    KEY_MOMENTS,
    PRESENT_STATUSES,
    AgendaItem,
    Attendance,
    College,
    ConflictOfInterest,
    LineComment,
    Mandate,
    Meeting,
    MeetingStatus,
    Opinion,
    Vote,
)
from .permissions import sitting_mandate


def as_context(page) -> dict:
    """A page dataclass as template context (shallow: model instances stay as they are)."""
    return {item.name: getattr(page, item.name) for item in fields(page)}


# --- files of a call on the agenda ----------------------------------------------------------

# The state in which the services hand a file over to the committee.
REVIEWED_STATUS = ApplicationStatus.DIAGNOSED


def files_queryset():
    """Files with what their summary needs, in a constant number of queries."""
    return (
        Application.objects.select_related("call", "organisation", "diagnosis")
        .prefetch_related(
            Prefetch("call__criteria", queryset=SelectionCriterion.objects.order_by("position")),
            Prefetch("diagnosis__scores", queryset=CriterionScore.objects.all()),
            Prefetch(
                "partnerships",
                queryset=Partnership.objects.accepted().select_related("organisation"),
                to_attr="accepted_partnerships",
            ),
            "budget_lines",
            Prefetch("communes", queryset=Commune.objects.order_by("name")),
        )
        .order_by("call__year", "reference", "pk")
    )


def reviewable_files(item=None):
    """Files staff may put on an agenda item: the diagnosed ones, and those already on it."""
    condition = Q(status=REVIEWED_STATUS)
    if item is not None and item.pk:
        condition |= Q(pk__in=item.applications.values("pk"))
    return files_queryset().filter(condition)


def _diagnosis(application):
    try:
        return application.diagnosis
    except Application.diagnosis.RelatedObjectDoesNotExist:
        return None


def weighted_total(application) -> Decimal | None:
    """The weighted score of the economic diagnosis out of 100 (prefetched data only)."""
    diagnosis = _diagnosis(application)
    if diagnosis is None:
        return None
    scores = {score.criterion_id: score.score for score in diagnosis.scores.all()}
    return diagnosis.weighted_total(criteria=application.call.criteria.all(), scores=scores)


@dataclass(frozen=True)
class FileSummary:
    """What the committee members see of a file."""

    pk: int
    reference: str
    organisation: str
    title: str
    call: str
    status: str
    status_code: str
    status_badge: str
    requested_amount: Decimal | None
    proposed_amount: Decimal | None
    weighted_total: Decimal | None
    recommendation: str
    staff_url: str
    partners: tuple[str, ...] = ()
    # The readable summary members get (never the diagnosis' notes nor the attachments).
    summary: str = ""
    social_need: str = ""
    expected_results: str = ""
    communes: tuple[str, ...] = ()
    whole_agglomeration: bool = False
    expense_lines: tuple[tuple[str, Decimal], ...] = ()
    total_expenses: Decimal | None = None
    requested_share: Decimal | None = None

    @property
    def awaits_opinion(self) -> bool:
        return self.status_code == REVIEWED_STATUS


def summarise(application) -> FileSummary:
    diagnosis = _diagnosis(application)
    return FileSummary(
        pk=application.pk,
        reference=application.reference or _("Draft"),
        organisation=application.organisation.name,
        title=application.title,
        call=application.call.title,
        status=str(application.get_status_display()),
        status_code=application.status,
        status_badge=application.status_style,
        requested_amount=application.requested_amount,
        proposed_amount=diagnosis.proposed_amount if diagnosis else None,
        weighted_total=weighted_total(application),
        recommendation=str(diagnosis.get_recommendation_display()) if diagnosis else "",
        staff_url=application.get_staff_url(),
        partners=tuple(p.organisation.name for p in application.accepted_partnerships),
        **_readable_summary(application),
    )


def _readable_summary(application) -> dict:
    """The description and budget of a file, from prefetched data."""
    return {
        "summary": application.summary,
        "social_need": application.social_need,
        "expected_results": application.expected_results,
        "communes": tuple(commune.name for commune in application.communes.all()),
        "whole_agglomeration": application.whole_agglomeration,
        "expense_lines": tuple((line.label, line.amount) for line in application.expense_lines),
        "total_expenses": application.total_expenses,
        "requested_share": application.requested_share,
    }


def item_file_summaries(item) -> list[FileSummary]:
    return [summarise(a) for a in files_queryset().filter(agenda_items=item)]


def choice_label(application) -> str:
    """A readable label for the agenda item form: who, what, how much, which score."""
    total = weighted_total(application)
    return _(
        "%(reference)s — %(organisation)s — %(title)s — requested %(amount)s — "
        "diagnosis %(total)s / 100"
    ) % {
        "reference": application.reference or _("Draft"),
        "organisation": application.organisation.name,
        "title": application.title,
        "amount": formatting.money(application.requested_amount) or "—",
        "total": formatting.number(total, 1) if total is not None else "—",
    }


# --- seats and quorum -----------------------------------------------------------------------


def seats_on(day):
    """Holder mandates active on ``day``: the seats of the committee that day."""
    return Mandate.objects.active(day).holders().with_people()


def meeting_quorum(meeting) -> rules.Quorum:
    """Seats and presences per college for ``meeting`` (three queries)."""
    seats = Mandate.objects.active(meeting.date).holders().values_list("college_id", "pk")
    present = meeting.attendances.filter(presence__in=PRESENT_STATUSES).values_list(
        "mandate_id", flat=True
    )
    return rules.quorum(
        colleges={college.pk: college for college in College.objects.all()},
        seats=list(seats),
        present=list(present),
    )


def meetings_approving_minutes_of(meeting) -> list:
    """The later meetings held with their quorum, which may approve ``meeting``'s minutes."""
    later = Meeting.objects.held().filter(date__gt=meeting.date).order_by("date", "start_time")
    return [
        other
        for other in later
        if rules.may_approve_minutes(
            day=meeting.date,
            at_day=other.date,
            at_held=other.is_held,
            at_quorum=meeting_quorum(other).met,
        )
    ]


def present_seats(meeting) -> dict[int, Mandate]:
    """Seat id → mandate of the seats present or represented at ``meeting``."""
    attendances = meeting.attendances.filter(presence__in=PRESENT_STATUSES).select_related(
        "mandate__person", "mandate__college"
    )
    return {attendance.mandate_id: attendance.mandate for attendance in attendances}


# --- composition ----------------------------------------------------------------------------


@dataclass
class CollegeMembers:
    college: College
    mandates: list = field(default_factory=list)


def composition(on: datetime.date) -> list[CollegeMembers]:
    """The committee sitting on ``on``, college by college."""
    colleges = {college.pk: CollegeMembers(college=college) for college in College.objects.all()}
    for mandate in Mandate.objects.active(on).with_people():
        colleges[mandate.college_id].mandates.append(mandate)
    return list(colleges.values())


def mandates_in_state(state: str):
    """Mandates for the staff list and its export: running (default), ended (termines), all."""
    mandates = Mandate.objects.with_people()
    if state == "termines":
        return mandates.ended().order_by("-end_date")
    if state == "tous":
        return mandates
    return mandates.active()


def mandate_export(mandates) -> tuple[list[str], list[list]]:
    headers = [
        _("College"),
        _("Category"),
        _("Holder or substitute"),
        _("Substitute of"),
        _("Last name"),
        _("First name"),
        _("E-mail"),
        _("Organisation"),
        _("From"),
        _("To"),
    ]
    rows = [
        [
            mandate.college.name,
            mandate.get_category_display(),
            mandate.get_kind_display(),
            str(mandate.holder.person) if mandate.holder_id else "",
            mandate.person.last_name,
            mandate.person.first_name,
            mandate.person.email,
            str(mandate.organisation or ""),
            mandate.start_date,
            mandate.end_date,
        ]
        for mandate in mandates
    ]
    return headers, rows


@dataclass(frozen=True)
class SeatCount:
    college: College
    category: str
    quota: int | None
    holders: int


def seat_counts(day) -> list[SeatCount]:
    """Holders per college and category against the quotas of the seed (two queries)."""
    counts: dict[tuple[int, str], int] = {}
    for college_id, category in (
        Mandate.objects.active(day).holders().values_list("college_id", "category")
    ):
        counts[(college_id, category)] = counts.get((college_id, category), 0) + 1
    return [
        SeatCount(
            college=college,
            category=category.label,
            quota=quota,
            holders=counts.get((college.pk, category.value), 0),
        )
        for college in College.objects.all()
        for category, quota in COLLEGE_SEATS.get(college.code, {}).items()
    ]


# --- the yearly cycle -----------------------------------------------------------------------

SCHEDULED = "scheduled"
HELD = "held"
MISSING = "missing"
STATE_LABELS = {
    SCHEDULED: pgettext_lazy("key moment", "Scheduled"),
    HELD: pgettext_lazy("key moment", "Held"),
    MISSING: pgettext_lazy("key moment", "Missing"),
}


@dataclass(frozen=True)
class CycleMoment:
    moment: str
    label: str
    state: str
    state_label: str
    meetings: list


def _moment_state(meetings) -> str:
    if any(meeting.is_held for meeting in meetings):
        return HELD
    if any(
        meeting.status in {MeetingStatus.PLANNED, MeetingStatus.CONVENED} for meeting in meetings
    ):
        return SCHEDULED
    return MISSING


def year_cycle(year: int) -> list[CycleMoment]:
    """One row per key moment of the cycle of ``year``: its state and the meetings behind it
    (one query). A meeting counts in the cycle of the year it is held and in that of the year
    it is about: the 2026 communication strategy, discussed in November 2025, is held for 2026."""
    meetings = list(Meeting.objects.filter(Q(date__year=year) | Q(year=year)).order_by("date"))
    rows = []
    for moment in KEY_MOMENTS:
        found = [meeting for meeting in meetings if meeting.key_moment == moment]
        state = _moment_state(found)
        rows.append(
            CycleMoment(
                moment=moment,
                label=moment.label,
                state=state,
                state_label=STATE_LABELS[state],
                meetings=found,
            )
        )
    return rows


# --- members' pages -------------------------------------------------------------------------


@dataclass
class CommitteeHome:
    upcoming: list
    documents: list
    past: object
    draft_programmes: object
    cycle: list
    year: str
    my_mandates: object


def committee_home(user) -> CommitteeHome:
    meetings = Meeting.objects.visible_to(user)
    today = timezone.localdate()
    items = AgendaItem.objects.prefetch_related("documents").order_by("start_time")
    upcoming = list(
        meetings.upcoming(today)
        .order_by("date", "start_time")
        .prefetch_related(Prefetch("items", queryset=items))[:5]
    )
    return CommitteeHome(
        upcoming=upcoming,
        documents=[
            document
            for meeting in upcoming
            for item in meeting.items.all()
            for document in item.documents.all()
        ],
        past=meetings.past(today).held().order_by("-date")[:10],
        draft_programmes=AnnualProgramme.objects.filter(status=ProgrammeStatus.SUBMITTED).annotate(
            line_count=Count("lines")
        ),
        cycle=year_cycle(today.year),
        year=str(today.year),
        my_mandates=Mandate.objects.active(today)
        .filter(person=user)
        .select_related("college", "organisation"),
    )


def _meeting_items(meeting):
    return meeting.items.select_related(
        "orientation", "programme", "strategy", "opinion"
    ).prefetch_related(
        "documents",
        Prefetch("applications", queryset=files_queryset()),
        "opinion__votes__mandate__college",
        "opinion__votes__mandate__person",
        Prefetch(
            "conflicts", queryset=ConflictOfInterest.objects.select_related("mandate__person")
        ),
    )


@dataclass
class MeetingPage:
    meeting: Meeting
    items: list
    quorum: rules.Quorum | None
    seat: Mandate | None
    my_attendance: Attendance | None
    conflicted_items: set
    approved_minutes: object


def meeting_page(meeting, user) -> MeetingPage:
    mandate = sitting_mandate(user, meeting.date)
    seat = mandate.seat if mandate else None
    attendance = Attendance.objects.filter(meeting=meeting, mandate=seat).first() if seat else None
    items = list(_meeting_items(meeting))
    for item in items:
        # Only the summary reaches the template: never the diagnosis' private notes.
        item.file_summaries = [summarise(a) for a in item.applications.all()]
    return MeetingPage(
        meeting=meeting,
        items=items,
        quorum=meeting_quorum(meeting) if meeting.is_held else None,
        seat=seat,
        my_attendance=attendance,
        conflicted_items={
            item.pk
            for item in items
            for conflict in item.conflicts.all()
            if seat and conflict.mandate_id == seat.pk
        },
        approved_minutes=meeting.approved_minutes.all(),
    )


def programme_lines(programme):
    """The lines of a programme under review, with the members' comments."""
    comments = LineComment.objects.select_related("author").order_by("created_at")
    return programme.lines.select_related("axis__orientation", "beneficiary").prefetch_related(
        Prefetch("committee_comments", queryset=comments)
    )


def feed_meetings(user):
    """The meetings of the calendar feed: the last twelve months and the future, once the
    members have been convened (a meeting still being planned is in nobody's calendar)."""
    since = timezone.localdate() - datetime.timedelta(days=365)
    return (
        Meeting.objects.visible_to(user)
        .announced()
        .filter(date__gte=since)
        .order_by("date")
        .prefetch_related(Prefetch("items", queryset=AgendaItem.objects.order_by("start_time")))
    )


# --- register -------------------------------------------------------------------------------


def register_opinions(user, year: str = "") -> tuple[object, str]:
    """The register's opinions, for one year when ``year`` is digits (else every year)."""
    opinions = Opinion.objects.visible_to(user).for_register()
    if parse_year(year) is not None:
        return opinions.filter(item__meeting__date__year=int(year)), year
    return opinions, ""


def register_years(user) -> list[str]:
    return [
        str(day.year)
        for day in Meeting.objects.visible_to(user)
        .filter(items__opinion__isnull=False)
        .dates("date", "year", order="DESC")
    ]


def _register_headers(colleges) -> list[str]:
    headers = [_("Date"), _("Meeting"), _("Item"), _("Object"), _("Opinion"), _("Text")]
    for college in colleges:
        headers += [
            _("%(college)s: for") % {"college": college.name},
            _("%(college)s: against") % {"college": college.name},
            _("%(college)s: abstention") % {"college": college.name},
        ]
    headers.append(_("Abstained for a conflict of interest"))
    return headers


def register_table(opinions) -> tuple[list[str], list[list]]:
    """Headers and rows of the register (opinions from ``Opinion.objects.for_register()``)."""
    colleges = list(College.objects.all())
    rows = []
    for opinion in opinions:
        item = opinion.item
        tallies = {row["college"].pk: row for row in opinion.tallies()}
        row = [
            item.meeting.date,
            item.meeting.display_title,
            str(item),
            item.object_label or (str(item.orientation) if item.orientation_id else ""),
            opinion.get_outcome_display(),
            opinion.text,
        ]
        for college in colleges:
            tally = tallies.get(college.pk, rules.count_choices([]))
            row += [tally["for"], tally["against"], tally["abstention"]]
        row.append(", ".join(str(vote.mandate.person) for vote in opinion.conflicted_votes()))
        rows.append(row)
    return _register_headers(colleges), rows


# --- staff pages ----------------------------------------------------------------------------


@dataclass
class MeetingManagePage(MeetingPage):
    attendances: object = None
    transitions: object = None
    can_record_attendance: bool = False


def meeting_manage(meeting, user) -> MeetingManagePage:
    page = meeting_page(meeting, user)
    return MeetingManagePage(
        **as_context(page),
        attendances=meeting.attendances.select_related(
            "mandate__person", "mandate__college", "mandate__organisation"
        ),
        transitions=meeting.transitions.select_related("user"),
        can_record_attendance=meeting.status in {MeetingStatus.CONVENED, MeetingStatus.HELD}
        and rules.has_taken_place(meeting.date, today=timezone.localdate()),
    )


def meetings_for_staff():
    return Meeting.objects.annotate(
        item_count=Count("items", distinct=True),
        reply_count=Count("attendances", filter=~Q(attendances__reply=""), distinct=True),
    ).order_by("-date")


def attendance_seats(meeting) -> tuple[list, dict]:
    """The seats of the day, in sheet order, and their attendance rows by seat id."""
    seats = list(seats_on(meeting.date).order_by("college__number", "category"))
    return seats, {a.mandate_id: a for a in meeting.attendances.all()}


def attendance_sheet(meeting) -> list[dict]:
    """The rows of the attendance sheet: each seat, its substitutes, its reply."""
    substitutes = Mandate.objects.active(meeting.date).select_related("person")
    seats = (
        seats_on(meeting.date)
        .prefetch_related(Prefetch("substitutes", queryset=substitutes))
        .order_by("college__number", "category", "person__last_name")
    )
    replies = {a.mandate_id: a for a in meeting.attendances.all()}
    return [{"seat": seat, "attendance": replies.get(seat.pk)} for seat in seats]


def opinion_voters(item) -> tuple[list, set]:
    """The seats that vote on ``item`` and those with a conflict of interest on it."""
    voters = list(present_seats(item.meeting).values())
    return voters, set(item.conflicts.values_list("mandate_id", flat=True))


# --- what the programme app shows about the committee ---------------------------------------


def _programme_opinion(programme):
    return (
        Opinion.objects.filter(item__programme=programme, item__is_evaluation=False)
        .select_related("item__meeting")
        .prefetch_related(
            Prefetch(
                "votes", queryset=Vote.objects.select_related("mandate__college", "mandate__person")
            )
        )
        .order_by("-item__meeting__date")
        .first()
    )


def _members_by_college(day) -> list[dict]:
    colleges: dict[int, dict] = {}
    mandates = (
        Mandate.objects.active(day)
        .with_people()
        .order_by("college__number", "category", "kind", "person__last_name")
    )
    for mandate in mandates:
        row = colleges.setdefault(
            mandate.college.number, {"name": mandate.college.name, "members": []}
        )
        row["members"].append(
            {
                "name": str(mandate.person),
                "organisation": str(mandate.organisation or ""),
                "kind": str(mandate.get_kind_display()),
            }
        )
    return [colleges[number] for number in sorted(colleges)]


def _opinion_summary(opinion, day) -> dict:
    return {
        "date": day,
        "outcome": str(opinion.get_outcome_display()),
        "text": opinion.text,
        "tallies": [
            {
                "college": row["college"].name,
                "for": row["for"],
                "against": row["against"],
                "abstention": row["abstention"],
            }
            for row in opinion.tallies()
        ],
        "conflicts": [str(vote.mandate.person) for vote in opinion.conflicted_votes()],
    }


def committee_review_for_programme(programme) -> dict:
    """Composition by college on the programme's date, and the committee's recorded opinion
    (the format of ``programme/review.py``)."""
    opinion = _programme_opinion(programme)
    if opinion is not None:
        day = opinion.item.meeting.date
    else:
        day = timezone.localtime(programme.created_at).date() if programme.created_at else None
        day = day or timezone.localdate()
    return {
        "colleges": _members_by_college(day),
        "opinion": None if opinion is None else _opinion_summary(opinion, day),
    }
