"""The named checks of benefit applications (A5, A6)."""

from django.utils.translation import gettext as _

from kaveri.rules.ruleset import RuleSet, current_language
from kaveri.rules.violations import RuleViolation


def benefit_known(rules: RuleSet, benefit: str) -> None:
    if benefit not in rules.benefits:
        raise RuleViolation("benefit_known", "benefit", _("Choose the benefit from the list."))


def urgency_applies(rules: RuleSet, benefit: str, urgent: bool) -> None:
    if urgent and rules.benefits[benefit].urgent_processing_time is None:
        raise RuleViolation(
            "urgency_applies", "urgent", _("This benefit has no urgent processing time.")
        )


def decided_by_this_authority(rules: RuleSet, benefit: str, organisation) -> None:
    """Only the authority that decides the benefit records its decision."""
    decider = rules.benefits[benefit].decided_by
    if organisation is None or organisation.authority != decider:
        raise RuleViolation(
            "decided_by_this_authority",
            "outcome",
            _("%(benefit)s is decided by %(authority)s.")
            % {
                "benefit": rules.label("benefit", benefit, current_language()),
                "authority": rules.label("authority", decider, current_language()),
            },
        )


def not_before(day, earlier, check: str, field: str, message: str) -> None:
    if day < earlier:
        raise RuleViolation(check, field, message)


def mailed_after_decision(decided_on, mailed_on):
    """The mailing date of a decision: its own date when not given, never before it."""
    mailed_on = mailed_on or decided_on
    not_before(
        mailed_on,
        decided_on,
        "mailed_after_decision",
        "mailed_on",
        _("The decision cannot be mailed before it was made."),
    )
    return mailed_on


def granted_after_decision(granted_until, decided_on) -> None:
    if granted_until is not None:
        not_before(
            granted_until,
            decided_on,
            "granted_after_decision",
            "granted_until",
            _("The benefit cannot be granted until a day before the decision."),
        )
