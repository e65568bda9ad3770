"""Template helpers available in every template (registered as builtins)."""

from django import template
from django.urls import NoReverseMatch, reverse

from ess_metro import formatting

register = template.Library()


@register.filter
def money(value, decimals=2):
    """Format an amount in euros the French way: ``12 500,00 €``."""
    return formatting.money(value, int(decimals))


@register.filter
def number(value, decimals=0):
    return formatting.number(value, int(decimals))


@register.filter
def percent(value, decimals=0):
    return formatting.percent(value, int(decimals))


@register.simple_tag(takes_context=True)
def nav_active(context, prefix):
    """``aria-current="page"`` for the navigation link of the current section."""
    request = context.get("request")
    if request is not None and request.path.startswith(prefix):
        return "page"
    return ""


@register.simple_tag
def url_or_empty(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""
