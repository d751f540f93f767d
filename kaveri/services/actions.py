"""Service decisions, continuation periods, participation, endings and the period report.

Every operation checks its own input against the rule set, whoever calls it.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from kaveri.benefits.actions import unemployment_benefit_over
from kaveri.casework.actions import follow_pathway
from kaveri.rules import clock
from kaveri.rules.inputs import require_dates, require_not_after
from kaveri.rules.registry import rules_for, rules_on
from kaveri.rules.violations import RuleViolation, collect
from kaveri.rules.watchers import changes_facts
from kaveri.services import validators
from kaveri.services.models import Participation, ServiceEpisode
from kaveri.services.states import EPISODE


def check_decision(
    rules,
    client,
    service: str,
    decided_by,
    starts_on: date,
    ends_on: date,
    days_per_week=None,
    hours_per_day=None,
    provider=None,
    instructor=None,
) -> None:
    """Everything a service decision must satisfy, for a page, the API or an import."""
    require_dates(starts_on=starts_on, ends_on=ends_on)
    validators.service_known(rules, service)
    validators.days_a_week_possible(days_per_week)
    validators.hours_a_day_possible(hours_per_day)
    validators.service_granted_by(rules, service, decided_by.authority)
    validators.te_office_decides(rules, service, decided_by)
    requires = rules.services[service].requires
    if "UNEMPLOYED_JOB_SEEKER" in requires:
        validators.registered_job_seeker(client, starts_on)
    if "ACTIVATION_PLAN_IN_FORCE" in requires:
        validators.activation_plan_in_force(client, starts_on)
    validators.intensity_within_bounds(rules, service, days_per_week, hours_per_day)
    validators.decision_period_within_legal_bounds(rules, service, starts_on, ends_on)
    validators.place_provides(rules, service, provider)
    validators.instructor_at_the_place(instructor, provider)


@transaction.atomic
@changes_facts
def decide_service(
    client,
    service: str,
    decided_by,
    decision_on: date,
    starts_on: date,
    ends_on: date,
    days_per_week=None,
    hours_per_day=None,
    provider=None,
    instructor=None,
    relationship=None,
    previous=None,
    rules=None,
) -> ServiceEpisode:
    """A decision on a service, under the rule set in force on the decision day (a
    continuation: under the rules of the period it continues)."""
    require_dates(decision_on=decision_on)
    rules = rules or rules_on(decision_on)
    check_decision(
        rules,
        client,
        service,
        decided_by,
        starts_on,
        ends_on,
        days_per_week,
        hours_per_day,
        provider,
        instructor,
    )
    return ServiceEpisode.objects.create(
        client=client,
        service=service,
        decided_by=decided_by,
        decision_on=decision_on,
        starts_on=starts_on,
        ends_on=ends_on,
        days_per_week=days_per_week,
        hours_per_day=hours_per_day,
        provider=provider,
        instructor=instructor,
        relationship=relationship,
        previous=previous,
        ruleset_version=rules.version,
    )


@transaction.atomic
@changes_facts
def continue_service(
    episode: ServiceEpisode,
    decision_on: date,
    *,
    by=None,
    expected_version: int | None = None,
) -> ServiceEpisode:
    """The next period of the rule set's continuation length, from the day after the end.

    The period continued ends as agreed ("period ended"); one that has ended already
    cannot be continued, so its own end reason is never overwritten.
    """
    rules = rules_for(episode)
    require_dates(decision_on=decision_on)
    length = rules.services[episode.service].continuation_period
    if length is None:
        raise RuleViolation(
            "service_continues_in_periods",
            "service",
            _("This service does not continue in periods; make a new decision."),
        )
    validators.end_reason_is_allowed(rules, episode.service, "PERIOD_ENDED")
    episode = EPISODE.apply(
        episode,
        "continue",
        effective_on=episode.ends_on,
        by=by,
        reason=rules.label("end_reason", "PERIOD_ENDED", "fi"),
        expected_version=expected_version,
        changes={"ended_on": episode.ends_on, "end_reason": "PERIOD_ENDED"},
    )
    starts = episode.ends_on + timedelta(days=1)
    ends = length.after(starts) - timedelta(days=1)
    return decide_service(
        episode.client,
        episode.service,
        episode.decided_by,
        decision_on,
        starts,
        ends,
        episode.days_per_week,
        episode.hours_per_day,
        episode.provider,
        episode.instructor,
        episode.relationship,
        previous=episode,
        rules=rules,
    )


@transaction.atomic
@changes_facts
def end_episode(
    episode: ServiceEpisode,
    ended_on: date,
    reason: str,
    *,
    by=None,
    expected_version: int | None = None,
) -> str | None:
    """Ends the episode; returns the service the reason leads to next, if any."""
    rules = rules_for(episode)
    check_end(rules, episode, ended_on, reason)
    EPISODE.apply(
        episode,
        "end",
        effective_on=ended_on,
        by=by,
        reason=rules.label("end_reason", reason, "fi"),
        expected_version=expected_version,
        changes={"ended_on": ended_on, "end_reason": reason},
    )
    next_service = next(r for r in rules.data.end_reasons if r.code == reason).next_service
    next_pathway = rules.services[next_service].pathway if next_service else None
    if next_pathway and episode.relationship_id:
        # Moving on (e.g. social rehabilitation -> rehabilitative work activity) opens that pathway.
        follow_pathway(episode.relationship, next_pathway)
    return next_service


@transaction.atomic
@changes_facts
def record_participation(
    episode: ServiceEpisode,
    day: date,
    attended: bool,
    hours=None,
    recorded_by=None,
    *,
    today: date | None = None,
) -> Participation:
    """A day attended or missed; recorded once it has come, within the service period."""
    check_participation(rules_for(episode), episode, day, hours, today or clock.today(), attended)
    row, _created = Participation.objects.update_or_create(
        episode=episode,
        day=day,
        defaults={"attended": attended, "hours": hours, "recorded_by": recorded_by},
    )
    return row


@dataclass
class PeriodReport:
    """The unemployment period report (työttömyysajan ilmoitus) for one period."""

    service: str
    period_start: date
    period_end: date
    days_attended: list[date]
    compensation_per_day: Decimal
    compensation_code: str
    goes_to: str = ""  # the authority that pays the unemployment benefit; "" when none is known
    paid_benefit: str = ""

    @property
    def total_compensation(self) -> Decimal:
        return self.compensation_per_day * len(self.days_attended)


def unemployment_period_report(
    episode: ServiceEpisode, start: date, end: date, on_social_assistance: bool = False
) -> PeriodReport:
    rules = rules_for(episode)
    require_dates(start=start, end=end)
    if end < start:
        raise RuleViolation("period_in_order", "end", _("The period ends before it starts."))
    compensation = rules.services[episode.service].day_compensation
    code = "ACTIVITY_ALLOWANCE" if on_social_assistance else "EXPENSE_COMPENSATION"
    rate = next((c for c in compensation if c.code == code), None)
    days = list(episode.participation.attended_between(start, end).values_list("day", flat=True))
    paid = unemployment_benefit_over(rules, episode.client.applications.all(), start, end)
    return PeriodReport(
        episode.service,
        start,
        end,
        days,
        rate.eur_per_day if rate else Decimal("0"),
        code if rate else "",
        goes_to=rules.benefits[paid.benefit].decided_by if paid else "",
        paid_benefit=paid.benefit if paid else "",
    )


def check_end(rules, episode: ServiceEpisode, ended_on: date, reason: str) -> None:
    require_dates(ended_on=ended_on)
    validators.end_reason_is_allowed(rules, episode.service, reason)
    if not episode.starts_on <= ended_on <= episode.ends_on:
        raise RuleViolation(
            "ends_within_period", "ended_on", _("The end date must fall within the decided period.")
        )


def check_continuation(rules, episode: ServiceEpisode) -> None:
    """A continuation starts the day after the period before and lasts one continuation period."""
    length = rules.services[episode.service].continuation_period
    previous = episode.previous
    expected_start = previous.ends_on + timedelta(days=1)
    if (
        length is None
        or episode.starts_on != expected_start
        or (episode.ends_on != length.after(expected_start) - timedelta(days=1))
    ):
        raise RuleViolation(
            "continuation_follows_the_period",
            "starts_on",
            _("A continuation starts the day after the period before and lasts %(length)s.")
            % {"length": length or "-"},
        )


def check_participation(
    rules, episode: ServiceEpisode, day: date, hours, today: date, attended: bool = True
) -> None:
    require_dates(day=day)
    require_not_after(day, today, "day")
    if not episode.starts_on <= day <= (episode.ended_on or episode.ends_on):
        raise RuleViolation(
            "participation_within_period", "day", _("The day is outside the service period.")
        )
    if not attended:
        return
    validators.participation_hours_within_bounds(rules, episode.service, hours)
    monday = day - timedelta(days=day.weekday())
    validators.days_in_calendar_week_within_bounds(
        rules, episode.service, monday, _days_attended_in_week_with(episode, monday, day)
    )


def _days_attended_in_week_with(episode: ServiceEpisode, monday: date, day: date) -> int:
    """The client's days of this service attended in the calendar week, this day included."""
    others = (
        Participation.objects.filter(
            episode__client_id=episode.client_id,
            episode__service=episode.service,
            day__range=(monday, monday + timedelta(days=6)),
            attended=True,
        )
        .exclude(day=day)
        .values("day")
        .distinct()
        .count()
    )
    return others + 1


def episode_problems(episode: ServiceEpisode, today: date) -> list[RuleViolation]:
    """Every named check a recorded service episode fails: its decision, its ending, how it
    continues the period before, and each day of participation."""
    rules = rules_for(episode)
    checks = [
        lambda: require_dates(decision_on=episode.decision_on),
        lambda: check_decision(
            rules,
            episode.client,
            episode.service,
            episode.decided_by,
            episode.starts_on,
            episode.ends_on,
            episode.days_per_week,
            episode.hours_per_day,
            episode.provider,
            episode.instructor,
        ),
    ]
    if episode.ended_on is not None:
        checks.append(lambda: check_end(rules, episode, episode.ended_on, episode.end_reason))
    if episode.previous_id:
        checks.append(lambda: check_continuation(rules, episode))
    for row in episode.participation.all():
        checks.append(
            lambda row=row: check_participation(
                rules, episode, row.day, row.hours, today, row.attended
            )
        )
    return collect(*checks)
