"""Proposed rule sets: a bill or a draft decree, written as changes to the rule set it would
amend, so that a coordinator can see what it would do to today's caseload before it takes
effect. A proposal is never in force: no record is made under it and no rule reads it.

A proposal is a folder with one `proposal.yaml`:

    version: fi-2027.1-draft
    valid_from: 2027-07-01          # the rule set in force the day before is the one amended
    label: {fi: ..., sv: ..., en: ...}
    sources: [...]
    changes:
      - at: plans.ACTIVATION_PLAN.review.default   # a list item is named by its code
        to: {min: 3M, max: 6M}
        label: {fi: ..., sv: ..., en: ...}         # the change in words, for the page

The amended set is validated like any rule set: every problem is listed at once.
"""

import copy
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from pydantic import Field, ValidationError

from kaveri.rules.loader import (
    RuleProblem,
    RuleSetInvalid,
    merged_files,
    read_yaml_file,
    validated_rule_set,
)
from kaveri.rules.registry import RuleRegistry, registry
from kaveri.rules.ruleset import RuleSet
from kaveri.rules.schema import Label, Strict

PROPOSAL_FILE = "proposal.yaml"


class Change(Strict):
    at: str = Field(min_length=1)
    to: Any
    label: Label


class ProposalData(Strict):
    version: str = Field(min_length=1)
    valid_from: date
    label: Label
    sources: list[str] = []
    changes: list[Change] = Field(min_length=1)


@dataclass(frozen=True)
class Proposal:
    rules: RuleSet
    amends: RuleSet
    changes: tuple[Change, ...]

    @property
    def version(self) -> str:
        return self.rules.version


def _problem(key: str, message: str) -> RuleProblem:
    return RuleProblem(PROPOSAL_FILE, key, message)


def _child(node: Any, part: str, at: str) -> Any:
    if isinstance(node, dict) and part in node:
        return node[part]
    if isinstance(node, list):
        for item in node:
            if isinstance(item, dict) and item.get("code") == part:
                return item
    raise RuleSetInvalid([_problem(at, f"'{part}' is not there to change")])


def apply_change(content: dict, at: str, value: Any) -> None:
    """Set the value at a dotted path; a part that follows a list names an item's code.
    A key may be added (a bound the law did not set before); the schema then checks it."""
    *parents, last = at.split(".")
    node: Any = content
    for part in parents:
        node = _child(node, part, at)
    if not isinstance(node, dict):
        raise RuleSetInvalid([_problem(at, "name a key of an item, not the item itself")])
    node[last] = copy.deepcopy(value)


def _folder_of(version: str) -> Path:
    for folder in map(Path, settings.KAVERI_RULES_DIRS):
        content, _problems = read_yaml_file(folder / "ruleset.yaml")
        if content.get("version") == version:
            return folder
    raise KeyError(version)


def load_proposal(folder: Path | str, known: RuleRegistry) -> Proposal:
    """The rule set in force the day before the proposal's first day, with its changes."""
    path = Path(folder) / PROPOSAL_FILE
    content, problems = read_yaml_file(path)
    if problems:
        raise RuleSetInvalid(problems)
    try:
        proposal = ProposalData.model_validate(content)
    except ValidationError as error:
        raise RuleSetInvalid(
            [_problem(".".join(map(str, e["loc"])), e["msg"]) for e in error.errors()]
        ) from None
    if proposal.version in known.versions:
        raise RuleSetInvalid([_problem("version", f"{proposal.version} is already in force")])
    amends = known.on(proposal.valid_from - timedelta(days=1))
    amended, origin, _base_problems = merged_files(_folder_of(amends.version))
    for change in proposal.changes:
        apply_change(amended, change.at, change.to)
    amended.update(
        version=proposal.version,
        valid_from=proposal.valid_from,
        valid_until=None,
        label=proposal.label.model_dump(),
        sources=proposal.sources,
    )
    rules = validated_rule_set(amended, {key: str(path) for key in origin})
    return Proposal(rules=rules, amends=amends, changes=tuple(proposal.changes))


@cache
def _proposals(folders: tuple[str, ...]) -> tuple[Proposal, ...]:
    known = registry()
    return tuple(load_proposal(folder, known) for folder in folders)


def proposals() -> tuple[Proposal, ...]:
    """Every configured proposal (settings.KAVERI_PROPOSED_RULES_DIRS), loaded once."""
    return _proposals(tuple(map(str, settings.KAVERI_PROPOSED_RULES_DIRS)))


def proposal_of(version: str) -> Proposal:
    for proposal in proposals():
        if proposal.version == version:
            return proposal
    raise KeyError(version)
