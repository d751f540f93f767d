"""The watch as API operations: the worker's worklist (the same rows, words and
visibility as the start page), and acknowledging or snoozing a signal."""

from datetime import date

from ninja import Schema

from kaveri.access.actions import Action
from kaveri.access.audit import record_list_access
from kaveri.access.decorators import api_action, audit_done, fetch
from kaveri.access.principal import principal_for
from kaveri.access.routing import KaveriRouter, VersionedIn
from kaveri.rules.registry import get_rules
from kaveri.watch.actions import acknowledge_signal, snooze_signal
from kaveri.watch.models import Signal
from kaveri.watch.worklist import Filters, Item, worklist_page

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
