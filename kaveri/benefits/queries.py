"""Querysets of benefit applications and information requests."""

from django.db import models
from django.db.models import Q

from kaveri.people.queries import ClientRecordQuerySet

PENDING_STATES = ("PENDING", "INFORMATION_REQUESTED")


class ApplicationQuerySet(ClientRecordQuerySet):
    def pending(self) -> "ApplicationQuerySet":
        """Applications waiting for a decision."""
        return self.filter(status__in=PENDING_STATES)

    def pending_on(self, day) -> "ApplicationQuerySet":
        """Applications that were waiting for a decision on the day."""
        return self.filter(submitted_on__lte=day).filter(
            Q(status__in=PENDING_STATES) | Q(status="DECIDED", decided_on__gt=day)
        )


class InformationRequestQuerySet(models.QuerySet):
    def unanswered(self) -> "InformationRequestQuerySet":
        return self.filter(answered_on__isnull=True)

    def of_client(self, client) -> "InformationRequestQuerySet":
        return self.filter(application__client=client)
