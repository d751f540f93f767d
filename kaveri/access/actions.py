"""The action table: every page and API operation names one action, and each action
names the rule that permits it. Anything unnamed is denied (see middleware.py).

A rule has two parts: which roles may take the action at all, and, for actions on
one client's data, the relation the principal must have to that client.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from kaveri.access.principal import Principal
from kaveri.access.roles import CASEWORK_ROLES, Role


class Action(StrEnum):
    PATHWAYS_VIEW = "pathways.view"
    LANGUAGE_SET = "language.set"
    LOGIN = "session.login"
    LOGOUT = "session.logout"
    HOME = "session.home"
    WORKSPACE_CLIENTS = "workspace.clients"
    CLIENT_VIEW = "client.view"
    CLIENT_ACCESS_LOG = "client.access_log"
    CLIENT_SEARCH = "client.search"
    CLIENT_CREATE = "client.create"
    CASE_OPEN = "case.open"
    ASSESSMENT_RECORD = "assessment.record"
    WORKER_NAME = "relationship.name_worker"
    RELATIONSHIP_CLOSE = "relationship.close"
    FEEDBACK_RECORD = "feedback.record"
    JOB_SEEKER_REGISTER = "job_seeker.register"
    PLAN_MAKE = "plan.make"
    PLAN_REVISE = "plan.revise"
    PLAN_APPROVAL_RECORD = "plan.approval_record"
    SERVICE_DECIDE = "service.decide"
    PARTICIPATION_RECORD = "participation.record"
    EPISODE_END = "episode.end"
    PERIOD_REPORT = "episode.period_report"
    APPLICATION_RECORD = "application.record"
    APPLICATION_HANDLE = "application.handle"
    EMERGENCY_OPEN = "emergency.open"
    EMERGENCY_REVIEW = "emergency.review"
    CONSENT_RECORD = "consent.record"
    CONSENT_REVOKE = "consent.revoke"
    PORTAL_OVERVIEW = "portal.overview"
    ADMIN_SITE = "admin.site"
    API_DOCS = "api.docs"
    API_RULES = "api.rules"
    API_ME = "api.me"
    API_CLIENT = "api.client"
    API_OWN_ACCESS_LOG = "api.own_access_log"
    API_SUBJECT_ACCESS = "api.subject_access"
    API_OWN_DATA = "api.own_data"
    API_CONSENTS = "api.consents"
    API_CONSENT_RECORD = "api.consent_record"
    API_CONSENT_REVOKE = "api.consent_revoke"


ANYONE = frozenset({"*"})
SIGNED_IN = frozenset({"+"})

Relation = Callable[[Principal, object], bool]


def organisation_has_open_relationship(principal: Principal, client) -> bool:
    """The worker's organisation has an open client relationship with the client."""
    if principal.organisation is None:
        return False
    return client.relationships.filter(
        organisation=principal.organisation, closed_on__isnull=True
    ).exists()


def placed_with_instructor(principal: Principal, client) -> bool:
    """The client has an active service episode with this instructor or their place."""
    if principal.organisation is None:
        return False
    return client.service_episodes.filter(
        provider=principal.organisation, ended_on__isnull=True
    ).exists()


def is_own_record(principal: Principal, client) -> bool:
    return principal.client is not None and principal.client.pk == client.pk


def open_relationship_or_placement(principal: Principal, client) -> bool:
    if principal.role == Role.ACTIVITY_INSTRUCTOR:
        return placed_with_instructor(principal, client)
    return organisation_has_open_relationship(principal, client)


def emergency_access_open(principal: Principal, client) -> bool:
    """The worker has broken the glass for this client and the access has not expired."""
    from kaveri.access.emergency import active_emergency_access

    return active_emergency_access(principal.worker, client) is not None


def relationship_placement_or_emergency(principal: Principal, client) -> bool:
    return open_relationship_or_placement(principal, client) or emergency_access_open(
        principal, client
    )


def is_supervisor(principal: Principal) -> bool:
    return bool(principal.worker and principal.worker.is_supervisor)


@dataclass(frozen=True)
class Rule:
    description: str
    roles: frozenset
    relation: Relation | None = None
    data_category: str | None = None
    condition: Callable[[Principal], bool] | None = None

    def permits_role(self, principal: Principal) -> bool:
        if self.roles is ANYONE:
            return True
        if self.roles is SIGNED_IN:
            return principal.is_authenticated
        if self.condition is not None and not self.condition(principal):
            return False
        return principal.role in self.roles

    def permits(self, principal: Principal, client=None) -> bool:
        if not self.permits_role(principal):
            return False
        if self.relation is None:
            return True
        return client is not None and self.relation(principal, client)

    @property
    def touches_client_data(self) -> bool:
        return self.data_category is not None


WORKERS_WITH_CLIENTS = CASEWORK_ROLES | {Role.ACTIVITY_INSTRUCTOR}

ACTION_TABLE: dict[Action, Rule] = {
    Action.PATHWAYS_VIEW: Rule(_("See the pathways and processes"), ANYONE),
    Action.LANGUAGE_SET: Rule(_("Choose the language"), ANYONE),
    Action.LOGIN: Rule(_("Log in"), ANYONE),
    Action.LOGOUT: Rule(_("Log out"), SIGNED_IN),
    Action.HOME: Rule(_("Open one's own start page"), SIGNED_IN),
    Action.WORKSPACE_CLIENTS: Rule(
        _("List the clients of one's own organisation"),
        WORKERS_WITH_CLIENTS,
        data_category="BASIC",
    ),
    Action.CLIENT_VIEW: Rule(
        _(
            "See a client's record while one's organisation has an open relationship "
            "(an instructor: a placement), or under one's own emergency access"
        ),
        WORKERS_WITH_CLIENTS,
        relationship_placement_or_emergency,
        "BASIC",
    ),
    Action.CLIENT_SEARCH: Rule(
        _("Find a client by name or exact identity code (the results are audited)"),
        CASEWORK_ROLES,
        data_category="BASIC",
    ),
    Action.CLIENT_CREATE: Rule(_("Register a new client"), CASEWORK_ROLES),
    Action.CASE_OPEN: Rule(
        _("Record a contact and open a client relationship at one's own organisation"),
        CASEWORK_ROLES,
        data_category="BASIC",
    ),
    Action.ASSESSMENT_RECORD: Rule(
        _("Record a service need assessment in one's organisation's relationship"),
        CASEWORK_ROLES,
        organisation_has_open_relationship,
        "PLANS",
    ),
    Action.WORKER_NAME: Rule(
        _("Name or change the worker of one's organisation's client relationship"),
        CASEWORK_ROLES,
        organisation_has_open_relationship,
        "BASIC",
    ),
    Action.RELATIONSHIP_CLOSE: Rule(
        _("Close one's organisation's client relationship for a reason the rules allow"),
        CASEWORK_ROLES,
        organisation_has_open_relationship,
        "BASIC",
    ),
    Action.FEEDBACK_RECORD: Rule(
        _("Record the offer of a feedback form and the client's feedback"),
        CASEWORK_ROLES,
        organisation_has_open_relationship,
        "BASIC",
    ),
    Action.JOB_SEEKER_REGISTER: Rule(
        _("Record a registration as an unemployed job seeker"),
        frozenset({Role.EMPLOYMENT_OFFICIAL, Role.TYP_PAIR_MEMBER}),
        organisation_has_open_relationship,
        "BASIC",
    ),
    Action.PLAN_MAKE: Rule(
        _("Make a plan with the client"),
        CASEWORK_ROLES,
        organisation_has_open_relationship,
        "PLANS",
    ),
    Action.PLAN_REVISE: Rule(
        _("Review a plan: a new version, the earlier one kept"),
        CASEWORK_ROLES,
        organisation_has_open_relationship,
        "PLANS",
    ),
    Action.PLAN_APPROVAL_RECORD: Rule(
        _("Record the client's approval of a plan or acknowledgement of progress"),
        CASEWORK_ROLES,
        organisation_has_open_relationship,
        "PLANS",
    ),
    Action.SERVICE_DECIDE: Rule(
        _("Decide on a service for a period"),
        CASEWORK_ROLES,
        organisation_has_open_relationship,
        "SERVICES",
    ),
    Action.PARTICIPATION_RECORD: Rule(
        _("Record a day's participation (the worker or the instructor)"),
        WORKERS_WITH_CLIENTS,
        open_relationship_or_placement,
        "SERVICES",
    ),
    Action.EPISODE_END: Rule(
        _("End a service episode for a reason the rules allow"),
        CASEWORK_ROLES,
        organisation_has_open_relationship,
        "SERVICES",
    ),
    Action.PERIOD_REPORT: Rule(
        _("Produce the unemployment period report of a service episode"),
        WORKERS_WITH_CLIENTS,
        open_relationship_or_placement,
        "SERVICES",
    ),
    Action.APPLICATION_RECORD: Rule(
        _("Record a benefit application the client has made (helping with applications)"),
        CASEWORK_ROLES,
        organisation_has_open_relationship,
        "BENEFITS",
    ),
    Action.APPLICATION_HANDLE: Rule(
        _("Ask for further information, record answers and decisions on an application"),
        CASEWORK_ROLES,
        organisation_has_open_relationship,
        "BENEFITS",
    ),
    Action.EMERGENCY_OPEN: Rule(
        _("Open a client's record in an emergency, stating the reason (logged and reviewed)"),
        CASEWORK_ROLES,
        data_category="BASIC",
    ),
    Action.EMERGENCY_REVIEW: Rule(
        _("A supervisor reviews the emergency accesses of their organisation"),
        CASEWORK_ROLES,
        condition=is_supervisor,
    ),
    Action.CLIENT_ACCESS_LOG: Rule(
        _("See who has viewed a client's data, while one's organisation has an open relationship"),
        CASEWORK_ROLES,
        organisation_has_open_relationship,
        "BASIC",
    ),
    Action.CONSENT_RECORD: Rule(
        _("Record a client's consent, while one's organisation has an open relationship"),
        CASEWORK_ROLES,
        organisation_has_open_relationship,
        "BASIC",
    ),
    Action.CONSENT_REVOKE: Rule(
        _("Record that a client revoked a consent"),
        CASEWORK_ROLES,
        organisation_has_open_relationship,
        "BASIC",
    ),
    Action.PORTAL_OVERVIEW: Rule(
        _("A client sees their own workers, plans and applications"),
        frozenset({Role.CLIENT}),
        is_own_record,
        "BASIC",
    ),
    Action.ADMIN_SITE: Rule(
        _("Manage users, organisations and records in the admin"),
        frozenset({Role.ADMINISTRATOR}),
    ),
    Action.API_DOCS: Rule(_("Read the API documentation"), ANYONE),
    Action.API_RULES: Rule(_("Read the rule set in force"), ANYONE),
    Action.API_ME: Rule(_("Read one's own identity and role"), SIGNED_IN),
    Action.API_CLIENT: Rule(
        _("Read a client's basic information while one's organisation has an open relationship"),
        WORKERS_WITH_CLIENTS,
        open_relationship_or_placement,
        "BASIC",
    ),
    Action.API_OWN_ACCESS_LOG: Rule(
        _("A client reads who has used their data"),
        frozenset({Role.CLIENT}),
        is_own_record,
        "BASIC",
    ),
    Action.API_SUBJECT_ACCESS: Rule(
        _("Produce all data held on a client for a subject access request (audited)"),
        frozenset({Role.ADMINISTRATOR}),
        data_category="ALL",
    ),
    Action.API_OWN_DATA: Rule(
        _("A client downloads all data held on them"),
        frozenset({Role.CLIENT}),
        is_own_record,
        "ALL",
    ),
    Action.API_CONSENTS: Rule(
        _("Read a client's consents through the API"),
        CASEWORK_ROLES,
        organisation_has_open_relationship,
        "BASIC",
    ),
    Action.API_CONSENT_RECORD: Rule(
        _("Record a client's consent through the API"),
        CASEWORK_ROLES,
        organisation_has_open_relationship,
        "BASIC",
    ),
    Action.API_CONSENT_REVOKE: Rule(
        _("Record a revocation through the API"),
        CASEWORK_ROLES,
        organisation_has_open_relationship,
        "BASIC",
    ),
}

# Views from Django and django-ninja that carry no attribute of ours, named by
# (URL namespace, URL name); "*" covers the whole namespace.
NAMESPACE_ACTIONS: dict[tuple[str, str], Action] = {
    ("admin", "*"): Action.ADMIN_SITE,
    ("api", "openapi-json"): Action.API_DOCS,
    ("api", "openapi-view"): Action.API_DOCS,
}
API_NAMESPACE = "api"


def rule_for(action: Action) -> Rule:
    return ACTION_TABLE[action]
