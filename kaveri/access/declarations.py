"""What each model holds about a client, declared on the model (kukkuu's habit).

A model that refers to a client sets `client_data = ClientData(...)`:

- `section`: the name its rows go under in a subject access export;
- `client`: the attribute path from a row to its client ("" for the client itself);
- `category`: the data category code, or a function (record, rules) -> code;
- `owner`: a function (record, rules) -> Owners: the organisations that hold the
  record (and may change it) and the authorities that own its data;
  both are given the rules the record was made under (`rules_for`);
- `export`: the fields a subject access request exports.

Consent-based visibility, the subject access export and the admin's audit read
these declarations; a test fails when a model that refers to a client declares
nothing.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps

from kaveri.rules.registry import rules_for


@dataclass(frozen=True)
class Owners:
    organisations: frozenset[int]
    authorities: frozenset[str]

    @classmethod
    def of(cls, organisations: Iterable) -> "Owners":
        present = [o for o in organisations if o is not None]
        return cls(
            frozenset(o.pk for o in present),
            frozenset(o.authority for o in present),
        )


NO_OWNER = Owners(frozenset(), frozenset())

OwnerRule = Callable[[Any, Any], Owners]
CategoryRule = str | Callable[[Any, Any], str]


def _follow(record, path: str):
    for part in filter(None, path.split(".")):
        if record is None:
            return None
        record = getattr(record, part)
    return record


def owned_by(*paths: str) -> OwnerRule:
    """The organisations at these attribute paths (a foreign key or a many-to-many)."""

    def owners(record, _rules) -> Owners:
        found = []
        for path in paths:
            value = _follow(record, path)
            if hasattr(value, "all"):
                found.extend(value.all())
            else:
                found.append(value)
        return Owners.of(found)

    return owners


def owned_as(path: str) -> OwnerRule:
    """The owners of the record at this attribute path (a measure: its plan's)."""

    def owners(record, _rules) -> Owners:
        parent = _follow(record, path)
        return parent.client_data.owners_of(parent) if parent is not None else NO_OWNER

    return owners


@dataclass(frozen=True)
class ClientData:
    section: str
    client: str
    category: CategoryRule
    owner: OwnerRule
    export: tuple[str, ...]

    @property
    def client_lookup(self) -> str:
        """The ORM lookup from the model to the client, e.g. 'plan__client'."""
        return self.client.replace(".", "__") or "pk"

    def client_of(self, record):
        return _follow(record, self.client) if self.client else record

    def category_of(self, record) -> str:
        """The record's data category, under the rule set it was made under."""
        if callable(self.category):
            return self.category(record, rules_for(record))
        return self.category

    def owners_of(self, record) -> Owners:
        """Who holds and owns the record, under the rule set it was made under."""
        return self.owner(record, rules_for(record))


def declared_models() -> list:
    """Every model that declares client data, in app order."""
    return [m for m in apps.get_models() if isinstance(getattr(m, "client_data", None), ClientData)]
