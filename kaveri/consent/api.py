"""Consents in the API: list, record (422 with a message per field), revoke."""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Schema, Status
from ninja.errors import ValidationError as NinjaValidationError

from kaveri.access.actions import Action
from kaveri.access.decorators import api_action, api_client
from kaveri.access.principal import principal_for
from kaveri.api import KaveriRouter
from kaveri.consent.actions import ConsentInput, consent_errors, record_consent, revoke_consent
from kaveri.consent.models import Consent

router = KaveriRouter(tags=["consents"])


class ConsentIn(Schema):
    purpose: str
    data_categories: list[str]
    authorities: list[str]
    valid_from: date
    valid_until: date | None = None
    method: str


class ConsentOut(Schema):
    id: int
    purpose: str
    data_categories: list[str]
    authorities: list[str]
    valid_from: date
    valid_until: date | None
    method: str
    revoked_at: datetime | None


@router.get(
    "/clients/{client_id}/consents", response=list[ConsentOut], summary="A client's consents"
)
@api_action(Action.API_CONSENTS)
def list_consents(request, client_id: int):
    return list(api_client(request, client_id).consents.all())


@router.post(
    "/clients/{client_id}/consents", response={201: ConsentOut}, summary="Record a consent"
)
@api_action(Action.API_CONSENT_RECORD)
def create_consent(request, client_id: int, payload: ConsentIn):
    client = api_client(request, client_id)
    principal = principal_for(request)
    data = ConsentInput(**payload.dict())
    errors = consent_errors(data, principal.organisation.authority)
    if errors:
        raise NinjaValidationError(
            [
                {"loc": ["body", "payload", field], "msg": message, "type": "value_error"}
                for field, message in errors.items()
            ]
        )
    return Status(201, record_consent(client, data, principal.worker))


@router.post(
    "/clients/{client_id}/consents/{consent_id}/revoke",
    response=ConsentOut,
    summary="Record that the client revoked a consent",
)
@api_action(Action.API_CONSENT_REVOKE)
def revoke(request, client_id: int, consent_id: int):
    client = api_client(request, client_id)
    consent = get_object_or_404(Consent, pk=consent_id, client=client)
    return revoke_consent(consent, principal_for(request).worker)
