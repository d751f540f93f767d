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

    def in_force_on(self, day: date) -> "PlanQuerySet":
        return self.current().filter(made_on__lte=day)


class MeasureQuerySet(models.QuerySet):
    def of_client(self, client) -> "MeasureQuerySet":
        return self.filter(plan__client=client)
