from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kaveri.access.declarations import ClientData, owned_as, owned_by
from kaveri.rules.fields import (
    ends_with_reason,
    imported_as_history_fields,
    rule_code,
    ruleset_version_field,
    source_system_field,
)
from kaveri.services.queries import EpisodeQuerySet, ParticipationQuerySet
from kaveri.transitions.fields import row_version_field, state_field, state_matches


class ServiceEpisode(models.Model):
    """A decision on a service for a period (e.g. kuntouttava työtoiminta for 3-6 months)."""

    class State(models.TextChoices):
        DECIDED = "DECIDED", _("Decided")
        ENDED = "ENDED", _("Ended")

    client = models.ForeignKey(
        "people.Client", on_delete=models.CASCADE, related_name="service_episodes"
    )
    service = rule_code("service", verbose_name=_("service"))
    relationship = models.ForeignKey(
        "casework.ClientRelationship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_episodes",
    )
    decided_by = models.ForeignKey(
        "access.Organisation", on_delete=models.PROTECT, related_name="service_decisions"
    )
    provider = models.ForeignKey(
        "access.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_placements",
        verbose_name=_("place"),
    )
    instructor = models.ForeignKey(
        "access.Worker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="instructed_episodes",
    )
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="continuations"
    )
    decision_on = models.DateField(_("decision date"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = rule_code("end_reason", verbose_name=_("end reason"), blank=True)
    days_per_week = models.PositiveSmallIntegerField(_("days a week"), null=True, blank=True)
    hours_per_day = models.DecimalField(
        _("hours a day"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    state = state_field(State.choices, State.DECIDED)
    row_version = row_version_field()
    ruleset_version = ruleset_version_field()
    source_system = source_system_field()
    imported_as_history, refused_by_rules = imported_as_history_fields()

    objects = EpisodeQuerySet.as_manager()
    client_data = ClientData(
        section="service_episodes",
        client="client",
        category="SERVICES",
        owner=owned_by("decided_by"),
        export=(
            "id",
            "service",
            "relationship",
            "decided_by",
            "provider",
            "instructor",
            "previous",
            "decision_on",
            "starts_on",
            "ends_on",
            "ended_on",
            "end_reason",
            "days_per_week",
            "hours_per_day",
            "ruleset_version",
            "source_system",
        ),
    )

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("service episode")
        verbose_name_plural = _("service episodes")
        indexes = [
            models.Index(fields=["ended_on", "ends_on"], name="episode_period_end"),
            models.Index(fields=["provider", "ended_on"], name="episode_provider_open"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="episode_ends_after_start"
            ),
            ends_with_reason("ended_on", "end_reason", "episode_end_has_reason"),
            state_matches(
                "ENDED", Q(ended_on__isnull=False), Q(ended_on__isnull=True), "episode_ended_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.starts_on}–{self.ends_on} ({self.client})"


class Participation(models.Model):
    """One day of an episode: attended or not, recorded by the worker or the instructor."""

    episode = models.ForeignKey(
        ServiceEpisode, on_delete=models.CASCADE, related_name="participation"
    )
    day = models.DateField(_("day"))
    attended = models.BooleanField(_("attended"), default=True)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1, null=True, blank=True)
    source_system = source_system_field()
    recorded_by = models.ForeignKey(
        "access.Worker", on_delete=models.SET_NULL, null=True, blank=True
    )

    objects = ParticipationQuerySet.as_manager()
    client_data = ClientData(
        section="participation",
        client="episode.client",
        category="SERVICES",
        owner=owned_as("episode"),
        export=("id", "episode", "day", "attended", "hours", "recorded_by", "source_system"),
    )

    class Meta:
        ordering = ["day"]
        verbose_name = _("participation day")
        verbose_name_plural = _("participation days")
        constraints = [
            models.UniqueConstraint(fields=["episode", "day"], name="participation_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {'+' if self.attended else '-'}"
