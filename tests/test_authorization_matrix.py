"""The authorization matrix: every action x every role x every relation x every record kind.

The expectations below are written from the issue's words, independently of the action
table: who may act on a client, and who may act on a record (the organisation that holds
it, a party to a plan, the instructor a service is placed with, an authority a consent
names). A new action with no expectation fails the first test.

The same expectations are then checked over HTTP for every page (GET and POST) and every
API operation that takes the action, so that each view is shown to check its rule for the
record it changes, not only for the client.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from kaveri.access.actions import ACTION_TABLE, Action
from kaveri.access.principal import ANONYMOUS, Principal
from kaveri.access.roles import Role
from kaveri.benefits.models import Appeal, Application, InformationRequest
from kaveri.casework.models import ClientRelationship
from kaveri.consent.models import Consent, DataRequest
from kaveri.evidence.models import Document
from kaveri.plans.models import Measure, Plan
from kaveri.services.models import ServiceEpisode
from kaveri.watch.models import Signal
from tests.conftest import login

SOC, DIS, EMP, TYP, KELA = (
    Role.SOCIAL_COUNSELLOR,
    Role.DISABILITY_WORKER,
    Role.EMPLOYMENT_OFFICIAL,
    Role.TYP_PAIR_MEMBER,
    Role.KELA_OFFICER,
)
INSTRUCTOR, COORDINATOR, ADMIN, CLIENT = (
    Role.ACTIVITY_INSTRUCTOR,
    Role.COORDINATOR,
    Role.ADMINISTRATOR,
    Role.CLIENT,
)
CASEWORK = {SOC, DIS, EMP, TYP, KELA}
WITH_CLIENTS = CASEWORK | {INSTRUCTOR}
WORKER_ROLES = [SOC, DIS, EMP, TYP, KELA, INSTRUCTOR, COORDINATOR, ADMIN]
RELATIONS = ["none", "open", "closed"]
EVERYONE, SIGNED_IN = "everyone", "signed in"

# The organisation of each role, by key; OTHER_SOC is a second social welfare office.
ORG_OF = {SOC: "SOC", DIS: "DIS", EMP: "EMP", TYP: "TYP", KELA: "KELA", INSTRUCTOR: "PROVIDER"}
KIND_OF = {
    "SOC": "SOC_CLIENT",
    "OTHER_SOC": "SOC_CLIENT",
    "DIS": "DIS_CLIENT",
    "EMP": "EMP_CLIENT",
    "TYP": "TYP_CLIENT",
    "KELA": "KELA_CLIENT",
}


@dataclass(frozen=True)
class OnClient:
    """An action on a client: the roles, and whether the organisation must serve the client."""

    roles: object
    needs_open_relationship: bool = True
    supervisor: bool = False


@dataclass(frozen=True)
class OnRecord:
    """An action on one record of a client: the roles, and who holds the record for it."""

    roles: object
    kind: str
    instructor_too: bool = False
    read: bool = False  # a read: the owners' own authority sees it too (others by consent)


@dataclass(frozen=True)
class OwnRecord:
    """A client's action on one of their own records of a kind; no worker's."""

    kind: str


# Who may act on a client (SERVICE-MODEL sections 1-3 and the words).
EXPECTATIONS: dict[Action, object] = {
    Action.PATHWAYS_VIEW: OnClient(EVERYONE, False),
    Action.LANGUAGE_SET: OnClient(EVERYONE, False),
    Action.LOGIN: OnClient(EVERYONE, False),
    Action.HELP: OnClient(EVERYONE, False),
    Action.HEALTH: OnClient(EVERYONE, False),
    Action.ACCESSIBILITY_STATEMENT: OnClient(EVERYONE, False),
    Action.ACCESSIBILITY_FEEDBACK: OnClient(EVERYONE, False),
    Action.API_DOCS: OnClient(EVERYONE, False),
    Action.API_RULES: OnClient(EVERYONE, False),
    Action.LOGOUT: OnClient(SIGNED_IN, False),
    Action.HOME: OnClient(SIGNED_IN, False),
    Action.API_ME: OnClient(SIGNED_IN, False),
    Action.ORGANISATION_LIST: OnClient(SIGNED_IN, False),
    Action.WORKSPACE_CLIENTS: OnClient(WITH_CLIENTS, False),
    Action.CLIENT_VIEW: OnClient(WITH_CLIENTS),
    Action.API_CLIENT: OnClient(WITH_CLIENTS),
    Action.CLIENT_ACCESS_LOG: OnClient(CASEWORK),
    Action.EMERGENCY_OPEN: OnClient(CASEWORK, False),
    Action.EMERGENCY_REVIEW: OnClient(CASEWORK, False, supervisor=True),
    Action.CLIENT_SEARCH: OnClient(CASEWORK, False),
    Action.CLIENT_CREATE: OnClient(CASEWORK, False),
    # Opening a case gives one's own organisation its relationship: no relation needed first.
    Action.CASE_OPEN: OnClient(CASEWORK, False),
    # Job seekers register with employment services.
    Action.JOB_SEEKER_REGISTER: OnClient({EMP}),
    # Plans are made in processes A1 (SOC), A2 (TYP), A3/A4 (EMP) and A6 (KELA); not in P2.
    Action.PLAN_MAKE: OnClient({SOC, EMP, TYP, KELA}),
    # Services are granted by social welfare, disability services and employment services.
    Action.SERVICE_DECIDE: OnClient({SOC, DIS, EMP}),
    Action.APPLICATION_RECORD: OnClient(CASEWORK),
    Action.CONSENT_LIST: OnClient(CASEWORK),
    Action.CONSENT_RECORD: OnClient(CASEWORK),
    Action.SITUATION_CHANGE_RECORD: OnClient(CASEWORK),
    Action.PORTAL_SITUATION_CHANGE: OnClient({CLIENT}),
    Action.PORTAL_OVERVIEW: OnClient({CLIENT}),
    Action.API_OWN_ACCESS_LOG: OnClient({CLIENT}),
    Action.PORTAL_CONSENTS: OnClient({CLIENT}),
    Action.PORTAL_CONSENT_GIVE: OnClient({CLIENT}),
    Action.PORTAL_ACCESS_LOG: OnClient({CLIENT}),
    Action.PORTAL_PLAN: OwnRecord("plan"),
    Action.PORTAL_PLAN_APPROVE: OwnRecord("plan"),
    Action.PORTAL_MEASURE_ACKNOWLEDGE: OwnRecord("measure"),
    Action.PORTAL_CONSENT_REVOKE: OwnRecord("consent"),
    Action.PORTAL_INFORMATION_ANSWER: OwnRecord("information request"),
    Action.API_OWN_DATA: OnClient({CLIENT}),
    Action.ADMIN_SITE: OnClient({ADMIN}, False),
    # The region's statistics: counts with no person in them, for the coordinators.
    Action.STATISTICS_VIEW: OnClient({COORDINATOR}, False),
    Action.STATISTICS_EXPORT: OnClient({COORDINATOR}, False),
    Action.API_SUBJECT_ACCESS: OnClient({ADMIN}, False),
    # Done at the server's console only: no web role, not even an administrator.
    Action.CONSOLE_EXPORT: OnClient(set(), False),
    Action.CONSOLE_IMPORT: OnClient(set(), False),
    Action.CONSOLE_IMPORT_DELETE: OnClient(set(), False),
    Action.CONSOLE_SUBJECT_ACCESS: OnClient(set(), False),
    Action.CONSOLE_DEMO: OnClient(set(), False),
    Action.CONSOLE_BACKUP: OnClient(set(), False),
    Action.CONSOLE_RESTORE: OnClient(set(), False),
    Action.CONSOLE_RETENTION: OnClient(set(), False),
    Action.CONSOLE_RETENTION_CARRY_OUT: OnClient(set(), False),
    Action.ORGANISATION_MANAGE: OnClient({ADMIN}, False),
    Action.WORKER_MANAGE: OnClient({ADMIN}, False),
    # Changes to a record: only those who hold it.
    Action.ASSESSMENT_RECORD: OnRecord(CASEWORK, "relationship"),
    Action.WORKER_NAME: OnRecord(CASEWORK, "relationship"),
    Action.RELATIONSHIP_CLOSE: OnRecord(CASEWORK, "relationship"),
    Action.FEEDBACK_RECORD: OnRecord(CASEWORK, "typ relationship"),
    Action.PLAN_REVISE: OnRecord(CASEWORK, "plan"),
    Action.PLAN_APPROVAL_RECORD: OnRecord(CASEWORK, "plan"),
    Action.MEASURE_ACKNOWLEDGE: OnRecord(CASEWORK, "measure"),
    Action.EPISODE_CONTINUE: OnRecord(CASEWORK, "episode"),
    Action.EPISODE_END: OnRecord(CASEWORK, "episode"),
    Action.PARTICIPATION_RECORD: OnRecord(WITH_CLIENTS, "episode", instructor_too=True),
    Action.PERIOD_REPORT: OnRecord(WITH_CLIENTS, "episode", instructor_too=True, read=True),
    Action.INFORMATION_REQUEST: OnRecord(CASEWORK, "application"),
    Action.APPLICATION_DECIDE: OnRecord(CASEWORK, "application"),
    Action.INFORMATION_ANSWER: OnRecord(CASEWORK, "information request"),
    # Helping with an appeal needs sight of the decision (its holder, or by consent);
    # forwarding and deciding belong to the authority whose decision it is.
    Action.APPEAL_FILE: OnRecord(CASEWORK, "application", read=True),
    Action.APPEAL_FORWARD: OnRecord(CASEWORK, "appeal"),
    Action.APPEAL_DECIDE: OnRecord(CASEWORK, "appeal"),
    Action.APPEAL_WITHDRAW: OnRecord(CASEWORK, "appeal", read=True),
    # A2 step 3: an authority serving the client asks another; the one asked answers.
    Action.DATA_REQUEST_MAKE: OnClient(CASEWORK),
    # The employment authority gives statements for benefits.
    Action.STATEMENT_GIVE: OnClient({EMP}),
    # Documents: any caseworker serving the client records one; its receiver (or a consent)
    # lets one download the file.
    Action.DOCUMENT_RECORD: OnClient(CASEWORK),
    Action.DOCUMENT_DOWNLOAD: OnRecord(CASEWORK, "document", read=True),
    Action.DATA_REQUEST_ANSWER: OnRecord(CASEWORK, "data request"),
    # A checklist is read by those who may read the record.
    Action.APPLICATION_EVIDENCE: OnRecord(CASEWORK, "application", read=True),
    Action.PLAN_EVIDENCE: OnRecord(CASEWORK, "plan", read=True),
    Action.CONSENT_REVOKE: OnRecord(CASEWORK, "consent"),
    Action.CONSENT_DISPUTE: OnRecord(CASEWORK, "consent"),
    Action.CONSENT_ATTACH_FORM: OnRecord(CASEWORK, "consent"),
    Action.CONSENT_FORM_VIEW: OnRecord(CASEWORK, "consent"),
    # A signal is handled by the organisation that answers for it (or a worker named to
    # the client, tested in test_watch_handling).
    Action.SIGNAL_ACKNOWLEDGE: OnRecord(CASEWORK, "signal"),
    Action.SIGNAL_SNOOZE: OnRecord(CASEWORK, "signal"),
    Action.TEAM_VIEW: OnClient(CASEWORK, False),
    Action.WORKER_ABSENCE: OnClient(WITH_CLIENTS, False),
    Action.CALENDAR_LINK_MANAGE: OnClient(CASEWORK, False),
    # The feed's secret link is its credential, checked by the page itself.
    Action.CALENDAR_FEED: OnClient(EVERYONE, False),
}


def test_every_action_has_an_expectation():
    assert set(EXPECTATIONS) == set(ACTION_TABLE), (
        "Write the expected rule of each new action into EXPECTATIONS"
    )


def allowed_on_client(expect: OnClient, role, relation: str, supervisor=False) -> bool:
    if expect.roles == EVERYONE:
        return True
    if expect.roles == SIGNED_IN:
        return role is not None
    if role not in expect.roles or (expect.supervisor and not supervisor):
        return False
    if role == CLIENT:
        return relation == "own"
    return relation == "open" or not expect.needs_open_relationship


def allowed_on_record(expect: OnRecord, role, relation: str, holders: set, placed: bool) -> bool:
    """holders: the organisation keys that hold the record; placed: placed with this instructor."""
    if role not in expect.roles:
        return False
    if role == INSTRUCTOR:
        return expect.instructor_too and placed
    if expect.read:
        return relation == "open" and ORG_OF[role] in {h.replace("OTHER_", "") for h in holders}
    return relation == "open" and ORG_OF[role] in holders


# --- the world: one client, records held by each authority, one worker per role ---


@dataclass
class World:
    client: object
    orgs: dict
    people: dict
    colleague: object
    records: dict  # name -> (record, holders, placed-with-the-instructor)


def _relationship(person, org, key, closed=False):
    return ClientRelationship.objects.create(
        client=person,
        organisation=org,
        kind=KIND_OF[key],
        opened_on=date(2026, 1, 5),
        closed_on=date(2026, 3, 1) if closed else None,
        closure_reason="MOVED_AWAY" if closed else "",
        state="CLOSED" if closed else "OPEN",
        ruleset_version="fi-2026.1",
    )


@pytest.fixture
def make_world(db, make_organisation, make_worker, make_client):
    def build(role, relation: str) -> World:
        orgs = {k: make_organisation(k.replace("OTHER_", "")) for k in KIND_OF}
        orgs["PROVIDER"] = make_organisation("PROVIDER")
        people = {}
        for r in WORKER_ROLES:
            key = ORG_OF.get(r)
            people[r] = make_worker(r, orgs[key] if key else None)
        colleague = make_worker(INSTRUCTOR, orgs["PROVIDER"])
        person = make_client(last_name="Kohde")
        own = ORG_OF.get(role)
        relationships = {}
        for key in KIND_OF:
            if key == own and relation == "none":
                continue
            relationships[key] = _relationship(
                person, orgs[key], key, key == own and relation == "closed"
            )
        today = timezone.localdate()
        records = {f"relationship {k}": (r, {k}, False) for k, r in relationships.items()}
        if "SOC" not in relationships:
            relationships["SOC"] = None
        activation = Plan.objects.create(
            client=person,
            plan_type="ACTIVATION_PLAN",
            process="A1",
            relationship=relationships["SOC"],
            made_on=date(2026, 2, 1),
            review_interval="6M",
            next_review_on=date(2026, 8, 1),
            ruleset_version="fi-2026.1",
        )
        activation.parties.set([orgs["SOC"], orgs["EMP"]])
        measure = Measure.objects.create(
            plan=activation, measure="JOB_SEARCH", responsible_authority="EMP"
        )
        placed = role == INSTRUCTOR and relation in ("open", "closed")
        episode = ServiceEpisode.objects.create(
            client=person,
            service="REHABILITATIVE_WORK_ACTIVITY",
            decided_by=orgs["SOC"],
            provider=orgs["PROVIDER"],
            instructor=people[INSTRUCTOR] if placed else colleague,
            decision_on=today - timedelta(days=40),
            starts_on=today - timedelta(days=30),
            ends_on=today + timedelta(days=60)
            if relation != "closed"
            else today - timedelta(days=1),
            days_per_week=2,
            hours_per_day=4,
            ruleset_version="fi-2026.1",
        )
        other_episode = ServiceEpisode.objects.create(
            client=person,
            service="REHABILITATIVE_WORK_ACTIVITY",
            decided_by=orgs["OTHER_SOC"],
            provider=orgs["PROVIDER"],
            instructor=colleague,
            decision_on=today - timedelta(days=40),
            starts_on=today - timedelta(days=30),
            ends_on=today + timedelta(days=60),
            days_per_week=2,
            hours_per_day=4,
            ruleset_version="fi-2026.1",
        )
        application = Application.objects.create(
            client=person,
            benefit="SICKNESS_ALLOWANCE",
            deciding_organisation=orgs["KELA"],
            submitted_on=date(2026, 10, 1),
            ruleset_version="fi-2026.1",
        )
        request = InformationRequest.objects.create(
            application=application,
            requested_on=date(2026, 10, 5),
            due_on=date(2026, 10, 19),
            what="Doctor's statement",
        )
        appeal = Appeal.objects.create(application=application, filed_on=date(2026, 10, 20))
        consent = Consent.objects.create(
            client=person,
            purpose="KELA_CONTACT",
            data_categories=["BASIC"],
            authorities=["KELA", "SOC"],
            valid_from=today - timedelta(days=10),
            method="IN_PERSON",
        )
        data_request = DataRequest.objects.create(
            client=person,
            kind="KELA_INFORMATION",
            requested_by=orgs["SOC"],
            to_authority="KELA",
            requested_on=today,
            due_on=today + timedelta(days=14),
            consent=consent,
            ruleset_version="fi-2026.1",
        )
        document = Document.objects.create(  # health data: a special category
            client=person,
            evidence_type="DOCTOR_B",
            received_on=today,
            received_by=orgs["KELA"],
            file_type="application/pdf",
        )
        document.file.save("statement.pdf", ContentFile(b"%PDF-1.4 synthetic"), save=True)
        signals = {
            key: Signal.objects.create(
                client=person,
                kind="NO_NAMED_WORKER",
                due_on=today - timedelta(days=3),
                source_model="casework.clientrelationship",
                source_id=relationships[key].pk if relationships.get(key) else 0,
                authority=key,
                organisation=orgs[key],
                relationship=relationships.get(key),
                owners=[key],
                category="BASIC",
                facts={"kind": f"label:relationship_kind:{KIND_OF[key]}", "opened": "2026-01-05"},
                ruleset_version="fi-2026.1",
                raised_on=today,
            )
            for key in ("SOC", "KELA")
        }
        records.update(
            {
                "signal of SOC": (signals["SOC"], {"SOC"}, False),
                "signal of KELA": (signals["KELA"], {"KELA"}, False),
                "activation plan": (activation, {"SOC", "EMP"}, False),
                "measure": (measure, {"SOC", "EMP"}, False),
                "episode": (episode, {"SOC"}, placed and relation == "open"),
                "other office's episode": (other_episode, {"OTHER_SOC"}, False),
                "application": (application, {"KELA"}, False),
                "information request": (request, {"KELA"}, False),
                "appeal": (appeal, {"KELA"}, False),
                "data request": (data_request, {"KELA"}, False),
                "document": (document, {"KELA"}, False),
                "consent": (consent, {"SOC", "OTHER_SOC", "KELA"}, False),
            }
        )
        return World(person, orgs, people, colleague, records)

    return build


RECORD_KINDS = {
    "relationship": lambda name: name.startswith("relationship"),
    "typ relationship": lambda name: name == "relationship TYP",
    "plan": lambda name: name == "activation plan",
    "measure": lambda name: name == "measure",
    "episode": lambda name: name in ("episode", "other office's episode"),
    "application": lambda name: name == "application",
    "information request": lambda name: name == "information request",
    "appeal": lambda name: name == "appeal",
    "data request": lambda name: name == "data request",
    "document": lambda name: name == "document",
    "consent": lambda name: name == "consent",
    "signal": lambda name: name.startswith("signal"),
}


def targets(world: World, expect: "OnRecord | OwnRecord"):
    """The records of the world an action on records of this kind can act on."""
    for name, (record, holders, placed) in world.records.items():
        if RECORD_KINDS[expect.kind](name):
            yield name, record, holders, placed
    if expect.kind == "typ relationship":
        # An action on TYP relationships is refused on every other kind.
        for name, (record, _holders, _placed) in world.records.items():
            if name.startswith("relationship") and name != "relationship TYP":
                yield name, record, set(), False


def principal_of(worker) -> Principal:
    return Principal(worker.user, worker.role, worker, worker.organisation)


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", WORKER_ROLES)
def test_action_table_matches_the_expectations(make_world, role, relation):
    world = make_world(role, relation)
    worker = world.people[role]
    mismatches = []
    for supervisor in (False, True):
        worker.is_supervisor = supervisor
        principal = principal_of(worker)
        for action, expect in EXPECTATIONS.items():
            rule = ACTION_TABLE[action]
            if isinstance(expect, OwnRecord):
                for name, record, *_rest in targets(world, expect):
                    if rule.permits(principal, record):
                        mismatches.append(f"{action} on {name}: a client's own action")
                continue
            if isinstance(expect, OnClient):
                expected = allowed_on_client(expect, role, relation, supervisor)
                if rule.permits(principal, world.client) != expected:
                    mismatches.append(f"{action} on the client: expected {expected}")
                continue
            for name, record, holders, placed in targets(world, expect):
                expected = allowed_on_record(expect, role, relation, holders, placed)
                if rule.permits(principal, record) != expected:
                    mismatches.append(f"{action} on {name}: expected {expected}")
    assert mismatches == []


def test_anonymous_gets_only_public_actions(db):
    for action, rule in ACTION_TABLE.items():
        expect = EXPECTATIONS[action]
        public = isinstance(expect, OnClient) and expect.roles == EVERYONE
        assert rule.permits_role(ANONYMOUS) == public, action


def test_client_sees_own_record_only(make_world, django_user_model, make_client):
    world = make_world(SOC, "open")
    target = world.client
    target.user = django_user_model.objects.create_user("self", password="test-password-123")
    target.save()
    other = make_client()
    principal = Principal(target.user, CLIENT, client=target)
    for action, rule in ACTION_TABLE.items():
        expect = EXPECTATIONS[action]
        if isinstance(expect, OnRecord):
            assert not any(rule.permits(principal, r) for r, *_ in world.records.values())
            continue
        if isinstance(expect, OwnRecord):
            for name, record, *_rest in targets(world, expect):
                assert rule.permits(principal, record), name
            other_principal = Principal(target.user, CLIENT, client=other)
            assert not any(rule.permits(other_principal, r) for r, *_ in world.records.values())
            continue
        assert rule.permits(principal, target) == allowed_on_client(expect, CLIENT, "own")
        assert rule.permits(principal, other) == allowed_on_client(expect, CLIENT, "other")


# --- the same matrix over HTTP: every page (GET, POST) and API operation on client data ---

BAD_DAY = "1800-01-01"  # passes the API schema, then breaks the date bounds of every operation


def page(name):
    return lambda target: reverse(f"workspace:{name}", args=[target.pk])


def api(path):
    return lambda target: "/api/v1" + path.format(pk=target.pk)


# action -> [(method, url of the target, body)]; a permitted request gets anything but 403;
# a refused one 403 where the worker may see the client, 404 (as for a missing record) where
# the worker may not see the client at all.
ENDPOINTS = {
    Action.CLIENT_VIEW: [
        ("GET", page("client"), None),
        ("GET", api("/clients/{pk}/records"), None),
    ],
    Action.CLIENT_ACCESS_LOG: [
        ("GET", page("access_log"), None),
        ("GET", api("/clients/{pk}/access-log"), None),
    ],
    Action.API_CLIENT: [("GET", api("/clients/{pk}"), None)],
    Action.CONSENT_LIST: [("GET", api("/clients/{pk}/consents"), None)],
    Action.CASE_OPEN: [
        ("GET", page("open_case"), None),
        ("POST", page("open_case"), {}),
        (
            "JSON",
            api("/clients/{pk}/cases"),
            {
                "occurred_on": BAD_DAY,
                "initiator": "CLIENT",
                "channel": "PHONE",
                "kind": "SOC_CLIENT",
                "workers": [],
            },
        ),
    ],
    Action.JOB_SEEKER_REGISTER: [
        ("GET", page("registration_new"), None),
        ("POST", page("registration_new"), {}),
        ("JSON", api("/clients/{pk}/registrations"), {"registered_on": BAD_DAY}),
    ],
    Action.PLAN_MAKE: [
        ("GET", page("plan_new"), None),
        ("POST", page("plan_new"), {}),
        (
            "JSON",
            api("/clients/{pk}/plans"),
            {
                "plan_type": "ACTIVATION_PLAN",
                "made_on": BAD_DAY,
                "review_months": 3,
                "party_ids": [],
                "measures": [],
            },
        ),
    ],
    Action.SERVICE_DECIDE: [
        ("GET", page("service_new"), None),
        ("POST", page("service_new"), {}),
        (
            "JSON",
            api("/clients/{pk}/episodes"),
            {
                "service": "REHABILITATIVE_WORK_ACTIVITY",
                "decision_on": BAD_DAY,
                "starts_on": BAD_DAY,
                "ends_on": BAD_DAY,
            },
        ),
    ],
    Action.APPLICATION_RECORD: [
        ("GET", page("application_new"), None),
        ("POST", page("application_new"), {}),
        (
            "JSON",
            api("/clients/{pk}/applications"),
            {"benefit": "SICKNESS_ALLOWANCE", "submitted_on": BAD_DAY},
        ),
    ],
    Action.SITUATION_CHANGE_RECORD: [
        ("GET", page("situation_change_new"), None),
        ("POST", page("situation_change_new"), {}),
    ],
    Action.CONSENT_RECORD: [
        ("GET", page("consent_new"), None),
        ("POST", page("consent_new"), {}),
        (
            "JSON",
            api("/clients/{pk}/consents"),
            {
                "purpose": "KELA_CONTACT",
                "data_categories": ["BASIC"],
                "authorities": ["KELA", "SOC"],
                "valid_from": BAD_DAY,
                "method": "IN_PERSON",
            },
        ),
    ],
    Action.ASSESSMENT_RECORD: [
        ("GET", page("assessment_new"), None),
        ("POST", page("assessment_new"), {}),
        ("JSON", api("/relationships/{pk}/assessments"), {"assessed_on": BAD_DAY}),
    ],
    Action.WORKER_NAME: [
        ("GET", page("name_worker"), None),
        ("POST", page("name_worker"), {}),
        (
            "JSON",
            api("/relationships/{pk}/workers"),
            lambda world: {
                "worker_id": world.people[SOC].pk,
                "role": "OWN_WORKER",
                "from_date": BAD_DAY,
            },
        ),
    ],
    Action.RELATIONSHIP_CLOSE: [
        ("GET", page("relationship_close"), None),
        ("POST", page("relationship_close"), {}),
        (
            "JSON",
            api("/relationships/{pk}/close"),
            {"closed_on": BAD_DAY, "closure_reason": "MOVED_AWAY"},
        ),
    ],
    Action.FEEDBACK_RECORD: [
        ("GET", page("feedback"), None),
        ("POST", page("feedback"), {}),
        ("JSON", api("/relationships/{pk}/feedback"), {"offered_on": BAD_DAY}),
    ],
    Action.PLAN_REVISE: [
        ("GET", page("plan_revise"), None),
        ("POST", page("plan_revise"), {}),
        (
            "JSON",
            api("/plans/{pk}/revisions"),
            {"made_on": BAD_DAY, "review_months": 3, "measures": []},
        ),
    ],
    Action.PLAN_APPROVAL_RECORD: [
        ("POST", page("plan_approve"), {}),
        ("JSON", api("/plans/{pk}/approval"), {"day": BAD_DAY}),
    ],
    Action.MEASURE_ACKNOWLEDGE: [
        ("POST", page("measure_acknowledge"), {"status": "NOT-A-STATUS"}),
        ("JSON", api("/measures/{pk}/acknowledgement"), {"day": BAD_DAY}),
    ],
    Action.EPISODE_CONTINUE: [
        ("GET", page("episode_continue"), None),
        ("POST", page("episode_continue"), {}),
        ("JSON", api("/episodes/{pk}/continuation"), {"decision_on": BAD_DAY}),
    ],
    Action.EPISODE_END: [
        ("GET", page("episode_end"), None),
        ("POST", page("episode_end"), {}),
        ("JSON", api("/episodes/{pk}/end"), {"ended_on": BAD_DAY, "end_reason": "ILLNESS"}),
    ],
    Action.PARTICIPATION_RECORD: [
        ("GET", page("participation_new"), None),
        ("POST", page("participation_new"), {}),
        ("JSON", api("/episodes/{pk}/participation"), {"day": BAD_DAY}),
    ],
    Action.PERIOD_REPORT: [
        ("GET", page("period_report"), None),
        ("GET", api("/episodes/{pk}/report?start=2026-01-01&end=2026-01-31"), None),
    ],
    Action.INFORMATION_REQUEST: [
        ("GET", page("information_request_new"), None),
        ("POST", page("information_request_new"), {}),
        (
            "JSON",
            api("/applications/{pk}/information-requests"),
            {"requested_on": BAD_DAY, "what": "x"},
        ),
    ],
    Action.APPLICATION_DECIDE: [
        ("GET", page("application_decide"), None),
        ("POST", page("application_decide"), {}),
        (
            "JSON",
            api("/applications/{pk}/decision"),
            {"decided_on": BAD_DAY, "outcome": "GRANTED"},
        ),
    ],
    Action.INFORMATION_ANSWER: [
        ("GET", page("information_answer"), None),
        ("POST", page("information_answer"), {}),
        ("JSON", api("/information-requests/{pk}/answer"), {"answered_on": BAD_DAY}),
    ],
    Action.APPLICATION_EVIDENCE: [("GET", api("/applications/{pk}/evidence"), None)],
    Action.PLAN_EVIDENCE: [("GET", api("/plans/{pk}/evidence"), None)],
    Action.DOCUMENT_RECORD: [
        ("GET", page("document_new"), None),
        ("POST", page("document_new"), {}),
        ("POST", api("/clients/{pk}/documents"), {"evidence_type": "X", "received_on": BAD_DAY}),
    ],
    Action.DOCUMENT_DOWNLOAD: [
        ("GET", page("document_file"), None),
        ("GET", api("/documents/{pk}/file"), None),
    ],
    Action.STATEMENT_GIVE: [
        ("GET", page("statement_new"), None),
        ("POST", page("statement_new"), {}),
        (
            "JSON",
            api("/clients/{pk}/statements"),
            {
                "kind": "LABOUR_POLICY_STATEMENT",
                "benefit": "LABOUR_MARKET_SUBSIDY",
                "given_on": BAD_DAY,
            },
        ),
    ],
    Action.DATA_REQUEST_MAKE: [
        ("GET", page("data_request_new"), None),
        ("POST", page("data_request_new"), {}),
        (
            "JSON",
            api("/clients/{pk}/data-requests"),
            {"kind": "KELA_INFORMATION", "requested_on": BAD_DAY},
        ),
    ],
    Action.DATA_REQUEST_ANSWER: [
        ("GET", page("data_request_answer"), None),
        ("POST", page("data_request_answer"), {}),
        ("JSON", api("/data-requests/{pk}/answer"), {"answered_on": BAD_DAY}),
    ],
    Action.APPEAL_FILE: [
        ("GET", page("appeal_new"), None),
        ("POST", page("appeal_new"), {}),
        ("JSON", api("/applications/{pk}/appeals"), {"filed_on": BAD_DAY}),
    ],
    Action.APPEAL_FORWARD: [
        ("GET", page("appeal_forward"), None),
        ("POST", page("appeal_forward"), {}),
        ("JSON", api("/appeals/{pk}/forward"), {"on": BAD_DAY}),
    ],
    Action.APPEAL_DECIDE: [
        ("GET", page("appeal_decide"), None),
        ("POST", page("appeal_decide"), {}),
        ("JSON", api("/appeals/{pk}/decision"), {"decided_on": BAD_DAY, "outcome": "CHANGED"}),
    ],
    Action.APPEAL_WITHDRAW: [
        ("GET", page("appeal_withdraw"), None),
        ("POST", page("appeal_withdraw"), {}),
        ("JSON", api("/appeals/{pk}/withdrawal"), {"on": BAD_DAY}),
    ],
    Action.CONSENT_REVOKE: [
        (
            "GET",
            lambda c: reverse("workspace:consent_revoke", args=[c.client_id, c.pk]),
            None,
        ),
        (
            "POST",
            lambda c: reverse("workspace:consent_revoke", args=[c.client_id, c.pk]),
            {},
        ),
        ("JSON", api("/consents/{pk}/revocation"), {"reason": ""}),
    ],
    Action.CONSENT_DISPUTE: [
        ("GET", lambda c: reverse("workspace:consent_dispute", args=[c.pk]), None),
        ("POST", lambda c: reverse("workspace:consent_dispute", args=[c.pk]), {}),
        ("JSON", api("/consents/{pk}/dispute"), {"reason": ""}),
    ],
    Action.CONSENT_ATTACH_FORM: [
        ("GET", lambda c: reverse("workspace:consent_attach_form", args=[c.pk]), None),
        ("POST", lambda c: reverse("workspace:consent_attach_form", args=[c.pk]), {}),
    ],
    Action.CONSENT_FORM_VIEW: [
        (
            "GET",
            lambda c: reverse("workspace:consent_signed_form", args=[c.client_id, c.pk]),
            None,
        ),
    ],
    Action.SIGNAL_ACKNOWLEDGE: [
        ("GET", page("signal_acknowledge"), None),
        ("POST", page("signal_acknowledge"), {}),
        ("JSON", api("/signals/{pk}/acknowledge"), {"reason": ""}),
    ],
    Action.SIGNAL_SNOOZE: [
        ("GET", page("signal_snooze"), None),
        ("POST", page("signal_snooze"), {}),
        ("JSON", api("/signals/{pk}/snooze"), {"until": BAD_DAY, "reason": ""}),
    ],
}


def test_every_action_on_client_data_has_its_endpoints():
    on_client_data = {
        a
        for a, e in EXPECTATIONS.items()
        if isinstance(e, OnRecord) or (isinstance(e, OnClient) and e.needs_open_relationship)
    }
    own_record_actions = {
        Action.PORTAL_OVERVIEW,
        Action.API_OWN_ACCESS_LOG,
        Action.API_OWN_DATA,
        Action.PORTAL_CONSENTS,
        Action.PORTAL_CONSENT_GIVE,
        Action.PORTAL_SITUATION_CHANGE,
        Action.PORTAL_ACCESS_LOG,
    }
    assert on_client_data - own_record_actions <= set(ENDPOINTS)


def send(http, method, url, body, world=None):
    if callable(body):
        body = body(world)
    if method == "GET":
        return http.get(url)
    if method == "JSON":
        return http.post(url, body, content_type="application/json")
    return http.post(url, body)


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", WORKER_ROLES)
def test_http_matrix_for_every_page_and_operation(client, make_world, role, relation):
    world = make_world(role, relation)
    login(client, world.people[role])
    mismatches = []
    for action, endpoints in ENDPOINTS.items():
        expect = EXPECTATIONS[action]
        if isinstance(expect, OnClient):
            cases = [("the client", world.client, allowed_on_client(expect, role, relation))]
        else:
            cases = [
                (name, record, allowed_on_record(expect, role, relation, holders, placed))
                for name, record, holders, placed in targets(world, expect)
            ]
        for name, target, expected in cases:
            for method, url_of, body in endpoints:
                status = send(client, method, url_of(target), body, world).status_code
                refused = status in (403, 404)
                if status >= 500 or refused == expected:
                    mismatches.append(
                        f"{action} {method} on {name}: HTTP {status}, expected "
                        f"{'permitted' if expected else '403 or 404'}"
                    )
    assert mismatches == []


def test_http_matrix_refuses_the_client_role_every_worker_operation(
    client, make_world, django_user_model
):
    world = make_world(SOC, "open")
    person = world.client
    person.user = django_user_model.objects.create_user("self", password="test-password-123")
    person.save()
    login(client, person.user)
    permitted = []
    for action, endpoints in ENDPOINTS.items():
        for method, url_of, body in endpoints:
            for record, *_ in world.records.values():
                target = person if isinstance(EXPECTATIONS[action], OnClient) else record
                status = send(client, method, url_of(target), body, world).status_code
                if status not in (401, 403):
                    permitted.append(f"{action} {method}: HTTP {status}")
                break
    assert permitted == []


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
        revoked_on=today if state.get("revoked") else None,
        state="REVOKED" if state.get("revoked") else "GIVEN",
    )


@pytest.mark.parametrize("state", list(CONSENT_STATES))
@pytest.mark.parametrize("role", sorted(CASEWORK - {KELA}))
def test_another_authoritys_data_only_under_a_covering_consent(
    client, make_organisation, make_worker, make_client, role, state
):
    authority = ORG_OF[role]
    worker = make_worker(role, make_organisation(authority))
    kela = make_organisation("KELA")
    target = make_client()
    _relationship(target, worker.organisation, authority)
    Application.objects.create(
        client=target,
        benefit="SICKNESS_ALLOWANCE",
        deciding_organisation=kela,
        submitted_on=date(2026, 10, 1),
        ruleset_version="fi-2026.1",
    )
    Consent.objects.filter(client=target).delete()
    add_consent(target, authority, CONSENT_STATES[state])
    login(client, worker)
    page_text = client.get(reverse("workspace:client", args=[target.pk])).content.decode()
    assert ("Sickness allowance" in page_text) == (state == "valid")
