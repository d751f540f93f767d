"""The watch as API operations: the worker's worklist (the same rows, words and
visibility as the start page), the organisation's team view, acknowledging or
snoozing a signal, and the evidence checklists of applications and plans."""

from datetime import date

from django.core.paginator import Paginator
from ninja import Field, Schema

from kaveri.access.actions import Action
from kaveri.access.audit import record_list_access
from kaveri.access.decorators import api_action, audit_done, fetch, fetch_read
from kaveri.access.filtering import filter_visible
from kaveri.access.principal import principal_for
from kaveri.access.routing import KaveriRouter, VersionedIn
from kaveri.access.visibility import remember_visibilities
from kaveri.benefits.models import Application
from kaveri.plans.models import Plan
from kaveri.rules import clock
from kaveri.rules.registry import get_rules
from kaveri.watch.actions import acknowledge_signal, snooze_signal
from kaveri.watch.checklist import application_checklist, plan_checklist
from kaveri.watch.models import Signal
from kaveri.watch.team import load_per_worker, unacted_signals, unnamed_relationships
from kaveri.watch.worklist import Filters, Item, contacts_of, item_of, worklist_page

router = KaveriRouter(tags=["watch"])
PAGE_SIZE = 50


class WorklistRow(Schema):
    signal: bool
    id: int
    kind: str
    title: str
    text: str
    due_on: date
    overdue: bool
    detailed: bool
    client_id: int
    client_name: str
    authority: str
    state: str
    snoozed_until: date | None
    note: str
    row_version: int
    action_url: str


class WorklistPage(Schema):
    count: int
    page: int
    pages: int
    rows: list[WorklistRow]


class UnnamedRow(Schema):
    relationship_id: int
    client_id: int
    client_name: str
    kind: str
    opened_on: date


class LoadRow(Schema):
    worker_id: int
    worker_name: str
    clients: int
    open_signals: int
    unacted_signals: int
    overdue: int


class TeamOut(Schema):
    unnamed_count: int
    unnamed: list[UnnamedRow]
    load: list[LoadRow]
    unacted_count: int
    unacted: list[WorklistRow]


class AcknowledgementIn(VersionedIn):
    reason: str


class SnoozeIn(VersionedIn):
    until: date
    reason: str


class SignalOut(Schema):
    id: int
    kind: str
    client_id: int
    due_on: date
    state: str
    acknowledged_on: date | None
    snoozed_until: date | None
    note: str
    row_version: int


def _row(item: Item) -> dict:
    row = item.row
    return {
        "signal": item.signal,
        "id": row.pk,
        "kind": row.kind,
        "title": item.title,
        "text": item.text,
        "due_on": row.due_on,
        "overdue": item.overdue,
        "detailed": item.detailed,
        "client_id": row.client_id,
        "client_name": f"{row.client.last_name} {row.client.first_names}",
        "authority": row.authority,
        "state": row.state if item.signal else "",
        "snoozed_until": row.snoozed_until if item.signal else None,
        "note": row.note if item.signal and item.detailed else "",
        "row_version": row.row_version if item.signal else 0,
        "action_url": item.action_url,
    }


@router.get(
    "/workspace/worklist",
    response=WorklistPage,
    summary="One's own clients' signals and deadlines, most urgent first (the start page)",
)
@api_action(Action.WORKSPACE_CLIENTS)
def my_worklist(request, kind: str = "", authority: str = "", within: str = "", page: int = 1):
    principal = principal_for(request)
    filters = Filters.checked(get_rules(), kind, authority, within)
    shown = worklist_page(principal, filters, page, PAGE_SIZE)
    clients = {i.client.pk: i.client for i in shown.object_list}
    record_list_access(request, Action.WORKSPACE_CLIENTS, clients.values())
    return {
        "count": shown.paginator.count,
        "page": shown.number,
        "pages": shown.paginator.num_pages,
        "rows": [_row(i) for i in shown.object_list],
    }


@router.get(
    "/workspace/team",
    response=TeamOut,
    summary="One's organisation's team view: no named worker, load per worker, unacted signals",
)
@api_action(Action.TEAM_VIEW)
def team(request, page: int = 1):
    principal = principal_for(request)
    organisation = principal.organisation
    unnamed = Paginator(unnamed_relationships(organisation), PAGE_SIZE).get_page(page)
    signals = Paginator(unacted_signals(organisation, principal.today), PAGE_SIZE).get_page(page)
    rows = list(signals.object_list)
    remember_visibilities(principal, {r.client_id: r.client for r in rows}.values())
    contacts = contacts_of({r.relationship_id for r in rows})
    shown = {r.client_id: r.client for r in [*unnamed.object_list, *rows]}
    record_list_access(request, Action.TEAM_VIEW, shown.values())
    return {
        "unnamed_count": unnamed.paginator.count,
        "unnamed": [
            {
                "relationship_id": r.pk,
                "client_id": r.client_id,
                "client_name": f"{r.client.last_name} {r.client.first_names}",
                "kind": r.kind,
                "opened_on": r.opened_on,
            }
            for r in unnamed.object_list
        ],
        "load": [
            {
                "worker_id": load.worker.pk,
                "worker_name": str(load.worker),
                "clients": load.clients,
                "open_signals": load.open_signals,
                "unacted_signals": load.unacted_signals,
                "overdue": load.overdue,
            }
            for load in load_per_worker(organisation, principal.today)
        ],
        "unacted_count": signals.paginator.count,
        "unacted": [_row(item_of(principal, r, True, contacts)) for r in rows],
    }


def _signal(request, signal_id: int) -> Signal:
    return fetch(request, Signal.objects.filter(cleared_on__isnull=True), signal_id)


@router.post(
    "/signals/{signal_id}/acknowledge",
    response=SignalOut,
    summary="Acknowledge a signal with what is being done about it",
)
@api_action(Action.SIGNAL_ACKNOWLEDGE)
def acknowledge(request, signal_id: int, payload: AcknowledgementIn):
    signal = _signal(request, signal_id)
    principal = principal_for(request)
    done = acknowledge_signal(
        signal,
        principal.worker,
        payload.reason,
        principal.today,
        expected_version=payload.row_version,
    )
    audit_done(request, done)
    return done


@router.post(
    "/signals/{signal_id}/snooze",
    response=SignalOut,
    summary="Snooze a signal until a day, with the reason; it shows again after that day",
)
@api_action(Action.SIGNAL_SNOOZE)
def snooze(request, signal_id: int, payload: SnoozeIn):
    signal = _signal(request, signal_id)
    principal = principal_for(request)
    done = snooze_signal(
        signal,
        principal.worker,
        payload.until,
        payload.reason,
        principal.today,
        expected_version=payload.row_version,
    )
    audit_done(request, done)
    return done


class EvidenceItemOut(Schema):
    evidence: str
    status: str = Field(
        description="PRESENT, MISSING, EXPIRED, DUE (needed by a later day), or UNSEEN "
        "(held where the reader may not look without the client's consent)"
    )
    needed_by: date | None
    document_id: int | None
    delivered_by: str = Field(description="CLIENT, or the authorities that issue it")
    delivered_to: str


def _items(items) -> list[EvidenceItemOut]:
    return [
        EvidenceItemOut(
            evidence=i.evidence,
            status=i.status,
            needed_by=i.needed_by,
            document_id=i.document.pk if i.document is not None else None,
            delivered_by=", ".join(i.delivered_by),
            delivered_to=i.delivered_to,
        )
        for i in items
    ]


def _visible_documents(request, client):
    """The client's documents this worker may see, and what else the worker may see: a
    checklist never reveals the others."""
    records = filter_visible(request, client, {"documents": list(client.documents.all())})
    return records.visible["documents"], records.may_see


@router.get(
    "/applications/{application_id}/evidence",
    response=list[EvidenceItemOut],
    summary="An application's evidence checklist: present, missing, expired, who delivers",
)
@api_action(Action.APPLICATION_EVIDENCE)
def application_evidence(request, application_id: int):
    application = fetch_read(request, Application.objects.select_related("client"), application_id)
    documents, may_see = _visible_documents(request, application.client)
    return _items(application_checklist(application, documents, clock.today(), may_see))


@router.get(
    "/plans/{plan_id}/evidence",
    response=list[EvidenceItemOut],
    summary="A plan's evidence checklist: present, missing, expired, who delivers",
)
@api_action(Action.PLAN_EVIDENCE)
def plan_evidence(request, plan_id: int):
    plan = fetch_read(request, Plan.objects.select_related("client"), plan_id)
    documents, may_see = _visible_documents(request, plan.client)
    return _items(plan_checklist(plan, documents, clock.today(), may_see))
