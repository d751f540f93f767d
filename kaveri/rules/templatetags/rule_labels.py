from django import template

from kaveri.rules.registry import registry
from kaveri.rules.ruleset import current_language

register = template.Library()


@register.filter
def rule_label(code: str, kind: str) -> str:
    """A rule-set code in words, in the current language: {{ code|rule_label:"measure" }}."""
    return registry().label(kind, code, current_language()) if code else ""
