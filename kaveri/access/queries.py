"""Reading the audit log: a client's access log, newest first."""

from django.db.models import QuerySet

from kaveri.access.models import AuditEvent

ACCESS_LOG_LIMIT = 200


def client_access_log(client, limit: int = ACCESS_LOG_LIMIT) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(client=client)
        .select_related("user", "organisation")
        .order_by("-sequence")[:limit]
    )


def access_log_entry(event: AuditEvent) -> dict:
    who = event.user.get_full_name() if event.user else ""
    return {
        "at": event.at,
        "who": who or event.username,
        "role": event.role,
        "organisation": event.organisation.name if event.organisation else None,
        "action": event.action,
        "data_category": event.data_category,
        "allowed": event.allowed,
    }
