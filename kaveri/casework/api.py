"""Casework in the API: the same operations and checks as the workers' pages.

A rule violation is a 422 whose detail names the field, like a schema error.
"""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Schema, Status

from kaveri.access.actions import Action
from kaveri.access.decorators import api_action, audit_done, fetch
from kaveri.access.models import Worker
from kaveri.access.principal import principal_for
from kaveri.access.routing import KaveriRouter, VersionedIn
from kaveri.casework import actions
from kaveri.casework.models import ClientRelationship
from kaveri.people.models import Client

router = KaveriRouter(tags=["casework"])


class Created(Schema):
    id: int
    row_version: int | None = None


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


class CloseIn(VersionedIn):
    closed_on: date
    closure_reason: str


class FeedbackIn(VersionedIn):
    offered_on: date
    feedback: str = ""


class NameWorkerIn(VersionedIn):
    worker_id: int
    role: str
    from_date: date


class RegistrationIn(Schema):
    registered_on: date


def _worker(worker_id: int) -> Worker:
    return get_object_or_404(Worker.objects.select_related("organisation"), pk=worker_id)


@router.post(
    "/clients/{client_id}/cases",
    response={201: Created},
    summary="Record a contact and open a client relationship",
)
@api_action(Action.CASE_OPEN)
def open_case(request, client_id: int, payload: CaseIn):
    client = fetch(request, Client.objects, client_id)
    principal = principal_for(request)
    workers = [(w.role, _worker(w.worker_id)) for w in payload.workers]
    relationship = actions.open_case(
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
        today=principal.today,
    )
    audit_done(request, relationship)
    return Status(201, relationship)


def _relationship(request, relationship_id: int) -> ClientRelationship:
    return fetch(request, ClientRelationship.objects.select_related("client"), relationship_id)


@router.post(
    "/relationships/{relationship_id}/assessments",
    response={201: Created},
    summary="Record a service need assessment",
)
@api_action(Action.ASSESSMENT_RECORD)
def assessment(request, relationship_id: int, payload: AssessmentIn):
    relationship = _relationship(request, relationship_id)
    made = actions.record_assessment(
        relationship,
        payload.assessed_on,
        principal_for(request).worker,
        payload.findings,
        payload.services,
        payload.benefits,
        payload.is_final,
    )
    audit_done(request, made)
    return Status(201, made)


@router.post(
    "/relationships/{relationship_id}/close",
    response=Created,
    summary="Close a client relationship",
)
@api_action(Action.RELATIONSHIP_CLOSE)
def close(request, relationship_id: int, payload: CloseIn):
    relationship = _relationship(request, relationship_id)
    relationship = actions.close_relationship(
        relationship,
        payload.closed_on,
        payload.closure_reason,
        by=principal_for(request).worker,
        expected_version=payload.row_version,
    )
    audit_done(request, relationship)
    return relationship


@router.post(
    "/relationships/{relationship_id}/feedback",
    response=Created,
    summary="Record the offer of the feedback form and the feedback",
)
@api_action(Action.FEEDBACK_RECORD)
def feedback(request, relationship_id: int, payload: FeedbackIn):
    relationship = _relationship(request, relationship_id)
    relationship = actions.offer_feedback(
        relationship, payload.offered_on, payload.feedback, expected_version=payload.row_version
    )
    audit_done(request, relationship)
    return relationship


@router.post(
    "/relationships/{relationship_id}/workers",
    response={201: Created},
    summary="Name a worker to a role; the previous holder's assignment ends that day",
)
@api_action(Action.WORKER_NAME)
def name_worker(request, relationship_id: int, payload: NameWorkerIn):
    relationship = _relationship(request, relationship_id)
    named = actions.name_worker(
        relationship,
        payload.role,
        _worker(payload.worker_id),
        payload.from_date,
        expected_version=payload.row_version,
    )
    audit_done(request, relationship)
    return Status(201, named)


@router.post(
    "/clients/{client_id}/registrations",
    response={201: Created},
    summary="Record a registration as an unemployed job seeker",
)
@api_action(Action.JOB_SEEKER_REGISTER)
def registration(request, client_id: int, payload: RegistrationIn):
    client = fetch(request, Client.objects, client_id)
    organisation = principal_for(request).organisation
    made = actions.register_job_seeker(client, organisation, payload.registered_on)
    audit_done(request, made)
    return Status(201, made)
