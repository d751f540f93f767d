"""Checks that every operation runs on its input, whoever calls it: codes of the rule set,
enumerations, dates and numbers within bounds, text without NUL characters.

Each raises RuleViolation naming the field and saying how to put it right.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from kaveri.rules.violations import RuleViolation, collect

# Technical bounds of a date anyone may type, not rules of the service model: they keep
# date arithmetic (a review in N months, a processing time) inside the calendar.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2099, 12, 31)


def require_code(rules, kind: str, code: str, field: str) -> None:
    """The code is one of the rule set's codes of this kind."""
    if code not in rules.labels[kind]:
        raise RuleViolation(
            f"{kind}_known",
            field,
            _("“%(code)s” is not in the list; choose one of: %(known)s.")
            % {"code": str(code)[:40], "known": ", ".join(sorted(rules.labels[kind]))},
        )


def require_choice(value: str, choices, field: str) -> None:
    """The value is one of an enumeration's values (e.g. a model's TextChoices)."""
    allowed = list(choices)
    if value not in allowed:
        raise RuleViolation(
            "choice_known",
            field,
            _("“%(value)s” is not allowed here; choose one of: %(allowed)s.")
            % {"value": str(value)[:40], "allowed": ", ".join(allowed)},
        )


def require_date(value, field: str) -> None:
    if not isinstance(value, date):
        raise RuleViolation("date_given", field, _("Give the date as YYYY-MM-DD."))
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise RuleViolation(
            "date_in_range",
            field,
            _("The date must be between %(first)s and %(last)s.")
            % {"first": EARLIEST_DATE.isoformat(), "last": LATEST_DATE.isoformat()},
        )


def require_dates(**dates) -> None:
    """Every given date (None means not given) is a date within the bounds."""
    for field, value in dates.items():
        if value is not None:
            require_date(value, field)


def require_not_after(value: date, today: date, field: str) -> None:
    """A fact that has happened cannot be dated in the future."""
    if value > today:
        raise RuleViolation(
            "not_in_the_future",
            field,
            _("The date %(date)s is in the future; record it when it has happened.")
            % {"date": value.isoformat()},
        )


def require_number(value, low, high, field: str, *, whole: bool = False) -> None:
    """A number from low to high (inclusive); whole numbers only where asked."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        number = None
    if number is None or not number.is_finite() or (whole and number != number.to_integral()):
        raise RuleViolation("number_given", field, _("Give a number."))
    if not Decimal(str(low)) <= number <= Decimal(str(high)):
        raise RuleViolation(
            "number_in_range",
            field,
            _("Give a number from %(low)s to %(high)s.") % {"low": low, "high": high},
        )


def require_text(value: str, field: str, *, max_length: int, required: bool = False) -> None:
    if not isinstance(value, str):
        raise RuleViolation("text_given", field, _("Give the text."))
    if "\x00" in value:
        raise RuleViolation(
            "text_without_nul", field, _("The text holds a NUL character; remove it.")
        )
    if required and not value.strip():
        raise RuleViolation("text_given", field, _("This field is required."))
    if len(value) > max_length:
        raise RuleViolation(
            "text_length",
            field,
            _("Write at most %(n)s characters.") % {"n": max_length},
        )


def reason_problems(reason: str, when_empty: str) -> list[RuleViolation]:
    """A reason a worker must give: not empty (`when_empty` says what to write), plain text."""
    if isinstance(reason, str) and not reason.strip():
        return [RuleViolation("text_given", "reason", when_empty)]
    return collect(lambda: require_text(reason, "reason", max_length=2000))
