"""The session, a client's own access log, and the directory of organisations and workers."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Schema, Status

from kaveri.access import staff
from kaveri.access.actions import Action
from kaveri.access.decorators import api_action, authorize_read
from kaveri.access.models import Organisation, Worker
from kaveri.access.principal import principal_for
from kaveri.access.queries import access_log_entry, others_access_log
from kaveri.access.routing import KaveriRouter

router = KaveriRouter(tags=["session and directory"])


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
    what: str
    data_category: str
    allowed: bool


@router.get(
    "/me/access-log",
    response=list[AccessLogEntryOut],
    summary="Who else has used my data (my own visits left out)",
)
@api_action(Action.API_OWN_ACCESS_LOG)
def own_access_log(request):
    client = principal_for(request).client
    authorize_read(request, client)
    return [access_log_entry(e) for e in others_access_log(client)]


class OrganisationOut(Schema):
    id: int
    name: str
    authority: str
    region: str
    municipality: str
    is_municipal_trial: bool
    active: bool


class OrganisationIn(Schema):
    name: str
    authority: str
    region: str
    municipality: str = ""
    is_municipal_trial: bool = False


@router.get("/organisations", response=list[OrganisationOut], summary="The organisations")
@api_action(Action.ORGANISATION_LIST)
def organisations(request):
    return list(Organisation.objects.order_by("authority", "name"))


@router.post("/organisations", response={201: OrganisationOut}, summary="Add an organisation")
@api_action(Action.ORGANISATION_MANAGE)
def add_organisation(request, payload: OrganisationIn):
    return Status(201, staff.add_organisation(**payload.dict()))


class WorkerOut(Schema):
    id: int
    username: str
    name: str
    role: str
    organisation_id: int | None
    home_authority: str
    title: str
    is_supervisor: bool
    active: bool


class WorkerIn(Schema):
    username: str
    first_name: str = ""
    last_name: str = ""
    role: str
    organisation_id: int | None = None
    home_authority: str = ""
    title: str = ""
    phone: str = ""
    is_supervisor: bool = False


class WorkerChangeIn(Schema):
    role: str | None = None
    organisation_id: int | None = None
    home_authority: str | None = None
    title: str | None = None
    phone: str | None = None
    is_supervisor: bool | None = None
    active: bool | None = None


def _worker_out(worker: Worker) -> WorkerOut:
    return WorkerOut(
        id=worker.pk,
        username=worker.user.get_username(),
        name=worker.user.get_full_name(),
        role=worker.role,
        organisation_id=worker.organisation_id,
        home_authority=worker.home_authority,
        title=worker.title,
        is_supervisor=worker.is_supervisor,
        active=worker.user.is_active,
    )


def _organisation(pk: int | None) -> Organisation | None:
    return get_object_or_404(Organisation, pk=pk) if pk is not None else None


@router.get("/workers", response=list[WorkerOut], summary="The workers (administrators)")
@api_action(Action.WORKER_MANAGE)
def workers(request, organisation_id: int | None = None):
    found = Worker.objects.select_related("user").order_by("pk")
    if organisation_id is not None:
        found = found.filter(organisation_id=organisation_id)
    return [_worker_out(w) for w in found[:1000]]


@router.post("/workers", response={201: WorkerOut}, summary="Add a worker and their login")
@api_action(Action.WORKER_MANAGE)
def add_worker(request, payload: WorkerIn):
    data = payload.dict()
    organisation = _organisation(data.pop("organisation_id"))
    worker = staff.add_worker(
        data.pop("username"),
        data.pop("first_name"),
        data.pop("last_name"),
        data.pop("role"),
        organisation,
        **data,
    )
    return Status(201, _worker_out(worker))


@router.post(
    "/workers/{worker_id}", response=WorkerOut, summary="Change a worker's role or details"
)
@api_action(Action.WORKER_MANAGE)
def change_worker(request, worker_id: int, payload: WorkerChangeIn):
    worker = get_object_or_404(Worker.objects.select_related("user", "organisation"), pk=worker_id)
    changes = {k: v for k, v in payload.dict().items() if v is not None}
    if "organisation_id" in changes:
        changes["organisation"] = _organisation(changes.pop("organisation_id"))
    return _worker_out(staff.change_worker(worker, **changes))
