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
