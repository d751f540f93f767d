"""Writing audit events for access to client data, as an append-only hash chain."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from kaveri.access.actions import Action, rule_for
from kaveri.access.models import GENESIS_HASH, AuditEvent
from kaveri.access.principal import principal_for

APPEND_ATTEMPTS = 8


def append_events(events: list[AuditEvent]) -> None:
    """Give the events the next sequence numbers and chain their hashes, then insert them.

    Two writers that read the same head collide on the unique sequence; the
    loser retries on the new head, so the chain never forks.
    """
    if not events:
        return
    for attempt in range(APPEND_ATTEMPTS):
        try:
            with transaction.atomic():
                _chain_and_insert(events)
            return
        except IntegrityError:
            if attempt == APPEND_ATTEMPTS - 1:
                raise


def _chain_and_insert(events: list[AuditEvent]) -> None:
    head = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
    sequence, previous = head or (0, GENESIS_HASH)
    now = timezone.now()
    for event in events:
        sequence += 1
        event.sequence = sequence
        event.at = event.at or now
        event.previous_hash = previous
        event.hash = event.compute_hash()
        previous = event.hash
    AuditEvent.objects.bulk_create(events)


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
    append_events([build_event(request, action, client, allowed, data_category, basis)])


def record_list_access(
    request: HttpRequest, action: Action, clients: Iterable, data_category: str | None = None
) -> None:
    """One event per client shown, so each client's access log is complete."""
    append_events([build_event(request, action, c, True, data_category, "list") for c in clients])


def record_system_access(action: Action, client, actor: str, basis: str = "") -> None:
    """An access made outside a web request, e.g. by a console command."""
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
        ]
    )
