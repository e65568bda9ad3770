"""Boundary tests of the committee's pure rules (no database): quorum, votes, opinions,
agenda, quotas. Each threshold is tested just below, at and just above it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from governance import rules

T = datetime.time
DAY = datetime.date(2025, 3, 12)


def messages(error: ValidationError) -> list[str]:
    return list(error.value.messages)


def field_messages(error, name: str) -> list[str]:
    return list(error.value.message_dict[name])


# --- majority and quorum --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seats", "required"),
    [(-1, 0), (0, 0), (1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (12, 7), (13, 7)],
)
def test_strict_majority(seats, required):
    assert rules.majority(seats) == required


@pytest.mark.parametrize(
    ("seats", "present", "met"),
    [
        (2, 1, False),
        (2, 2, True),
        (3, 1, False),
        (3, 2, True),
        (3, 3, True),
        (4, 2, False),
        (4, 3, True),
        (1, 0, False),
        (1, 1, True),
        (0, 0, False),
        (0, 1, False),
    ],
)
def test_college_quorum_needs_a_strict_majority_of_its_seats(seats, present, met):
    row = rules.CollegeQuorum(college="c", seats=seats, present=present)
    assert row.required == rules.majority(seats)
    assert row.met is met


def test_college_quorum_defaults_to_no_seat():
    row = rules.CollegeQuorum(college="c")
    assert (row.seats, row.present, row.required, row.met) == (0, 0, 0, False)


def _quorum(*rows):
    return rules.Quorum(
        colleges=[
            rules.CollegeQuorum(college=i, seats=s, present=p) for i, (s, p) in enumerate(rows)
        ]
    )


@pytest.mark.parametrize(
    ("rows", "seats", "present", "required", "met"),
    [
        (((2, 1), (2, 1)), 4, 2, 3, False),
        (((2, 2), (2, 1)), 4, 3, 3, True),
        (((3, 3), (2, 0)), 5, 3, 3, True),
        (((3, 2), (2, 0)), 5, 2, 3, False),
        (((1, 1),), 1, 1, 1, True),
        (((0, 0), (0, 0)), 0, 0, 0, False),
        ((), 0, 0, 0, False),
    ],
)
def test_overall_quorum_adds_up_the_colleges(rows, seats, present, required, met):
    result = _quorum(*rows)
    assert (result.seats, result.present, result.required, result.met) == (
        seats,
        present,
        required,
        met,
    )


def test_the_overall_quorum_can_be_met_while_a_college_is_not():
    result = _quorum((3, 3), (2, 0))
    assert result.met
    assert [row.met for row in result.colleges] == [True, False]


def _named_quorum(**rows):
    """rows: college name → (seats, present)."""
    seats, present, seat_id = [], [], 0
    for name, (count, here) in rows.items():
        for index in range(count):
            seat_id += 1
            seats.append((name, seat_id))
            if index < here:
                present.append(seat_id)
    return rules.quorum(colleges={name: name for name in rows}, seats=seats, present=present)


def test_the_summary_names_the_college_that_lacks_its_quorum():
    # The case: the committee is quorate, the ESS actors are 6 of 12 (7 required).
    result = _named_quorum(**{"Acteurs de l'ESS": (12, 6), "Communes": (14, 14)})
    assert result.met
    assert [row.college for row in result.colleges_short] == ["Acteurs de l'ESS"]
    assert result.summary == (
        "Le quorum du comité est atteint ; ce collège n'atteint pas son quorum : "
        "« Acteurs de l'ESS » (présents ou représentés : 6 sur 12, 7 requis)."
    )


def test_the_summary_when_every_college_is_quorate_or_none_is():
    assert _named_quorum(A=(3, 2), B=(2, 2)).summary == (
        "Le quorum du comité est atteint, dans chaque collège."
    )
    assert _named_quorum(A=(3, 1), B=(2, 0)).summary == (
        "Le quorum du comité n'est PAS atteint, aucun vote n'est possible ; ces collèges "
        "n'atteignent pas leur quorum : « A » (présents ou représentés : 1 sur 3, 2 requis) ; "
        "« B » (présents ou représentés : 0 sur 2, 2 requis)."
    )
    # A college without seats has no quorum to reach and is not named.
    assert _named_quorum(A=(1, 1), B=(0, 0)).summary == (
        "Le quorum du comité est atteint, dans chaque collège."
    )


def test_quorum_counts_seats_and_presences_per_college_in_college_order():
    result = rules.quorum(
        colleges={"ess": "ESS", "communes": "Communes", "public": "Public"},
        seats=[("communes", 10), ("ess", 1), ("ess", 2), ("ess", 3), ("communes", 11)],
        # 99 is a substitute's own mandate, not a seat; a seat listed twice counts once.
        present=[1, 2, 2, 99, 10],
    )
    assert [(row.college, row.seats, row.present) for row in result.colleges] == [
        ("ESS", 3, 2),
        ("Communes", 2, 1),
        ("Public", 0, 0),
    ]
    assert (result.seats, result.present, result.required, result.met) == (5, 3, 3, True)


def test_a_meeting_without_any_active_seat_does_not_meet_its_quorum():
    result = rules.quorum(colleges={"ess": "ESS"}, seats=[], present=[])
    assert (result.seats, result.present, result.required, result.met) == (0, 0, 0, False)
    with pytest.raises(ValidationError) as error:
        rules.check_quorum(result)
    assert "(0 sièges présents ou représentés sur 0, 0 requis)" in messages(error)[0]


def test_votes_are_refused_without_the_quorum_with_the_numbers():
    with pytest.raises(ValidationError) as error:
        rules.check_quorum(_quorum((4, 2), (1, 0)))
    assert messages(error) == [
        "Le quorum n'est pas atteint (2 sièges présents ou représentés sur 5, 3 requis) : "
        "l'avis ne peut pas être enregistré."
    ]


def test_votes_are_accepted_at_the_quorum_exactly():
    rules.check_quorum(_quorum((4, 2), (1, 1)))


# --- votes and opinions ---------------------------------------------------------------------


def test_vote_choices_are_the_model_s():
    assert rules.VOTE_CHOICES == ("for", "against", "abstention")
    assert (rules.FOR, rules.AGAINST, rules.ABSTENTION) == rules.VOTE_CHOICES


def test_choices_are_counted():
    assert rules.count_choices([]) == {"for": 0, "against": 0, "abstention": 0}
    assert rules.count_choices(["for", "against", "for", "abstention", "for"]) == {
        "for": 3,
        "against": 1,
        "abstention": 1,
    }


def test_votes_are_counted_per_college_in_college_order():
    votes = [("b", "for"), ("a", "against"), ("b", "abstention"), ("a", "against"), ("b", "for")]
    order = {"a": 1, "b": 2}
    assert rules.tallies(votes, order=order.get) == [
        {"college": "a", "for": 0, "against": 2, "abstention": 0},
        {"college": "b", "for": 2, "against": 0, "abstention": 1},
    ]
    assert rules.tallies(votes, order=lambda college: -order[college])[0]["college"] == "b"
    assert rules.tallies([], order=order.get) == []


@pytest.mark.parametrize(
    ("outcome", "favourable"),
    [("favourable", True), ("reserved", True), ("unfavourable", False), ("", False)],
)
def test_favourable_outcomes(outcome, favourable):
    assert rules.is_favourable(outcome) is favourable


def test_a_second_opinion_on_the_same_item_is_refused():
    rules.check_no_opinion_yet(False)
    with pytest.raises(ValidationError) as error:
        rules.check_no_opinion_yet(True)
    assert messages(error) == ["L'avis sur ce point a déjà été enregistré."]


def test_an_opinion_waits_for_the_attendance():
    rules.check_opinion_open(held=True)
    with pytest.raises(ValidationError) as error:
        rules.check_opinion_open(held=False)
    assert messages(error) == ["Un avis s'enregistre une fois les présences saisies."]


PRESENT = {1: "Anne Martin", 2: "Paul Durand", 3: "Léa Petit"}


def test_valid_votes_pass():
    rules.check_votes(
        votes={1: "for", 2: "against", 3: "abstention"}, present=PRESENT, conflicted={3}
    )
    rules.check_votes(votes={}, present={}, conflicted=set())


def test_a_seat_not_present_cannot_vote():
    with pytest.raises(ValidationError) as error:
        rules.check_votes(votes={1: "for", 4: "for"}, present=PRESENT, conflicted=set())
    assert messages(error) == [
        "Seuls les membres présents ou représentés à la séance peuvent voter."
    ]


def test_an_unknown_choice_is_refused():
    with pytest.raises(ValidationError) as error:
        rules.check_votes(votes={1: "maybe"}, present=PRESENT, conflicted=set())
    assert messages(error) == ["Choisissez pour, contre ou abstention."]


@pytest.mark.parametrize("choice", ["for", "against"])
def test_a_conflicted_seat_may_only_abstain(choice):
    with pytest.raises(ValidationError) as error:
        rules.check_votes(votes={1: "for", 2: choice}, present=PRESENT, conflicted=[2])
    assert messages(error) == [
        "Paul Durand a un conflit d'intérêts sur ce point et ne peut pas voter."
    ]


def test_ballots_record_conflicted_seats_as_abstaining_and_skip_silent_seats():
    assert rules.ballots(
        votes={1: "for", 2: "for", 3: "against", 9: "for"}, present=[3, 2, 1, 4], conflicted=[2]
    ) == [(3, "against", False), (2, "abstention", True), (1, "for", False)]
    assert rules.ballots(votes={}, present=[], conflicted=[]) == []


# --- meetings -------------------------------------------------------------------------------


def test_a_cancelled_meeting_refuses_everything():
    rules.check_not_cancelled(False)
    with pytest.raises(ValidationError) as error:
        rules.check_not_cancelled(True)
    assert messages(error) == ["Cette séance a été annulée."]


def test_only_a_meeting_neither_cancelled_nor_held_can_be_cancelled():
    rules.check_cancellable(cancelled=False, held=False)
    with pytest.raises(ValidationError) as error:
        rules.check_cancellable(cancelled=True, held=False)
    assert messages(error) == ["Cette séance est déjà annulée."]
    with pytest.raises(ValidationError) as error:
        rules.check_cancellable(cancelled=False, held=True)
    assert messages(error) == [
        "Une séance qui s'est tenue ne peut pas être annulée : ses présences sont enregistrées."
    ]


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_cancellation_needs_a_reason(reason):
    with pytest.raises(ValidationError) as error:
        rules.check_cancel_reason(reason)
    assert field_messages(error, "reason") == ["Indiquez le motif de l'annulation."]


def test_the_reason_of_a_cancellation_is_stripped():
    assert rules.check_cancel_reason("  Salle indisponible. \n") == "Salle indisponible."


@pytest.mark.parametrize(("days", "taken_place"), [(-1, True), (0, True), (1, False)])
def test_attendance_is_recorded_from_the_day_of_the_meeting(days, taken_place):
    day = DAY + datetime.timedelta(days=days)
    assert rules.has_taken_place(day, today=DAY) is taken_place


def test_minutes_are_written_before_their_approval():
    with pytest.raises(ValidationError) as error:
        rules.check_minutes_approval(
            has_minutes=False,
            day=DAY,
            at_day=DAY + datetime.timedelta(days=30),
            at_held=True,
            at_quorum=True,
        )
    assert messages(error) == ["Rédigez le procès-verbal avant de le faire approuver."]


@pytest.mark.parametrize(
    ("days", "held", "accepted"),
    [(-1, True, False), (0, True, False), (1, True, True), (1, False, False)],
)
def test_minutes_are_approved_at_a_later_meeting_held(days, held, accepted):
    kwargs = {
        "has_minutes": True,
        "day": DAY,
        "at_day": DAY + datetime.timedelta(days=days),
        "at_quorum": True,
    }
    if accepted:
        rules.check_minutes_approval(**kwargs, at_held=held)
        return
    with pytest.raises(ValidationError) as error:
        rules.check_minutes_approval(**kwargs, at_held=held)
    assert messages(error) == [
        "Le procès-verbal s'approuve lors d'une séance ultérieure déjà tenue."
    ]


def test_minutes_are_approved_only_at_a_meeting_with_its_quorum():
    kwargs = {"has_minutes": True, "day": DAY, "at_day": DAY + datetime.timedelta(days=1)}
    rules.check_minutes_approval(**kwargs, at_held=True, at_quorum=True)
    with pytest.raises(ValidationError) as error:
        rules.check_minutes_approval(**kwargs, at_held=True, at_quorum=False)
    assert messages(error) == [
        "La séance choisie n'a pas atteint son quorum : elle ne peut pas approuver "
        "de procès-verbal."
    ]


@pytest.mark.parametrize(
    ("days", "held", "quorum", "may"),
    [
        (0, True, True, False),
        (1, True, True, True),
        (1, False, True, False),
        (1, True, False, False),
    ],
)
def test_which_meetings_may_approve_minutes(days, held, quorum, may):
    at_day = DAY + datetime.timedelta(days=days)
    assert rules.may_approve_minutes(day=DAY, at_day=at_day, at_held=held, at_quorum=quorum) is may


# --- agenda ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "valid"),
    [(T(14, 45), T(14, 44), False), (T(14, 45), T(14, 45), False), (T(14, 45), T(14, 46), True)],
)
def test_an_item_ends_after_it_starts(start, end, valid):
    assert rules.ends_after_start(start, end) is valid


OTHERS = [(T(14, 45), T(15, 15), "first"), (T(15, 30), T(16, 0), "second")]


@pytest.mark.parametrize(
    ("start", "end", "clash"),
    [
        (T(14, 0), T(14, 45), None),  # ends when the first starts
        (T(14, 0), T(14, 46), "first"),  # one minute into the first
        (T(15, 15), T(15, 30), None),  # between the two, touching both
        (T(15, 14), T(15, 30), "first"),  # starts one minute before the first ends
        (T(15, 15), T(15, 31), "second"),  # one minute into the second
        (T(15, 0), T(15, 45), "first"),  # over both: the first is named
        (T(14, 50), T(15, 0), "first"),  # inside the first
        (T(14, 30), T(15, 20), "first"),  # around the first
        (T(16, 0), T(16, 30), None),  # after the second
    ],
)
def test_agenda_items_that_overlap_are_found(start, end, clash):
    assert rules.first_overlap(start, end, OTHERS) == clash


def test_an_overlapping_item_is_refused_on_its_start_time():
    rules.check_no_overlap(T(15, 15), T(15, 30), OTHERS)
    rules.check_no_overlap(T(9, 0), T(10, 0), [])
    with pytest.raises(ValidationError) as error:
        rules.check_no_overlap(T(15, 0), T(15, 20), OTHERS)
    assert field_messages(error, "start_time") == [
        "Ce point chevauche « first » : les points de l'ordre du jour ne peuvent pas se chevaucher."
    ]


# --- quotas ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quota", "holders", "reached"),
    [
        (2, 1, False),
        (2, 2, True),
        (2, 3, True),
        (1, 0, False),
        (1, 1, True),
        (8, 7, False),
        (8, 8, True),
        (0, 0, True),
        (None, 0, False),
        (None, 100, False),
    ],
)
def test_college_quotas(quota, holders, reached):
    assert rules.quota_reached(quota=quota, holders=holders) is reached


def test_a_holder_over_the_quota_is_refused_with_the_quota():
    rules.check_quota(quota=2, holders=1, college="Collège A", category="Coopératives")
    rules.check_quota(quota=None, holders=5, college="Collège A", category="Communes")
    with pytest.raises(ValidationError) as error:
        rules.check_quota(quota=2, holders=2, college="Collège A", category="Coopératives")
    assert field_messages(error, "category") == [
        "Le Collège A compte déjà 2 titulaire(s) « Coopératives » sur cette période, le "
        "maximum autorisé : mettez d'abord fin à un mandat."
    ]
