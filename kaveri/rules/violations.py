"""One shape of refusal for every operation: the check that failed, the field at fault
and a message that says what is wrong and how to fix it.

Pages show the message on the field; the API answers 422 with the field in `loc`
(409 for a conflict). Every app raises these from its own `validators.py`.
"""


class RuleViolation(Exception):
    status = 422

    def __init__(self, check: str, field: str, message: str):
        self.check = check
        self.field = field
        self.message = message
        super().__init__(message)


class Conflict(RuleViolation):
    """The record changed since the form was read, or its state no longer allows this."""

    status = 409


class Violations(Exception):
    """Several violations found at once, so that a form can show them all."""

    status = 422

    def __init__(self, violations: list[RuleViolation]):
        self.violations = violations
        super().__init__("; ".join(v.message for v in violations))


def collect(*checks) -> list[RuleViolation]:
    """Run each check (a callable with no arguments); return the violations they raise."""
    found = []
    for check in checks:
        try:
            check()
        except RuleViolation as violation:
            found.append(violation)
    return found
