"""The authorization matrix: every action x every role x every relation to the client.

The expectations below are written from the issue's words, independently of the
action table. A new action with no expectation here fails the first test, so
every action is covered as soon as it exists.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kaveri.access.actions import ACTION_TABLE, Action
from kaveri.access.principal import ANONYMOUS, Principal
from kaveri.access.roles import Role
from kaveri.benefits.models import Application
from kaveri.consent.models import Consent
from kaveri.services.models import ServiceEpisode
from tests.conftest import login

CASEWORK = {
    Role.SOCIAL_COUNSELLOR,
    Role.DISABILITY_WORKER,
    Role.EMPLOYMENT_OFFICIAL,
    Role.TYP_PAIR_MEMBER,
    Role.KELA_OFFICER,
}
WITH_CLIENTS = CASEWORK | {Role.ACTIVITY_INSTRUCTOR}
EVERYONE = "everyone"
SIGNED_IN = "signed in"


@dataclass(frozen=True)
class Expect:
    who: object  # EVERYONE, SIGNED_IN or a set of roles
    needs_relation: bool = False  # open relationship / placement / own record
    supervisor: bool = False

    def allows(self, role: str | None, related: bool, supervisor: bool) -> bool:
        if self.who == EVERYONE:
            return True
        if self.who == SIGNED_IN:
            return role is not None
        if role not in self.who or (self.supervisor and not supervisor):
            return False
        return related or not self.needs_relation


EXPECTATIONS: dict[Action, Expect] = {
    Action.PATHWAYS_VIEW: Expect(EVERYONE),
    Action.LANGUAGE_SET: Expect(EVERYONE),
    Action.LOGIN: Expect(EVERYONE),
    Action.API_DOCS: Expect(EVERYONE),
    Action.API_RULES: Expect(EVERYONE),
    Action.LOGOUT: Expect(SIGNED_IN),
    Action.HOME: Expect(SIGNED_IN),
    Action.API_ME: Expect(SIGNED_IN),
    Action.WORKSPACE_CLIENTS: Expect(WITH_CLIENTS),
    Action.CLIENT_VIEW: Expect(WITH_CLIENTS, needs_relation=True),
    Action.API_CLIENT: Expect(WITH_CLIENTS, needs_relation=True),
    Action.CLIENT_ACCESS_LOG: Expect(CASEWORK, needs_relation=True),
    Action.EMERGENCY_OPEN: Expect(CASEWORK),
    Action.CLIENT_SEARCH: Expect(CASEWORK),
    Action.CLIENT_CREATE: Expect(CASEWORK),
    Action.CASE_OPEN: Expect(CASEWORK),
    Action.ASSESSMENT_RECORD: Expect(CASEWORK, needs_relation=True),
    Action.RELATIONSHIP_CLOSE: Expect(CASEWORK, needs_relation=True),
    Action.WORKER_NAME: Expect(CASEWORK, needs_relation=True),
    Action.APPLICATION_RECORD: Expect(CASEWORK, needs_relation=True),
    Action.APPLICATION_HANDLE: Expect(CASEWORK, needs_relation=True),
    Action.FEEDBACK_RECORD: Expect(CASEWORK, needs_relation=True),
    Action.JOB_SEEKER_REGISTER: Expect(
        {Role.EMPLOYMENT_OFFICIAL, Role.TYP_PAIR_MEMBER}, needs_relation=True
    ),
    Action.PLAN_MAKE: Expect(CASEWORK, needs_relation=True),
    Action.PLAN_REVISE: Expect(CASEWORK, needs_relation=True),
    Action.PLAN_APPROVAL_RECORD: Expect(CASEWORK, needs_relation=True),
    Action.SERVICE_DECIDE: Expect(CASEWORK, needs_relation=True),
    Action.PARTICIPATION_RECORD: Expect(WITH_CLIENTS, needs_relation=True),
    Action.EPISODE_END: Expect(CASEWORK, needs_relation=True),
    Action.PERIOD_REPORT: Expect(WITH_CLIENTS, needs_relation=True),
    Action.EMERGENCY_REVIEW: Expect(CASEWORK, supervisor=True),
    Action.CONSENT_RECORD: Expect(CASEWORK, needs_relation=True),
    Action.CONSENT_REVOKE: Expect(CASEWORK, needs_relation=True),
    Action.API_CONSENTS: Expect(CASEWORK, needs_relation=True),
    Action.API_CONSENT_RECORD: Expect(CASEWORK, needs_relation=True),
    Action.API_CONSENT_REVOKE: Expect(CASEWORK, needs_relation=True),
    Action.PORTAL_OVERVIEW: Expect({Role.CLIENT}, needs_relation=True),
    Action.API_OWN_ACCESS_LOG: Expect({Role.CLIENT}, needs_relation=True),
    Action.API_OWN_DATA: Expect({Role.CLIENT}, needs_relation=True),
    Action.ADMIN_SITE: Expect({Role.ADMINISTRATOR}),
    Action.API_SUBJECT_ACCESS: Expect({Role.ADMINISTRATOR}),
}

AUTHORITY_OF = {
    Role.SOCIAL_COUNSELLOR: "SOC",
    Role.DISABILITY_WORKER: "DIS",
    Role.EMPLOYMENT_OFFICIAL: "EMP",
    Role.TYP_PAIR_MEMBER: "TYP",
    Role.KELA_OFFICER: "KELA",
    Role.ACTIVITY_INSTRUCTOR: "PROVIDER",
}
KIND_OF = {
    "SOC": "SOC_CLIENT",
    "DIS": "DIS_CLIENT",
    "EMP": "EMP_CLIENT",
    "TYP": "TYP_CLIENT",
    "KELA": "KELA_CLIENT",
}
RELATIONS = ["none", "open", "closed"]


def test_every_action_has_an_expectation():
    assert set(EXPECTATIONS) == set(ACTION_TABLE), (
        "Write the expected rule of each new action into EXPECTATIONS"
    )


@pytest.fixture
def world(db, make_organisation, make_worker, make_client, rules, django_user_model):
    """One worker per role, and a client whose relation to each is set per case."""
    people = {}
    for role in Role:
        if role == Role.CLIENT:
            continue
        authority = AUTHORITY_OF.get(role)
        organisation = make_organisation(authority) if authority else None
        people[role] = make_worker(role, organisation)
    target = make_client(last_name="Kohde")
    return people, target, rules


def relate(worker, client, relation: str, rules) -> None:
    """Give the worker's organisation the relation to the client that the case asks for."""
    organisation = worker.organisation
    if relation == "none" or organisation is None:
        return
    closed = relation == "closed"
    if worker.role == Role.ACTIVITY_INSTRUCTOR:
        soc = client.relationships.first()
        ServiceEpisode.objects.create(
            client=client,
            service="REHABILITATIVE_WORK_ACTIVITY",
            provider=organisation,
            decided_by=soc.organisation if soc else organisation,
            decision_on=date(2026, 1, 1),
            starts_on=date(2026, 1, 5),
            ends_on=date(2026, 7, 4),
            ended_on=date(2026, 3, 1) if closed else None,
            end_reason="CLIENT_QUIT" if closed else "",
            ruleset_version=rules.version,
        )
        return
    client.relationships.create(
        organisation=organisation,
        kind=KIND_OF[organisation.authority],
        opened_on=date(2026, 1, 5),
        closed_on=date(2026, 3, 1) if closed else None,
        closure_reason="MOVED_AWAY" if closed else "",
        ruleset_version=rules.version,
    )


def principal_of(worker) -> Principal:
    return Principal(worker.user, worker.role, worker, worker.organisation)


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("supervisor", [False, True])
def test_action_table_matches_the_expectations(world, relation, supervisor):
    people, target, rules = world
    mismatches = []
    for role, worker in people.items():
        worker.is_supervisor = supervisor
        relate(worker, target, relation, rules)
        principal = principal_of(worker)
        for action, rule in ACTION_TABLE.items():
            expected = EXPECTATIONS[action].allows(role, relation == "open", supervisor)
            if rule.permits(principal, target) != expected:
                mismatches.append(f"{action} {role} {relation}: expected {expected}")
    assert mismatches == []


def test_anonymous_gets_only_public_actions(db):
    for action, rule in ACTION_TABLE.items():
        assert rule.permits_role(ANONYMOUS) == (EXPECTATIONS[action].who == EVERYONE), action


def test_client_sees_own_record_only(world, django_user_model, make_client):
    _, target, _ = world
    target.user = django_user_model.objects.create_user("self", password="test-password-123")
    target.save()
    other = make_client()
    principal = Principal(target.user, Role.CLIENT, client=target)
    for action, rule in ACTION_TABLE.items():
        expectation = EXPECTATIONS[action]
        assert rule.permits(principal, target) == expectation.allows(Role.CLIENT, True, False)
        assert rule.permits(principal, other) == expectation.allows(Role.CLIENT, False, False)


# --- the same matrix through HTTP, for the pages and operations on one client's data ---

CLIENT_ENDPOINTS = {
    Action.CLIENT_VIEW: lambda c: reverse("workspace:client", args=[c.pk]),
    Action.CLIENT_ACCESS_LOG: lambda c: reverse("workspace:access_log", args=[c.pk]),
    Action.CONSENT_RECORD: lambda c: reverse("workspace:consent_new", args=[c.pk]),
    Action.API_CLIENT: lambda c: f"/api/v1/clients/{c.pk}",
    Action.API_CONSENTS: lambda c: f"/api/v1/clients/{c.pk}/consents",
    Action.API_SUBJECT_ACCESS: lambda c: f"/api/v1/clients/{c.pk}/export",
    Action.CASE_OPEN: lambda c: reverse("workspace:open_case", args=[c.pk]),
    Action.PLAN_MAKE: lambda c: reverse("workspace:plan_new", args=[c.pk]),
    Action.SERVICE_DECIDE: lambda c: reverse("workspace:service_new", args=[c.pk]),
    Action.JOB_SEEKER_REGISTER: lambda c: reverse("workspace:registration_new", args=[c.pk]),
}


@pytest.mark.parametrize("relation", RELATIONS)
def test_http_matrix_for_client_data(client, world, relation):
    people, target, rules = world
    mismatches = []
    for role, worker in people.items():
        relate(worker, target, relation, rules)
        login(client, worker)
        for action, url_of in CLIENT_ENDPOINTS.items():
            expected = EXPECTATIONS[action].allows(role, relation == "open", False)
            status = client.get(url_of(target)).status_code
            if (status == 200) != expected:
                mismatches.append(f"{action} {role} {relation}: HTTP {status}, expected {expected}")
        client.logout()
    assert mismatches == []


# --- cross-authority data under every state of consent, for every casework role ---

CONSENT_STATES = {
    "none": None,
    "valid": {},
    "expired": {"valid_until": -1},
    "revoked": {"revoked": True},
    "future": {"valid_from": 1},
    "other-category": {"data_categories": ["PLANS"]},
    "other-authority": {"authorities": ["KELA", "PENSION"]},
}


def add_consent(person, viewer_authority: str, state: dict | None) -> None:
    if state is None:
        return
    today = timezone.localdate()
    Consent.objects.create(
        client=person,
        purpose="KELA_CONTACT",
        data_categories=state.get("data_categories", ["BENEFITS"]),
        authorities=state.get("authorities", sorted({"KELA", viewer_authority})),
        valid_from=today + timedelta(days=state.get("valid_from", -30)),
        valid_until=today + timedelta(days=state.get("valid_until", 30)),
        method="IN_PERSON",
        revoked_at=timezone.now() if state.get("revoked") else None,
    )


@pytest.mark.parametrize("state", list(CONSENT_STATES))
@pytest.mark.parametrize("role", sorted(CASEWORK - {Role.KELA_OFFICER}))
def test_another_authoritys_data_only_under_a_covering_consent(client, world, role, state):
    people, target, rules = world
    worker = people[role]
    relate(worker, target, "open", rules)
    kela = people[Role.KELA_OFFICER].organisation
    Application.objects.create(
        client=target,
        benefit="SICKNESS_ALLOWANCE",
        deciding_organisation=kela,
        submitted_on=date(2026, 10, 1),
        ruleset_version=rules.version,
    )
    add_consent(target, worker.organisation.authority, CONSENT_STATES[state])
    login(client, worker)
    page = client.get(reverse("workspace:client", args=[target.pk])).content.decode()
    assert ("Sickness allowance" in page) == (state == "valid")
