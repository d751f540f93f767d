"""Consents about to expire, for the workers of the organisations that serve the client."""

from datetime import date

from django.db.models import QuerySet

from kaveri.consent.models import Consent
from kaveri.rules.loader import get_rules


def expiring_consents(clients: QuerySet, authority: str, today: date) -> QuerySet[Consent]:
    """Consents naming `authority` that end within the rule set's warning period."""
    horizon = get_rules().data.consent_rules.expiry_warning.after(today)
    return (
        Consent.objects.filter(
            client__in=clients,
            # The JSON list as text holds each code in quotes; this works on both databases.
            authorities__icontains=f'"{authority}"',
            revoked_at__isnull=True,
            valid_until__gte=today,
            valid_until__lte=horizon,
        )
        .select_related("client")
        .order_by("valid_until")
    )
