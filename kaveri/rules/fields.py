"""Model fields that hold a code of the rule set, checked against the rule sets Kaveri knows."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible

CODE_LENGTH = 40


@deconstructible
class RuleCodeValidator:
    def __init__(self, kind: str):
        self.kind = kind

    def __call__(self, value: str) -> None:
        """A code of any rule set Kaveri knows: a record keeps a code its own version had,
        even after a newer set retired it (the operations check a record's own version)."""
        from kaveri.rules.registry import registry

        known_here = registry()
        if not known_here.knows(self.kind, value):
            known = ", ".join(sorted(known_here.sets[-1].labels[self.kind]))
            raise ValidationError(
                f"'{value}' is not a {self.kind.replace('_', ' ')} of any rule set "
                f"({', '.join(known_here.versions)}); choose one of: {known}",
                code="unknown_rule_code",
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RuleCodeValidator) and other.kind == self.kind


def rule_code(kind: str, **kwargs) -> models.CharField:
    """A CharField holding a code of the given kind (e.g. 'service', 'benefit')."""
    kwargs.setdefault("max_length", CODE_LENGTH)
    return models.CharField(validators=[RuleCodeValidator(kind)], **kwargs)


def ruleset_version_field() -> models.CharField:
    return models.CharField(
        max_length=20,
        help_text="The rule set version this record was made under.",
    )


def source_system_field() -> models.CharField:
    return rule_code(
        "source_system", default="KAVERI", help_text="Where this information came from."
    )


def ends_with_reason(ended_field: str, reason_field: str, name: str) -> models.CheckConstraint:
    """An end date and its rule-set reason are given together or not at all."""
    still_open = models.Q(**{f"{ended_field}__isnull": True}) & models.Q(**{reason_field: ""})
    ended = models.Q(**{f"{ended_field}__isnull": False}) & ~models.Q(**{reason_field: ""})
    return models.CheckConstraint(condition=still_open | ended, name=name)


def imported_as_history_fields() -> tuple[models.TextField, models.TextField]:
    """Why an import brought the record in although the rules in force refuse it, and what
    they refused; both empty for a record that meets the rules."""
    return (
        models.TextField(
            "imported as history",
            blank=True,
            help_text="The import file's reason to bring in a record the rules in force refuse.",
        ),
        models.TextField(
            "refused by the rules",
            blank=True,
            help_text="What the rules in force refused when the record was imported.",
        ),
    )
