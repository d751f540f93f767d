"""The workers' pages as API reads: one's own clients, and what one may see of a client.

The same queries and the same visibility as the start page and the client page, with
the same audit: an integration sees exactly what the worker would.
"""

from datetime import date, datetime

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from ninja import Schema, Status

from kaveri.access import queries as access_queries
from kaveri.access.actions import Action
from kaveri.access.api import AccessLogEntryOut
from kaveri.access.audit import record_list_access
from kaveri.access.decorators import api_action, audit_done, audit_read, fetch, fetch_read
from kaveri.access.emergency import awaiting_review, open_emergency_access, review
from kaveri.access.filtering import filter_visible
from kaveri.access.principal import principal_for
from kaveri.access.queries import access_log_entry
from kaveri.access.roles import Role
from kaveri.access.routing import KaveriRouter
from kaveri.people.export import declared_row
from kaveri.people.models import Client
from kaveri.workspace.views import client_sections, clients_of

router = KaveriRouter(tags=["workspace"])
PAGE_SIZE = 50


class ClientRow(Schema):
    id: int
    first_names: str
    last_name: str
    birth_date: date
    municipality: str


class ClientPage(Schema):
    count: int
    page: int
    pages: int
    clients: list[ClientRow]


class Withheld(Schema):
    section: str
    count: int
    reason: str


class ClientRecords(Schema):
    client: ClientRow
    records: dict[str, list[dict]]
    withheld: list[Withheld]


@router.get(
    "/workspace/clients",
    response=ClientPage,
    summary="One's own clients: the organisation's (an instructor: those placed with them)",
)
@api_action(Action.WORKSPACE_CLIENTS)
def my_clients(request, page: int = 1):
    principal = principal_for(request)
    ordered = clients_of(principal).order_by("last_name", "first_names", "pk")
    shown = Paginator(ordered, PAGE_SIZE).get_page(page)
    record_list_access(request, Action.WORKSPACE_CLIENTS, shown.object_list)
    return {
        "count": shown.paginator.count,
        "page": shown.number,
        "pages": shown.paginator.num_pages,
        "clients": list(shown.object_list),
    }


def _rows(records: dict[str, list]) -> dict[str, list[dict]]:
    return {section: [declared_row(r) for r in rows] for section, rows in records.items()}


@router.get(
    "/clients/{client_id}/records",
    response=ClientRecords,
    summary="What one may see of a client's records, and what is withheld and why",
)
@api_action(Action.CLIENT_VIEW)
def client_records(request, client_id: int):
    client = fetch(request, Client.objects, client_id)
    principal = principal_for(request)
    if principal.role == Role.ACTIVITY_INSTRUCTOR:
        placements = client.service_episodes.placed_with(principal.worker).current_on(
            principal.today
        )
        audit_read(request, client)
        return {"client": client, "records": _rows({"episodes": placements}), "withheld": []}
    visible = filter_visible(request, client, client_sections(client))
    visible.audit(request, client)
    return {
        "client": client,
        "records": _rows(visible.visible),
        "withheld": [
            {"section": section, "count": count, "reason": reason}
            for section, reasons in visible.withheld.items()
            for reason, count in reasons.items()
        ],
    }


@router.get(
    "/clients/{client_id}/access-log",
    response=list[AccessLogEntryOut],
    summary="Who has used a client's data (while one's organisation serves the client)",
)
@api_action(Action.CLIENT_ACCESS_LOG)
def client_access_log(request, client_id: int):
    client = fetch_read(request, Client.objects, client_id)
    return [access_log_entry(e) for e in access_queries.client_access_log(client)]


class EmergencyIn(Schema):
    reason_category: str
    reason: str


class EmergencyOut(Schema):
    id: int
    client_id: int
    worker_id: int
    reason_category: str
    reason: str
    started_at: datetime
    expires_at: datetime
    reviewed_at: datetime | None
    review_note: str


class ReviewIn(Schema):
    note: str = ""


@router.post(
    "/clients/{client_id}/emergency-access",
    response={201: EmergencyOut},
    summary="Open a client's record in an emergency, stating the reason (logged and reviewed)",
)
@api_action(Action.EMERGENCY_OPEN)
def emergency_open(request, client_id: int, payload: EmergencyIn):
    client = fetch(request, Client.objects, client_id)
    access = open_emergency_access(
        principal_for(request).worker, client, payload.reason_category, payload.reason
    )
    audit_done(request, client, basis=f"emergency:{access.pk}")
    return Status(201, access)


@router.get(
    "/emergency-accesses",
    response=list[EmergencyOut],
    summary="The emergency accesses awaiting one's review (one's organisation's, or the "
    "region's where an organisation has no other supervisor)",
)
@api_action(Action.EMERGENCY_REVIEW)
def emergency_reviews(request):
    pending = list(awaiting_review(principal_for(request).worker))
    record_list_access(
        request, Action.EMERGENCY_REVIEW, {a.client_id: a.client for a in pending}.values()
    )
    return pending


@router.post(
    "/emergency-accesses/{access_id}/review",
    response=EmergencyOut,
    summary="Mark an emergency access as reviewed, with a note",
)
@api_action(Action.EMERGENCY_REVIEW)
def emergency_review(request, access_id: int, payload: ReviewIn):
    supervisor = principal_for(request).worker
    access = get_object_or_404(awaiting_review(supervisor), pk=access_id)
    reviewed = review(access, supervisor, payload.note)
    audit_done(request, access.client, basis=f"emergency:{access.pk}")
    return reviewed
