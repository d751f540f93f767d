"""Service decisions in the API: decide, continue, participation, endings, the period report."""

from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status

from kaveri.access.actions import Action
from kaveri.access.decorators import api_action, audit_done, audit_read, fetch
from kaveri.access.models import Organisation, Worker
from kaveri.access.principal import principal_for
from kaveri.access.routing import KaveriRouter, VersionedIn
from kaveri.people.models import Client
from kaveri.services import actions
from kaveri.services.models import ServiceEpisode

router = KaveriRouter(tags=["services"])


class Created(Schema):
    id: int
    row_version: int | None = None


class DecisionIn(Schema):
    service: str
    decision_on: date
    starts_on: date
    ends_on: date
    days_per_week: int | None = None
    hours_per_day: Decimal | None = None
    provider_id: int | None = None
    instructor_id: int | None = None


class ContinueIn(VersionedIn):
    decision_on: date


class ParticipationIn(Schema):
    day: date
    attended: bool = True
    hours: Decimal | None = None


class EndIn(VersionedIn):
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
    goes_to: str = Field(
        description="The authority the report goes to: the payer of the unemployment benefit "
        "granted over the period (KELA or UNEMPLOYMENT_FUND); empty when none is recorded."
    )


def _optional(model, pk: int | None):
    return get_object_or_404(model, pk=pk) if pk is not None else None


@router.post(
    "/clients/{client_id}/episodes",
    response={201: Created},
    summary="Decide on a service for a period",
)
@api_action(Action.SERVICE_DECIDE)
def decide(request, client_id: int, payload: DecisionIn):
    client = fetch(request, Client.objects, client_id)
    organisation = principal_for(request).organisation
    episode = actions.decide_service(
        client,
        payload.service,
        organisation,
        payload.decision_on,
        payload.starts_on,
        payload.ends_on,
        payload.days_per_week,
        payload.hours_per_day,
        _optional(Organisation, payload.provider_id),
        _optional(Worker, payload.instructor_id),
        relationship=client.relationships.open().held_by(organisation).first(),
    )
    audit_done(request, episode)
    return Status(201, episode)


def _episode(request, episode_id: int) -> ServiceEpisode:
    return fetch(request, ServiceEpisode.objects.select_related("client", "decided_by"), episode_id)


@router.post(
    "/episodes/{episode_id}/continuation",
    response={201: Created},
    summary="Continue the service for the next period",
)
@api_action(Action.EPISODE_CONTINUE)
def continue_service(request, episode_id: int, payload: ContinueIn):
    episode = _episode(request, episode_id)
    following = actions.continue_service(
        episode,
        payload.decision_on,
        by=principal_for(request).worker,
        expected_version=payload.row_version,
    )
    audit_done(request, following)
    return Status(201, following)


@router.post(
    "/episodes/{episode_id}/participation",
    response={201: Created},
    summary="Record a day's participation",
)
@api_action(Action.PARTICIPATION_RECORD)
def participation(request, episode_id: int, payload: ParticipationIn):
    episode = _episode(request, episode_id)
    principal = principal_for(request)
    row = actions.record_participation(
        episode,
        payload.day,
        payload.attended,
        payload.hours,
        principal.worker,
        today=principal.today,
    )
    audit_done(request, episode)
    return Status(201, row)


@router.post("/episodes/{episode_id}/end", response=EndOut, summary="End a service episode")
@api_action(Action.EPISODE_END)
def end(request, episode_id: int, payload: EndIn):
    episode = _episode(request, episode_id)
    next_service = actions.end_episode(
        episode,
        payload.ended_on,
        payload.end_reason,
        by=principal_for(request).worker,
        expected_version=payload.row_version,
    )
    audit_done(request, episode)
    return {"next_service": next_service}


@router.get(
    "/episodes/{episode_id}/report",
    response=ReportOut,
    summary="The unemployment period report of an episode",
)
@api_action(Action.PERIOD_REPORT)
def report(request, episode_id: int, start: date, end: date, on_social_assistance: bool = False):
    episode = _episode(request, episode_id)
    result = actions.unemployment_period_report(episode, start, end, on_social_assistance)
    audit_read(request, episode, Action.PERIOD_REPORT)
    return {
        "service": result.service,
        "period_start": result.period_start,
        "period_end": result.period_end,
        "days_attended": result.days_attended,
        "compensation_per_day": result.compensation_per_day,
        "total_compensation": result.total_compensation,
        "goes_to": result.goes_to,
    }
