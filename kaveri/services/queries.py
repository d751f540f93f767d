"""Querysets of service episodes: not ended, placed with an instructor, for a day."""

from datetime import date

from django.db import models

from kaveri.people.queries import ClientRecordQuerySet


class EpisodeQuerySet(ClientRecordQuerySet):
    def not_ended(self) -> "EpisodeQuerySet":
        """Episodes with no recorded end."""
        return self.filter(ended_on__isnull=True)

    def current_on(self, day: date) -> "EpisodeQuerySet":
        """Episodes under way or still to come on the day: not ended and not past their period."""
        return self.not_ended().filter(ends_on__gte=day)

    def placed_with(self, instructor) -> "EpisodeQuerySet":
        return self.filter(instructor=instructor)


class ParticipationQuerySet(models.QuerySet):
    def attended_between(self, start: date, end: date) -> "ParticipationQuerySet":
        return self.filter(attended=True, day__gte=start, day__lte=end).order_by("day")
