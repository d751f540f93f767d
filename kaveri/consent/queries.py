"""Querysets of consents: in force on a day (as the consent stood that day), naming an
authority, about to expire."""

from datetime import date

from django.db.models import Q

from kaveri.people.queries import ClientRecordQuerySet


class ConsentQuerySet(ClientRecordQuerySet):
    def in_force_on(self, day: date) -> "ConsentQuerySet":
        """Consents that covered the day: begun, not ended, and not yet revoked that day;
        a consent under dispute covers no day until it is confirmed.

        A revocation takes effect from the day it is recorded, so a past day keeps
        the consent as it stood then and the basis of an earlier access can be shown.
        """
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
            Q(revoked_on__isnull=True) | Q(revoked_on__gt=day),
            valid_from__lte=day,
        ).exclude(state="DISPUTED")

    def recorded_since(self, since) -> "ConsentQuerySet":
        return self.filter(recorded_at__gte=since)

    def for_purpose(self, purpose: str) -> "ConsentQuerySet":
        return self.filter(purpose=purpose)

    def naming(self, authority: str) -> "ConsentQuerySet":
        # The JSON list as text holds each code in quotes; this works on both databases.
        return self.filter(authorities__icontains=f'"{authority}"')

    def expiring(self, authority: str, today: date, horizon: date) -> "ConsentQuerySet":
        """Consents naming the authority, in force today, that end by the horizon."""
        return (
            self.in_force_on(today)
            .naming(authority)
            .filter(valid_until__lte=horizon)
            .select_related("client")
            .order_by("valid_until")
        )
