from django import template
from django.utils.translation import get_language

from kaveri.rules.registry import registry

register = template.Library()


@register.filter
def rule_label(code: str, kind: str) -> str:
    """A rule-set code in words, in the current language: {{ code|rule_label:"measure" }}."""
    return registry().label(kind, code, get_language() or "fi") if code else ""
