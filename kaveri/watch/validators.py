"""What acknowledging or snoozing a signal must hold: a reason, and for a snooze a day
after today and no further than the rule set allows."""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kaveri.rules.inputs import reason_problems, require_date
from kaveri.rules.violations import RuleViolation, collect


def acknowledgement_problems(reason: str) -> list[RuleViolation]:
    return reason_problems(
        reason, _("Write what you did or will do about it, so that the others know.")
    )


def snooze_problems(reason: str, until, today: date, at_most) -> list[RuleViolation]:
    problems = reason_problems(reason, _("Write why the signal can wait, so that the others know."))
    problems += collect(lambda: require_date(until, "until"))
    if problems:
        return problems
    latest = at_most.after(today)
    if until <= today:
        problems.append(
            RuleViolation(
                "snooze_ahead",
                "until",
                _("Choose a day after today: the signal shows again after that day."),
            )
        )
    elif until > latest:
        problems.append(
            RuleViolation(
                "snooze_at_most",
                "until",
                _("A signal can be snoozed until %(latest)s at the latest; choose an earlier day.")
                % {"latest": date_format(latest, "SHORT_DATE_FORMAT")},
            )
        )
    return problems
