"""Reading the audit log: a client's access log, newest first, in the reader's language."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

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


def others_access_log(client, limit: int = ACCESS_LOG_LIMIT) -> QuerySet[AuditEvent]:
    """Who else has used the client's data: the client's own visits left out."""
    events = AuditEvent.objects.filter(client=client).exclude(role=Role.CLIENT)
    if client.user_id is not None:
        events = events.exclude(user_id=client.user_id)
    return events.select_related("user", "organisation").order_by("-at", "-id")[:limit]


def basis_in_words(basis: str) -> str:
    """What permitted an access, as the client reads it."""
    head, _sep, rest = basis.partition(":")
    if basis == "relationship":
        return _("you are their client")
    if head == "consent":
        if rest.endswith("without-form"):
            return _("your consent, recorded by a worker without your signed form")
        return _("your consent")
    if head == "emergency":
        return _("emergency access, which is checked afterwards")
    if basis == "placement":
        return _("you take part in a service they run")
    if basis == "subject access request":
        return _("your own request to see your data")
    if basis.startswith("kaveri "):
        return _("a transfer of records by the system's operator")
    return ""


def access_in_words(event: AuditEvent) -> dict:
    """An access to the client's data as the client reads it: who, from which authority, in
    which role, when, what, and on what basis."""
    entry = access_log_entry(event)
    authority = event.organisation.authority if event.organisation else ""
    entry["authority"] = (
        get_rules().label("authority", authority, current_language()) if authority else ""
    )
    entry["basis"] = basis_in_words(event.basis)
    return entry
