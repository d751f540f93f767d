"""Importing client records: validate everything first, then write all or nothing.

A client already in Kaveri (same identity code) whose record equals the file's
is left alone, so importing the same file twice changes nothing. A client whose
record differs is refused with each difference named, unless the import is told
to update (`update`: the basic details) and, for the records under them, to
replace (`delete_missing`: each deleted record is listed and audited). An import
never deletes anything on its own.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from pydantic import ValidationError as SchemaError

from kaveri.access.actions import Action
from kaveri.access.audit import record_console_access, record_console_events
from kaveri.access.models import Organisation
from kaveri.access.security import redact
from kaveri.benefits.models import Appeal, Application, EmploymentStatement, InformationRequest
from kaveri.casework.models import (
    ClientRelationship,
    Contact,
    JobSeekerRegistration,
    NamedWorker,
    ServiceNeedAssessment,
    SituationChange,
)
from kaveri.consent.models import Consent, DataRequest
from kaveri.evidence.models import Document
from kaveri.exchange.invariants import client_refusals
from kaveri.exchange.records import client_record
from kaveri.exchange.schema import ClientRec, ExchangeFile
from kaveri.people.models import Client
from kaveri.people.validators import normalise_hetu, validate_hetu
from kaveri.plans.models import Measure, Plan
from kaveri.rules import clock
from kaveri.rules.registry import registry
from kaveri.rules.watchers import facts_changed
from kaveri.services.models import Participation, ServiceEpisode

# The key of the PostgreSQL advisory lock that imports take in turn ("KAVERI-I" in ASCII).
IMPORT_LOCK = 0x4B41564552492D49
BASIC_FIELDS = ("first_names", "last_name", "language", "municipality", "address", "phone", "email")
RECORD_SECTIONS = (
    "contacts",
    "relationships",
    "assessments",
    "job_seeker_registrations",
    "plans",
    "service_episodes",
    "applications",
    "documents",
    "consents",
    "data_requests",
    "employment_statements",
    "situation_changes",
)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ImportOptions:
    """What an import may do to a client already in Kaveri whose record differs."""

    update: bool = False  # take the file's basic details (name, language, contact details)
    delete_missing: bool = False  # replace the client's records with the file's, deleting


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
    for i, r in enumerate(client.data_requests):
        yield f"data_requests[{i}].kind", r.kind, "authority_request"
        yield f"data_requests[{i}].to_authority", r.to_authority, "authority"
    for i, s in enumerate(client.employment_statements):
        yield f"employment_statements[{i}].kind", s.kind, "employment_statement"
        yield f"employment_statements[{i}].benefit", s.benefit, "benefit"
        yield f"employment_statements[{i}].goes_to", s.goes_to, "authority"
    for i, c in enumerate(client.situation_changes):
        yield f"situation_changes[{i}].kind", c.kind, "situation_change"
        for code in c.told:
            yield f"situation_changes[{i}].told", code, "authority"
        if c.channel:
            yield f"situation_changes[{i}].channel", c.channel, "contact_channel"
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
    for i, r in enumerate(client.data_requests):
        yield f"data_requests[{i}].requested_by", r.requested_by, "organisation"
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
    for i, s in enumerate(client.employment_statements):
        yield f"employment_statements[{i}].given_by", s.given_by, "organisation"


def _consistency_checks(rules, client: ClientRec) -> Iterator[tuple[str, str]]:
    for i, r in enumerate(client.relationships):
        if (r.closed_on is None) != (r.closure_reason == ""):
            yield f"relationships[{i}].closure_reason", "give a closing date and reason together"
        if r.closed_on and r.closed_on < r.opened_on:
            yield f"relationships[{i}].closed_on", "closes before it opens"
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


def _version_checks(known: list[str], client: ClientRec) -> Iterator[tuple[str, str]]:
    """Each record names a rule set this Kaveri knows: the one it was made under."""
    for key in (
        "relationships",
        "assessments",
        "plans",
        "service_episodes",
        "applications",
        "data_requests",
        "employment_statements",
        "situation_changes",
    ):
        for i, row in enumerate(getattr(client, key)):
            if row.ruleset_version not in known:
                yield (
                    f"{key}[{i}].ruleset_version",
                    f"unknown rule set '{row.ruleset_version}'; known: {', '.join(known)}",
                )


def validate(document: ExchangeFile, refs: References) -> list[str]:
    known = registry()
    rules = known.sets[-1]
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
            if not known.knows(kind, value):
                errors.append(f"{where}.{path}: unknown {kind.replace('_', ' ')} '{value}'")
        errors += [f"{where}.{path}: {m}" for path, m in _version_checks(known.versions, client)]
        for path, name, kind in _reference_checks(client):
            table = refs.organisations if kind == "organisation" else refs.workers
            if name is not None and name not in table:
                errors.append(f"{where}.{path}: no {kind} '{name}' in this Kaveri")
        errors += [
            f"{where}.{path}: {message}" for path, message in _consistency_checks(rules, client)
        ]
    return errors


def import_document(
    data: object,
    progress: Callable[[int], None] | None = None,
    options: ImportOptions = ImportOptions(),
) -> ImportResult:
    """Validate the whole file, then write it in one transaction. Raises Problems.

    The shape, codes and references are checked first. Each client's records are then
    written and checked against the same named checks the pages and the API run; a record
    those refuse is an error naming its place, unless the file marks it `historical`,
    in which case the record is kept with the reason and what the rules refused.
    """
    document = parse(data)
    refs = References()
    errors = validate(document, refs)
    if errors:
        raise Problems(errors)
    result = ImportResult()
    try:
        with transaction.atomic():
            _one_import_at_a_time()
            for index, client in enumerate(document.clients):
                errors += _import_client(f"clients[{index}]", client, refs, result, options)
                if progress:
                    progress(1)
            if errors:
                raise Problems(errors)
    except IntegrityError as error:
        raise Problems([f"the database refused the import: {redact(str(error))}"]) from None
    return result


def _one_import_at_a_time() -> None:
    """A second import waits for the first to commit, then finds its clients there (and
    so imports the same file as unchanged) instead of failing on the same identity codes.
    SQLite's write transactions already take the one write lock when they begin."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


def _import_client(
    where: str, record: ClientRec, refs: References, result, options: ImportOptions
) -> list[str]:
    hetu = normalise_hetu(record.hetu)
    existing = Client.objects.with_identity_code(hetu).first()
    wanted = record.model_dump(mode="json") | {"hetu": hetu}
    basics = {key: getattr(record, key) for key in BASIC_FIELDS}
    if existing is None:
        client = Client.objects.create(hetu=hetu, **basics)
        result.created += 1
        _audit_import(client, "new client")
        return _write_all(where, client, record, refs)
    current = client_record(existing)
    if current == wanted:
        result.unchanged += 1
        return []
    changed_basics = [key for key in BASIC_FIELDS if current[key] != wanted[key]]
    changed_sections = [key for key in RECORD_SECTIONS if current[key] != wanted[key]]
    refusal = _refusal(where, current, wanted, changed_basics, changed_sections, options)
    if refusal:
        return refusal
    for key in changed_basics:
        setattr(existing, key, basics[key])
    existing.save()
    result.updated += 1
    _audit_import(existing, "updated: " + ", ".join(changed_basics + changed_sections))
    if not changed_sections:
        return []
    result.deleted += _delete_records(where, existing)
    return _write_all(where, existing, record, refs)


def _write_all(where: str, client: Client, record: ClientRec, refs: References) -> list[str]:
    places = Places(where)
    _write_records(client, record, refs, places)
    facts_changed(client)
    return places.refusals_of(client)


def _audit_import(client: Client, basis: str) -> None:
    record_console_access(Action.CONSOLE_IMPORT, [client], basis=f"kaveri import: {basis}")


def _refusal(where, current, wanted, basics, sections, options: ImportOptions) -> list[str]:
    """Each difference that the options do not allow the import to make, in words."""
    problems = []
    if basics and not options.update:
        problems += [
            f"{where}.{key}: Kaveri holds {current[key]!r}, the file {wanted[key]!r}; give "
            "--update to take the file's"
            for key in basics
        ]
    if sections and not (options.update and options.delete_missing):
        problems += [
            f"{where}.{key}: Kaveri holds {len(current[key])} record(s) that differ from the "
            f"file's {len(wanted[key])}; an import deletes nothing unless --update "
            "--delete-missing replaces them (each deletion listed and audited)"
            for key in sections
        ]
    return problems


class Places:
    """Where each written record stands in the file, and whether the file calls it history."""

    def __init__(self, where: str):
        self.where = where
        self.places: dict[tuple[str, int], tuple[str, str]] = {}

    def note(self, row, path: str, historical: str = "") -> None:
        self.places[(row._meta.label, row.pk)] = (f"{self.where}.{path}", historical)

    def refusals_of(self, client) -> list[str]:
        errors = []
        accepted: dict[tuple[str, int], list[str]] = {}
        for refusal in client_refusals(client, clock.today()):
            key = (refusal.record._meta.label, refusal.record.pk)
            path, historical = self.places.get(key, (self.where, ""))
            if historical:
                accepted.setdefault(key, []).append(refusal.violation.message)
            else:
                errors.append(f"{path}.{refusal.violation.field}: {refusal.violation.message}")
        for (label, pk), messages in accepted.items():
            apps.get_model(label).objects.filter(pk=pk).update(refused_by_rules="\n".join(messages))
        return errors


def _records_of(client: Client) -> list:
    """Every record an import writes for a client, children before their parents."""
    related = (
        client.data_requests,
        client.employment_statements,
        client.situation_changes,
        client.contacts,
        client.assessments,
        client.job_seeker_registrations,
        client.plans,
        client.applications,
        client.documents,
        client.consents,
    )
    records = [row for manager in related for row in manager.all()]
    episodes = sorted(client.service_episodes.all(), key=lambda e: e.pk, reverse=True)
    return records + episodes + list(client.relationships.all())


def _delete_records(where: str, client: Client) -> list[str]:
    """Delete the client's records for the file's to replace, listing and auditing each.
    Their state changes stay: the history of what was done is not the import's to erase."""
    records = _records_of(client)
    listed = [f"{where}: deleted {row._meta.verbose_name} #{row.pk}" for row in records]
    record_console_events(
        Action.CONSOLE_IMPORT_DELETE,
        [(client, f"kaveri import deleted {row._meta.model_name} #{row.pk}") for row in records],
    )
    client.service_episodes.update(previous=None)
    for row in records:
        row.delete()
    return listed


def _write_records(client: Client, record: ClientRec, refs: References, places: Places) -> None:
    org = refs.organisations.get
    consents = _write_consents(client, record, places)
    DataRequest.objects.bulk_create(
        DataRequest(
            client=client,
            **r.model_dump(exclude={"requested_by", "consent"}),
            requested_by=org(r.requested_by),
            consent=consents[r.consent],
            state="ANSWERED" if r.answered_on else "OPEN",
        )
        for r in record.data_requests
    )
    for i, r in enumerate(record.job_seeker_registrations):
        row = JobSeekerRegistration.objects.create(
            client=client,
            **r.model_dump(exclude={"organisation"}),
            organisation=org(r.organisation),
        )
        places.note(row, f"job_seeker_registrations[{i}]")
    contacts = _write_contacts(client, record, refs)
    relationships = _write_relationships(client, record, refs, places, contacts)
    for i, a in enumerate(record.assessments):
        row = ServiceNeedAssessment.objects.create(
            client=client,
            **a.model_dump(exclude={"organisation", "assessor"}),
            organisation=org(a.organisation),
            relationship=_relationship_on(relationships, org(a.organisation), a.assessed_on),
            assessor=refs.workers.get(a.assessor or ""),
        )
        places.note(row, f"assessments[{i}]")
    _write_plans(client, record, refs, places, relationships)
    _write_episodes(client, record, refs, places, relationships)
    _write_applications(client, record, refs, places)
    for d in record.documents:
        Document.objects.create(
            client=client,
            **d.model_dump(exclude={"received_by"}),
            received_by=org(d.received_by or ""),
        )
    EmploymentStatement.objects.bulk_create(
        EmploymentStatement(
            client=client, **s.model_dump(exclude={"given_by"}), given_by=org(s.given_by)
        )
        for s in record.employment_statements
    )
    SituationChange.objects.bulk_create(
        SituationChange(client=client, **c.model_dump()) for c in record.situation_changes
    )


def _write_consents(client, record: ClientRec, places: Places) -> list[Consent]:
    written = []
    for i, c in enumerate(record.consents):
        revoked_on = (c.revoked_on or clock.today()) if c.revoked else None
        row = Consent.objects.create(
            client=client,
            **c.model_dump(exclude={"revoked", "revoked_on", "revocation_reason", "historical"}),
            imported_as_history=c.historical,
        )
        if c.revoked:
            Consent.objects.filter(pk=row.pk).update(
                revoked_at=row.recorded_at,
                revoked_on=revoked_on,
                revocation_reason=c.revocation_reason,
                state="REVOKED",
            )
        places.note(row, f"consents[{i}]", c.historical)
        written.append(row)
    return written


def _write_contacts(client, record: ClientRec, refs: References) -> list:
    org = refs.organisations.get
    return [
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
        for c in record.contacts
    ]


def _contact_of(contacts: list, organisation, opened_on):
    """The contact that began a relationship: at its organisation, on the day it opened."""
    return next(
        (c for c in contacts if c.organisation == organisation and c.occurred_on == opened_on),
        None,
    )


def _write_relationships(client, record, refs, places, contacts) -> list:
    rows = []
    for i, r in enumerate(record.relationships):
        organisation = refs.organisations[r.organisation]
        row = ClientRelationship.objects.create(
            client=client,
            **r.model_dump(exclude={"organisation", "named_workers", "historical"}),
            organisation=organisation,
            contact=_contact_of(contacts, organisation, r.opened_on),
            state="CLOSED" if r.closed_on else "OPEN",
            imported_as_history=r.historical,
        )
        NamedWorker.objects.bulk_create(
            NamedWorker(
                relationship=row,
                worker=refs.workers[n.worker],
                role=n.role,
                from_date=n.from_date,
                to_date=n.to_date,
            )
            for n in r.named_workers
        )
        places.note(row, f"relationships[{i}]", r.historical)
        rows.append(row)
    return rows


def _relationship_on(relationships: list, organisation, day):
    """The organisation's relationship open on the day (the latest opened before it)."""
    fitting = [
        r
        for r in relationships
        if r.organisation == organisation
        and r.opened_on <= day
        and (r.closed_on is None or day <= r.closed_on)
    ]
    return max(fitting, key=lambda r: r.opened_on, default=None)


def _plan_state(plan) -> str:
    if not plan.is_current:
        return "SUPERSEDED"
    return "APPROVED" if plan.client_approved_on else "IN_FORCE"


def _write_plans(client, record, refs, places, relationships) -> None:
    org = refs.organisations.get
    earlier: dict = {}
    ordered = sorted(enumerate(record.plans), key=lambda item: (item[1].series, item[1].version))
    for i, p in ordered:
        parties = [org(name) for name in p.parties]
        holders = (_relationship_on(relationships, party, p.made_on) for party in parties)
        holder = next((r for r in holders if r is not None), None)
        plan = Plan.objects.create(
            client=client,
            **p.model_dump(exclude={"parties", "measures", "historical"}),
            relationship=holder,
            state=_plan_state(p),
            imported_as_history=p.historical,
        )
        plan.parties.set(parties)
        before = earlier.get(p.series, {})
        measures = Measure.objects.bulk_create(
            Measure(
                plan=plan,
                **m.model_dump(exclude={"responsible_organisation"}),
                responsible_organisation=org(m.responsible_organisation or ""),
                carried_from=before.get(m.measure),
            )
            for m in p.measures
        )
        earlier[p.series] = {m.measure: m for m in measures}
        places.note(plan, f"plans[{i}]", p.historical)


def _write_episodes(client, record, refs, places, relationships) -> None:
    by_key = {}
    for i, e in enumerate(record.service_episodes):
        decided_by = refs.organisations[e.decided_by]
        episode = ServiceEpisode.objects.create(
            client=client,
            **e.model_dump(
                exclude={
                    "key",
                    "previous",
                    "decided_by",
                    "provider",
                    "instructor",
                    "participation",
                    "historical",
                }
            ),
            decided_by=decided_by,
            relationship=_relationship_on(relationships, decided_by, e.starts_on),
            provider=refs.organisations.get(e.provider or ""),
            instructor=refs.workers.get(e.instructor or ""),
            previous=by_key.get(e.previous),
            state="ENDED" if e.ended_on else "DECIDED",
            imported_as_history=e.historical,
        )
        by_key[e.key] = episode
        Participation.objects.bulk_create(
            Participation(episode=episode, **d.model_dump()) for d in e.participation
        )
        places.note(episode, f"service_episodes[{i}]", e.historical)


def _write_applications(client, record, refs, places) -> None:
    org = refs.organisations.get
    for i, a in enumerate(record.applications):
        application = Application.objects.create(
            client=client,
            **a.model_dump(
                exclude={
                    "deciding_organisation",
                    "information_requests",
                    "appeals",
                    "historical",
                }
            ),
            deciding_organisation=org(a.deciding_organisation or ""),
            imported_as_history=a.historical,
        )
        InformationRequest.objects.bulk_create(
            InformationRequest(
                application=application,
                **r.model_dump(),
                state="ANSWERED" if r.answered_on else "OPEN",
            )
            for r in a.information_requests
        )
        Appeal.objects.bulk_create(
            Appeal(
                application=application,
                **x.model_dump(exclude={"state"}),
                state=x.state or ("DECIDED" if x.decided_on else "OPEN"),
            )
            for x in a.appeals
        )
        places.note(application, f"applications[{i}]", a.historical)
