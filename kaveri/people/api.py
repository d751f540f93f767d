from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Schema

from kaveri.access.actions import Action
from kaveri.access.audit import record_access
from kaveri.access.decorators import api_action, api_client
from kaveri.api import KaveriRouter
from kaveri.people.export import export_client
from kaveri.people.models import Client

router = KaveriRouter(tags=["clients"])


class ClientOut(Schema):
    id: int
    first_names: str
    last_name: str
    birth_date: date
    language: str
    municipality: str


@router.get("/{client_id}", response=ClientOut, summary="A client's basic information")
@api_action(Action.API_CLIENT)
def client_detail(request, client_id: int):
    return api_client(request, client_id)


@router.get("/{client_id}/export", summary="All data held on a client (subject access request)")
@api_action(Action.API_SUBJECT_ACCESS)
def subject_access_export(request, client_id: int):
    client = get_object_or_404(Client, pk=client_id)
    record_access(request, Action.API_SUBJECT_ACCESS, client, basis="subject access request")
    return export_client(client)
