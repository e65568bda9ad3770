"""Pure rules of the steering committee: quorum, votes, opinions, agenda, seat quotas.

No database, no request: plain values in, values or ``ValidationError`` out. The services and
selectors fetch the data and call these; ``tests/governance/test_rules.py`` pins each one at
its boundaries (mutation testing runs those tests).

The quorum (documented on the meeting page and in the README):

- the seats of a meeting are the holder mandates active on the meeting's date (substitutes do
  not add seats: they represent their holder);
- a seat counts when its holder is present or represented by their substitute;
- a college reaches its quorum when a strict majority of its seats count (``seats // 2 + 1``);
  a college without seats has no quorum to reach, and never "meets" it;
- the committee reaches its quorum, and may vote, when a strict majority of all its seats
  count; a meeting with no seat at all does not meet its quorum.
"""

import datetime
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

# The values of ``governance.models.VoteChoice`` and ``Outcome`` (the rules take plain values).
FOR = "for"
AGAINST = "against"
ABSTENTION = "abstention"
VOTE_CHOICES = (FOR, AGAINST, ABSTENTION)
FAVOURABLE_OUTCOMES = frozenset({"favourable", "reserved"})


# --- quorum ---------------------------------------------------------------------------------


def majority(seats: int) -> int:
    """The strict majority of ``seats``: more than half of them (0 when there is no seat)."""
    if seats <= 0:
        return 0
    return seats // 2 + 1


class StrictMajority:
    """What ``seats`` and ``present`` need: a strict majority, and at least one seat."""

    seats: int
    present: int

    @property
    def required(self) -> int:
        return majority(self.seats)

    @property
    def met(self) -> bool:
        return self.seats > 0 and self.present >= self.required


@dataclass(frozen=True)
class CollegeQuorum(StrictMajority):
    """Seats and seats present or represented in one college (``college`` is shown only)."""

    college: object
    seats: int = 0
    present: int = 0


@dataclass(frozen=True)
class Quorum(StrictMajority):
    """The quorum of a meeting, per college and overall."""

    colleges: list[CollegeQuorum] = field(default_factory=list)

    @property
    def seats(self) -> int:
        return sum(row.seats for row in self.colleges)

    @property
    def present(self) -> int:
        return sum(row.present for row in self.colleges)

    @property
    def colleges_short(self) -> list[CollegeQuorum]:
        """The colleges with seats that did not reach their own quorum."""
        return [row for row in self.colleges if row.seats and not row.met]

    @property
    def summary(self) -> str:
        return quorum_summary(self)


def quorum_summary(result: Quorum) -> str:
    """One sentence on the quorum: the committee's, and every college that lacks its own."""
    if result.met:
        overall = _("The committee's quorum is met")
    else:
        overall = _("The committee's quorum is NOT met, no vote is possible")
    short = result.colleges_short
    if not short:
        if result.met:
            return _("%(overall)s, in every college.") % {"overall": overall}
        return _("%(overall)s.") % {"overall": overall}
    details = pgettext("list separator", "; ").join(
        _("“%(college)s” (%(present)s of %(seats)s present or represented, %(required)s required)")
        % {
            "college": getattr(row.college, "name", row.college),
            "present": row.present,
            "seats": row.seats,
            "required": row.required,
        }
        for row in short
    )
    return ngettext(
        "%(overall)s; this college lacks its quorum: %(details)s.",
        "%(overall)s; these colleges lack their quorum: %(details)s.",
        len(short),
    ) % {"overall": overall, "details": details}


def quorum(
    *,
    colleges: Mapping[Hashable, object],
    seats: Iterable[tuple[Hashable, int]],
    present: Iterable[int],
) -> Quorum:
    """Count the quorum.

    ``colleges``: college key → college, in display order; ``seats``: (college key, seat id)
    of every seat of the day; ``present``: ids of the seats present or represented (ids that
    are not seats of the day, such as a substitute's own mandate, are ignored).
    """
    college_of = {seat_id: key for key, seat_id in seats}
    counted = dict.fromkeys(colleges, 0)
    for seat_id in set(present):
        if seat_id in college_of:
            counted[college_of[seat_id]] += 1
    sizes = dict.fromkeys(colleges, 0)
    for key in college_of.values():
        sizes[key] += 1
    return Quorum(
        colleges=[
            CollegeQuorum(college=college, seats=sizes[key], present=counted[key])
            for key, college in colleges.items()
        ]
    )


def check_quorum(result: Quorum) -> None:
    """Votes are taken only when the committee's overall quorum is met."""
    if not result.met:
        raise ValidationError(
            _(
                "The quorum is not met (%(present)s of %(seats)s seats present or represented, "
                "%(required)s required): the opinion cannot be recorded."
            )
            % {"present": result.present, "seats": result.seats, "required": result.required}
        )


# --- votes and opinions ---------------------------------------------------------------------


def count_choices(choices: Iterable[str]) -> dict[str, int]:
    """How many for, against and abstention among ``choices``."""
    counts = dict.fromkeys(VOTE_CHOICES, 0)
    for choice in choices:
        counts[choice] += 1
    return counts


def tallies(votes: Iterable[tuple[object, str]], *, order: Callable) -> list[dict]:
    """Votes counted per college: ``votes`` are (college, choice); rows sorted by ``order``."""
    by_college: dict[object, list[str]] = {}
    for college, choice in votes:
        by_college.setdefault(college, []).append(choice)
    rows = [
        {"college": college, **count_choices(choices)} for college, choices in by_college.items()
    ]
    return sorted(rows, key=lambda row: order(row["college"]))


def is_favourable(outcome: str) -> bool:
    """A favourable opinion, with or without reservations (it validates a strategy)."""
    return outcome in FAVOURABLE_OUTCOMES


def check_no_opinion_yet(has_opinion: bool) -> None:
    """One opinion per agenda item: a second one is refused."""
    if has_opinion:
        raise ValidationError(_("The opinion on this item has already been recorded."))


def check_opinion_open(*, held: bool) -> None:
    if not held:
        raise ValidationError(_("An opinion is recorded once attendance has been recorded."))


def check_votes(
    *, votes: Mapping[int, str], present: Mapping[int, str], conflicted: Iterable[int]
) -> None:
    """``votes``: seat id → choice; ``present``: seat id → name of the seats present or
    represented; a seat with a conflict of interest may only abstain."""
    conflicted = set(conflicted)
    for seat_id, choice in votes.items():
        if seat_id not in present:
            raise ValidationError(_("Only members present or represented at the meeting can vote."))
        if choice not in VOTE_CHOICES:
            raise ValidationError(_("Choose for, against or abstention."))
        if seat_id in conflicted and choice != ABSTENTION:
            raise ValidationError(
                _("%(person)s has a conflict of interest on this item and cannot vote on it.")
                % {"person": present[seat_id]}
            )


def ballots(
    *, votes: Mapping[int, str], present: Iterable[int], conflicted: Iterable[int]
) -> list[tuple[int, str, bool]]:
    """The votes to record, as (seat id, choice, abstained for a conflict): a conflicted seat
    present abstains for that reason; a seat present without a vote records nothing."""
    conflicted = set(conflicted)
    rows = []
    for seat_id in present:
        if seat_id in conflicted:
            rows.append((seat_id, ABSTENTION, True))
        elif seat_id in votes:
            rows.append((seat_id, votes[seat_id], False))
    return rows


# --- meetings and agenda --------------------------------------------------------------------


def check_not_cancelled(cancelled: bool) -> None:
    if cancelled:
        raise ValidationError(_("This meeting has been cancelled."))


def check_cancellable(*, cancelled: bool, held: bool) -> None:
    if cancelled:
        raise ValidationError(_("This meeting is already cancelled."))
    if held:
        raise ValidationError(
            _("A meeting that has been held cannot be cancelled: its attendance is recorded.")
        )


def check_cancel_reason(reason: str) -> str:
    """The reason of a cancellation, stripped; an empty one is refused."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the cancellation.")})
    return reason


def has_taken_place(day: datetime.date, *, today: datetime.date) -> bool:
    """Attendance is recorded on the day of the meeting or later."""
    return day <= today


def may_approve_minutes(
    *, day: datetime.date, at_day: datetime.date, at_held: bool, at_quorum: bool
) -> bool:
    """A meeting approves minutes when it is later, has been held and reached its quorum."""
    return at_day > day and at_held and at_quorum


def check_minutes_approval(
    *,
    has_minutes: bool,
    day: datetime.date,
    at_day: datetime.date,
    at_held: bool,
    at_quorum: bool,
) -> None:
    """Minutes are written, then approved at a later meeting held with its quorum."""
    if not has_minutes:
        raise ValidationError(_("Write the minutes before having them approved."))
    if at_day <= day or not at_held:
        raise ValidationError(_("Minutes are approved at a later meeting that has been held."))
    if not at_quorum:
        raise ValidationError(
            _("The meeting chosen did not reach its quorum: it cannot approve minutes.")
        )


def ends_after_start(start, end) -> bool:
    """A meeting or an agenda item must end strictly after it starts."""
    return end > start


def _hour(value) -> str:
    return value.strftime("%Hh%M")


def check_within_meeting(start, end, *, meeting_start, meeting_end) -> None:
    """An agenda item fits in the meeting's hours (it may start or end with the meeting)."""
    errors = {}
    if start < meeting_start:
        errors["start_time"] = _(
            "The meeting starts at %(time)s: an item cannot start before it."
        ) % {"time": _hour(meeting_start)}
    if end > meeting_end:
        errors["end_time"] = _("The meeting ends at %(time)s: an item cannot end after it.") % {
            "time": _hour(meeting_end)
        }
    if errors:
        raise ValidationError(errors)


def items_outside(meeting_start, meeting_end, items: Iterable[tuple[object, object, object]]):
    """The labels of the items (start, end, label) that do not fit in the meeting's hours."""
    return [label for start, end, label in items if start < meeting_start or end > meeting_end]


def first_overlap(start, end, others: Iterable[tuple[object, object, object]]):
    """The first of ``others`` (start, end, label) whose time overlaps [start, end), or None.

    Adjacent items (one ends when the next starts) do not overlap."""
    for other_start, other_end, label in others:
        if other_start < end and other_end > start:
            return label
    return None


def check_no_overlap(start, end, others: Iterable[tuple[object, object, object]]) -> None:
    clash = first_overlap(start, end, others)
    if clash is not None:
        raise ValidationError(
            {
                "start_time": _("This item overlaps “%(item)s”: agenda items cannot overlap.")
                % {"item": clash}
            }
        )


# --- seats ----------------------------------------------------------------------------------


def quota_reached(*, quota: int | None, holders: int) -> bool:
    """Whether ``holders`` already fill a quota (None: no quota, never reached)."""
    return quota is not None and holders >= quota


def check_quota(*, quota: int | None, holders: int, college: str, category: str) -> None:
    """A new holder is refused when the other holders over the period fill the quota."""
    if quota_reached(quota=quota, holders=holders):
        raise ValidationError(
            {
                "category": _(
                    "The %(college)s already has %(count)s holder(s) for “%(category)s” "
                    "over this period, the maximum allowed: end a mandate first."
                )
                % {"college": college, "count": quota, "category": category}
            }
        )
