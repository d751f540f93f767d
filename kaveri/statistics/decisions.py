"""Decision times of benefits for the coordinator's choices: per benefit, the non-urgent
decisions made in the period, counted from the application (or the day it was complete,
where the processing time runs from that), as the count, the median and the 90th percentile
of the days and the share decided within the rule set's target.

Narrowed as every table: by the client's municipality, age group and language, and by the
deciding organisation, its authority and region; the counts are checked against the tables
they could be subtracted from (kaveri.statistics.differencing) and suppressed as a column.
A median, a percentile and a share rest on at least the rule set's fewest_decisions, as the
client's page does (kaveri.benefits.observed, which keeps the region's last twelve months
for that page). Urgent applications, which have a target of their own, are left out."""

from array import array
from collections import Counter
from dataclasses import dataclass

from django.db.models import F
from django.db.models.functions import Coalesce

from kaveri.benefits.models import Application
from kaveri.rules.figures import nearest_ranks
from kaveri.rules.ruleset import RuleSet
from kaveri.statistics.differencing import (
    ALL,
    Cube,
    compact_with,
    coordinates,
    own_counts,
    owned_by,
    position,
    withheld,
)
from kaveri.statistics.filters import StatisticsFilters
from kaveri.statistics.materialised import materialised
from kaveri.statistics.quarters import by_quarters
from kaveri.statistics.suppression import is_small, suppress_columns

DECISION_PATHS = {
    "region": "deciding_organisation__region",
    "municipality": "client__municipality",  # the client's, as for relationships
    "authority": "deciding_organisation__authority",
    "organisation": "deciding_organisation_id",
    "age_group": "client__birth_date",
    "language": "client__language",
}

# coordinates in the cube -> benefit -> days each decision there took
DecisionDays = dict[tuple, dict[str, array]]


@dataclass(frozen=True)
class DecisionRow:
    benefit: str
    decisions: int | None
    median: int | None
    p90: int | None
    within: int | None  # per cent of the decisions made within the target


@by_quarters
@materialised
def tally_decisions(period: StatisticsFilters, rules: RuleSet) -> tuple[Cube, DecisionDays]:
    """Per place in the cube, the decisions made in the period and those within the target
    of each benefit, and the days each took."""
    targets = {benefit.code: benefit.processing_time for benefit in rules.data.benefits}
    dimensions = period.dimensions("decided_on", DECISION_PATHS)
    rows = (
        Application.objects.filter(
            decided_on__gte=period.start, decided_on__lte=period.end, urgent=False
        )
        .annotate(began=Coalesce(F("completed_on"), F("submitted_on")), **dimensions)
        .order_by()
        .values("benefit", "began", "decided_on", *dimensions)
    )
    cube: Cube = {}
    days: DecisionDays = {}
    for row in rows.iterator(chunk_size=5000):
        benefit, began, decided = row["benefit"], row["began"], row["decided_on"]
        if benefit not in targets or decided < began:
            continue
        coords = coordinates(row)
        counts = cube.setdefault(coords, Counter())
        within = decided <= targets[benefit].after(began)
        for key in (benefit, ALL):
            counts[(key, "decisions")] += 1
            counts[(key, "within")] += within
        days.setdefault(coords, {}).setdefault(benefit, array("i")).append((decided - began).days)
    return compact_with(cube, days)


def _own_days(days: DecisionDays, filters: StatisticsFilters) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    is_own = owned_by(filters)
    for coords, benefits in days.items():
        if is_own(coords):
            for benefit, taken in benefits.items():
                found.setdefault(benefit, []).extend(taken)
    return found


def _row(benefit: str, shown: int | None, days: list[int], within: int, fewest: int, hidden):
    """One benefit's figures: none but the count (if shown) from fewer than `fewest`."""
    if shown is None or len(days) < fewest:
        return DecisionRow(benefit, shown, None, None, None)
    median, p90 = nearest_ranks(days, (0.5, 0.9))
    share_shown = (benefit, "within") not in hidden and not (
        is_small(within) or is_small(len(days) - within)
    )
    return DecisionRow(
        benefit,
        shown,
        median,
        p90,
        round(100 * within / len(days)) if share_shown else None,
    )


@materialised
def decision_table(filters: StatisticsFilters, rules: RuleSet) -> list[DecisionRow]:
    """A row per benefit of the rule set with decisions in the period, in its order."""
    cube, days = tally_decisions(filters.period(), rules)
    counts = own_counts(cube, filters)
    benefits = [b.code for b in rules.data.benefits if counts[(b.code, "decisions")]]
    hidden = withheld(cube, filters)
    cells = {
        (position(benefit, benefits), 0)
        for benefit, column in hidden
        if column == "decisions" and (benefit in benefits or benefit == ALL)
    }
    if not benefits:
        return []
    shown = suppress_columns([[counts[(b, "decisions")]] for b in benefits], cells)
    own = _own_days(days, filters)
    fewest = rules.data.observed_processing_times.fewest_decisions
    return [
        _row(b, shown.cells[i][0], own.get(b, []), counts[(b, "within")], fewest, hidden)
        for i, b in enumerate(benefits)
    ]
