from decimal import Decimal

from django import template

from ess_metro import formatting

register = template.Library()


@register.filter
def quantity(value):
    """An indicator's value: ``12`` or ``12,5`` in French, empty when unknown."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    decimals = 0 if value == value.to_integral_value() else 2
    return formatting.number(value, decimals)
