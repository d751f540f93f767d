from django.core.checks import Error, register

from kaveri.rules.loader import RuleSetInvalid
from kaveri.rules.proposals import proposals
from kaveri.rules.registry import registry


@register()
def rule_set_loads(app_configs, **kwargs):
    """Every configured rule set must load, or nothing that depends on it can run."""
    try:
        registry()
        proposals()
    except RuleSetInvalid as invalid:
        return [
            Error(
                str(problem),
                hint="Fix the rule file; `kaveri rules check PATH` lists all.",
                id="kaveri.E002",
            )
            for problem in invalid.problems
        ]
    return []
