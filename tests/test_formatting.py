from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from ess_metro.formatting import money


def test_money_in_french():
    assert money(Decimal("12500")) == "12\u00a0500,00\u00a0€"
    assert money(Decimal("0.5")) == "0,50\u00a0€"
    assert money(None) == ""


def test_money_in_english():
    with translation.override("en"):
        assert money(Decimal("12500")) == "12,500.00\u00a0€"


def test_money_filter_is_available_in_every_template():
    rendered = Template("{{ amount|money }}").render(Context({"amount": Decimal("1234567.891")}))
    assert rendered == "1\u00a0234\u00a0567,89\u00a0€"


def test_percentages_and_numbers_are_rounded_not_truncated():
    from ess_metro.formatting import number, percent

    # The case: a share of 82.7 % read 82 % (Django's number_format cuts digits off).
    assert percent(Decimal("82.7")) == "83\u00a0%"
    assert percent(82.7) == "83\u00a0%"
    assert percent(Decimal("82.5")) == "83\u00a0%"  # half away from zero, as money
    assert percent(Decimal("82.49")) == "82\u00a0%"
    assert percent(Decimal("82.75"), 1) == "82,8\u00a0%"
    assert number(Decimal("12.96"), 1) == "13,0"
    assert number(Decimal("1234.5")) == "1\u00a0235"
    assert money(Decimal("22999.50"), 0) == "23\u00a0000\u00a0€"
    rendered = Template("{{ share|percent }} {{ score|number:1 }}").render(
        Context({"share": Decimal("82.7"), "score": Decimal("74.96")})
    )
    assert rendered == "83\u00a0% 75,0"
