"""Querysets of casework: open relationships, who holds them, registrations in force."""

from datetime import date

from django.db import models

from kaveri.people.queries import ClientRecordQuerySet


class RelationshipQuerySet(ClientRecordQuerySet):
    def open(self) -> "RelationshipQuerySet":
        return self.filter(closed_on__isnull=True)

    def held_by(self, organisation) -> "RelationshipQuerySet":
        return self.filter(organisation=organisation)

    def of_kind(self, kind: str) -> "RelationshipQuerySet":
        return self.filter(kind=kind)

    def clients_served_by(self, organisation):
        """The clients with whom the organisation has an open client relationship."""
        return self.open().held_by(organisation).clients()


class NamedWorkerQuerySet(models.QuerySet):
    def current(self) -> "NamedWorkerQuerySet":
        return self.filter(to_date__isnull=True)

    def serving(self) -> "NamedWorkerQuerySet":
        """Named now, in a relationship still open: whom a client has today."""
        return self.current().filter(relationship__closed_on__isnull=True)


class RegistrationQuerySet(ClientRecordQuerySet):
    def in_force_on(self, day: date) -> "RegistrationQuerySet":
        return self.filter(registered_on__lte=day).exclude(ended_on__lt=day)


class AssessmentQuerySet(ClientRecordQuerySet):
    def final(self) -> "AssessmentQuerySet":
        return self.filter(is_final=True)
