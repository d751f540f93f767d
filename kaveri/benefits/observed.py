"""Decision times as they were: per benefit, how many days the region's decisions of the
last `window` took from the application (or its completion, where the processing time
runs from that), beside the rule set's target.

Refreshed once a day by the daily task (and after the demo's generation) into one row
per benefit, so that a client's application page reads one row, never the region's
applications. Urgent applications, which have a target of their own, are left out."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce

from kaveri.benefits.models import Application, ObservedProcessingTime
from kaveri.rules.figures import nearest_rank
from kaveri.rules.registry import rules_on


@dataclass(frozen=True)
class DecisionTimes:
    benefit: str
    decisions: int
    p10: int | None
    median: int | None
    p90: int | None
    within_target: int


def decision_days(benefit: str, start: date, end: date) -> list[tuple[date, date]]:
    """(processing began, decided) of the non-urgent decisions made from start to end."""
    decided = Application.objects.filter(
        benefit=benefit, decided_on__gte=start, decided_on__lte=end, urgent=False
    ).exclude(decided_on=None)
    began = Coalesce(F("completed_on"), F("submitted_on"))
    return list(decided.annotate(began=began).values_list("began", "decided_on"))


def times_of(benefit: str, target, pairs: list[tuple[date, date]], fewest: int) -> DecisionTimes:
    valid = [(began, decided) for began, decided in pairs if decided >= began]
    days = sorted((decided - began).days for began, decided in valid)
    within = sum(decided <= target.after(began) for began, decided in valid)
    if len(days) < fewest:
        return DecisionTimes(benefit, len(days), None, None, None, within)
    return DecisionTimes(
        benefit,
        len(days),
        nearest_rank(days, 0.1),
        nearest_rank(days, 0.5),
        nearest_rank(days, 0.9),
        within,
    )


@transaction.atomic
def refresh_observed(day: date) -> int:
    """Recompute every benefit's row for `day`; returns the number of benefits."""
    rules = rules_on(day)
    observed = rules.data.observed_processing_times
    start = observed.window.counted_back_from(day)
    for benefit in rules.data.benefits:
        pairs = decision_days(benefit.code, start, day)
        times = times_of(benefit.code, benefit.processing_time, pairs, observed.fewest_decisions)
        ObservedProcessingTime.objects.update_or_create(
            benefit=benefit.code,
            defaults={
                "computed_on": day,
                "window_start": start,
                "decisions": times.decisions,
                "p10_days": times.p10,
                "median_days": times.median,
                "p90_days": times.p90,
                "within_target": times.within_target,
            },
        )
    return len(rules.data.benefits)


def observed_for(benefits) -> dict[str, ObservedProcessingTime]:
    """The rows of these benefits that have enough decisions to show."""
    rows = ObservedProcessingTime.objects.filter(
        benefit__in=list(benefits), median_days__isnull=False
    )
    return {row.benefit: row for row in rows}
