"""The relations an action's rule may ask for: between the principal and a client, or
between the principal and one record of a client.

A record answers for itself through its model's declaration (`client_data`): which
client it is about and which organisations and authorities own it. The questions about
a client (an open relationship, a placement, a consent) go through the client's
related records and the querysets their apps define once. Each answer is remembered
for the rest of the request.
"""

from kaveri.access.emergency import active_emergency_access, reviews_emergencies
from kaveri.access.principal import Principal
from kaveri.access.roles import CASEWORK_ROLES, Role
from kaveri.rules.registry import get_rules, rules_for


def client_of(target):
    """The client a target is about: the target itself, or the client its model declares."""
    declared = getattr(target, "client_data", None)
    return declared.client_of(target) if declared is not None else None


def serves_client(principal: Principal, client) -> bool:
    """The principal's organisation has an open client relationship with the client."""
    if principal.organisation is None or principal.role not in CASEWORK_ROLES or client is None:
        return False
    return principal.remember(
        ("serves", client.pk),
        lambda: client.relationships.open().held_by(principal.organisation).exists(),
    )


def serving_among(principal: Principal, clients) -> set[int]:
    """The ids of those clients the principal's organisation serves, asked in one query and
    remembered for `serves_client`."""
    clients = list(clients)
    if principal.organisation is None or principal.role not in CASEWORK_ROLES or not clients:
        return set()
    ids = [c.pk for c in clients]
    served = set(
        clients[0]
        .relationships.model.objects.open()
        .held_by(principal.organisation)
        .filter(client_id__in=ids)
        .values_list("client_id", flat=True)
    )
    for pk in ids:
        principal.memo[("serves", pk)] = pk in served
    return served


def named_among(principal: Principal, clients) -> set[int]:
    """The ids of those clients the principal is named to in its organisation's open
    relationships, asked in one query and remembered for `named_to_client`."""
    clients = list(clients)
    served = serving_among(principal, clients)
    named = set()
    if served and principal.worker is not None:
        named = set(
            clients[0]
            .relationships.model.objects.open()
            .held_by(principal.organisation)
            .filter(
                client_id__in=served,
                named_workers__worker=principal.worker,
                named_workers__to_date__isnull=True,
            )
            .values_list("client_id", flat=True)
        )
    for client in clients:
        principal.memo[("named", client.pk)] = client.pk in named
    return named


def open_relationship_kinds(principal: Principal, client) -> frozenset[str]:
    if not serves_client(principal, client):
        return frozenset()
    return principal.remember(
        ("kinds", client.pk),
        lambda: frozenset(
            client.relationships.open()
            .held_by(principal.organisation)
            .values_list("kind", flat=True)
        ),
    )


def instructs_client(principal: Principal, client) -> bool:
    """The client has a current placement with this instructor (not just the workshop)."""
    if principal.role != Role.ACTIVITY_INSTRUCTOR or principal.worker is None or client is None:
        return False
    return principal.remember(
        ("instructs", client.pk),
        lambda: (
            client.service_episodes.current_on(principal.today)
            .placed_with(principal.worker)
            .exists()
        ),
    )


def emergency_access_of(principal: Principal, client):
    """The principal's open emergency access to the client, if any."""
    if principal.worker is None or client is None:
        return None
    return principal.remember(
        ("emergency", client.pk), lambda: active_emergency_access(principal.worker, client)
    )


def is_own_record(principal: Principal, client) -> bool:
    return principal.client is not None and client is not None and principal.client.pk == client.pk


def owns_record(principal: Principal, record) -> bool:
    """The record is about the client who is asking: their own plan, measure or consent."""
    return is_own_record(principal, client_of(record))


def serves_or_instructs(principal: Principal, client) -> bool:
    if principal.role == Role.ACTIVITY_INSTRUCTOR:
        return instructs_client(principal, client)
    return serves_client(principal, client)


def sees_client(principal: Principal, client) -> bool:
    """A relationship, a placement with this instructor, or one's own emergency access."""
    return (
        serves_or_instructs(principal, client) or emergency_access_of(principal, client) is not None
    )


def is_supervisor(principal: Principal) -> bool:
    """Reviews emergency accesses: a supervisor of an organisation, or the region's reviewer."""
    return reviews_emergencies(principal.worker)


# --- relations to one record ---


def holds_record(principal: Principal, record) -> bool:
    """The principal's organisation owns the record and serves its client.

    A record held by organisations (a relationship, an episode's decider, a plan's
    holder and parties) is held by those organisations; a record owned only by an
    authority (an undecided application, a consent) by that authority's organisations.
    """
    client = client_of(record)
    if not serves_client(principal, client):
        return False
    owners = record.client_data.owners_of(record)
    if owners.organisations:
        return principal.organisation.pk in owners.organisations
    return principal.authority in owners.authorities


def answers_data_request(principal: Principal, request) -> bool:
    """A request made to the principal's authority, about a client its organisation serves."""
    return principal.authority == request.to_authority and serves_client(
        principal, client_of(request)
    )


def named_to_client(principal: Principal, client) -> bool:
    """The principal is a named worker in one of its organisation's open relationships."""
    if not serves_client(principal, client) or principal.worker is None:
        return False
    return principal.remember(
        ("named", client.pk),
        lambda: (
            client.relationships.open()
            .held_by(principal.organisation)
            .filter(named_workers__worker=principal.worker, named_workers__to_date__isnull=True)
            .exists()
        ),
    )


def handles_signal(principal: Principal, signal) -> bool:
    """A signal is handled by the organisation that answers for it, or by a worker named
    to the client, on whose worklist it stands."""
    client = client_of(signal)
    if not serves_client(principal, client):
        return False
    return signal.organisation_id == principal.organisation.pk or named_to_client(principal, client)


def holds_relationship_asking_for_feedback(principal: Principal, relationship) -> bool:
    """The relationship is the principal's organisation's, and its kind asks for feedback."""
    kind = rules_for(relationship).relationship_kinds.get(relationship.kind)
    return (
        holds_record(principal, relationship)
        and kind is not None
        and "FEEDBACK_OFFERED" in kind.closing_requires
    )


def instructs_episode(principal: Principal, episode) -> bool:
    """The episode is placed with this instructor and not over."""
    if principal.role != Role.ACTIVITY_INSTRUCTOR or principal.worker is None:
        return False
    return (
        getattr(episode, "instructor_id", None) == principal.worker.pk
        and episode.ended_on is None
        and episode.ends_on >= principal.today
    )


def holds_or_instructs_episode(principal: Principal, episode) -> bool:
    return holds_record(principal, episode) or instructs_episode(principal, episode)


# --- what an organisation may start for a client, by the rule set ---


def makes_plans(principal: Principal, client) -> bool:
    """An open relationship whose process makes plans of some type (not disability services)."""
    rules = get_rules()
    processes = {
        rules.relationship_kinds[k].process for k in open_relationship_kinds(principal, client)
    }
    return any(set(p.made_in) & processes for p in rules.data.plans)


def decides_services(principal: Principal, client) -> bool:
    """An open relationship, and the authority grants some service (not Kela, not TYP)."""
    rules = get_rules()
    return serves_client(principal, client) and any(
        principal.authority in s.granted_by for s in rules.data.services
    )


def registers_job_seekers(principal: Principal, client) -> bool:
    return serves_client(principal, client) and principal.authority == "EMP"
