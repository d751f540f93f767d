"""Client records to and from the exchange format."""

import json
from collections.abc import Iterator
from typing import IO

from kaveri.exchange.schema import FORMAT, FORMAT_VERSION, ClientRec
from kaveri.people.models import Client

CHUNK = 500


def _name(organisation) -> str | None:
    return organisation.name if organisation else None


def _username(worker) -> str | None:
    return worker.user.username if worker else None


def client_record(client: Client) -> dict:
    """One client's whole record in the exchange format, as JSON-ready data."""
    consents = sorted(client.consents.all(), key=lambda c: (c.valid_from, c.pk))
    episodes = list(client.service_episodes.all())
    keys = {e.pk: f"e{index}" for index, e in enumerate(sorted(episodes, key=episode_order))}
    record = {
        "hetu": client.hetu,
        "first_names": client.first_names,
        "last_name": client.last_name,
        "language": client.language,
        "municipality": client.municipality,
        "address": client.address,
        "phone": client.phone,
        "email": client.email,
        "contacts": [
            contact_record(c)
            for c in sorted(client.contacts.all(), key=lambda c: (c.occurred_on, c.pk))
        ],
        "relationships": [
            relationship_record(r)
            for r in sorted(client.relationships.all(), key=lambda r: (r.opened_on, r.pk))
        ],
        "assessments": [
            assessment_record(a)
            for a in sorted(client.assessments.all(), key=lambda a: (a.assessed_on, a.pk))
        ],
        "job_seeker_registrations": [
            {
                "organisation": _name(r.organisation),
                "registered_on": r.registered_on,
                "ended_on": r.ended_on,
                "source_system": r.source_system,
            }
            for r in sorted(
                client.job_seeker_registrations.all(), key=lambda r: (r.registered_on, r.pk)
            )
        ],
        "plans": [
            plan_record(p)
            for p in sorted(client.plans.all(), key=lambda p: (str(p.series), p.version))
        ],
        "service_episodes": [episode_record(e, keys) for e in sorted(episodes, key=episode_order)],
        "applications": [
            _application(a)
            for a in sorted(client.applications.all(), key=lambda a: (a.submitted_on, a.pk))
        ],
        "documents": [
            {
                "evidence_type": d.evidence_type,
                "title": d.title,
                "issued_on": d.issued_on,
                "received_on": d.received_on,
                "issued_by": d.issued_by,
                "received_by": _name(d.received_by),
                "valid_until": d.valid_until,
                "source_system": d.source_system,
            }
            for d in sorted(client.documents.all(), key=lambda d: (d.received_on, d.pk))
        ],
        "consents": [
            {
                "purpose": c.purpose,
                "data_categories": c.data_categories,
                "authorities": c.authorities,
                "valid_from": c.valid_from,
                "valid_until": c.valid_until,
                "method": c.method,
                "revoked": c.revoked_at is not None,
                "revoked_on": c.revoked_on,
                "revocation_reason": c.revocation_reason,
                "source_system": c.source_system,
                "historical": c.imported_as_history,
            }
            for c in consents
        ],
        "data_requests": [
            {
                "kind": r.kind,
                "requested_by": _name(r.requested_by),
                "to_authority": r.to_authority,
                "what": r.what,
                "requested_on": r.requested_on,
                "due_on": r.due_on,
                "consent": [c.pk for c in consents].index(r.consent_id),
                "answered_on": r.answered_on,
                "answer": r.answer,
                "ruleset_version": r.ruleset_version,
                "source_system": r.source_system,
            }
            for r in sorted(client.data_requests.all(), key=lambda r: (r.requested_on, r.pk))
        ],
        "employment_statements": [
            {
                "kind": s.kind,
                "benefit": s.benefit,
                "given_on": s.given_on,
                "given_by": _name(s.given_by),
                "goes_to": s.goes_to,
                "content": s.content,
                "ruleset_version": s.ruleset_version,
                "source_system": s.source_system,
            }
            for s in sorted(client.employment_statements.all(), key=lambda s: (s.given_on, s.pk))
        ],
        "situation_changes": [
            {
                "kind": c.kind,
                "starts_on": c.starts_on,
                "details": c.details,
                "reported_on": c.reported_on,
                "told": c.told,
                "channel": c.channel,
                "client_confirmed": c.client_confirmed,
                "ruleset_version": c.ruleset_version,
            }
            for c in sorted(client.situation_changes.all(), key=lambda c: (c.reported_on, c.pk))
        ],
    }
    return ClientRec.model_validate(record).model_dump(mode="json")


def contact_record(c) -> dict:
    return {
        "organisation": _name(c.organisation),
        "occurred_on": c.occurred_on,
        "initiator": c.initiator,
        "channel": c.channel,
        "referred_by": _name(c.referred_by),
        "notes": c.notes,
        "source_system": c.source_system,
    }


def assessment_record(a) -> dict:
    return {
        "organisation": _name(a.organisation),
        "assessed_on": a.assessed_on,
        "assessor": _username(a.assessor),
        "findings": a.findings,
        "guided_services": a.guided_services,
        "guided_benefits": a.guided_benefits,
        "is_final": a.is_final,
        "ruleset_version": a.ruleset_version,
        "source_system": a.source_system,
    }


def episode_order(episode):
    return (episode.starts_on, episode.pk)


def relationship_record(r) -> dict:
    return {
        "organisation": _name(r.organisation),
        "kind": r.kind,
        "pathway": r.pathway,
        "opened_on": r.opened_on,
        "closed_on": r.closed_on,
        "closure_reason": r.closure_reason,
        "feedback_offered_on": r.feedback_offered_on,
        "client_feedback": r.client_feedback,
        "ruleset_version": r.ruleset_version,
        "source_system": r.source_system,
        "historical": r.imported_as_history,
        "named_workers": [
            {
                "worker": _username(n.worker),
                "role": n.role,
                "from_date": n.from_date,
                "to_date": n.to_date,
            }
            for n in sorted(r.named_workers.all(), key=lambda n: (n.from_date, n.pk))
        ],
    }


def plan_record(p) -> dict:
    return {
        "series": str(p.series),
        "version": p.version,
        "is_current": p.is_current,
        "plan_type": p.plan_type,
        "process": p.process,
        "made_on": p.made_on,
        "review_interval": p.review_interval,
        "next_review_on": p.next_review_on,
        "client_approved_on": p.client_approved_on,
        "summary": p.summary,
        "ruleset_version": p.ruleset_version,
        "source_system": p.source_system,
        "historical": p.imported_as_history,
        "parties": sorted(o.name for o in p.parties.all()),
        "measures": [
            {
                "measure": m.measure,
                "responsible_authority": m.responsible_authority,
                "responsible_organisation": _name(m.responsible_organisation),
                "description": m.description,
                "status": m.status,
                "due_on": m.due_on,
                "client_acknowledged_on": m.client_acknowledged_on,
            }
            for m in sorted(p.measures.all(), key=lambda m: m.pk)
        ],
    }


def episode_record(e, keys: dict) -> dict:
    return {
        "key": keys[e.pk],
        "previous": keys.get(e.previous_id),
        "service": e.service,
        "decided_by": _name(e.decided_by),
        "provider": _name(e.provider),
        "instructor": _username(e.instructor),
        "decision_on": e.decision_on,
        "starts_on": e.starts_on,
        "ends_on": e.ends_on,
        "ended_on": e.ended_on,
        "end_reason": e.end_reason,
        "days_per_week": e.days_per_week,
        "hours_per_day": e.hours_per_day,
        "ruleset_version": e.ruleset_version,
        "source_system": e.source_system,
        "historical": e.imported_as_history,
        "participation": [
            {
                "day": d.day,
                "attended": d.attended,
                "hours": d.hours,
                "source_system": d.source_system,
            }
            for d in sorted(e.participation.all(), key=lambda d: d.day)
        ],
    }


def _application(a) -> dict:
    return {
        "benefit": a.benefit,
        "deciding_organisation": _name(a.deciding_organisation),
        "submitted_on": a.submitted_on,
        "completed_on": a.completed_on,
        "urgent": a.urgent,
        "status": a.status,
        "expected_decision_on": a.expected_decision_on,
        "decided_on": a.decided_on,
        "decision_mailed_on": a.decision_mailed_on,
        "appeal_due_on": a.appeal_due_on,
        "outcome": a.outcome,
        "granted_from": a.granted_from,
        "granted_until": a.granted_until,
        "ruleset_version": a.ruleset_version,
        "source_system": a.source_system,
        "historical": a.imported_as_history,
        "information_requests": [
            {
                "requested_on": i.requested_on,
                "due_on": i.due_on,
                "what": i.what,
                "answered_on": i.answered_on,
                "answer": i.answer,
            }
            for i in sorted(a.information_requests.all(), key=lambda i: (i.requested_on, i.pk))
        ],
        "appeals": [
            {
                "filed_on": x.filed_on,
                "due_on": x.due_on,
                "stage": x.stage,
                "state": x.state,
                "decided_on": x.decided_on,
                "decision_mailed_on": x.decision_mailed_on,
                "outcome": x.outcome,
                "next_due_on": x.next_due_on,
                "source_system": x.source_system,
            }
            for x in sorted(a.appeals.all(), key=lambda x: (x.filed_on, x.pk))
        ],
    }


def clients_with_records():
    return Client.objects.order_by("pk").prefetch_related(
        "contacts__organisation",
        "contacts__referred_by",
        "relationships__organisation",
        "relationships__named_workers__worker__user",
        "assessments__organisation",
        "assessments__assessor__user",
        "job_seeker_registrations__organisation",
        "plans__parties",
        "plans__measures__responsible_organisation",
        "service_episodes__decided_by",
        "service_episodes__provider",
        "service_episodes__instructor__user",
        "service_episodes__participation",
        "applications__deciding_organisation",
        "applications__information_requests",
        "applications__appeals",
        "documents__received_by",
        "consents",
        "data_requests__requested_by",
    )


def iter_records(progress=None, audit=None) -> Iterator[dict]:
    """Every client's record, in chunks; `audit` is told each chunk's clients as they are read."""
    queryset = clients_with_records()
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        if audit:
            audit(chunk)
        for client in chunk:
            yield client_record(client)
        last = chunk[-1].pk
        if progress:
            progress(len(chunk))


def write_export(stream: IO[str], progress=None, audit=None) -> int:
    """Stream the whole population as one JSON document; returns the number of clients."""
    stream.write(f'{{"format": "{FORMAT}", "format_version": {FORMAT_VERSION}, "clients": [')
    count = 0
    for record in iter_records(progress, audit):
        stream.write(("\n" if count == 0 else ",\n") + json.dumps(record, ensure_ascii=False))
        count += 1
    stream.write("\n]}\n")
    return count
