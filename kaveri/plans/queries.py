"""Querysets of plans: the version in force, of a type, made by a day."""

from datetime import date

from django.db import models

from kaveri.people.queries import ClientRecordQuerySet


class PlanQuerySet(ClientRecordQuerySet):
    def current(self) -> "PlanQuerySet":
        """The version in force of each plan."""
        return self.filter(is_current=True)

    def of_type(self, plan_type: str) -> "PlanQuerySet":
        return self.filter(plan_type=plan_type)

    def made_by(self, day: date) -> "PlanQuerySet":
        """Versions made on or before the day. A plan never ends, only gets a new version, so
        a plan whose first version was made by a day was in force on it."""
        return self.filter(made_on__lte=day)


class MeasureQuerySet(models.QuerySet):
    def of_client(self, client) -> "MeasureQuerySet":
        return self.filter(plan__client=client)
