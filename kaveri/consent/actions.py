"""Recording and revoking consents, each in one transaction, each checking its own input."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from kaveri.consent.models import Consent
from kaveri.consent.states import CONSENT
from kaveri.consent.validators import consent_problems, revocation_problems
from kaveri.rules import clock
from kaveri.rules.registry import get_rules, rules_on
from kaveri.rules.violations import RuleViolation, Violations


@dataclass
class ConsentInput:
    purpose: str
    data_categories: list[str]
    authorities: list[str]
    valid_from: date
    valid_until: date | None
    method: str


def consent_errors(data: ConsentInput, recorder_authority: str | None) -> dict[str, str]:
    """Field -> what is wrong and how to fix it; empty when the consent can be recorded."""
    rules = rules_on(data.valid_from) if isinstance(data.valid_from, date) else get_rules()
    return consent_problems(rules, data, recorder_authority, Consent.Method.values)


def _recorder_authority(recorded_by) -> str | None:
    organisation = getattr(recorded_by, "organisation", None)
    return organisation.authority if organisation else None


@transaction.atomic
def record_consent(client, data: ConsentInput, recorded_by) -> Consent:
    errors = consent_errors(data, _recorder_authority(recorded_by))
    if errors:
        raise Violations(
            [RuleViolation("consent_valid", field, message) for field, message in errors.items()]
        )
    return Consent.objects.create(
        client=client,
        purpose=data.purpose,
        data_categories=sorted(set(data.data_categories)),
        authorities=sorted(set(data.authorities)),
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        method=data.method,
        recorded_by=recorded_by,
    )


@transaction.atomic
def revoke_consent(
    consent: Consent,
    revoked_by,
    reason: str,
    today: date | None = None,
    *,
    expected_version: int | None = None,
) -> Consent:
    """The client revoked the consent: it takes effect at once, from this day on, and the
    consent stays as history so that accesses made before it can still show their basis."""
    problems = revocation_problems(reason)
    if problems:
        raise Violations(problems)
    day = today or clock.today()
    return CONSENT.apply(
        consent,
        "revoke",
        effective_on=day,
        by=revoked_by,
        reason=reason.strip(),
        expected_version=expected_version,
        changes={
            "revoked_at": timezone.now(),
            "revoked_on": day,
            "revoked_by": revoked_by if hasattr(revoked_by, "organisation") else None,
            "revocation_reason": reason.strip(),
        },
    )


def consent_record_problems(consent: Consent) -> list[RuleViolation]:
    """Every check a recorded consent fails (what a worker could not have recorded)."""
    data = ConsentInput(
        consent.purpose,
        list(consent.data_categories),
        list(consent.authorities),
        consent.valid_from,
        consent.valid_until,
        consent.method,
    )
    return [
        RuleViolation("consent_valid", field, message)
        for field, message in consent_errors(data, None).items()
    ]
