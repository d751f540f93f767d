"""Writing audit events for access to client data, each with its keyed MAC."""

import getpass
import os
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from kaveri.access.actions import Action, rule_for
from kaveri.access.chain import event_mac, seal_now_and_then
from kaveri.access.models import AuditEvent
from kaveri.access.principal import principal_for


def append_events(events: list[AuditEvent]) -> None:
    """Insert the events, each with its keyed MAC. Writers share no head and never retry;
    the events are chained later into seals (`kaveri.access.chain`)."""
    if not events:
        return
    now = timezone.now()
    for event in events:
        event.at = event.at or now
        event.mac = event_mac(event)
    _insert(events)
    transaction.on_commit(seal_now_and_then)


_COLUMNS = (
    "at",
    "user_id",
    "username",
    "role",
    "organisation_id",
    "client_id",
    "action",
    "data_category",
    "basis",
    "allowed",
    "method",
    "url_name",
    "source_address",
    "mac",
)


# Rows per INSERT statement: 14 parameters a row stays under SQLite's 32,766 and
# PostgreSQL's 65,535 parameters a statement.
ROWS_A_STATEMENT = 500


def _insert(events: list[AuditEvent]) -> None:
    """One multi-row INSERT for up to ROWS_A_STATEMENT events: a list page's hundred events
    cost one statement, not the ORM's compilation of a hundred rows or a hundred executions."""
    ops = connection.ops
    table = ops.quote_name(AuditEvent._meta.db_table)
    columns = ", ".join(ops.quote_name(c) for c in _COLUMNS)
    row = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(events), ROWS_A_STATEMENT):
            chunk = events[start : start + ROWS_A_STATEMENT]
            values = ", ".join([row] * len(chunk))
            parameters = [value for event in chunk for value in _values(ops, event)]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}", parameters)


def _values(ops, e: AuditEvent) -> tuple:
    return (
        ops.adapt_datetimefield_value(e.at),
        e.user_id,
        e.username,
        e.role,
        e.organisation_id,
        e.client_id,
        str(e.action),
        e.data_category,
        e.basis,
        e.allowed,
        e.method,
        e.url_name,
        ops.adapt_ipaddressfield_value(e.source_address),
        e.mac,
    )


def _source_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def build_event(
    request: HttpRequest,
    action: Action,
    client,
    allowed: bool = True,
    data_category: str | None = None,
    basis: str = "",
) -> AuditEvent:
    principal = principal_for(request)
    user = principal.user
    match = getattr(request, "resolver_match", None)
    return AuditEvent(
        at=timezone.now(),
        user=user,
        username=user.get_username() if user else "",
        role=principal.role or "",
        organisation=principal.organisation,
        client=client,
        action=str(action),
        data_category=data_category or rule_for(action).data_category or "",
        basis=basis[:120],
        allowed=allowed,
        method=request.method or "",
        url_name=(match.view_name if match else "")[:120],
        source_address=_source_address(request),
    )


def record_access(
    request: HttpRequest,
    action: Action,
    client,
    allowed: bool = True,
    data_category: str | None = None,
    basis: str = "",
) -> None:
    event = build_event(request, action, client, allowed, data_category, basis)
    refusals = getattr(request, "kaveri_refusals", None)
    if not allowed and refusals is not None:
        refusals.append(event)  # written after the request's transaction, even if it rolls back
        return
    append_events([event])


def written_with_refusals(request: HttpRequest, work: Callable):
    """Run a write request's work in one transaction: its records and the audit of what
    it did commit together or not at all. A refusal's audit event is written after the
    transaction, so that the rollback the refusal causes does not take it away."""
    request.kaveri_refusals = []
    try:
        with transaction.atomic():
            return work()
    finally:
        refusals = request.kaveri_refusals
        del request.kaveri_refusals
        append_events(refusals)


def record_list_access(
    request: HttpRequest, action: Action, clients: Iterable, data_category: str | None = None
) -> None:
    """One event per client shown, so each client's access log is complete."""
    append_events([build_event(request, action, c, True, data_category, "list") for c in clients])


def console_actor() -> str:
    """Who runs a console command: the operating-system user (and whom sudo ran it for)."""
    user = getpass.getuser()
    on_behalf = os.environ.get("SUDO_USER")
    return f"console:{user}" + (f" (sudo by {on_behalf})" if on_behalf else "")


def record_console_access(action: Action, clients: Iterable, basis: str = "") -> None:
    """Accesses made at the server's console, one event per client (None: no one client)."""
    record_console_events(action, ((client, basis) for client in clients))


def record_console_events(action: Action, accesses: Iterable[tuple[object, str]]) -> None:
    """Accesses made at the server's console, each (client, basis), written together."""
    actor = console_actor()
    append_events(
        [
            AuditEvent(
                at=timezone.now(),
                username=actor[:150],
                action=str(action),
                client=client,
                data_category=rule_for(action).data_category or "",
                basis=basis[:120],
                method="CLI",
            )
            for client, basis in accesses
        ]
    )
