"""Filtering a client's records by what the requesting worker may see, with the audit trail."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest

from kaveri.access.audit import append_events, build_event
from kaveri.access.principal import principal_for
from kaveri.access.visibility import Visibility, owners_and_category, visibility_of


@dataclass
class FilteredRecords:
    """The records one may see; what was held back and why; what to audit."""

    visible: dict[str, list] = field(default_factory=dict)
    withheld: dict[str, Counter] = field(default_factory=dict)
    reads: set[tuple[str, str]] = field(default_factory=set)
    refusals: set[tuple[str, str]] = field(default_factory=set)
    # (owner authorities, category) -> may the reader see such data; for what is not listed
    may_see: Callable[[frozenset[str], str], bool] | None = None

    def add(self, section: str, records, visibility: Visibility) -> None:
        shown, held = [], Counter()
        for record in records:
            owners, category = owners_and_category(record)
            decision = visibility.decide(owners, category)
            if decision.allowed:
                shown.append(record)
                self.reads.add((category, decision.basis))
            else:
                held[decision.reason] += 1
                self.refusals.add((category, decision.reason))
        self.visible[section] = shown
        self.withheld[section] = held

    def audit(self, request: HttpRequest, client) -> None:
        action = request.kaveri_action
        events = [
            build_event(request, action, client, True, category, basis)
            for category, basis in sorted(self.reads)
        ] + [
            build_event(request, action, client, False, category, "no consent")
            for category, _reason in sorted(self.refusals)
        ]
        append_events(events)


def filter_visible(request: HttpRequest, client, sections: dict[str, list]) -> FilteredRecords:
    records = FilteredRecords()
    visibility = visibility_of(principal_for(request), client)
    records.may_see = visibility.allows
    for section, rows in sections.items():
        records.add(section, rows, visibility)
    return records
