from django import template

from ess_metro.privacy.accessibility import conformity_status

register = template.Library()


@register.simple_tag
def accessibility_status() -> str:
    """« non conforme », « partiellement conforme »…: the footer link says it (RGAA)."""
    return conformity_status()
