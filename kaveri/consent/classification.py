"""Which authority owns a record and which data category it belongs to."""

from kaveri.benefits.models import Application
from kaveri.casework.models import ClientRelationship, Contact, ServiceNeedAssessment
from kaveri.consent.models import Consent
from kaveri.evidence.models import Document
from kaveri.plans.models import Plan
from kaveri.rules.ruleset import RuleSet
from kaveri.services.models import ServiceEpisode

Classified = tuple[frozenset[str], str]


def _authority(organisation) -> frozenset[str]:
    return frozenset({organisation.authority}) if organisation else frozenset()


def classify(record, rules: RuleSet) -> Classified:
    """(owner authorities, data category) of one record."""
    social_welfare = frozenset(rules.data.consent_rules.social_welfare)
    if isinstance(record, ClientRelationship | Contact):
        return _authority(record.organisation), "BASIC"
    if isinstance(record, ServiceNeedAssessment):
        owners = _authority(record.organisation)
        return owners, "SOCIAL_WORK_NOTES" if owners <= social_welfare else "PLANS"
    if isinstance(record, Plan):
        parties = frozenset(o.authority for o in record.parties.all())
        return parties | _authority(
            record.relationship and record.relationship.organisation
        ), "PLANS"
    if isinstance(record, ServiceEpisode):
        return _authority(record.decided_by), "SERVICES"
    if isinstance(record, Application):
        owner = record.deciding_organisation
        return (
            _authority(owner) if owner else frozenset({rules.benefits[record.benefit].decided_by}),
            "BENEFITS",
        )
    if isinstance(record, Document):
        health = rules.evidence_types[record.evidence_type].health_data
        return _authority(record.received_by), "HEALTH" if health else "BASIC"
    if isinstance(record, Consent):
        return frozenset(record.authorities), "BASIC"
    raise TypeError(f"no data category for {type(record).__name__}")
