"""Importing client records: validate everything first, then write all or nothing.

A client already in Kaveri (same identity code) whose record equals the file's
is left alone, so importing the same file twice changes nothing. A client whose
record differs has it replaced by the file's.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import ValidationError as SchemaError

from kaveri.access.models import Organisation
from kaveri.benefits.models import Appeal, Application, InformationRequest
from kaveri.casework.models import (
    ClientRelationship,
    Contact,
    JobSeekerRegistration,
    NamedWorker,
    ServiceNeedAssessment,
)
from kaveri.consent.models import Consent
from kaveri.evidence.models import Document
from kaveri.exchange.records import client_record
from kaveri.exchange.schema import ClientRec, ExchangeFile
from kaveri.people.models import Client
from kaveri.people.validators import normalise_hetu, validate_hetu
from kaveri.plans.models import Measure, Plan
from kaveri.rules.loader import get_rules
from kaveri.services.models import Participation, ServiceEpisode


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


class Problems(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s)")


def _location(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def parse(data: object) -> ExchangeFile:
    try:
        return ExchangeFile.model_validate(data)
    except SchemaError as error:
        raise Problems([f"{_location(e['loc'])}: {e['msg']}" for e in error.errors()]) from None


class References:
    """Organisations by name and workers by user name, looked up once."""

    def __init__(self):
        self.organisations = {o.name: o for o in Organisation.objects.all()}
        users = get_user_model().objects.filter(worker__isnull=False).select_related("worker")
        self.workers = {u.username: u.worker for u in users}


def _code_checks(rules, client: ClientRec) -> Iterator[tuple[str, str, str]]:
    """(path, code, kind) for every rule-set code in a client record."""
    for i, c in enumerate(client.contacts):
        yield f"contacts[{i}].initiator", c.initiator, "contact_initiator"
        yield f"contacts[{i}].channel", c.channel, "contact_channel"
    for i, r in enumerate(client.relationships):
        yield f"relationships[{i}].kind", r.kind, "relationship_kind"
        if r.pathway:
            yield f"relationships[{i}].pathway", r.pathway, "pathway"
        if r.closure_reason:
            yield f"relationships[{i}].closure_reason", r.closure_reason, "closure_reason"
        for j, n in enumerate(r.named_workers):
            yield f"relationships[{i}].named_workers[{j}].role", n.role, "worker_role"
    for i, p in enumerate(client.plans):
        yield f"plans[{i}].plan_type", p.plan_type, "plan"
        for j, m in enumerate(p.measures):
            yield f"plans[{i}].measures[{j}].measure", m.measure, "measure"
            yield (
                f"plans[{i}].measures[{j}].responsible_authority",
                m.responsible_authority,
                ("authority"),
            )
    for i, e in enumerate(client.service_episodes):
        yield f"service_episodes[{i}].service", e.service, "service"
        if e.end_reason:
            yield f"service_episodes[{i}].end_reason", e.end_reason, "end_reason"
    for i, a in enumerate(client.applications):
        yield f"applications[{i}].benefit", a.benefit, "benefit"
    for i, d in enumerate(client.documents):
        yield f"documents[{i}].evidence_type", d.evidence_type, "evidence"
    for i, c in enumerate(client.consents):
        yield f"consents[{i}].purpose", c.purpose, "consent_purpose"
        for code in c.data_categories:
            yield f"consents[{i}].data_categories", code, "data_category"
        for code in c.authorities:
            yield f"consents[{i}].authorities", code, "authority"


def _reference_checks(client: ClientRec) -> Iterator[tuple[str, str | None, str]]:
    """(path, name, 'organisation' | 'worker') for every reference in a client record."""
    for i, c in enumerate(client.contacts):
        yield f"contacts[{i}].organisation", c.organisation, "organisation"
        yield f"contacts[{i}].referred_by", c.referred_by, "organisation"
    for i, r in enumerate(client.relationships):
        yield f"relationships[{i}].organisation", r.organisation, "organisation"
        for j, n in enumerate(r.named_workers):
            yield f"relationships[{i}].named_workers[{j}].worker", n.worker, "worker"
    for i, a in enumerate(client.assessments):
        yield f"assessments[{i}].organisation", a.organisation, "organisation"
        yield f"assessments[{i}].assessor", a.assessor, "worker"
    for i, r in enumerate(client.job_seeker_registrations):
        yield f"job_seeker_registrations[{i}].organisation", r.organisation, "organisation"
    for i, p in enumerate(client.plans):
        for j, name in enumerate(p.parties):
            yield f"plans[{i}].parties[{j}]", name, "organisation"
    for i, e in enumerate(client.service_episodes):
        yield f"service_episodes[{i}].decided_by", e.decided_by, "organisation"
        yield f"service_episodes[{i}].provider", e.provider, "organisation"
        yield f"service_episodes[{i}].instructor", e.instructor, "worker"
    for i, a in enumerate(client.applications):
        yield f"applications[{i}].deciding_organisation", a.deciding_organisation, ("organisation")
    for i, d in enumerate(client.documents):
        yield f"documents[{i}].received_by", d.received_by, "organisation"


def _consistency_checks(rules, client: ClientRec) -> Iterator[tuple[str, str]]:
    for i, r in enumerate(client.relationships):
        if (r.closed_on is None) != (r.closure_reason == ""):
            yield f"relationships[{i}].closure_reason", "give a closing date and reason together"
        if r.closed_on and r.closed_on < r.opened_on:
            yield f"relationships[{i}].closed_on", "closes before it opens"
        kind = rules.relationship_kinds.get(r.kind)
        if kind and r.closure_reason and r.closure_reason not in kind.closure_reasons:
            yield f"relationships[{i}].closure_reason", "not a closure reason of this kind"
    keys = set()
    for i, e in enumerate(client.service_episodes):
        if e.previous and e.previous not in keys:
            yield f"service_episodes[{i}].previous", f"no earlier episode with key '{e.previous}'"
        keys.add(e.key)
        if e.ends_on < e.starts_on:
            yield f"service_episodes[{i}].ends_on", "ends before it starts"
        if (e.ended_on is None) != (e.end_reason == ""):
            yield f"service_episodes[{i}].end_reason", "give an end date and reason together"
    current = [p.series for p in client.plans if p.is_current]
    if len(current) != len(set(current)):
        yield "plans", "a plan series has more than one current version"


def validate(document: ExchangeFile, refs: References) -> list[str]:
    rules = get_rules()
    errors = []
    seen = set()
    for index, client in enumerate(document.clients):
        where = f"clients[{index}]"
        code = normalise_hetu(client.hetu)
        try:
            validate_hetu(code)
        except ValidationError as error:
            errors.append(f"{where}.hetu: {' '.join(error.messages)}")
        if code in seen:
            errors.append(f"{where}.hetu: the same client is in the file twice")
        seen.add(code)
        for path, value, kind in _code_checks(rules, client):
            if value not in rules.labels[kind] and not (
                kind == "authority" and value in rules.authorities
            ):
                errors.append(f"{where}.{path}: unknown {kind.replace('_', ' ')} '{value}'")
        for path, name, kind in _reference_checks(client):
            table = refs.organisations if kind == "organisation" else refs.workers
            if name is not None and name not in table:
                errors.append(f"{where}.{path}: no {kind} '{name}' in this Kaveri")
        errors += [
            f"{where}.{path}: {message}" for path, message in _consistency_checks(rules, client)
        ]
    return errors


def import_document(data: object, progress: Callable[[int], None] | None = None) -> ImportResult:
    """Validate the whole file, then write it in one transaction. Raises Problems."""
    document = parse(data)
    refs = References()
    errors = validate(document, refs)
    if errors:
        raise Problems(errors)
    result = ImportResult()
    try:
        with transaction.atomic():
            for client in document.clients:
                _import_client(client, refs, result)
                if progress:
                    progress(1)
    except IntegrityError as error:
        raise Problems([f"the database refused the import: {error}"]) from None
    return result


def _import_client(record: ClientRec, refs: References, result: ImportResult) -> None:
    hetu = normalise_hetu(record.hetu)
    existing = Client.objects.filter(hetu=hetu).first()
    wanted = record.model_dump(mode="json") | {"hetu": hetu}
    if existing is not None and client_record(existing) == wanted:
        result.unchanged += 1
        return
    basics = {
        k: getattr(record, k)
        for k in (
            "first_names",
            "last_name",
            "language",
            "municipality",
            "address",
            "phone",
            "email",
        )
    }
    if existing is None:
        client = Client.objects.create(hetu=hetu, **basics)
        result.created += 1
    else:
        client = existing
        for key, value in basics.items():
            setattr(client, key, value)
        client.save()
        _remove_records(client)
        result.updated += 1
    _write_records(client, record, refs)


def _remove_records(client: Client) -> None:
    for related in (
        client.contacts,
        client.assessments,
        client.job_seeker_registrations,
        client.plans,
        client.applications,
        client.documents,
        client.consents,
    ):
        related.all().delete()
    client.service_episodes.update(previous=None)
    client.service_episodes.all().delete()
    client.relationships.all().delete()


def _write_records(client: Client, record: ClientRec, refs: References) -> None:
    org = refs.organisations.get
    worker = refs.workers.get
    for c in record.contacts:
        Contact.objects.create(
            client=client,
            organisation=org(c.organisation),
            occurred_on=c.occurred_on,
            initiator=c.initiator,
            channel=c.channel,
            referred_by=org(c.referred_by or ""),
            notes=c.notes,
            source_system=c.source_system,
        )
    for r in record.relationships:
        relationship = ClientRelationship.objects.create(
            client=client,
            **r.model_dump(exclude={"organisation", "named_workers"}),
            organisation=org(r.organisation),
            state="CLOSED" if r.closed_on else "OPEN",
        )
        NamedWorker.objects.bulk_create(
            NamedWorker(
                relationship=relationship,
                worker=worker(n.worker),
                role=n.role,
                from_date=n.from_date,
                to_date=n.to_date,
            )
            for n in r.named_workers
        )
    for a in record.assessments:
        ServiceNeedAssessment.objects.create(
            client=client,
            **a.model_dump(exclude={"organisation", "assessor"}),
            organisation=org(a.organisation),
            assessor=worker(a.assessor or ""),
        )
    for r in record.job_seeker_registrations:
        JobSeekerRegistration.objects.create(
            client=client,
            **r.model_dump(exclude={"organisation"}),
            organisation=org(r.organisation),
        )
    for p in record.plans:
        plan = Plan.objects.create(
            client=client,
            **p.model_dump(exclude={"parties", "measures"}),
            state=_plan_state(p),
        )
        plan.parties.set([org(name) for name in p.parties])
        Measure.objects.bulk_create(
            Measure(
                plan=plan,
                **m.model_dump(exclude={"responsible_organisation"}),
                responsible_organisation=org(m.responsible_organisation or ""),
            )
            for m in p.measures
        )
    _write_episodes(client, record, refs)
    for a in record.applications:
        application = Application.objects.create(
            client=client,
            **a.model_dump(exclude={"deciding_organisation", "information_requests", "appeals"}),
            deciding_organisation=org(a.deciding_organisation or ""),
        )
        InformationRequest.objects.bulk_create(
            InformationRequest(
                application=application,
                **i.model_dump(),
                state="ANSWERED" if i.answered_on else "OPEN",
            )
            for i in a.information_requests
        )
        Appeal.objects.bulk_create(
            Appeal(application=application, **x.model_dump()) for x in a.appeals
        )
    for d in record.documents:
        Document.objects.create(
            client=client,
            **d.model_dump(exclude={"received_by"}),
            received_by=org(d.received_by or ""),
        )
    for c in record.consents:
        consent = Consent.objects.create(client=client, **c.model_dump(exclude={"revoked"}))
        if c.revoked:
            Consent.objects.filter(pk=consent.pk).update(
                revoked_at=consent.recorded_at,
                revoked_on=timezone.localdate(consent.recorded_at),
                state="REVOKED",
            )


def _plan_state(plan) -> str:
    if not plan.is_current:
        return "SUPERSEDED"
    return "APPROVED" if plan.client_approved_on else "IN_FORCE"


def _write_episodes(client: Client, record: ClientRec, refs: References) -> None:
    by_key = {}
    for e in record.service_episodes:
        episode = ServiceEpisode.objects.create(
            client=client,
            **e.model_dump(
                exclude={"key", "previous", "decided_by", "provider", "instructor", "participation"}
            ),
            decided_by=refs.organisations[e.decided_by],
            provider=refs.organisations.get(e.provider or ""),
            instructor=refs.workers.get(e.instructor or ""),
            previous=by_key.get(e.previous),
            state="ENDED" if e.ended_on else "DECIDED",
        )
        by_key[e.key] = episode
        Participation.objects.bulk_create(
            Participation(episode=episode, **d.model_dump()) for d in e.participation
        )
