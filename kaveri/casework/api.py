"""Casework in the API: the same operations and checks as the workers' pages.

A rule violation is a 422 whose detail names the field, like a schema error.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from kaveri.access.actions import Action
from kaveri.access.audit import record_list_access
from kaveri.access.decorators import api_action, api_client, api_record
from kaveri.access.models import Organisation, Worker
from kaveri.access.principal import principal_for
from kaveri.api import KaveriRouter
from kaveri.benefits import actions as benefit_actions
from kaveri.benefits.models import Application, InformationRequest
from kaveri.casework import actions as casework
from kaveri.casework.actions import MeasureInput
from kaveri.casework.checks import RuleViolation
from kaveri.casework.models import ClientRelationship
from kaveri.plans import actions as plan_actions
from kaveri.plans.models import Measure, Plan
from kaveri.rules.loader import get_rules
from kaveri.services import actions as service_actions
from kaveri.services.models import ServiceEpisode
from kaveri.workspace.operations import (
    matching_clients,
    process_for,
)

router = KaveriRouter(tags=["casework"])


class Created(Schema):
    id: int


class SearchIn(Schema):
    query: str


class ClientHit(Schema):
    id: int
    first_names: str
    last_name: str
    birth_date: date
    municipality: str


class WorkerIn(Schema):
    worker_id: int
    role: str


class CaseIn(Schema):
    occurred_on: date
    initiator: str
    channel: str
    kind: str
    pathway: str = ""
    workers: list[WorkerIn]
    notes: str = ""
    consent_method: str | None = None
    consent_until: date | None = None


class AssessmentIn(Schema):
    assessed_on: date
    findings: str = ""
    services: list[str] = []
    benefits: list[str] = []
    is_final: bool = False


class CloseIn(Schema):
    closed_on: date
    closure_reason: str


class FeedbackIn(Schema):
    offered_on: date
    feedback: str = ""


class RegistrationIn(Schema):
    registered_on: date


class MeasureIn(Schema):
    measure: str
    responsible_authority: str
    description: str = ""


class PlanIn(Schema):
    plan_type: str
    process: str = ""
    made_on: date
    review_months: int
    party_ids: list[int]
    measures: list[MeasureIn]
    summary: str = ""


class RevisionIn(Schema):
    made_on: date
    review_months: int
    measures: list[MeasureIn]
    summary: str = ""


class DayIn(Schema):
    day: date


class DecisionIn(Schema):
    service: str
    decision_on: date
    starts_on: date
    ends_on: date
    days_per_week: int | None = None
    hours_per_day: Decimal | None = None
    provider_id: int | None = None


class ParticipationIn(Schema):
    day: date
    attended: bool = True
    hours: Decimal | None = None


class EndIn(Schema):
    ended_on: date
    end_reason: str


class EndOut(Schema):
    next_service: str | None


class ReportOut(Schema):
    service: str
    period_start: date
    period_end: date
    days_attended: list[date]
    compensation_per_day: Decimal
    total_compensation: Decimal


def checked(operation: Callable[[], object]):
    """Run a casework operation; a rule violation becomes a 422 naming the field."""
    try:
        return operation()
    except RuleViolation as violation:
        raise NinjaValidationError(
            [{"loc": ["body", violation.field], "msg": violation.message, "type": violation.check}]
        ) from None


def own_relationship(request, relationship_id: int) -> ClientRelationship:
    relationship = api_record(request, ClientRelationship.objects, relationship_id)
    if relationship.organisation != principal_for(request).organisation:
        raise HttpError(403, "Only the organisation that holds the relationship can change it.")
    return relationship


@router.post("/search/clients", response=list[ClientHit], summary="Find clients")
@api_action(Action.CLIENT_SEARCH)
def search(request, payload: SearchIn):
    hits = list(matching_clients(payload.query)[:50])
    record_list_access(request, Action.CLIENT_SEARCH, hits)
    return hits


@router.post(
    "/clients/{client_id}/cases",
    response={201: Created},
    summary="Record a contact and open a client relationship",
)
@api_action(Action.CASE_OPEN)
def open_case(request, client_id: int, payload: CaseIn):
    client = api_client(request, client_id)
    principal = principal_for(request)
    workers = [(w.role, get_object_or_404(Worker, pk=w.worker_id)) for w in payload.workers]

    relationship = checked(
        lambda: casework.open_case(
            client,
            principal.organisation,
            payload.occurred_on,
            payload.initiator,
            payload.channel,
            payload.kind,
            workers,
            pathway=payload.pathway,
            notes=payload.notes,
            recorded_by=principal.worker,
            typ_consent_method=payload.consent_method,
            typ_consent_until=payload.consent_until,
        )
    )
    return Status(201, {"id": relationship.pk})


@router.post(
    "/relationships/{relationship_id}/assessments",
    response={201: Created},
    summary="Record a service need assessment",
)
@api_action(Action.ASSESSMENT_RECORD)
def assessment(request, relationship_id: int, payload: AssessmentIn):
    rel = own_relationship(request, relationship_id)
    worker = principal_for(request).worker
    made = checked(
        lambda: casework.record_assessment(
            rel,
            payload.assessed_on,
            worker,
            payload.findings,
            payload.services,
            payload.benefits,
            payload.is_final,
        )
    )
    return Status(201, {"id": made.pk})


@router.post(
    "/relationships/{relationship_id}/close",
    response=Created,
    summary="Close a client relationship",
)
@api_action(Action.RELATIONSHIP_CLOSE)
def close(request, relationship_id: int, payload: CloseIn):
    rel = own_relationship(request, relationship_id)
    checked(lambda: casework.close_relationship(rel, payload.closed_on, payload.closure_reason))
    return {"id": rel.pk}


@router.post(
    "/relationships/{relationship_id}/feedback",
    response=Created,
    summary="Record the offer of the feedback form and the feedback",
)
@api_action(Action.FEEDBACK_RECORD)
def feedback(request, relationship_id: int, payload: FeedbackIn):
    rel = own_relationship(request, relationship_id)
    checked(lambda: casework.offer_feedback(rel, payload.offered_on, payload.feedback))
    return {"id": rel.pk}


@router.post(
    "/clients/{client_id}/registrations",
    response={201: Created},
    summary="Record a registration as an unemployed job seeker",
)
@api_action(Action.JOB_SEEKER_REGISTER)
def registration(request, client_id: int, payload: RegistrationIn):
    client = api_client(request, client_id)
    organisation = principal_for(request).organisation
    made = checked(
        lambda: casework.register_job_seeker(client, organisation, payload.registered_on)
    )
    return Status(201, {"id": made.pk})


def _measures(items: list[MeasureIn]) -> list[MeasureInput]:
    return [MeasureInput(m.measure, m.responsible_authority, m.description) for m in items]


@router.post("/clients/{client_id}/plans", response={201: Created}, summary="Make a plan")
@api_action(Action.PLAN_MAKE)
def make_plan(request, client_id: int, payload: PlanIn):
    client = api_client(request, client_id)
    principal = principal_for(request)
    relationship = client.relationships.filter(
        organisation=principal.organisation, closed_on__isnull=True
    ).first()
    parties = list(Organisation.objects.filter(pk__in=payload.party_ids))
    rules = get_rules()
    own_process = rules.relationship_kinds[relationship.kind].process if relationship else None
    process = payload.process or (
        process_for(payload.plan_type, own_process) if payload.plan_type in rules.plans else ""
    )
    plan = checked(
        lambda: plan_actions.make_plan(
            client,
            payload.plan_type,
            process,
            relationship,
            parties,
            payload.made_on,
            payload.review_months,
            _measures(payload.measures),
            principal.worker,
            payload.summary,
        )
    )
    return Status(201, {"id": plan.pk})


@router.post(
    "/plans/{plan_id}/revisions", response={201: Created}, summary="Review a plan: a new version"
)
@api_action(Action.PLAN_REVISE)
def revise_plan(request, plan_id: int, payload: RevisionIn):
    plan = api_record(request, Plan.objects, plan_id)
    revised = checked(
        lambda: plan_actions.revise_plan(
            plan,
            payload.made_on,
            payload.review_months,
            _measures(payload.measures),
            principal_for(request).worker,
            payload.summary,
        )
    )
    return Status(201, {"id": revised.pk})


@router.post(
    "/plans/{plan_id}/approval", response=Created, summary="Record the client's approval of a plan"
)
@api_action(Action.PLAN_APPROVAL_RECORD)
def approve_plan(request, plan_id: int, payload: DayIn):
    plan = api_record(request, Plan.objects, plan_id)
    checked(lambda: plan_actions.approve_plan(plan, payload.day))
    return {"id": plan.pk}


@router.post(
    "/measures/{measure_id}/acknowledgement",
    response=Created,
    summary="Record the client's acknowledgement of progress on a measure",
)
@api_action(Action.PLAN_APPROVAL_RECORD)
def acknowledge(request, measure_id: int, payload: DayIn):
    measure = api_record(request, Measure.objects, measure_id, "plan__client")
    checked(lambda: plan_actions.acknowledge_measure(measure, payload.day))
    return {"id": measure.pk}


@router.post(
    "/clients/{client_id}/episodes",
    response={201: Created},
    summary="Decide on a service for a period",
)
@api_action(Action.SERVICE_DECIDE)
def decide(request, client_id: int, payload: DecisionIn):
    client = api_client(request, client_id)
    organisation = principal_for(request).organisation
    provider = (
        get_object_or_404(Organisation, pk=payload.provider_id) if (payload.provider_id) else None
    )
    relationship = client.relationships.filter(
        organisation=organisation, closed_on__isnull=True
    ).first()
    episode = checked(
        lambda: service_actions.decide_service(
            client,
            payload.service,
            organisation,
            payload.decision_on,
            payload.starts_on,
            payload.ends_on,
            payload.days_per_week,
            payload.hours_per_day,
            provider,
            relationship=relationship,
        )
    )
    return Status(201, {"id": episode.pk})


def _episode(request, episode_id: int) -> ServiceEpisode:
    return api_record(request, ServiceEpisode.objects, episode_id)


@router.post(
    "/episodes/{episode_id}/participation",
    response={201: Created},
    summary="Record a day's participation",
)
@api_action(Action.PARTICIPATION_RECORD)
def participation(request, episode_id: int, payload: ParticipationIn):
    episode = _episode(request, episode_id)
    row = checked(
        lambda: service_actions.record_participation(
            episode, payload.day, payload.attended, payload.hours, principal_for(request).worker
        )
    )
    return Status(201, {"id": row.pk})


@router.post("/episodes/{episode_id}/end", response=EndOut, summary="End a service episode")
@api_action(Action.EPISODE_END)
def end(request, episode_id: int, payload: EndIn):
    episode = _episode(request, episode_id)
    next_service = checked(
        lambda: service_actions.end_episode(episode, payload.ended_on, payload.end_reason)
    )
    return {"next_service": next_service}


@router.get(
    "/episodes/{episode_id}/report",
    response=ReportOut,
    summary="The unemployment period report of an episode",
)
@api_action(Action.PERIOD_REPORT)
def report(request, episode_id: int, start: date, end: date, on_social_assistance: bool = False):
    episode = _episode(request, episode_id)
    result = service_actions.unemployment_period_report(episode, start, end, on_social_assistance)
    return {
        "service": result.service,
        "period_start": result.period_start,
        "period_end": result.period_end,
        "days_attended": result.days_attended,
        "compensation_per_day": result.compensation_per_day,
        "total_compensation": result.total_compensation,
    }


class ApplicationIn(Schema):
    benefit: str
    submitted_on: date
    urgent: bool = False
    complete: bool = True


class ApplicationOut(Schema):
    id: int
    benefit: str
    status: str
    submitted_on: date
    completed_on: date | None
    expected_decision_on: date | None
    decided_on: date | None
    outcome: str


class InformationRequestIn(Schema):
    requested_on: date
    what: str


class InformationRequestOut(Schema):
    id: int
    requested_on: date
    due_on: date
    answered_on: date | None


class AnswerIn(Schema):
    answered_on: date


class ApplicationDecisionIn(Schema):
    decided_on: date
    outcome: str
    granted_until: date | None = None


def _application(request, application_id: int) -> Application:
    return api_record(request, Application.objects, application_id)


@router.post(
    "/clients/{client_id}/applications",
    response={201: ApplicationOut},
    summary="Record a benefit application; the expected decision date is computed",
)
@api_action(Action.APPLICATION_RECORD)
def record_application(request, client_id: int, payload: ApplicationIn):
    client = api_client(request, client_id)
    made = checked(
        lambda: benefit_actions.record_application(
            client, payload.benefit, payload.submitted_on, payload.urgent, payload.complete
        )
    )
    return Status(201, made)


@router.post(
    "/applications/{application_id}/information-requests",
    response={201: InformationRequestOut},
    summary="Ask for further information",
)
@api_action(Action.APPLICATION_HANDLE)
def request_information(request, application_id: int, payload: InformationRequestIn):
    application = _application(request, application_id)
    made = checked(
        lambda: benefit_actions.request_information(application, payload.requested_on, payload.what)
    )
    return Status(201, made)


@router.post(
    "/information-requests/{request_id}/answer",
    response=ApplicationOut,
    summary="Record the answer to an information request",
)
@api_action(Action.APPLICATION_HANDLE)
def answer_information_request(request, request_id: int, payload: AnswerIn):
    info = api_record(request, InformationRequest.objects, request_id, "application__client")
    return checked(lambda: benefit_actions.answer_information_request(info, payload.answered_on))


@router.post(
    "/applications/{application_id}/decision",
    response=ApplicationOut,
    summary="Record the decision on an application",
)
@api_action(Action.APPLICATION_HANDLE)
def decide_application(request, application_id: int, payload: ApplicationDecisionIn):
    application = _application(request, application_id)
    organisation = principal_for(request).organisation
    return checked(
        lambda: benefit_actions.decide_application(
            application, organisation, payload.decided_on, payload.outcome, payload.granted_until
        )
    )
