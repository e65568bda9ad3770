"""Boundary tests of the pure rules of conventions (no database): just below, at and just
above each threshold, each branch and each message. ``make mutation`` runs them."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from projects.conventions import rules
from projects.conventions.rules import ADVANCE, BALANCE, SINGLE, TrancheLine

NBSP = "\u00a0"


def refusals(function, *args, **kwargs) -> list[str]:
    try:
        function(*args, **kwargs)
    except ValidationError as error:
        return error.messages
    return []


# --- years -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "end"), [(2024, 2024), (2024, 2025), (2024, 2027)])
def test_a_convention_lasts_one_to_four_years(start, end):
    assert refusals(rules.check_years, start, end) == []


def test_five_years_is_one_too_many():
    assert refusals(rules.check_years, 2024, 2028) == ["Une convention dure de 1 à 4 ans."]
    assert rules.MAX_CONVENTION_YEARS == 4


def test_the_last_year_cannot_come_first():
    assert refusals(rules.check_years, 2025, 2024) == [
        "La dernière année ne peut pas précéder la première."
    ]


# --- tranches ----------------------------------------------------------------------------------


def check(tranches, granted, start=2024, end=2026):
    return refusals(
        rules.check_tranches,
        start_year=start,
        end_year=end,
        tranches=tranches,
        amount_granted=D(granted),
    )


def test_tranches_that_fit_are_accepted():
    tranches = [TrancheLine(2024, D("100.00"), 2024), TrancheLine(2026, D("0.01"), 2026)]
    assert check(tranches, "100.01") == []


def test_tranches_must_add_up_to_the_amount_granted():
    tranches = [TrancheLine(2024, D("3"), 2024), TrancheLine(2025, D("3"), 2025)]
    assert check(tranches, "6") == []
    message = (
        f"Le total des tranches est de 6,00{NBSP}€ mais le montant accordé est de 6,01{NBSP}€."
    )
    assert check(tranches, "6.01") == [message]
    assert check(tranches, "5.99") == [message.replace("6,01", "5,99")]


def test_at_least_one_tranche():
    assert check([], "10") == ["Indiquez au moins une tranche annuelle."]


def test_one_tranche_per_year():
    tranches = [TrancheLine(2024, D("5"), 2024), TrancheLine(2024, D("5"), 2024)]
    assert check(tranches, "10") == ["Il ne peut y avoir qu'une tranche pour 2024."]


@pytest.mark.parametrize(
    ("year", "inside"), [(2023, False), (2024, True), (2026, True), (2027, False)]
)
def test_each_tranche_within_the_years(year, inside):
    messages = check([TrancheLine(year, D("10"), year)], "10")
    expected = (
        []
        if inside
        else [f"La tranche {year} est en dehors des années de la convention (2024–2026)."]
    )
    assert messages == expected


@pytest.mark.parametrize("amount", ["0", "-5"])
def test_each_tranche_is_positive(amount):
    messages = check([TrancheLine(2024, D(amount), 2024)], amount)
    assert messages == ["La tranche 2024 doit être un montant positif."]


def test_each_tranche_on_its_years_programme():
    assert check([TrancheLine(2025, D("10"), 2024)], "10") == [
        "La tranche 2025 doit être financée par une ligne du programme 2025, pas de 2024."
    ]


def test_every_refusal_is_listed_at_once():
    tranches = [
        TrancheLine(2024, D("0"), 2023),
        TrancheLine(2024, D("5"), 2024),
        TrancheLine(2026, D("1"), 2026),
    ]
    assert check(tranches, "10", end=2025) == [
        "La tranche 2024 doit être un montant positif.",
        "La tranche 2024 doit être financée par une ligne du programme 2024, pas de 2023.",
        "Il ne peut y avoir qu'une tranche pour 2024.",
        "La tranche 2026 est en dehors des années de la convention (2024–2025).",
        f"Le total des tranches est de 6,00{NBSP}€ mais le montant accordé est de 10,00{NBSP}€.",
    ]


# --- written agreement -------------------------------------------------------------------------


def test_written_agreement_above_23000_a_year():
    assert not rules.needs_written_agreement(D("23000.00"))
    assert rules.needs_written_agreement(D("23000.01"))
    tranches = [TrancheLine(2024, D("23000.00"), 2024), TrancheLine(2025, D("23000.01"), 2025)]
    assert rules.written_agreement_warnings(written_agreement=False, tranches=tranches) == [
        f"Une convention pluriannuelle d'objectifs écrite est obligatoire au-delà de "
        f"23{NBSP}000{NBSP}€ par an : la tranche 2025 (23{NBSP}000,01{NBSP}€) n'en a pas."
    ]
    assert rules.written_agreement_warnings(written_agreement=True, tranches=tranches) == []


# --- payment schedule --------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["4000.00", "4999.99", "0.01"])
def test_below_5000_one_payment(amount):
    assert rules.schedule_for(D(amount)) == [(SINGLE, D(amount))]


def test_exactly_5000_is_paid_in_two_instalments():
    assert rules.schedule_for(D("5000.00")) == [(ADVANCE, D("4000.00")), (BALANCE, D("1000.00"))]


def test_80_percent_advance_then_the_balance():
    assert rules.schedule_for(D("20000.00")) == [(ADVANCE, D("16000.00")), (BALANCE, D("4000.00"))]
    assert rules.schedule_for(D("5000.01")) == [(ADVANCE, D("4000.01")), (BALANCE, D("1000.00"))]


def test_the_advance_is_rounded_to_the_cent_and_the_balance_makes_the_total():
    # 12,345.67 × 80 % = 9,876.536 → 9,876.54; 10,000.03 × 80 % = 8,000.024 → 8,000.02
    assert rules.schedule_for(D("12345.67")) == [(ADVANCE, D("9876.54")), (BALANCE, D("2469.13"))]
    assert rules.schedule_for(D("10000.03")) == [(ADVANCE, D("8000.02")), (BALANCE, D("2000.01"))]


def test_year_plan_with_nothing_committed_is_the_rule():
    plan = rules.year_plan(D("20000"), committed_notification=D(0), committed_balance=D(0))
    assert plan == [(ADVANCE, D("16000.00")), (BALANCE, D("4000.00"))]


def test_year_plan_after_the_advance_is_the_balance():
    plan = rules.year_plan(D("20000"), committed_notification=D("16000"), committed_balance=D(0))
    assert plan == [(BALANCE, D("4000"))]


def test_year_plan_tops_up_the_advance_first():
    plan = rules.year_plan(D("25000"), committed_notification=D("16000"), committed_balance=D(0))
    assert plan == [(ADVANCE, D("4000.00")), (BALANCE, D("5000"))]


def test_year_plan_of_a_single_payment():
    plan = rules.year_plan(D("4000"), committed_notification=D("1000"), committed_balance=D(0))
    assert plan == [(SINGLE, D("3000"))]


def test_year_plan_owes_even_a_few_cents():
    plan = rules.year_plan(D("4000"), committed_notification=D("3999.50"), committed_balance=D(0))
    assert plan == [(SINGLE, D("0.50"))]


def test_year_plan_when_more_than_the_advance_was_paid():
    plan = rules.year_plan(D("10000"), committed_notification=D("9000"), committed_balance=D(0))
    assert plan == [(BALANCE, D("1000"))]


def test_year_plan_counts_the_balance_already_committed():
    plan = rules.year_plan(D("10000"), committed_notification=D(0), committed_balance=D("1500"))
    assert plan == [(ADVANCE, D("8000.00")), (BALANCE, D("500"))]


@pytest.mark.parametrize(
    ("committed", "plan"), [("19999.99", [(BALANCE, D("0.01"))]), ("20000", []), ("20001", [])]
)
def test_year_plan_when_all_is_committed(committed, plan):
    assert (
        rules.year_plan(
            D("20000"),
            committed_notification=D("16000"),
            committed_balance=D(committed) - D("16000"),
        )
        == plan
    )


@pytest.mark.parametrize(
    ("signature", "due"),
    [
        (datetime.date(2025, 1, 30), datetime.date(2025, 1, 31)),
        (datetime.date(2025, 1, 31), datetime.date(2025, 1, 31)),
        (datetime.date(2025, 2, 1), datetime.date(2025, 2, 1)),
    ],
)
def test_a_signed_tranche_is_notified_on_31_january_or_at_the_signature(signature, due):
    # Once signed, the signature is the notification, even if it is before today.
    assert rules.notification_date(2025, signature, today=datetime.date(2026, 12, 1)) == due


@pytest.mark.parametrize(
    ("year", "today", "due"),
    [
        # The case: a draft prepared on 1 December for the current year.
        (2026, datetime.date(2026, 12, 1), datetime.date(2026, 12, 1)),
        # Around the year's end: the next year's tranche waits for 31 January…
        (2027, datetime.date(2026, 12, 31), datetime.date(2027, 1, 31)),
        (2027, datetime.date(2027, 1, 1), datetime.date(2027, 1, 31)),
        (2027, datetime.date(2027, 1, 30), datetime.date(2027, 1, 31)),
        (2027, datetime.date(2027, 1, 31), datetime.date(2027, 1, 31)),
        (2027, datetime.date(2027, 2, 1), datetime.date(2027, 2, 1)),
        # …and a tranche of the year just ended is expected from today, not in the past.
        (2026, datetime.date(2027, 1, 1), datetime.date(2027, 1, 1)),
        (2026, datetime.date(2026, 12, 31), datetime.date(2026, 12, 31)),
    ],
)
def test_a_draft_schedule_is_never_due_in_the_past(year, today, due):
    assert rules.notification_date(year, None, today=today) == due


@pytest.mark.parametrize(
    ("year", "today", "due"),
    [
        (2026, datetime.date(2026, 12, 31), datetime.date(2027, 6, 30)),
        (2026, datetime.date(2027, 6, 30), datetime.date(2027, 6, 30)),
        (2026, datetime.date(2027, 7, 1), datetime.date(2027, 7, 1)),
    ],
)
def test_a_balance_is_expected_with_the_report_never_in_the_past(year, today, due):
    assert rules.balance_due_date(year, today=today) == due


def test_the_report_is_due_on_30_june_of_the_next_year():
    assert rules.report_due_date(2024) == datetime.date(2025, 6, 30)


# --- payments ----------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", [None, D("0"), D("-0.01"), D("-100")])
def test_zero_or_negative_payments_are_refused(amount):
    messages = refusals(
        rules.check_payment_amount, amount=amount, others=D(0), tranche_amount=D(100), year=2024
    )
    assert messages == ["Un paiement doit être un montant positif."]


def test_payments_of_a_year_up_to_its_tranche():
    def pay(amount):
        return refusals(
            rules.check_payment_amount,
            amount=D(amount),
            others=D("5"),
            tranche_amount=D("5.02"),
            year=2024,
        )

    assert pay("0.01") == []
    assert pay("0.02") == []
    assert pay("0.03") == [
        f"Les paiements de 2024 atteindraient 5,03{NBSP}€, plus que les 5,02{NBSP}€ accordés "
        "pour cette année."
    ]


def test_a_date_is_given_and_not_in_the_future():
    today = datetime.date(2026, 3, 1)

    def given(value):
        return refusals(
            rules.check_not_in_future, value, today=today, missing="missing", future="future"
        )

    assert given(None) == ["missing"]
    assert given(today) == []
    assert given(today - datetime.timedelta(days=1)) == []
    assert given(today + datetime.timedelta(days=1)) == ["future"]


# --- de minimis --------------------------------------------------------------------------------


def test_de_minimis_window_is_three_rolling_years():
    assert rules.de_minimis_window(datetime.date(2026, 6, 1)) == (
        datetime.date(2023, 6, 2),
        datetime.date(2026, 6, 1),
    )


def test_de_minimis_window_from_29_february():
    assert rules.de_minimis_window(datetime.date(2024, 2, 29)) == (
        datetime.date(2021, 3, 1),
        datetime.date(2024, 2, 29),
    )


@pytest.mark.parametrize(
    ("aid", "counts"),
    [
        (None, False),
        (datetime.date(2023, 6, 1), False),  # exactly 3 years before: out
        (datetime.date(2023, 6, 2), True),
        (datetime.date(2026, 6, 1), True),
        (datetime.date(2026, 6, 2), False),  # after the day considered
    ],
)
def test_de_minimis_counts_aid_inside_the_window(aid, counts):
    assert rules.de_minimis_counts(aid, datetime.date(2026, 6, 1)) is counts


def test_de_minimis_ceilings():
    assert rules.de_minimis_ceiling() == D("300000.00")
    assert rules.de_minimis_ceiling(sieg=False) == D("300000.00")
    assert rules.de_minimis_ceiling(sieg=True) == D("750000.00")


@pytest.mark.parametrize(
    ("received", "amount", "sieg", "exceeded"),
    [
        ("250000", "49999.99", False, False),
        ("250000", "50000.00", False, False),  # reaching the ceiling is allowed
        ("250000", "50000.01", False, True),
        ("700000", "50000.00", True, False),
        ("700000", "50000.01", True, True),
        ("0", "300000.01", True, False),
    ],
)
def test_de_minimis_exceeded_at_below_above(received, amount, sieg, exceeded):
    assert rules.de_minimis_exceeded(received=D(received), amount=D(amount), sieg=sieg) is exceeded


def test_de_minimis_exceeded_is_not_a_sieg_unless_said():
    assert rules.de_minimis_exceeded(received=D("300000"), amount=D("0.01")) is True


def test_de_minimis_message_says_what_was_received_and_the_ceiling():
    assert (
        rules.de_minimis_message(name="Coop", conventions=D(1), tools=D(2), amount=D("299997"))
        == ""
    )
    assert rules.de_minimis_message(
        name="Coop", conventions=D(1), tools=D(2), amount=D("299997.01")
    ) == (
        f"De minimis : Coop a reçu 3,00{NBSP}€ de la Métropole sur les 3 dernières années "
        f"(conventions : 1,00{NBSP}€ ; outils de développement : 2,00{NBSP}€) ; avec "
        f"299{NBSP}997,01{NBSP}€ de plus, le plafond de 300{NBSP}000{NBSP}€ serait dépassé."
    )


def test_de_minimis_message_of_a_sieg():
    assert (
        rules.de_minimis_message(
            name="Coop", conventions=D(1), tools=D(2), amount=D("749997"), sieg=True
        )
        == ""
    )
    message = rules.de_minimis_message(
        name="Coop", conventions=D(1), tools=D(2), amount=D("749997.01"), sieg=True
    )
    assert message.endswith(
        f"le plafond de 750{NBSP}000{NBSP}€ (service d'intérêt économique général) serait dépassé."
    )


def _line_tranche(amount, planned):
    from types import SimpleNamespace

    return SimpleNamespace(
        year=2026, amount=D(amount), line_title="Conventions", line_planned=D(planned)
    )


@pytest.mark.parametrize(
    ("amount", "planned", "warned"),
    [("30000", "30000", False), ("30000.01", "30000", True), ("29999.99", "30000", False)],
)
def test_a_tranche_above_its_line_s_planned_amount_is_warned(amount, planned, warned):
    warnings = rules.line_overrun_warnings([_line_tranche(amount, planned)])
    assert bool(warnings) is warned
    if warned:
        assert warnings[0] == (
            "La tranche 2026 (30\u00a0000,01\u00a0€) dépasse les 30\u00a0000,00\u00a0€ prévus "
            "sur sa ligne de programmation « Conventions »."
        )
