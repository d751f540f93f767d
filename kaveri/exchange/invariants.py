"""Every record of a client checked against the named checks of its app, as recorded.

The importer runs these on what it brings in; the demo's invariant test runs them on the
whole synthetic region. A refusal is what a page or the API would have refused.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from kaveri.benefits.actions import application_problems
from kaveri.casework.validators import relationship_problems
from kaveri.consent.actions import consent_record_problems
from kaveri.plans.actions import plan_problems
from kaveri.rules.registry import rules_for
from kaveri.rules.violations import RuleViolation
from kaveri.services.actions import episode_problems


@dataclass(frozen=True)
class Refusal:
    record: object
    violation: RuleViolation

    def __str__(self) -> str:
        return (
            f"{self.record._meta.label}#{self.record.pk}: {self.violation.check}: "
            f"{self.violation.message}"
        )


def _registration_problems(registration) -> list[RuleViolation]:
    if registration.organisation.authority != "EMP":
        return [
            RuleViolation(
                "registration_at_employment_services",
                "organisation",
                _("Job seekers register with employment services."),
            )
        ]
    return []


def _assessment_problems(assessment) -> list[RuleViolation]:
    rules = rules_for(assessment)
    found = []
    unknown = [s for s in assessment.guided_services if s not in rules.services] + [
        b for b in assessment.guided_benefits if b not in rules.benefits
    ]
    if unknown:
        found.append(
            RuleViolation(
                "guidance_known",
                "guided_services",
                _("Unknown service or benefit: %(codes)s.") % {"codes": unknown},
            )
        )
    relationship = assessment.relationship
    if relationship is not None and assessment.assessed_on < relationship.opened_on:
        found.append(
            RuleViolation(
                "assessment_within_relationship",
                "assessed_on",
                _("The assessment cannot be before the relationship opened."),
            )
        )
    return found


def record_checks(today: date) -> list[tuple[str, Callable]]:
    """(the client's related records, the check of one record) for every kind checked."""
    return [
        ("consents", consent_record_problems),
        ("job_seeker_registrations", _registration_problems),
        ("relationships", lambda r: relationship_problems(rules_for(r), r)),
        ("assessments", _assessment_problems),
        ("plans", plan_problems),
        ("service_episodes", lambda e: episode_problems(e, today)),
        ("applications", application_problems),
    ]


def client_refusals(client, today: date) -> Iterator[Refusal]:
    for related, check in record_checks(today):
        for record in getattr(client, related).all():
            for violation in check(record):
                yield Refusal(record, violation)


# What the checks read of each client, fetched in one query per kind for many clients.
CHECKED_RECORDS = (
    "consents",
    "job_seeker_registrations__organisation",
    "relationships__organisation",
    "relationships__contact",
    "relationships__named_workers__worker__organisation",
    "assessments__relationship",
    "plans__parties",
    "plans__measures",
    "service_episodes__participation",
    "service_episodes__decided_by",
    "service_episodes__provider",
    "service_episodes__instructor",
    "service_episodes__previous",
    "applications__information_requests",
    "applications__deciding_organisation",
)


def refusals_in(clients, today: date) -> Iterator[Refusal]:
    """The refusals of every client of a queryset, a chunk of clients at a time."""
    last = 0
    while True:
        chunk = list(
            clients.filter(pk__gt=last).order_by("pk").prefetch_related(*CHECKED_RECORDS)[:500]
        )
        if not chunk:
            return
        for client in chunk:
            yield from client_refusals(client, today)
        last = chunk[-1].pk
