"""The programme totals (programme.rules): pure, no database; boundaries of every rule."""

from decimal import Decimal

import pytest

from programme.rules import (
    Amounts,
    LineAmounts,
    achievement_rate,
    add_source,
    in_cents,
    line_total,
    rate,
    sum_by_origin,
    total_of,
)

D = Decimal


# --- Rates: committed / planned, paid / planned, an indicator's achievement ---------------


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (D("0"), D("100"), D("0")),
        (D("50"), D("100"), D("50")),
        (D("100"), D("100"), D("100")),
        (D("150"), D("100"), D("150")),
        (D("1"), D("3"), D("33")),
        (D("2"), D("3"), D("67")),
        # Half away from zero, the one rule of ess_metro.money: 12.5 → 13, 0.5 → 1.
        (D("12.5"), D("100"), D("13")),
        (D("0.5"), D("100"), D("1")),
        (D("0.49"), D("100"), D("0")),
        (D("24000.26"), D("30000.33"), D("80")),
    ],
)
def test_rate_is_a_whole_percentage_rounded_half_up(part, whole, expected):
    assert rate(part, whole) == expected
    assert str(rate(part, whole)) == str(expected)


@pytest.mark.parametrize("whole", [D("0"), D("0.00"), None])
def test_rate_of_a_zero_base_is_none(whole):
    assert rate(D("10"), whole) is None


def test_rate_of_a_tiny_base_is_not_none():
    assert rate(D("0.01"), D("0.01")) == D("100")


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        (D("14"), D("12"), D("117")),
        (D("12"), D("12"), D("100")),
        (D("0"), D("12"), D("0")),
        (D("1"), D("8"), D("13")),  # 12.5 → 13 (half away from zero, not to even)
        (D("3"), D("8"), D("38")),  # 37.5 → 38
        (D("8"), D("10"), D("80")),
    ],
)
def test_achievement_rate(actual, target, expected):
    assert achievement_rate(actual, target) == expected


@pytest.mark.parametrize(("actual", "target"), [(None, D("10")), (D("5"), D("0")), (D("5"), None)])
def test_achievement_rate_unmeasurable_is_none(actual, target):
    assert achievement_rate(actual, target) is None


# --- Amounts of a line, an axis, an orientation, a programme ----------------------------


def test_amounts_start_at_zero_cents():
    amounts = Amounts()
    assert (amounts.planned, amounts.committed, amounts.paid) == (D("0.00"),) * 3
    assert str(amounts.planned) == "0.00"
    assert LineAmounts() == LineAmounts(D("0.00"), D("0.00"))


def test_amounts_add_field_by_field():
    total = Amounts(D("10.00"), D("4.00"), D("1.00")) + Amounts(D("0.01"), D("2.50"), D("3.25"))
    assert total == Amounts(D("10.01"), D("6.50"), D("4.25"))


def test_line_amounts_add_field_by_field():
    total = LineAmounts(D("4.00"), D("1.00")) + LineAmounts(D("2.50"), D("3.25"))
    assert total == LineAmounts(D("6.50"), D("4.25"))


def test_line_total_takes_the_planned_amount_and_what_is_linked():
    assert line_total(D("100.00"), LineAmounts(D("60.00"), D("20.00"))) == Amounts(
        D("100.00"), D("60.00"), D("20.00")
    )


def test_total_of_sums_every_part():
    parts = [
        Amounts(D("12500.00"), D("0"), D("0")),
        Amounts(D("0.01"), D("0"), D("0")),
        Amounts(D("30000.33"), D("30000.33"), D("24000.26")),
        Amounts(D("60000.00"), D("45000.10"), D("0.07")),
    ]
    assert total_of(parts) == Amounts(D("102500.34"), D("75000.43"), D("24000.33"))
    assert total_of(iter(parts)) == total_of(parts)


def test_total_of_one_part_is_that_part():
    part = Amounts(D("1.00"), D("2.00"), D("3.00"))
    assert total_of([part]) == part


def test_total_of_nothing_is_zero():
    assert total_of([]) == Amounts(D("0.00"), D("0.00"), D("0.00"))


def test_totals_roll_up_lines_axes_orientations():
    axis_1 = total_of(
        [Amounts(D("1.00"), D("1.00"), D("0.50")), Amounts(D("2.00"), D("0"), D("0"))]
    )
    axis_2 = total_of([Amounts(D("4.00"), D("3.00"), D("3.00"))])
    orientation = total_of([axis_1, axis_2])
    programme = total_of([orientation, total_of([])])
    assert axis_1 == Amounts(D("3.00"), D("1.00"), D("0.50"))
    assert programme == Amounts(D("7.00"), D("4.00"), D("3.50"))


@pytest.mark.parametrize(
    ("planned", "committed", "paid", "committed_rate", "paid_rate"),
    [
        (D("200.00"), D("100.00"), D("50.00"), D("50"), D("25")),
        (D("200.00"), D("200.00"), D("200.00"), D("100"), D("100")),
        (D("200.00"), D("201.00"), D("1.00"), D("101"), D("1")),  # 100.5 → 101; 0.5 → 1
        (D("0.00"), D("10.00"), D("5.00"), None, None),
    ],
)
def test_committed_and_paid_rates_are_shares_of_the_planned_amount(
    planned, committed, paid, committed_rate, paid_rate
):
    amounts = Amounts(planned, committed, paid)
    assert amounts.committed_rate == committed_rate
    assert amounts.paid_rate == paid_rate


@pytest.mark.parametrize(
    ("planned", "committed", "remaining"),
    [
        (D("100.00"), D("99.99"), D("0.01")),
        (D("100.00"), D("100.00"), D("0.00")),
        (D("100.00"), D("100.01"), D("0.00")),
        (D("100.00"), D("0.00"), D("100.00")),
    ],
)
def test_remaining_is_planned_minus_committed_never_negative(planned, committed, remaining):
    assert Amounts(planned, committed, D("0")).remaining == remaining


# --- Sources: rounded to the cent, only the lines asked for, versions share their amounts --


@pytest.mark.parametrize(
    ("raw", "cents"),
    [
        (D("1.005"), D("1.01")),  # half away from zero
        (D("1.004"), D("1.00")),
        (D("1.0049999"), D("1.00")),
        (D("-1.005"), D("-1.01")),
        (D("2"), D("2.00")),
        (None, D("0.00")),
    ],
)
def test_source_amounts_are_rounded_to_the_cent(raw, cents):
    rounded = in_cents(LineAmounts(committed=raw, paid=raw))
    assert rounded == LineAmounts(cents, cents)
    assert str(rounded.committed) == str(cents)


def test_add_source_adds_in_cents_and_ignores_lines_not_asked_for():
    totals = {1: LineAmounts(D("10.00"), D("5.00")), 2: LineAmounts()}
    found = {1: LineAmounts(D("1.505"), D("0.004")), 3: LineAmounts(D("99.00"), D("99.00"))}
    merged = add_source(totals, found)
    assert merged == {1: LineAmounts(D("11.51"), D("5.00")), 2: LineAmounts()}
    assert totals[1] == LineAmounts(D("10.00"), D("5.00"))  # the input is left as it was


def test_add_source_with_nothing_found_keeps_the_totals():
    totals = {1: LineAmounts(D("1.00"), D("2.00"))}
    assert add_source(totals, {}) == totals


def test_sources_add_up():
    totals = {7: LineAmounts()}
    for found in ({7: LineAmounts(D("10.00"), D("5.00"))}, {7: LineAmounts(D("1.50"), D("0"))}):
        totals = add_source(totals, found)
    assert totals == {7: LineAmounts(D("11.50"), D("5.00"))}


def test_sum_by_origin_shares_amounts_between_versions_of_a_line():
    # Line 1 is the first version; 5 and 9 are later versions of it; 2 stands alone.
    lineage = [(1, None), (5, 1), (9, 1), (2, None)]
    by_line = {
        1: LineAmounts(D("100.00"), D("10.00")),
        5: LineAmounts(D("0.50"), D("0.25")),
        9: LineAmounts(D("1.00"), D("0")),
        2: LineAmounts(D("7.00"), D("3.00")),
    }
    assert sum_by_origin(lineage, by_line) == {
        1: LineAmounts(D("101.50"), D("10.25")),
        2: LineAmounts(D("7.00"), D("3.00")),
    }


def test_sum_by_origin_counts_a_line_missing_from_the_sources_as_zero():
    assert sum_by_origin([(4, None), (6, 4)], {6: LineAmounts(D("1.00"), D("2.00"))}) == {
        4: LineAmounts(D("1.00"), D("2.00"))
    }
    assert sum_by_origin([], {}) == {}
