import pytest
from django.core.exceptions import ValidationError

from ess_metro.directory.rules import is_valid_siret, luhn_valid, normalize_ape
from ess_metro.directory.validators import validate_ape, validate_rna, validate_siret


@pytest.mark.parametrize(
    "siret",
    [
        "44306184100021",  # Alpesolidaires-like demo SIRET, Luhn valid
        "443 061 841 00021",  # spaces as printed on INSEE notices
        "73282932000074",  # a well-known valid SIRET
    ],
)
def test_valid_siret(siret):
    assert is_valid_siret(siret)
    validate_siret(siret)


@pytest.mark.parametrize(
    ("siret", "code"),
    [
        ("44306184100022", "siret_checksum"),  # last digit wrong
        ("4430618410002", "siret_format"),  # 13 digits
        ("443061841000211", "siret_format"),  # 15 digits
        ("4430618410002A", "siret_format"),
        ("", "siret_format"),
    ],
)
def test_invalid_siret(siret, code):
    assert not is_valid_siret(siret)
    with pytest.raises(ValidationError) as error:
        validate_siret(siret)
    assert error.value.code == code


def test_siret_whose_siren_fails_luhn_is_refused():
    # 14 digits passing Luhn as a whole, but whose SIREN (first 9 digits) does not.
    candidate = next(
        f"12345678{d}{nic}"
        for d in range(10)
        for nic in (f"{n:05d}" for n in range(100))
        if not luhn_valid(f"12345678{d}") and luhn_valid(f"12345678{d}{nic}")
    )
    assert not is_valid_siret(candidate)


def test_la_poste_siret_uses_the_sum_rule():
    # La Poste (SIREN 356000000): valid when the digit sum is a multiple of 5, not by Luhn.
    la_poste = "35600000049837"  # digit sum 45
    assert not luhn_valid(la_poste)
    assert is_valid_siret(la_poste)
    assert not is_valid_siret("35600000049838")  # digit sum 46


@pytest.mark.parametrize("rna", ["W381234567", "W000000001"])
def test_valid_rna(rna):
    validate_rna(rna)


@pytest.mark.parametrize(
    "rna", ["381234567", "W38123456", "W3812345678", "X381234567", "w381234567"]
)
def test_invalid_rna(rna):
    with pytest.raises(ValidationError):
        validate_rna(rna)


def test_ape_code_is_normalised_and_checked():
    assert normalize_ape("8899b") == "88.99B"
    validate_ape("88.99B")
    with pytest.raises(ValidationError):
        validate_ape("889B")


@pytest.mark.parametrize(
    ("validator", "value", "code", "message"),
    [
        (validate_siret, "4430618410002", "siret_format", "Un numéro SIRET comporte exactement"),
        (validate_siret, "44306184100022", "siret_checksum", "Ce numéro SIRET n'est pas valide"),
        (validate_rna, "w381234567", "rna_format", "Un numéro RNA est la lettre W"),
        (validate_ape, "8899B", "ape_format", "Un code APE s'écrit avec 4 chiffres"),
    ],
)
def test_validators_refuse_with_a_french_message(validator, value, code, message):
    with pytest.raises(ValidationError) as error:
        validator(value)
    assert error.value.code == code
    assert str(error.value.message).startswith(message)


@pytest.mark.parametrize(
    ("validator", "value"),
    [
        (validate_siret, "35600000049837"),
        (validate_rna, "W381234567"),
        (validate_ape, "01.11Z"),
    ],
)
def test_validators_accept_valid_identifiers(validator, value):
    validator(value)
