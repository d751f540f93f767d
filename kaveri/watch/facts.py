"""What the deadlines of a client are computed from: the client's live records.

`ClientFacts` is plain data. It is filled either from the database (`load_facts`, a
fixed number of queries for any number of clients) or from records still in memory
(`facts_in_memory`, the demo generator), and the deadlines are the same pure function
of it either way.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F

from kaveri.benefits.models import Appeal, Application, InformationRequest
from kaveri.casework.models import ClientRelationship, JobSeekerRegistration, NamedWorker
from kaveri.consent.models import Consent, DataRequest
from kaveri.plans.models import Plan
from kaveri.services.models import ServiceEpisode


@dataclass
class ClientFacts:
    client_id: int
    relationships: list = field(default_factory=list)
    named: dict = field(default_factory=lambda: defaultdict(list))
    registrations: list = field(default_factory=list)
    plans: list = field(default_factory=list)
    plan_owners: dict = field(default_factory=lambda: defaultdict(set))
    episodes: list = field(default_factory=list)
    applications: list = field(default_factory=list)
    appeals: dict = field(default_factory=lambda: defaultdict(list))  # by application id
    requests: list = field(default_factory=list)
    consents: list = field(default_factory=list)
    data_requests: list = field(default_factory=list)

    def relationship(self, relationship_id):
        return next((r for r in self.relationships if r.pk == relationship_id), None)

    def relationship_at(self, organisation_id):
        """The open relationship with this organisation, if there is one."""
        return next((r for r in self.relationships if r.organisation_id == organisation_id), None)

    def worker_of(self, relationship) -> int | None:
        """The first worker named to the relationship, by the order they were named."""
        if relationship is None:
            return None
        named = sorted(self.named.get(relationship.pk, ()), key=lambda n: (n.from_date, n.pk))
        return named[0].worker_id if named else None


def empty_facts(client_ids) -> dict[int, ClientFacts]:
    return {client_id: ClientFacts(client_id) for client_id in client_ids}


def load_facts(client_ids) -> dict[int, ClientFacts]:
    """The live records of these clients, ten queries whatever their number."""
    facts = empty_facts(client_ids)
    ids = list(facts)
    for r in ClientRelationship.objects.filter(
        client_id__in=ids, closed_on__isnull=True
    ).select_related("organisation"):
        facts[r.client_id].relationships.append(r)
    for n in (
        NamedWorker.objects.serving()
        .filter(relationship__client_id__in=ids)
        .select_related("relationship")
    ):
        facts[n.relationship.client_id].named[n.relationship_id].append(n)
    for g in JobSeekerRegistration.objects.filter(
        client_id__in=ids, ended_on__isnull=True
    ).select_related("organisation"):
        facts[g.client_id].registrations.append(g)
    plans = list(
        Plan.objects.filter(client_id__in=ids, is_current=True).select_related(
            "relationship__organisation"
        )
    )
    for p in plans:
        facts[p.client_id].plans.append(p)
    through = Plan.parties.through
    for plan_id, client_id, authority in through.objects.filter(
        plan_id__in=[p.pk for p in plans]
    ).values_list("plan_id", "plan__client_id", "organisation__authority"):
        facts[client_id].plan_owners[plan_id].add(authority)
    for e in ServiceEpisode.objects.filter(client_id__in=ids, ended_on__isnull=True).select_related(
        "decided_by"
    ):
        facts[e.client_id].episodes.append(e)
    for a in Application.objects.filter(client_id__in=ids).select_related("deciding_organisation"):
        facts[a.client_id].applications.append(a)
    for x in (
        Appeal.objects.filter(application__client_id__in=ids)
        .exclude(state=Appeal.State.WITHDRAWN)
        .annotate(of_client=F("application__client_id"))
    ):
        facts[x.of_client].appeals[x.application_id].append(x)
    for q in InformationRequest.objects.filter(
        application__client_id__in=ids, answered_on__isnull=True
    ).select_related("application__deciding_organisation"):
        facts[q.application.client_id].requests.append(q)
    for c in Consent.objects.filter(
        client_id__in=ids, state=Consent.State.GIVEN, valid_until__isnull=False
    ).select_related("recorded_by__organisation"):
        facts[c.client_id].consents.append(c)
    for d in DataRequest.objects.filter(client_id__in=ids, answered_on__isnull=True).select_related(
        "requested_by"
    ):
        facts[d.client_id].data_requests.append(d)
    return facts


def facts_in_memory(client_id: int, records: dict[type, list]) -> ClientFacts:
    """The same facts from one client's records not yet written (the demo generator's),
    chosen as `load_facts` chooses them from the database; `records` maps each model to
    the client's rows of it, their related objects cached."""
    facts = ClientFacts(client_id)
    facts.relationships = [r for r in records[ClientRelationship] if r.closed_on is None]
    for named in records[NamedWorker]:
        if named.to_date is None and named.relationship.closed_on is None:
            facts.named[named.relationship_id].append(named)
    facts.registrations = [g for g in records[JobSeekerRegistration] if g.ended_on is None]
    facts.plans = [p for p in records[Plan] if p.is_current]
    current = {p.pk for p in facts.plans}
    for party in records[Plan.parties.through]:
        if party.plan_id in current:
            facts.plan_owners[party.plan_id].add(party.organisation.authority)
    facts.episodes = [e for e in records[ServiceEpisode] if e.ended_on is None]
    facts.applications = list(records[Application])
    for x in records.get(Appeal, ()):
        if x.state != Appeal.State.WITHDRAWN:
            facts.appeals[x.application_id].append(x)
    facts.requests = [q for q in records[InformationRequest] if q.answered_on is None]
    facts.consents = [
        c for c in records[Consent] if c.state == Consent.State.GIVEN and c.valid_until is not None
    ]
    facts.data_requests = [d for d in records[DataRequest] if d.answered_on is None]
    return facts
