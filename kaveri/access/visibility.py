"""Who sees which of a client's data: own authority by relationship, others by consent.

A record belongs to the authorities that own it and to one data category, as its
model declares (`client_data`). A worker whose organisation has an open relationship
with the client sees what their own authority owns. Another authority's data is
visible only under a consent that covered the day, covers the category and names
both the owner's and the viewer's authority. Social work notes never leave social
welfare, whatever the consent says.

`Visibility.decide` is a pure function of these facts, testable without a database.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from kaveri.access.principal import Principal
from kaveri.access.relations import (
    emergency_access_of,
    instructs_episode,
    serves_client,
    serving_among,
)
from kaveri.access.roles import CASEWORK_ROLES
from kaveri.rules.registry import get_rules
from kaveri.rules.ruleset import RuleSet, current_language

SOCIAL_WORK_NOTES = "SOCIAL_WORK_NOTES"


@dataclass(frozen=True)
class ConsentFacts:
    """The parts of a consent that decide access; testable without a database."""

    id: int
    categories: frozenset[str]
    authorities: frozenset[str]
    valid_from: date
    valid_until: date | None
    revoked_on: date | None = None
    given_by_the_client: bool = True

    @property
    def basis(self) -> str:
        """The basis of a read it permits, as the audit log keeps it; marked where a worker
        recorded it without the signed form."""
        return f"consent:{self.id}" + ("" if self.given_by_the_client else ":without-form")

    @classmethod
    def of(cls, consent) -> "ConsentFacts":
        return cls(
            id=consent.pk,
            categories=frozenset(consent.data_categories),
            authorities=frozenset(consent.authorities),
            valid_from=consent.valid_from,
            valid_until=consent.valid_until,
            revoked_on=consent.revoked_on,
            given_by_the_client=consent.given_by_the_client,
        )

    def in_force(self, day: date) -> bool:
        """As the consent stood that day: begun, not ended, not yet revoked."""
        if day < self.valid_from or (self.revoked_on is not None and self.revoked_on <= day):
            return False
        return self.valid_until is None or day <= self.valid_until

    def covers(self, owners: frozenset[str], viewer: str, category: str, day: date) -> bool:
        return (
            self.in_force(day)
            and category in self.categories
            and viewer in self.authorities
            and bool(owners & self.authorities)
        )


@dataclass(frozen=True)
class Decision:
    allowed: bool
    basis: str
    reason: str = ""


@dataclass
class Visibility:
    """What one worker may see of one client on one day."""

    viewer_authority: str | None
    has_relationship: bool
    consents: list[ConsentFacts]
    today: date
    social_welfare: frozenset[str]
    emergency_basis: str = ""
    label: Callable[[str, str], str] = lambda kind, code: code
    _cache: dict = field(default_factory=dict)

    def decide(self, owners: frozenset[str], category: str) -> Decision:
        """May the viewer see data of this category made by these (owner) authorities?"""
        key = (owners, category)
        if key not in self._cache:
            self._cache[key] = self._decide(owners, category)
        return self._cache[key]

    def allows(self, owners: frozenset[str], category: str) -> bool:
        return self.decide(owners, category).allowed

    def _decide(self, owners: frozenset[str], category: str) -> Decision:
        if self.viewer_authority is None:
            return Decision(False, "", _("Your role sees no client data."))
        if self._notes_leave_social_welfare(owners, category):
            return Decision(
                False, "", _("Social work notes are never shared outside social welfare.")
            )
        if self.emergency_basis:
            return Decision(True, self.emergency_basis)
        if not self.has_relationship:
            return Decision(
                False, "", _("Your organisation has no open client relationship with the client.")
            )
        if self.viewer_authority in owners:
            return Decision(True, "relationship")
        for consent in self.consents:
            if consent.covers(owners, self.viewer_authority, category, self.today):
                return Decision(True, consent.basis)
        return Decision(
            False,
            "",
            _(
                "No consent in force lets %(viewer)s see the data of %(owner)s in the category "
                "“%(category)s”. Ask the client for a consent that names both authorities and "
                "this data category."
            )
            % {
                "category": self.label("data_category", category),
                "owner": " / ".join(self.label("authority", o) for o in sorted(owners)),
                "viewer": self.label("authority", self.viewer_authority),
            },
        )

    def _notes_leave_social_welfare(self, owners: frozenset[str], category: str) -> bool:
        """Social work notes stay within social welfare: under no consent and no emergency."""
        return category == SOCIAL_WORK_NOTES and not (
            owners | {self.viewer_authority} <= self.social_welfare
        )


def consent_facts(client, day: date) -> list[ConsentFacts]:
    return [ConsentFacts.of(c) for c in client.consents.in_force_on(day)]


def social_welfare(rules: RuleSet) -> frozenset[str]:
    return frozenset(rules.data.consent_rules.social_welfare)


def _visibility(principal: Principal, client, has_relationship: bool, consents) -> Visibility:
    casework = principal.role in CASEWORK_ROLES and principal.organisation is not None
    rules = get_rules()
    emergency = None if has_relationship else emergency_access_of(principal, client)
    return Visibility(
        viewer_authority=principal.authority if casework else None,
        has_relationship=has_relationship,
        consents=consents,
        today=principal.today,
        social_welfare=social_welfare(rules),
        emergency_basis=f"emergency:{emergency.pk}" if emergency else "",
        label=lambda kind, code: rules.label(kind, code, current_language()),
    )


def visibility_of(principal: Principal, client) -> Visibility:
    """What the principal may see of the client on the principal's day; asked once a request."""

    def build() -> Visibility:
        casework = principal.role in CASEWORK_ROLES and principal.organisation is not None
        has_relationship = casework and serves_client(principal, client)
        return _visibility(
            principal, client, has_relationship, consent_facts(client, principal.today)
        )

    return principal.remember(("visibility", client.pk), build)


def remember_visibilities(principal: Principal, clients) -> None:
    """`visibility_of` for many clients at once (a list page): two queries in all instead
    of two for each client; later questions about them are answered from memory."""
    pending = {c.pk: c for c in clients if ("visibility", c.pk) not in principal.memo}
    if not pending:
        return
    served = serving_among(principal, pending.values())
    consents: dict[int, list[ConsentFacts]] = {pk: [] for pk in pending}
    any_client = next(iter(pending.values()))
    in_force = any_client.consents.model.objects.filter(client_id__in=pending).in_force_on(
        principal.today
    )
    for consent in in_force:
        consents[consent.client_id].append(ConsentFacts.of(consent))
    for pk, client in pending.items():
        principal.memo[("visibility", pk)] = _visibility(
            principal, client, pk in served, consents[pk]
        )


def owners_and_category(record) -> tuple[frozenset[str], str]:
    """(owner authorities, data category) of one record, as its model declares
    under the rule set it was made under."""
    declared = record.client_data
    return declared.owners_of(record).authorities, declared.category_of(record)


def read_decision(principal: Principal, record) -> Decision:
    """May the principal read this record of a client, and on what basis?"""
    declared = record.client_data
    client = declared.client_of(record)
    owners, category = owners_and_category(record)
    return visibility_of(principal, client).decide(owners, category)


def reads_record(principal: Principal, record) -> bool:
    """The record's owner, its instructor, or a worker whom a consent lets read it."""
    return instructs_episode(principal, record) or read_decision(principal, record).allowed
