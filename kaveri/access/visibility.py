"""Filtering a client's records by what the requesting worker may see, with the audit trail."""

from collections import Counter
from dataclasses import dataclass, field

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language

from kaveri.access.actions import organisation_has_open_relationship
from kaveri.access.audit import append_events, build_event
from kaveri.access.emergency import active_emergency_access
from kaveri.access.principal import principal_for
from kaveri.access.roles import CASEWORK_ROLES
from kaveri.consent.classification import classify
from kaveri.consent.visibility import Visibility, consent_facts, social_welfare
from kaveri.rules.loader import get_rules


def visibility_for(request: HttpRequest, client) -> Visibility:
    principal = principal_for(request)
    today = timezone.localdate()
    casework = principal.role in CASEWORK_ROLES and principal.organisation is not None
    rules = get_rules()
    has_relationship = casework and organisation_has_open_relationship(principal, client)
    emergency = None if has_relationship else active_emergency_access(principal.worker, client)
    return Visibility(
        viewer_authority=principal.organisation.authority if casework else None,
        has_relationship=has_relationship,
        consents=consent_facts(client, today),
        today=today,
        social_welfare=social_welfare(rules),
        emergency_basis=f"emergency:{emergency.pk}" if emergency else "",
        label=lambda kind, code: rules.label(kind, code, get_language() or "fi"),
    )


@dataclass
class FilteredRecords:
    """The records one may see; what was held back and why; what to audit."""

    visible: dict[str, list] = field(default_factory=dict)
    withheld: dict[str, Counter] = field(default_factory=dict)
    reads: set[tuple[str, str]] = field(default_factory=set)
    refusals: set[tuple[str, str]] = field(default_factory=set)

    def add(self, section: str, records, visibility: Visibility) -> None:
        rules = get_rules()
        shown, held = [], Counter()
        for record in records:
            owners, category = classify(record, rules)
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
