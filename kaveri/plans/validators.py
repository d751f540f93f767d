"""The named checks of plans: the type and its process, the review interval within the
rule set's bounds, the measures a plan of the type may agree on, and its parties."""

from django.utils.translation import gettext as _

from kaveri.rules.durations import Duration
from kaveri.rules.ruleset import RuleSet, current_language, duration_range_text
from kaveri.rules.violations import RuleViolation


def plan_type_known(rules: RuleSet, plan_type: str) -> None:
    if plan_type not in rules.plans:
        raise RuleViolation("plan_type_known", "plan_type", _("Choose the plan type."))


def plan_made_in_process(rules: RuleSet, plan_type: str, process: str) -> None:
    if process and process not in rules.plans[plan_type].made_in:
        raise RuleViolation(
            "plan_made_in_process", "process", _("This plan type is not made in that process.")
        )


def review_interval_within_bounds(rules: RuleSet, plan_type: str, process: str, months) -> None:
    """The chosen interval in whole months lies within the plan's review bounds."""
    span = rules.plan_review(plan_type, process or None)
    if not isinstance(months, int) or isinstance(months, bool) or not _within(span, months):
        raise RuleViolation(
            "review_interval_within_bounds",
            "review_months",
            _("The review interval of this plan is %(bounds)s; choose within it.")
            % {"bounds": duration_range_text(span, current_language())},
        )


def _within(span, months: int) -> bool:
    if span.lower.unit == span.upper.unit == "M":
        return span.lower.amount <= months <= span.upper.amount
    days = Duration(months, "M").approximate_days
    return span.lower.approximate_days <= days <= span.upper.approximate_days


def measure_fits_the_plan(rules: RuleSet, plan_type: str, measure: str) -> None:
    if measure not in rules.plans[plan_type].measures:
        raise RuleViolation(
            "measure_fits_the_plan",
            "measure",
            _("%(measure)s is not agreed in a %(plan)s.")
            % {
                "measure": rules.label("measure", measure, current_language()),
                "plan": rules.label("plan", plan_type, current_language()),
            },
        )


def responsible_party_grants(rules: RuleSet, measure: str, authority: str) -> None:
    """The party responsible for a measure is one of the authorities that grant it."""
    granted_by = next(m.granted_by for m in rules.data.measures if m.code == measure)
    if authority not in granted_by:
        raise RuleViolation(
            "responsible_party_grants",
            "measures",
            _("%(measure)s is the responsibility of %(authorities)s.")
            % {
                "measure": rules.label("measure", measure, current_language()),
                "authorities": ", ".join(
                    rules.label("authority", a, current_language()) for a in granted_by
                ),
            },
        )


def plan_parties_present(rules: RuleSet, plan_type: str, parties) -> None:
    needed = set(rules.plans[plan_type].parties) - {"CLIENT"}
    present = {o.authority for o in parties} | (
        {"TYP"} if plan_type == "MULTISECTORAL_PLAN" else set()
    )
    missing = needed - present
    if missing:
        raise RuleViolation(
            "plan_parties_present",
            "parties",
            _("This plan is made together with %(missing)s; add them as parties.")
            % {"missing": ", ".join(sorted(missing))},
        )


def each_measure_once(measures) -> None:
    codes = [m.measure for m in measures]
    if len(codes) != len(set(codes)):
        raise RuleViolation(
            "each_measure_once", "measures", _("Agree on each measure once in a plan.")
        )
