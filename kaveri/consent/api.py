"""Consents in the API: list (what the worker may see), record, revoke with a reason; and the
requests between authorities that a consent lets one authority make of another."""

from datetime import date, datetime

from ninja import Schema, Status

from kaveri.access.actions import Action
from kaveri.access.decorators import api_action, audit_done, fetch
from kaveri.access.filtering import filter_visible
from kaveri.access.principal import principal_for
from kaveri.access.routing import KaveriRouter, VersionedIn
from kaveri.consent.actions import (
    ConsentInput,
    answer_data_request,
    dispute_consent,
    record_consent,
    request_from_authority,
    revoke_consent,
)
from kaveri.consent.models import Consent, DataRequest
from kaveri.people.models import Client

router = KaveriRouter(tags=["consents"])


class ConsentIn(Schema):
    purpose: str
    data_categories: list[str]
    authorities: list[str]
    valid_from: date
    valid_until: date | None = None
    method: str


class RevocationIn(VersionedIn):
    reason: str


class DisputeIn(VersionedIn):
    reason: str


class ConsentOut(Schema):
    id: int
    purpose: str
    data_categories: list[str]
    authorities: list[str]
    valid_from: date
    valid_until: date | None
    method: str
    revoked_at: datetime | None
    revoked_on: date | None
    revocation_reason: str
    recorded_without_form: bool
    disputed_on: date | None
    dispute_reason: str
    state: str
    row_version: int


@router.get(
    "/clients/{client_id}/consents",
    response=list[ConsentOut],
    summary="A client's consents that one's authority may see",
)
@api_action(Action.CONSENT_LIST)
def list_consents(request, client_id: int):
    client = fetch(request, Client.objects, client_id)
    records = filter_visible(request, client, {"consents": list(client.consents.all())})
    records.audit(request, client)
    return records.visible["consents"]


@router.post(
    "/clients/{client_id}/consents", response={201: ConsentOut}, summary="Record a consent"
)
@api_action(Action.CONSENT_RECORD)
def create_consent(request, client_id: int, payload: ConsentIn):
    client = fetch(request, Client.objects, client_id)
    principal = principal_for(request)
    consent = record_consent(
        client, ConsentInput(**payload.dict()), principal.worker, principal.today
    )
    audit_done(request, consent)
    return Status(201, consent)


@router.post(
    "/consents/{consent_id}/revocation",
    response=ConsentOut,
    summary="Record that the client revoked a consent, and why",
)
@api_action(Action.CONSENT_REVOKE)
def revoke(request, consent_id: int, payload: RevocationIn):
    consent = fetch(request, Consent.objects.select_related("client"), consent_id)
    principal = principal_for(request)
    revoked = revoke_consent(
        consent,
        principal.worker,
        payload.reason,
        principal.today,
        expected_version=payload.row_version,
    )
    audit_done(request, revoked)
    return revoked


@router.post(
    "/consents/{consent_id}/dispute",
    response=ConsentOut,
    summary="Dispute a consent that names one's authority: it permits nothing until confirmed",
)
@api_action(Action.CONSENT_DISPUTE)
def dispute(request, consent_id: int, payload: DisputeIn):
    consent = fetch(request, Consent.objects.select_related("client"), consent_id)
    principal = principal_for(request)
    disputed = dispute_consent(
        consent,
        principal.worker,
        payload.reason,
        principal.today,
        expected_version=payload.row_version,
    )
    audit_done(request, disputed)
    return disputed


class DataRequestIn(Schema):
    kind: str
    requested_on: date
    what: str = ""


class DataRequestAnswerIn(VersionedIn):
    answered_on: date
    answer: str = ""


class DataRequestOut(Schema):
    id: int
    kind: str
    requested_by_id: int
    to_authority: str
    what: str
    requested_on: date
    due_on: date
    consent_id: int
    answered_on: date | None
    answer: str
    state: str
    row_version: int


@router.post(
    "/clients/{client_id}/data-requests",
    response={201: DataRequestOut},
    summary="Ask another authority for the client's information under the client's consent",
)
@api_action(Action.DATA_REQUEST_MAKE)
def make_data_request(request, client_id: int, payload: DataRequestIn):
    client = fetch(request, Client.objects, client_id)
    principal = principal_for(request)
    made = request_from_authority(
        client,
        principal.organisation,
        payload.kind,
        payload.requested_on,
        payload.what,
        by=principal.worker,
    )
    audit_done(request, made)
    return Status(201, made)


@router.post(
    "/data-requests/{request_id}/answer",
    response=DataRequestOut,
    summary="Record the answer to a request made to one's own authority",
)
@api_action(Action.DATA_REQUEST_ANSWER)
def answer(request, request_id: int, payload: DataRequestAnswerIn):
    asked = fetch(request, DataRequest.objects.select_related("client"), request_id)
    answered = answer_data_request(
        asked,
        payload.answered_on,
        payload.answer,
        by=principal_for(request).worker,
        expected_version=payload.row_version,
    )
    audit_done(request, answered)
    return answered
