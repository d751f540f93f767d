"""Reading the audit log: a client's access log, newest first, in the reader's language."""

from django.db.models import QuerySet

from kaveri.access.actions import audit_label
from kaveri.access.models import AuditEvent
from kaveri.access.roles import Role
from kaveri.rules.registry import get_rules
from kaveri.rules.ruleset import current_language

ACCESS_LOG_LIMIT = 200


def client_access_log(client, limit: int = ACCESS_LOG_LIMIT) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(client=client)
        .select_related("user", "organisation")
        .order_by("-at", "-id")[:limit]
    )


def _category_label(code: str) -> str:
    if code in ("", "ALL"):
        return code
    return get_rules().label("data_category", code, current_language())


def _role_label(code: str) -> str:
    return str(Role(code).label) if code in Role.values else code


def access_log_entry(event: AuditEvent) -> dict:
    """One event with its codes and, beside them, what they mean in the reader's language."""
    who = event.user.get_full_name() if event.user else ""
    return {
        "at": event.at,
        "who": who or event.username,
        "role": event.role,
        "role_label": _role_label(event.role),
        "organisation": event.organisation.name if event.organisation else None,
        "action": event.action,
        "what": audit_label(event.action),
        "data_category": event.data_category,
        "data": _category_label(event.data_category),
        "allowed": event.allowed,
    }
