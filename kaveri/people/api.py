"""Clients in the API: find, register, read the basics, and subject access."""

from datetime import date

from ninja import Schema, Status

from kaveri.access.actions import Action
from kaveri.access.audit import record_list_access
from kaveri.access.decorators import api_action, audit_done, authorize_read, fetch, fetch_read
from kaveri.access.principal import principal_for
from kaveri.access.routing import KaveriRouter
from kaveri.people import actions
from kaveri.people.export import export_client
from kaveri.people.models import Client

router = KaveriRouter(tags=["clients"])
SEARCH_LIMIT = 50


class ClientOut(Schema):
    id: int
    first_names: str
    last_name: str
    birth_date: date
    language: str
    municipality: str


class SearchIn(Schema):
    query: str


class ClientIn(Schema):
    hetu: str
    first_names: str
    last_name: str
    language: str = "fi"
    municipality: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


@router.post(
    "/search/clients",
    response=list[ClientOut],
    summary="Find clients: by name among one's organisation's clients, by exact identity code "
    "anyone (audited)",
)
@api_action(Action.CLIENT_SEARCH)
def search(request, payload: SearchIn):
    organisation = principal_for(request).organisation
    hits = list(Client.objects.matching(payload.query, organisation)[:SEARCH_LIMIT])
    record_list_access(request, Action.CLIENT_SEARCH, hits)
    return hits


@router.post("/clients", response={201: ClientOut}, summary="Register a new client")
@api_action(Action.CLIENT_CREATE)
def register(request, payload: ClientIn):
    client = actions.register_client(**payload.dict())
    audit_done(request, client)
    return Status(201, client)


@router.get("/clients/{client_id}", response=ClientOut, summary="A client's basic information")
@api_action(Action.API_CLIENT)
def client_detail(request, client_id: int):
    client = fetch_read(request, Client.objects, client_id)
    return client


@router.get(
    "/clients/{client_id}/export", summary="All data held on a client (subject access request)"
)
@api_action(Action.API_SUBJECT_ACCESS)
def subject_access_export(request, client_id: int):
    client = fetch(request, Client.objects, client_id)
    audit_done(request, client, basis="subject access request")
    return export_client(client)


@router.get("/me/data", summary="All data held on me")
@api_action(Action.API_OWN_DATA)
def own_data(request):
    client = principal_for(request).client
    authorize_read(request, client)
    return export_client(client)
