"""Boundary tests of the pure identifier rules (no database): what `make mutation RULE=identifiers`
runs against every mutant of ``ess_metro/directory/rules.py``."""

import pytest

from ess_metro.directory.rules import (
    SIRET_CHECKSUM,
    SIRET_FORMAT,
    is_valid_ape,
    is_valid_rna,
    is_valid_siren,
    is_valid_siret,
    luhn_valid,
    normalize_ape,
    normalize_siret,
    siret_error,
)


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("0", True),  # total 0
        ("18", True),  # 8 + 1×2 = 10: exactly divisible
        ("17", False),  # 9: one below
        ("19", False),  # 11: one above
        ("81", False),  # 1 + 8×2 → 1 + 6 = 8: the rightmost digit is never doubled
        ("59", True),  # 5×2 = 10 counts 1 + 0
        ("91", True),  # 9×2 = 18 counts 1 + 8
        ("69", False),  # 6×2 = 12 counts 3, not 12 nor 2
        ("109", True),  # the third digit from the right is not doubled
        ("1000", False),  # the fourth is: 2
        ("5000", False),  # 5×2 = 10 counts 1
        ("443061841", True),
        ("443061842", False),
        ("356000000", True),
        ("44306184100021", True),
        ("44306184100022", False),
    ],
)
def test_luhn_checksum(digits, valid):
    assert luhn_valid(digits) is valid


@pytest.mark.parametrize(
    ("siren", "valid"),
    [
        ("00000018", False),  # 8 digits, Luhn valid
        ("000000018", True),  # 9 digits
        ("0000000018", False),  # 10 digits, Luhn valid
        ("443061841", True),
        ("443061842", False),  # 9 digits, Luhn off by one
        ("44306184A", False),
        ("443 061 841", False),  # a SIREN is checked as given: spaces are the form's business
        ("", False),
    ],
)
def test_siren(siren, valid):
    assert is_valid_siren(siren) is valid


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("", ""),
        ("44306184100021", "44306184100021"),
        ("443 061 841 00021", "44306184100021"),
        ("443.061.841.00021", "44306184100021"),
        ("443-061-841-00021", "44306184100021"),
        ("443\t061\n841\u00a000021", "44306184100021"),
        ("443_061/841", "443_061/841"),  # only spaces, dots and dashes go
    ],
)
def test_siret_is_normalised(value, expected):
    assert normalize_siret(value) == expected


@pytest.mark.parametrize(
    ("siret", "reason"),
    [
        ("44306184100021", None),
        ("73282932000074", None),
        ("443 061 841 00021", None),
        ("443.061.841-00021", None),
        (None, SIRET_FORMAT),
        ("", SIRET_FORMAT),
        ("4430618410002", SIRET_FORMAT),  # 13 digits
        ("044306184100021", SIRET_FORMAT),  # 15 digits, Luhn valid
        ("4430618410002A", SIRET_FORMAT),
        ("A4430618410002", SIRET_FORMAT),
        ("44306184100022", SIRET_CHECKSUM),  # last digit off by one
        ("44306184100020", SIRET_CHECKSUM),
        ("12345678000006", SIRET_CHECKSUM),  # Luhn valid as a whole, not its SIREN
        ("44306184200006", SIRET_CHECKSUM),  # a SIREN off by one
    ],
)
def test_siret_reason(siret, reason):
    assert siret_error(siret) == reason
    assert is_valid_siret(siret) is (reason is None)


def test_a_siret_needs_both_its_siren_and_itself_to_pass_luhn():
    assert luhn_valid("12345678000006") and not luhn_valid("123456780")
    assert luhn_valid("443061842") is False


@pytest.mark.parametrize(
    ("siret", "reason"),
    [
        ("35600000049837", None),  # digit sum 45: a multiple of 5, though not Luhn valid
        ("35600000049836", SIRET_CHECKSUM),  # sum 44
        ("35600000049838", SIRET_CHECKSUM),  # sum 46
        ("35600000000014", SIRET_CHECKSUM),  # Luhn valid, but sum 19
        ("356 000 000 49837", None),
        # SIREN 356000001 is not La Poste: Luhn applies even though the digit sum is 15.
        ("35600000100000", SIRET_CHECKSUM),
    ],
)
def test_la_poste_siret_follows_the_sum_rule(siret, reason):
    assert siret_error(siret) == reason


def test_la_poste_example_fails_luhn():
    assert not luhn_valid("35600000049837")
    assert luhn_valid("35600000000014")


@pytest.mark.parametrize(
    ("rna", "valid"),
    [
        ("W381234567", True),
        ("W000000001", True),
        ("w381234567", False),  # a capital W only
        ("X381234567", False),
        ("381234567", False),
        ("W38123456", False),  # 8 digits
        ("W3812345678", False),  # 10 digits
        ("WW81234567", False),
        ("W38123456A", False),
        (" W381234567", False),
        ("W 381234567", False),
        ("", False),
        (None, False),
    ],
)
def test_rna(rna, valid):
    assert is_valid_rna(rna) is valid


@pytest.mark.parametrize(
    ("ape", "valid"),
    [
        ("88.99B", True),
        ("01.11Z", True),
        ("88.99b", False),  # stored in capitals
        ("8899B", False),  # stored with its dot
        ("88,99B", False),
        ("88.9B", False),
        ("88.999B", False),
        ("888.99B", False),
        ("8.99B", False),
        ("88.99", False),
        ("88.991", False),
        ("88.99BB", False),
        (" 88.99B", False),
        ("", False),
        (None, False),
    ],
)
def test_ape(ape, valid):
    assert is_valid_ape(ape) is valid


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("8899b", "88.99B"),
        ("88.99b", "88.99B"),
        (" 88 99 b\t", "88.99B"),
        ("88.99B", "88.99B"),
        ("889b", "889B"),  # not 4 digits: no dot added
        ("88999b", "88999B"),
        ("8899", "8899"),
        (None, ""),
        ("", ""),
    ],
)
def test_ape_is_normalised(value, expected):
    assert normalize_ape(value) == expected
