"""Who sees which of a client's data: own authority by relationship, others by consent.

A record belongs to the authority whose organisation made it (its owner) and to
one data category. A worker whose organisation has an open relationship with the
client sees what their own authority owns. Another authority's data is visible
only under a consent that is in force today, covers the category and names both
the owner's and the viewer's authority. Social work notes never leave social
welfare, whatever the consent says.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from kaveri.consent.models import Consent
from kaveri.rules.ruleset import RuleSet

SOCIAL_WORK_NOTES = "SOCIAL_WORK_NOTES"


@dataclass(frozen=True)
class ConsentFacts:
    """The parts of a consent that decide access; testable without a database."""

    id: int
    categories: frozenset[str]
    authorities: frozenset[str]
    valid_from: date
    valid_until: date | None
    revoked: bool

    @classmethod
    def of(cls, consent: Consent) -> "ConsentFacts":
        return cls(
            id=consent.pk,
            categories=frozenset(consent.data_categories),
            authorities=frozenset(consent.authorities),
            valid_from=consent.valid_from,
            valid_until=consent.valid_until,
            revoked=consent.revoked_at is not None,
        )

    def in_force(self, today: date) -> bool:
        if self.revoked or today < self.valid_from:
            return False
        return self.valid_until is None or today <= self.valid_until

    def covers(self, owners: frozenset[str], viewer: str, category: str, today: date) -> bool:
        return (
            self.in_force(today)
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
    """What one worker may see of one client today."""

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
        if self.emergency_basis:
            return Decision(True, self.emergency_basis)
        if not self.has_relationship:
            return Decision(
                False, "", _("Your organisation has no open client relationship with the client.")
            )
        if self.viewer_authority in owners:
            return Decision(True, "relationship")
        if category == SOCIAL_WORK_NOTES and not (
            owners | {self.viewer_authority} <= self.social_welfare
        ):
            return Decision(
                False, "", _("Social work notes are never shared outside social welfare.")
            )
        for consent in self.consents:
            if consent.covers(owners, self.viewer_authority, category, self.today):
                return Decision(True, f"consent:{consent.id}")
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


def consent_facts(client, today: date) -> list[ConsentFacts]:
    rows = Consent.objects.filter(client=client, revoked_at__isnull=True, valid_from__lte=today)
    return [ConsentFacts.of(c) for c in rows]


def social_welfare(rules: RuleSet) -> frozenset[str]:
    return frozenset(rules.data.consent_rules.social_welfare)
