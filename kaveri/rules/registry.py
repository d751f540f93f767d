"""The rule sets Kaveri knows, side by side, each with the day it takes effect.

The law changes (the 2025 employment services reform renamed the TE offices; the
disability services act was replaced), so records keep the rules they were made under:

- a new record follows the rule set in force on its own date (`rules_on`);
- a record already made keeps its version for its labels, its codes and every later
  operation on it (`rules_for`), even after a newer set has taken over and even when
  the newer set has retired one of its codes.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from itertools import pairwise
from pathlib import Path

from django.conf import settings

from kaveri.rules import clock
from kaveri.rules.loader import RuleProblem, RuleSetInvalid, load_rule_set
from kaveri.rules.ruleset import RuleSet


@dataclass(frozen=True)
class RuleRegistry:
    """Rule sets ordered by the day they take effect, oldest first."""

    sets: tuple[RuleSet, ...]

    @classmethod
    def of(cls, rule_sets) -> "RuleRegistry":
        ordered = tuple(sorted(rule_sets, key=lambda r: r.data.valid_from))
        versions = [r.version for r in ordered]
        if len(set(versions)) != len(versions):
            raise RuleSetInvalid(
                [RuleProblem("ruleset.yaml", "version", f"given twice: {sorted(versions)}")]
            )
        if not ordered:
            raise RuleSetInvalid([RuleProblem("KAVERI_RULES_DIRS", "", "names no rule set")])
        gaps = list(_validity_problems(ordered))
        if gaps:
            raise RuleSetInvalid(gaps)
        return cls(ordered)

    @property
    def versions(self) -> list[str]:
        return [r.version for r in self.sets]

    def in_force_until(self, rules: RuleSet) -> date | None:
        """The last day a set is in force: its own valid_until, else the day before the next."""
        later = [r for r in self.sets if r.data.valid_from > rules.data.valid_from]
        if rules.data.valid_until is not None:
            return rules.data.valid_until
        return later[0].data.valid_from - timedelta(days=1) if later else None

    def of_version(self, version: str) -> RuleSet:
        for rules in self.sets:
            if rules.version == version:
                return rules
        raise KeyError(version)

    def on(self, day: date) -> RuleSet:
        """The rule set in force on the day (the earliest one before any took effect)."""
        in_force = [r for r in self.sets if r.data.valid_from <= day]
        return in_force[-1] if in_force else self.sets[0]

    def knows(self, kind: str, code: str) -> bool:
        return any(code in r.labels[kind] for r in self.sets)

    def label(self, kind: str, code: str, language: str) -> str:
        """A code in words, from the newest rule set that knows it."""
        for rules in reversed(self.sets):
            if code in rules.labels[kind]:
                return rules.label(kind, code, language)
        return code


def _validity_problems(ordered: tuple[RuleSet, ...]):
    """A set that names its last day must end the day before the next one takes effect."""
    for rules, after in pairwise(ordered):
        last_day = rules.data.valid_until
        if last_day is not None and last_day + timedelta(days=1) != after.data.valid_from:
            yield RuleProblem(
                "ruleset.yaml",
                f"{rules.version}.valid_until",
                f"{last_day} does not end the day before {after.version} takes effect "
                f"({after.data.valid_from})",
            )
    for rules in ordered:
        if rules.data.valid_until is not None and rules.data.valid_until < rules.data.valid_from:
            yield RuleProblem(
                "ruleset.yaml", f"{rules.version}.valid_until", "is before valid_from"
            )


def rule_set_folders() -> list[Path]:
    return [Path(folder) for folder in settings.KAVERI_RULES_DIRS]


@cache
def _registry(folders: tuple[str, ...]) -> RuleRegistry:
    return RuleRegistry.of(load_rule_set(folder) for folder in folders)


def registry() -> RuleRegistry:
    """Every configured rule set (settings.KAVERI_RULES_DIRS), loaded once per process."""
    return _registry(tuple(map(str, settings.KAVERI_RULES_DIRS)))


def rules_on(day: date) -> RuleSet:
    """The rules for a record made on the day: the set in force then."""
    return registry().on(day)


def rules_of(version: str) -> RuleSet:
    """The rules of a version by name; KeyError for a version this Kaveri does not know."""
    return registry().of_version(version)


def rules_for(record) -> RuleSet:
    """The rules a recorded record was made under: its own version, for everything later."""
    version = getattr(record, "ruleset_version", "")
    return rules_of(version) if version else rules_on(clock.today())


def get_rules() -> RuleSet:
    """The rule set in force today: for choices offered now and records made today."""
    return rules_on(clock.today())
