"""Plans in the API: make, review (a new version), the client's approval and acknowledgement."""

from datetime import date

from ninja import Field, Schema, Status

from kaveri.access.actions import Action
from kaveri.access.decorators import api_action, audit_done, fetch
from kaveri.access.models import Organisation
from kaveri.access.principal import principal_for
from kaveri.access.routing import KaveriRouter, VersionedIn
from kaveri.people.models import Client
from kaveri.plans import actions
from kaveri.plans.models import Measure, Plan
from kaveri.transitions.behalf import OnBehalf

router = KaveriRouter(tags=["plans"])


class Created(Schema):
    id: int
    row_version: int | None = None


class MeasureIn(Schema):
    measure: str
    responsible_authority: str | None = None
    description: str | None = None


class PlanIn(Schema):
    plan_type: str
    process: str = ""
    made_on: date
    review_months: int
    party_ids: list[int]
    measures: list[MeasureIn]
    summary: str = ""


class RevisionIn(VersionedIn):
    made_on: date
    review_months: int
    measures: list[MeasureIn]
    summary: str = ""


class DayIn(VersionedIn):
    day: date


class ApprovalIn(DayIn):
    channel: str = Field(
        "",
        description="How the client told the worker: a code of the rule set's on_behalf_channels.",
    )
    client_confirmed: bool = Field(False, description="The client gave or confirmed it themselves.")


class AcknowledgementIn(VersionedIn):
    day: date
    status: str | None = None


def _measures(items: list[MeasureIn]) -> list[actions.MeasureInput]:
    return [actions.MeasureInput(m.measure, m.responsible_authority, m.description) for m in items]


@router.post("/clients/{client_id}/plans", response={201: Created}, summary="Make a plan")
@api_action(Action.PLAN_MAKE)
def make_plan(request, client_id: int, payload: PlanIn):
    client = fetch(request, Client.objects, client_id)
    principal = principal_for(request)
    relationship, process = actions.home_of_new_plan(
        client, principal.organisation, payload.plan_type, payload.made_on
    )
    plan = actions.make_plan(
        client,
        payload.plan_type,
        payload.process or process,
        relationship,
        list(Organisation.objects.filter(pk__in=payload.party_ids)),
        payload.made_on,
        payload.review_months,
        _measures(payload.measures),
        principal.worker,
        payload.summary,
    )
    audit_done(request, plan)
    return Status(201, plan)


@router.post(
    "/plans/{plan_id}/revisions", response={201: Created}, summary="Review a plan: a new version"
)
@api_action(Action.PLAN_REVISE)
def revise_plan(request, plan_id: int, payload: RevisionIn):
    plan = fetch(request, Plan.objects.select_related("client", "relationship"), plan_id)
    revised = actions.revise_plan(
        plan,
        payload.made_on,
        payload.review_months,
        _measures(payload.measures),
        principal_for(request).worker,
        payload.summary,
        expected_version=payload.row_version,
    )
    audit_done(request, revised)
    return Status(201, revised)


@router.post(
    "/plans/{plan_id}/approval", response=Created, summary="Record the client's approval of a plan"
)
@api_action(Action.PLAN_APPROVAL_RECORD)
def approve_plan(request, plan_id: int, payload: ApprovalIn):
    plan = fetch(request, Plan.objects.select_related("client", "relationship"), plan_id)
    plan = actions.approve_plan(
        plan,
        payload.day,
        by=principal_for(request).worker,
        expected_version=payload.row_version,
        on_behalf=OnBehalf(payload.channel, payload.client_confirmed),
    )
    audit_done(request, plan)
    return plan


@router.post(
    "/measures/{measure_id}/acknowledgement",
    response=Created,
    summary="Record the client's acknowledgement of progress on a measure",
)
@api_action(Action.MEASURE_ACKNOWLEDGE)
def acknowledge(request, measure_id: int, payload: AcknowledgementIn):
    measure = fetch(request, Measure.objects.select_related("plan__client"), measure_id)
    measure = actions.acknowledge_measure(
        measure,
        payload.day,
        payload.status,
        by=principal_for(request).worker,
        expected_version=payload.row_version,
    )
    audit_done(request, measure)
    return measure
