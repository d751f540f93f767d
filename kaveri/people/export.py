"""Everything held on one client, as JSON-ready data, for a data subject access request."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.db import models

from kaveri.access.models import AuditEvent, EmergencyAccess

FORMAT_VERSION = 1


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def row(instance: models.Model, exclude: tuple[str, ...] = ()) -> dict:
    return {
        field.attname: _value(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.attname not in exclude
    }


def export_client(client) -> dict:
    """All records about the client, grouped by kind, newest rules version noted per record."""
    relationships = client.relationships.prefetch_related("named_workers")
    plans = client.plans.prefetch_related("measures", "parties")
    episodes = client.service_episodes.prefetch_related("participation")
    applications = client.applications.prefetch_related("information_requests", "appeals")
    return {
        "format": "kaveri-subject-access",
        "format_version": FORMAT_VERSION,
        "client": row(client, exclude=("user_id",)),
        "contacts": [row(c) for c in client.contacts.all()],
        "relationships": [
            row(r) | {"named_workers": [row(n) for n in r.named_workers.all()]}
            for r in relationships
        ],
        "assessments": [row(a) for a in client.assessments.all()],
        "job_seeker_registrations": [row(r) for r in client.job_seeker_registrations.all()],
        "plans": [
            row(p)
            | {
                "measures": [row(m) for m in p.measures.all()],
                "parties": [o.name for o in p.parties.all()],
            }
            for p in plans
        ],
        "service_episodes": [
            row(e) | {"participation": [row(d) for d in e.participation.all()]} for e in episodes
        ],
        "applications": [
            row(a)
            | {
                "information_requests": [row(i) for i in a.information_requests.all()],
                "appeals": [row(x) for x in a.appeals.all()],
            }
            for a in applications
        ],
        "documents": [row(d) for d in client.documents.all()],
        "consents": [row(c) for c in client.consents.all()],
        "emergency_accesses": [row(e) for e in EmergencyAccess.objects.filter(client=client)],
        "access_log": [
            row(e, exclude=("previous_hash", "hash"))
            for e in AuditEvent.objects.filter(client=client).order_by("sequence")
        ],
    }
