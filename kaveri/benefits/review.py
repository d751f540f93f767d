"""A decided application's review path in words, for the worker's and the client's pages."""

from kaveri.benefits.actions import appeal_rule
from kaveri.rules.registry import rules_for


def review_path(application, language: str) -> dict | None:
    """The review path of a decided application's benefit, in words, with its stages."""
    rule = appeal_rule(rules_for(application), application.benefit)
    if rule is None or application.decided_on is None:
        return None
    return {
        "label": rule.label.get(language),
        "stages": [stage.label.get(language) for stage in rule.stages],
        "forwarding": [stage.forwards_unless_corrected for stage in rule.stages],
    }


def review_stage(application, stage: int, language: str) -> dict:
    rule = appeal_rule(rules_for(application), application.benefit)
    if rule is None or stage >= len(rule.stages):
        return {"name": str(stage + 1), "forwards": False}
    return {
        "name": rule.stages[stage].label.get(language),
        "forwards": rule.stages[stage].forwards_unless_corrected,
    }
