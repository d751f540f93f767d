from datetime import datetime

from ninja import Schema

from kaveri.access.actions import Action
from kaveri.access.decorators import api_action, authorize_client
from kaveri.access.principal import principal_for
from kaveri.access.queries import access_log_entry, client_access_log
from kaveri.api import KaveriRouter
from kaveri.people.export import export_client

router = KaveriRouter(tags=["session"])


class MeOut(Schema):
    username: str
    name: str
    role: str | None
    organisation: str | None
    authority: str | None


@router.get("/me", response=MeOut, summary="Who am I")
@api_action(Action.API_ME)
def me(request):
    principal = principal_for(request)
    organisation = principal.organisation
    return MeOut(
        username=request.user.get_username(),
        name=request.user.get_full_name(),
        role=principal.role,
        organisation=organisation.name if organisation else None,
        authority=organisation.authority if organisation else None,
    )


class AccessLogEntryOut(Schema):
    at: datetime
    who: str
    role: str
    organisation: str | None
    action: str
    data_category: str
    allowed: bool


@router.get("/me/access-log", response=list[AccessLogEntryOut], summary="Who has used my data")
@api_action(Action.API_OWN_ACCESS_LOG)
def own_access_log(request):
    client = principal_for(request).client
    authorize_client(request, client)
    return [access_log_entry(e) for e in client_access_log(client)]


@router.get("/me/data", summary="All data held on me")
@api_action(Action.API_OWN_DATA)
def own_data(request):
    client = principal_for(request).client
    authorize_client(request, client)
    return export_client(client)
