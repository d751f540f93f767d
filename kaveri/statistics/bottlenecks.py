"""Bottlenecks: the steps of the pathways where clients wait longest and where most of them
drop out, ranked over the rule set's bottleneck_trend (12 months) to the end of the period
chosen, each with its trend month by month (by the month the relationship opened).

A wait is the waiting table's: the median days from the first contact to the assessment,
the plan or the first service, per pathway or process. A drop-out is the flows': of those
who reached a step, the share closed without reaching the next. Recent months have had less
time: their waits are of those who already got there, and fewer have closed yet.

Nothing new is published about anyone: a median rests on at least SMALLEST_SHOWN people and
is not shown where its count is given away by difference; a share is shown only where the
counts it is made of are shown on the flows page and those who stayed are not a few either
(the share and the count reached would give them away). The same rules hold for each month.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from kaveri.rules.durations import add_months
from kaveri.rules.figures import nearest_ranks
from kaveri.rules.ruleset import RuleSet
from kaveri.statistics.differencing import withheld, within_month
from kaveri.statistics.filters import StatisticsFilters
from kaveri.statistics.flows import OPENING_STEPS, STEP_RECORDS, flow_cubes, shown_counts
from kaveri.statistics.materialised import materialised
from kaveri.statistics.suppression import SMALLEST_SHOWN, is_small
from kaveri.statistics.waiting import STEPS, counted_waits, table_of


@dataclass(frozen=True)
class Bottleneck:
    group: str  # a pathway or process code, or a relationship kind (waits)
    step: str  # a step of STEPS (waits) or the index of a step of the flow (drop-out)
    figure: int | None  # median days, or the percentage that dropped out
    people: int | None  # how many reached the step (the figure rests on them)
    trend: list[int | None]  # the same figure for each month of the trend


def trend_period(filters: StatisticsFilters, rules: RuleSet) -> StatisticsFilters:
    """The months of the rule set's trend that end with the period's last month."""
    months = rules.data.bottleneck_trend.months
    return replace(filters, start=add_months(filters.end.replace(day=1), 1 - months))


def _median(days: list[int]) -> int | None:
    return nearest_ranks(days, (0.5,))[0] if len(days) >= SMALLEST_SHOWN else None


def _ranked(found: list[Bottleneck], at_least: int = 0) -> list[Bottleneck]:
    shown = [b for b in found if b.figure is not None and b.figure >= at_least]
    return sorted(shown, key=lambda b: (-b.figure, b.group, str(b.step)))


@materialised
def wait_bottlenecks(filters: StatisticsFilters, months: list[date]) -> list[Bottleneck]:
    cube, days = counted_waits(filters)
    table = {row.group: row for row in table_of(filters, cube, days).rows}
    hidden_in = {month: withheld(*within_month(cube, filters, month)) for month in months}
    found = []
    for group in days:
        for step in STEPS:
            wait, dated = table[group].waits[step], days[group][step]
            trend = [
                None if (group, step) in hidden_in[month] else _median(list(dated.get(month, ())))
                for month in months
            ]
            found.append(Bottleneck(group, step, wait.median, wait.count, trend))
    return _ranked(found)


def _share(shown: Callable[[object], int | None], index: int) -> int | None:
    reached, closed = shown((index, "reached")), shown((index, "closed"))
    if reached is None or closed is None or is_small(reached - closed) or reached == 0:
        return None
    return round(100 * closed / reached)


def _counted_steps(flow) -> list[int]:
    """The steps whose drop-out can be told: counted, with a next step."""
    return [
        i
        for i, step in enumerate(flow.steps[:-1])
        if step.code in OPENING_STEPS or step.code in STEP_RECORDS
    ]


@materialised
def drop_out_bottlenecks(
    rules: RuleSet, filters: StatisticsFilters, months: list[date]
) -> list[Bottleneck]:
    found = []
    for flow, cube in flow_cubes(rules, filters):
        shown = shown_counts(cube, filters)
        by_month = [shown_counts(*within_month(cube, filters, month)) for month in months]
        for i in _counted_steps(flow):
            trend = [_share(of_month, i) for of_month in by_month]
            share, reached = _share(shown, i), shown((i, "reached"))
            found.append(Bottleneck(flow.code, str(i), share, reached, trend))
    return _ranked(found, at_least=1)  # a step no one was closed at is no bottleneck
