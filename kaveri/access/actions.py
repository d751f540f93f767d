"""The action table: every page and API operation names one action, and each action
names the rule that permits it. Anything unnamed is denied (see middleware.py).

A rule has up to three parts: which roles may take the action at all; what it acts on
(`target`: nothing, a client, or one record of a client); and the relation the
principal must have to that target. A write on a record is permitted by the record
itself: the organisations and authorities that own it (its model's declaration), the
instructor it is placed with, the kind of relationship. The same rule decides what a
page offers, so a page never shows an action that would be refused.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaveri.access import relations
from kaveri.access.principal import Principal
from kaveri.access.roles import CASEWORK_ROLES, Role
from kaveri.access.visibility import reads_record


class Action(StrEnum):
    PATHWAYS_VIEW = "pathways.view"
    LANGUAGE_SET = "language.set"
    LOGIN = "session.login"
    HELP = "help.view"
    ACCESSIBILITY_STATEMENT = "accessibility.statement"
    ACCESSIBILITY_FEEDBACK = "accessibility.feedback"
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
    MEASURE_ACKNOWLEDGE = "measure.acknowledge"
    SERVICE_DECIDE = "service.decide"
    EPISODE_CONTINUE = "episode.continue"
    PARTICIPATION_RECORD = "participation.record"
    EPISODE_END = "episode.end"
    PERIOD_REPORT = "episode.period_report"
    APPLICATION_RECORD = "application.record"
    INFORMATION_REQUEST = "application.request_information"
    INFORMATION_ANSWER = "information_request.answer"
    APPLICATION_DECIDE = "application.decide"
    APPEAL_FILE = "appeal.file"
    APPEAL_FORWARD = "appeal.forward"
    APPEAL_DECIDE = "appeal.decide"
    APPEAL_WITHDRAW = "appeal.withdraw"
    DATA_REQUEST_MAKE = "data_request.make"
    DATA_REQUEST_ANSWER = "data_request.answer"
    APPLICATION_EVIDENCE = "application.evidence"
    STATEMENT_GIVE = "statement.give"
    DOCUMENT_RECORD = "document.record"
    DOCUMENT_DOWNLOAD = "document.download"
    PLAN_EVIDENCE = "plan.evidence"
    SIGNAL_ACKNOWLEDGE = "signal.acknowledge"
    SIGNAL_SNOOZE = "signal.snooze"
    TEAM_VIEW = "workspace.team"
    CALENDAR_LINK_MANAGE = "calendar.manage_link"
    CALENDAR_FEED = "calendar.feed"
    EMERGENCY_OPEN = "emergency.open"
    EMERGENCY_REVIEW = "emergency.review"
    CONSENT_LIST = "consent.list"
    CONSENT_RECORD = "consent.record"
    CONSENT_REVOKE = "consent.revoke"
    CONSENT_DISPUTE = "consent.dispute"
    CONSENT_ATTACH_FORM = "consent.attach_form"
    CONSENT_FORM_VIEW = "consent.form_view"
    PORTAL_OVERVIEW = "portal.overview"
    PORTAL_PLAN = "portal.plan"
    PORTAL_PLAN_APPROVE = "portal.plan_approve"
    PORTAL_MEASURE_ACKNOWLEDGE = "portal.measure_acknowledge"
    PORTAL_CONSENTS = "portal.consents"
    PORTAL_CONSENT_GIVE = "portal.consent_give"
    PORTAL_CONSENT_REVOKE = "portal.consent_revoke"
    PORTAL_ACCESS_LOG = "portal.access_log"
    PORTAL_INFORMATION_ANSWER = "portal.information_answer"
    PORTAL_SITUATION_CHANGE = "portal.situation_change"
    WORKER_ABSENCE = "worker.absence"
    HEALTH = "health"
    SITUATION_CHANGE_RECORD = "situation_change.record"
    ADMIN_SITE = "admin.site"
    ORGANISATION_LIST = "organisation.list"
    ORGANISATION_MANAGE = "organisation.manage"
    STATISTICS_VIEW = "statistics.view"
    STATISTICS_EXPORT = "statistics.export"
    WORKER_MANAGE = "worker.manage"
    API_DOCS = "api.docs"
    API_RULES = "api.rules"
    API_ME = "api.me"
    API_CLIENT = "api.client"
    API_OWN_ACCESS_LOG = "api.own_access_log"
    API_SUBJECT_ACCESS = "api.subject_access"
    API_OWN_DATA = "api.own_data"
    CONSOLE_EXPORT = "console.export"
    CONSOLE_IMPORT = "console.import"
    CONSOLE_IMPORT_DELETE = "console.import_delete"
    CONSOLE_SUBJECT_ACCESS = "console.subject_access"
    CONSOLE_DEMO = "console.demo"
    CONSOLE_BACKUP = "console.backup"
    CONSOLE_RESTORE = "console.restore"
    CONSOLE_RETENTION = "console.retention"
    CONSOLE_RETENTION_CARRY_OUT = "console.retention_carry_out"


ANYONE = frozenset({"*"})
SIGNED_IN = frozenset({"+"})

Relation = Callable[[Principal, object], bool]

# What a rule acts on: the client, or one record of the client (by its kind).
CLIENT = "client"
RELATIONSHIP = "relationship"
PLAN = "plan"
MEASURE = "measure"
EPISODE = "episode"
APPLICATION = "application"
INFORMATION_REQUEST = "information_request"
APPEAL = "appeal"
DATA_REQUEST = "data_request"
DOCUMENT = "document"
CONSENT = "consent"
SIGNAL = "signal"


@dataclass(frozen=True)
class Rule:
    description: str | Promise
    roles: frozenset
    relation: Relation | None = None
    data_category: str | None = None
    condition: Callable[[Principal], bool] | None = None
    target: str | None = None
    done: str | Promise = ""

    def permits_role(self, principal: Principal) -> bool:
        if self.roles is ANYONE:
            return True
        if self.roles is SIGNED_IN:
            return principal.is_authenticated
        if self.condition is not None and not self.condition(principal):
            return False
        return principal.role in self.roles

    def permits(self, principal: Principal, target=None) -> bool:
        if not self.permits_role(principal):
            return False
        if self.relation is None:
            return True
        return target is not None and self.relation(principal, target)

    @property
    def touches_client_data(self) -> bool:
        return self.data_category is not None


WORKERS_WITH_CLIENTS = CASEWORK_ROLES | {Role.ACTIVITY_INSTRUCTOR}
ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})
CLIENTS = frozenset({Role.CLIENT})
COORDINATORS = frozenset({Role.COORDINATOR})


def _public(description, done="") -> Rule:
    return Rule(description, ANYONE, done=done)


def _console(description, done) -> Rule:
    """Done at the server's console, by an operator: no web role may do it."""
    return Rule(description, frozenset(), data_category="ALL", done=done)


def _on_client(description, roles, relation, category, done, **extra) -> Rule:
    return Rule(description, roles, relation, category, target=CLIENT, done=done, **extra)


def _on_record(description, roles, target, relation, category, done) -> Rule:
    return Rule(description, roles, relation, category, target=target, done=done)


ACTION_TABLE: dict[Action, Rule] = {
    Action.PATHWAYS_VIEW: _public(_("See the pathways and processes")),
    Action.LANGUAGE_SET: _public(_("Choose the language")),
    Action.LOGIN: _public(_("Log in")),
    Action.HEALTH: _public(
        _("Ask whether the service can serve (the database and the task worker)")
    ),
    Action.HELP: _public(_("Read the help for one's role")),
    Action.ACCESSIBILITY_STATEMENT: _public(_("Read the accessibility statement")),
    Action.ACCESSIBILITY_FEEDBACK: _public(
        _("Give feedback on accessibility"), done=_("Feedback received")
    ),
    Action.LOGOUT: Rule(_("Log out"), SIGNED_IN),
    Action.WORKER_ABSENCE: Rule(
        _("Tell one's clients of one's absence and name a colleague to contact meanwhile"),
        WORKERS_WITH_CLIENTS,
        done=_("Set their absence"),
    ),
    Action.HOME: Rule(_("Open one's own start page"), SIGNED_IN),
    Action.WORKSPACE_CLIENTS: Rule(
        _(
            "List the clients of one's own organisation (an instructor: the clients "
            "placed with them)"
        ),
        WORKERS_WITH_CLIENTS,
        data_category="BASIC",
        done=_("Listed the client among their clients"),
    ),
    Action.CLIENT_VIEW: _on_client(
        _(
            "See a client's record while one's organisation has an open relationship "
            "(an instructor: a placement with them), or under one's own emergency access"
        ),
        WORKERS_WITH_CLIENTS,
        relations.sees_client,
        "BASIC",
        _("Viewed the client's data"),
    ),
    Action.CLIENT_SEARCH: Rule(
        _("Find a client by name or exact identity code (the results are audited)"),
        CASEWORK_ROLES,
        data_category="BASIC",
        done=_("Found the client in a search"),
    ),
    Action.CLIENT_CREATE: Rule(
        _("Register a new client"), CASEWORK_ROLES, done=_("Registered the client")
    ),
    Action.CASE_OPEN: _on_client(
        _(
            "Record a contact and open a client relationship at one's own organisation "
            "(it gives one's organisation its own relationship and nothing more)"
        ),
        CASEWORK_ROLES,
        None,
        "BASIC",
        _("Opened a client relationship"),
    ),
    Action.ASSESSMENT_RECORD: _on_record(
        _("Record a service need assessment in one's organisation's relationship"),
        CASEWORK_ROLES,
        RELATIONSHIP,
        relations.holds_record,
        "PLANS",
        _("Recorded a service need assessment"),
    ),
    Action.WORKER_NAME: _on_record(
        _("Name or change the worker of one's organisation's client relationship"),
        CASEWORK_ROLES,
        RELATIONSHIP,
        relations.holds_record,
        "BASIC",
        _("Named a worker"),
    ),
    Action.RELATIONSHIP_CLOSE: _on_record(
        _("Close one's organisation's client relationship for a reason the rules allow"),
        CASEWORK_ROLES,
        RELATIONSHIP,
        relations.holds_record,
        "BASIC",
        _("Closed a client relationship"),
    ),
    Action.FEEDBACK_RECORD: _on_record(
        _(
            "Record the offer of a feedback form and the client's feedback, in one's "
            "organisation's relationship of a kind that asks for feedback (TYP)"
        ),
        CASEWORK_ROLES,
        RELATIONSHIP,
        relations.holds_relationship_asking_for_feedback,
        "BASIC",
        _("Recorded the offer of feedback"),
    ),
    Action.JOB_SEEKER_REGISTER: _on_client(
        _("Record a registration as an unemployed job seeker (employment services)"),
        frozenset({Role.EMPLOYMENT_OFFICIAL}),
        relations.registers_job_seekers,
        "BASIC",
        _("Recorded a job seeker registration"),
    ),
    Action.PLAN_MAKE: _on_client(
        _("Make a plan with the client, in a relationship whose process makes plans"),
        CASEWORK_ROLES,
        relations.makes_plans,
        "PLANS",
        _("Made a plan"),
    ),
    Action.PLAN_REVISE: _on_record(
        _("Review a plan one's organisation holds or is a party to: a new version"),
        CASEWORK_ROLES,
        PLAN,
        relations.holds_record,
        "PLANS",
        _("Reviewed a plan"),
    ),
    Action.PLAN_APPROVAL_RECORD: _on_record(
        _("Record the client's approval of a plan one's organisation holds or is a party to"),
        CASEWORK_ROLES,
        PLAN,
        relations.holds_record,
        "PLANS",
        _("Recorded the client's approval of a plan"),
    ),
    Action.MEASURE_ACKNOWLEDGE: _on_record(
        _("Record the client's acknowledgement of progress on a measure of such a plan"),
        CASEWORK_ROLES,
        MEASURE,
        relations.holds_record,
        "PLANS",
        _("Recorded the client's acknowledgement of a measure"),
    ),
    Action.SERVICE_DECIDE: _on_client(
        _("Decide on a service for a period, at an authority that grants services"),
        CASEWORK_ROLES,
        relations.decides_services,
        "SERVICES",
        _("Decided on a service"),
    ),
    Action.EPISODE_CONTINUE: _on_record(
        _("Continue a service one's organisation decided for the next period"),
        CASEWORK_ROLES,
        EPISODE,
        relations.holds_record,
        "SERVICES",
        _("Continued a service for the next period"),
    ),
    Action.PARTICIPATION_RECORD: _on_record(
        _(
            "Record a day's participation: the organisation that decided the service, "
            "or the instructor it is placed with"
        ),
        WORKERS_WITH_CLIENTS,
        EPISODE,
        relations.holds_or_instructs_episode,
        "SERVICES",
        _("Recorded a day's participation"),
    ),
    Action.EPISODE_END: _on_record(
        _("End a service one's organisation decided, for a reason the rules allow"),
        CASEWORK_ROLES,
        EPISODE,
        relations.holds_record,
        "SERVICES",
        _("Ended a service"),
    ),
    Action.PERIOD_REPORT: _on_record(
        _(
            "Produce the unemployment period report of a service: its decider, its "
            "instructor, or a worker whom a consent lets see the service"
        ),
        WORKERS_WITH_CLIENTS,
        EPISODE,
        reads_record,
        "SERVICES",
        _("Produced an unemployment period report"),
    ),
    Action.APPLICATION_RECORD: _on_client(
        _("Record a benefit application the client has made (helping with applications)"),
        CASEWORK_ROLES,
        relations.serves_client,
        "BENEFITS",
        _("Recorded an application"),
    ),
    Action.INFORMATION_REQUEST: _on_record(
        _("Ask for further information on an application one's authority decides"),
        CASEWORK_ROLES,
        APPLICATION,
        relations.holds_record,
        "BENEFITS",
        _("Asked for further information"),
    ),
    Action.INFORMATION_ANSWER: _on_record(
        _("Record the answer to an information request of one's authority"),
        CASEWORK_ROLES,
        INFORMATION_REQUEST,
        relations.holds_record,
        "BENEFITS",
        _("Recorded an answer to an information request"),
    ),
    Action.APPLICATION_DECIDE: _on_record(
        _("Record the decision on an application one's authority decides"),
        CASEWORK_ROLES,
        APPLICATION,
        relations.holds_record,
        "BENEFITS",
        _("Recorded a decision"),
    ),
    Action.APPEAL_FILE: _on_record(
        _(
            "Record that the client appeals a decision (helping with appeals): a worker "
            "who may see the decision"
        ),
        CASEWORK_ROLES,
        APPLICATION,
        reads_record,
        "BENEFITS",
        _("Recorded an appeal"),
    ),
    Action.APPEAL_FORWARD: _on_record(
        _("Forward an appeal one's authority could not correct to the next stage"),
        CASEWORK_ROLES,
        APPEAL,
        relations.holds_record,
        "BENEFITS",
        _("Forwarded an appeal"),
    ),
    Action.APPEAL_DECIDE: _on_record(
        _("Record the decision of a stage of an appeal against one's authority's decision"),
        CASEWORK_ROLES,
        APPEAL,
        relations.holds_record,
        "BENEFITS",
        _("Recorded an appeal decision"),
    ),
    Action.APPEAL_WITHDRAW: _on_record(
        _("Record that the client withdrew an appeal: a worker who may see the appeal"),
        CASEWORK_ROLES,
        APPEAL,
        reads_record,
        "BENEFITS",
        _("Recorded a withdrawn appeal"),
    ),
    Action.DATA_REQUEST_MAKE: _on_client(
        _(
            "Ask another authority for the client's information under the client's consent "
            "(e.g. the TYP pair asks Kela): a worker whose organisation serves the client"
        ),
        CASEWORK_ROLES,
        relations.serves_client,
        "BASIC",
        _("Asked another authority for information"),
    ),
    Action.DATA_REQUEST_ANSWER: _on_record(
        _("Record the answer to a request made to one's own authority"),
        CASEWORK_ROLES,
        DATA_REQUEST,
        relations.answers_data_request,
        "BASIC",
        _("Answered a request between authorities"),
    ),
    Action.STATEMENT_GIVE: _on_client(
        _(
            "Give the employment authority's statement for a benefit (e.g. the labour policy "
            "statement): an employment services worker whose organisation serves the client"
        ),
        CASEWORK_ROLES,
        relations.registers_job_seekers,
        "BENEFITS",
        _("Gave a statement for a benefit"),
    ),
    Action.DOCUMENT_RECORD: _on_client(
        _("Record a document received for the client, with its file: a worker who serves them"),
        CASEWORK_ROLES,
        relations.serves_client,
        "BASIC",
        _("Recorded a document"),
    ),
    Action.DOCUMENT_DOWNLOAD: _on_record(
        _(
            "Download a document's file: its receiving organisation's workers, or one whom a "
            "consent lets see it (a health document only under a consent for health data)"
        ),
        CASEWORK_ROLES,
        DOCUMENT,
        reads_record,
        "BASIC",
        _("Downloaded a document"),
    ),
    Action.APPLICATION_EVIDENCE: _on_record(
        _("Read the evidence checklist of an application one may see"),
        CASEWORK_ROLES,
        APPLICATION,
        reads_record,
        "BENEFITS",
        _("Read an application's evidence checklist"),
    ),
    Action.PLAN_EVIDENCE: _on_record(
        _("Read the evidence checklist of a plan one may see"),
        CASEWORK_ROLES,
        PLAN,
        reads_record,
        "PLANS",
        _("Read a plan's evidence checklist"),
    ),
    Action.SIGNAL_ACKNOWLEDGE: _on_record(
        _(
            "Acknowledge a signal with what is being done: one's organisation answers for "
            "it, or one is named to the client"
        ),
        CASEWORK_ROLES,
        SIGNAL,
        relations.handles_signal,
        "BASIC",
        _("Acknowledged a signal"),
    ),
    Action.SIGNAL_SNOOZE: _on_record(
        _(
            "Snooze a signal until a day, with the reason: one's organisation answers for "
            "it, or one is named to the client"
        ),
        CASEWORK_ROLES,
        SIGNAL,
        relations.handles_signal,
        "BASIC",
        _("Snoozed a signal"),
    ),
    Action.TEAM_VIEW: Rule(
        _(
            "See one's organisation's team view: clients with no named worker, each "
            "worker's load, signals no one has acted on"
        ),
        CASEWORK_ROLES,
        data_category="BASIC",
        done=_("Listed the client in the team view"),
    ),
    Action.CALENDAR_LINK_MANAGE: Rule(
        _("Make, renew or revoke the secret link of one's own calendar feed of deadlines"),
        CASEWORK_ROLES,
    ),
    Action.CALENDAR_FEED: Rule(
        _(
            "Fetch a worker's calendar feed by its secret link (the link's key is the "
            "credential; the feed names no client)"
        ),
        ANYONE,
        data_category="BASIC",
        done=_("Fetched the calendar feed that lists the client's deadlines"),
    ),
    Action.EMERGENCY_OPEN: Rule(
        _("Open a client's record in an emergency, stating the reason (logged and reviewed)"),
        CASEWORK_ROLES,
        data_category="BASIC",
        done=_("Opened emergency access"),
    ),
    Action.EMERGENCY_REVIEW: Rule(
        _("A supervisor reviews the emergency accesses of their organisation"),
        CASEWORK_ROLES,
        condition=relations.is_supervisor,
        data_category="BASIC",
        done=_("Reviewed an emergency access"),
    ),
    Action.CLIENT_ACCESS_LOG: _on_client(
        _("See who has viewed a client's data, while one's organisation has an open relationship"),
        CASEWORK_ROLES,
        relations.serves_client,
        "BASIC",
        _("Read who has viewed the client's data"),
    ),
    Action.CONSENT_LIST: _on_client(
        _("Read a client's consents, while one's organisation has an open relationship"),
        CASEWORK_ROLES,
        relations.serves_client,
        "BASIC",
        _("Read the client's consents"),
    ),
    Action.CONSENT_RECORD: _on_client(
        _("Record a client's consent, while one's organisation has an open relationship"),
        CASEWORK_ROLES,
        relations.serves_client,
        "BASIC",
        _("Recorded a consent"),
    ),
    Action.SITUATION_CHANGE_RECORD: _on_client(
        _(
            "Record a change in the client's situation on their behalf, while one's "
            "organisation has an open relationship"
        ),
        CASEWORK_ROLES,
        relations.serves_client,
        "BASIC",
        _("Recorded a change in the client's situation"),
    ),
    Action.CONSENT_REVOKE: _on_record(
        _("Record that a client revoked a consent that names one's authority"),
        CASEWORK_ROLES,
        CONSENT,
        relations.holds_record,
        "BASIC",
        _("Recorded the revocation of a consent"),
    ),
    Action.CONSENT_DISPUTE: _on_record(
        _("Dispute a consent that names one's authority (it stops permitting access)"),
        CASEWORK_ROLES,
        CONSENT,
        relations.holds_record,
        "BASIC",
        _("Disputed a consent"),
    ),
    Action.CONSENT_ATTACH_FORM: _on_record(
        _("Attach the signed form to a consent that names one's authority"),
        CASEWORK_ROLES,
        CONSENT,
        relations.holds_record,
        "BASIC",
        _("Attached the signed form of a consent"),
    ),
    Action.CONSENT_FORM_VIEW: _on_record(
        _("Read the signed form of a consent that names one's authority"),
        CASEWORK_ROLES,
        CONSENT,
        relations.holds_record,
        "BASIC",
        _("Read the signed form of a consent"),
    ),
    Action.PORTAL_OVERVIEW: _on_client(
        _("A client sees their own workers, plans and applications"),
        CLIENTS,
        relations.is_own_record,
        "BASIC",
        _("Read their own page"),
    ),
    Action.PORTAL_PLAN: _on_record(
        _("A client reads their own plan, its measures and its earlier versions"),
        CLIENTS,
        PLAN,
        relations.owns_record,
        "PLANS",
        _("Read their own plan"),
    ),
    Action.PORTAL_PLAN_APPROVE: _on_record(
        _("A client approves their own plan"),
        CLIENTS,
        PLAN,
        relations.owns_record,
        "PLANS",
        _("Approved their plan"),
    ),
    Action.PORTAL_MEASURE_ACKNOWLEDGE: _on_record(
        _("A client acknowledges progress on a measure of their own plan"),
        CLIENTS,
        MEASURE,
        relations.owns_record,
        "PLANS",
        _("Acknowledged progress on a measure"),
    ),
    Action.PORTAL_CONSENTS: _on_client(
        _("A client reads their own consents"),
        CLIENTS,
        relations.is_own_record,
        "BASIC",
        _("Read their own consents"),
    ),
    Action.PORTAL_SITUATION_CHANGE: _on_client(
        _("A client reports a change in their situation to their workers"),
        CLIENTS,
        relations.is_own_record,
        "BASIC",
        _("Reported a change in their situation"),
    ),
    Action.PORTAL_CONSENT_GIVE: _on_client(
        _("A client gives a consent"),
        CLIENTS,
        relations.is_own_record,
        "BASIC",
        _("Gave a consent"),
    ),
    Action.PORTAL_CONSENT_REVOKE: _on_record(
        _("A client revokes their own consent"),
        CLIENTS,
        CONSENT,
        relations.owns_record,
        "BASIC",
        _("Revoked a consent"),
    ),
    Action.PORTAL_INFORMATION_ANSWER: _on_record(
        _("A client answers a request for more information on their own application"),
        CLIENTS,
        INFORMATION_REQUEST,
        relations.owns_record,
        "BENEFITS",
        _("Answered a request for more information"),
    ),
    Action.PORTAL_ACCESS_LOG: _on_client(
        _("A client reads who else has seen their data, and on what basis"),
        CLIENTS,
        relations.is_own_record,
        "BASIC",
        _("Read who has seen their data"),
    ),
    Action.ADMIN_SITE: Rule(
        _("Manage users, organisations and records in the admin"),
        ADMINISTRATORS,
        done=_("Opened in the admin site"),
    ),
    Action.ORGANISATION_LIST: Rule(
        _("List the organisations of the region (to name parties and places)"),
        SIGNED_IN,
    ),
    Action.ORGANISATION_MANAGE: Rule(
        _("Add or change an organisation through the API"), ADMINISTRATORS
    ),
    Action.WORKER_MANAGE: Rule(_("Add, change or list workers through the API"), ADMINISTRATORS),
    # Counts of relationships with small cells withheld: no person's data, so not audited.
    Action.STATISTICS_VIEW: Rule(_("See the region's statistics"), COORDINATORS),
    Action.STATISTICS_EXPORT: Rule(_("Download the region's statistics"), COORDINATORS),
    Action.API_DOCS: _public(_("Read the API documentation")),
    Action.API_RULES: _public(_("Read the rule set in force")),
    Action.API_ME: Rule(_("Read one's own identity and role"), SIGNED_IN),
    Action.API_CLIENT: _on_client(
        _("Read a client's basic information while one's organisation has an open relationship"),
        WORKERS_WITH_CLIENTS,
        relations.serves_or_instructs,
        "BASIC",
        _("Read the client's basic information"),
    ),
    Action.API_OWN_ACCESS_LOG: _on_client(
        _("A client reads who has used their data"),
        CLIENTS,
        relations.is_own_record,
        "BASIC",
        _("Read who has used their data"),
    ),
    Action.API_SUBJECT_ACCESS: Rule(
        _("Produce all data held on a client for a subject access request (audited)"),
        ADMINISTRATORS,
        data_category="ALL",
        target=CLIENT,
        done=_("Produced all data held on the client (subject access)"),
    ),
    Action.API_OWN_DATA: _on_client(
        _("A client downloads all data held on them"),
        CLIENTS,
        relations.is_own_record,
        "ALL",
        _("Downloaded all data held on them"),
    ),
    Action.CONSOLE_EXPORT: _console(
        _("Export client records at the server's console (kaveri export)"),
        _("Exported the client's records at the server's console"),
    ),
    Action.CONSOLE_IMPORT: _console(
        _("Import client records at the server's console (kaveri import)"),
        _("Imported the client's records at the server's console"),
    ),
    Action.CONSOLE_IMPORT_DELETE: _console(
        _("Delete a client's record that an import replaced (kaveri import --delete-missing)"),
        _("Deleted one of the client's records in an import"),
    ),
    Action.CONSOLE_SUBJECT_ACCESS: _console(
        _("Produce all data held on a client at the server's console (kaveri gdpr export)"),
        _("Produced all data held on the client at the server's console"),
    ),
    Action.CONSOLE_DEMO: _console(
        _("Generate the synthetic demonstration region (kaveri demo)"),
        _("Generated synthetic demonstration clients"),
    ),
    Action.CONSOLE_BACKUP: _console(
        _("Back up the whole database at the server's console (kaveri backup)"),
        _("Backed up the whole database"),
    ),
    Action.CONSOLE_RESTORE: _console(
        _("Restore the whole database from a backup at the server's console (kaveri restore)"),
        _("Restored the whole database from a backup"),
    ),
    Action.CONSOLE_RETENTION: _console(
        _("List the records due for deletion or archiving at the server's console"),
        _("Listed the records due for deletion or archiving"),
    ),
    Action.CONSOLE_RETENTION_CARRY_OUT: _console(
        _("Delete or archive the records due under the retention rules at the server's console"),
        _("Deleted or archived records whose keeping time had ended"),
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


def permitted(principal: Principal, target, actions) -> frozenset[str]:
    """The names of the actions the principal may take on this target (for a page's links)."""
    return frozenset(a.name for a in actions if rule_for(a).permits(principal, target))


def audit_label(action_code: str) -> str:
    """What an audit event's action means, in the reader's language."""
    try:
        rule = ACTION_TABLE[Action(action_code)]
    except ValueError:
        return action_code
    return str(rule.done or rule.description)
