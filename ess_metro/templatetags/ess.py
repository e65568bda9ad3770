"""Template helpers available in every template (registered as builtins)."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from ess_metro import formatting, french, workflow

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
    """The attribute ``aria-current="page"`` on the link of the current section, nothing on
    the others (an empty ``aria-current=""`` is invalid HTML)."""
    request = context.get("request")
    if request is not None and request.path.startswith(prefix):
        return mark_safe(' aria-current="page"')
    return ""


@register.filter
def iso_datetime(value):
    """A date-time for ``<time datetime>``: ISO 8601 to the second, in Paris time (the HTML
    standard refuses the microseconds of ``|date:'c'``)."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


@register.filter
def time_to_the_millisecond(value):
    """A time in Paris to the thousandth of a second, the French way (``12:00:00,412``): when
    a file reached the portal, beside the closing time of its call."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{local:%H:%M:%S},{local.microsecond // 1000:03d}"


@register.simple_tag
def url_or_empty(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.inclusion_tag("components/status_badge.html")
def status_badge(obj):
    """The badge of any workflow object: its status label in the colour its model declares."""
    return {"label": obj.get_status_display(), "style": obj.status_style}


@register.simple_tag
def workflow_actions(obj, user, *names):
    """The transitions ``user`` may fire on ``obj`` now (optionally only those named)."""
    return workflow.actions_for(obj, user, names=names or None)


@register.simple_tag
def can_fire(obj, name, user):
    """Whether ``user`` may fire transition ``name`` on ``obj`` now."""
    return workflow.can(obj, name, user)


@register.filter
def de(value):
    """« de » before a name, with French elision: ``{{ person|de }}`` → « d'Isabelle Faure »."""
    return french.de(value)


@register.filter(name="of")
def of_name(value):
    """« de … » with elision in French, « of … » in English: ``{{ person|of }}``."""
    return french.of(value)
