"""Writing audit events for access to client data."""

from collections.abc import Iterable

from django.http import HttpRequest

from kaveri.access.actions import Action, rule_for
from kaveri.access.models import AuditEvent
from kaveri.access.principal import principal_for


def _source_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _event(
    request: HttpRequest, action: Action, client, allowed: bool, data_category: str | None = None
) -> AuditEvent:
    principal = principal_for(request)
    user = principal.user
    match = getattr(request, "resolver_match", None)
    return AuditEvent(
        user=user,
        username=user.get_username() if user else "",
        role=principal.role or "",
        organisation=principal.organisation,
        client=client,
        action=str(action),
        data_category=data_category or rule_for(action).data_category or "",
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
) -> None:
    _event(request, action, client, allowed, data_category).save()


def record_list_access(
    request: HttpRequest, action: Action, clients: Iterable, data_category: str | None = None
) -> None:
    """One event per client shown, so each client's access log is complete."""
    AuditEvent.objects.bulk_create(
        [_event(request, action, c, True, data_category) for c in clients]
    )
