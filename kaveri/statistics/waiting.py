"""How long clients wait: from the first contact (or the opening of the relationship) to
the service need assessment, to the plan and to the first service, per pathway or
process, as the number of relationships, the median and the 90th percentile in days.

One query over the relationships opened in the period (indexed on the opening day),
each with the first day of each step as a subquery; the figures are taken in Python
from those days. Nothing about a person leaves this module: a group of fewer than
SMALLEST_SHOWN relationships shows no figure, and the counts are suppressed as a table
(kaveri.statistics.suppression) so that the totals give none away."""

from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from itertools import chain

from django.db.models import F, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from kaveri.access.models import Organisation
from kaveri.casework.models import ClientRelationship, ServiceNeedAssessment
from kaveri.plans.models import Plan
from kaveri.rules.figures import nearest_ranks
from kaveri.services.models import ServiceEpisode
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
from kaveri.statistics.filters import NARROWINGS, StatisticsFilters
from kaveri.statistics.materialised import materialised
from kaveri.statistics.quarters import by_quarters
from kaveri.statistics.suppression import SMALLEST_SHOWN, suppress_columns

STEPS = ("assessment", "plan", "service")

# What a waiting table's rows are: the first of these fields that is not empty.
BY_PATHWAY = ("pathway", "kind")
BY_ORGANISATION = ("organisation__name",)


@dataclass(frozen=True)
class Wait:
    """One group's waits for one step: None where the group is too small to show."""

    count: int | None
    median: int | None
    p90: int | None


@dataclass(frozen=True)
class WaitingRow:
    group: str  # a pathway code (P1, P2, ...) or a relationship kind (EMP_CLIENT, ...)
    opened: int | None
    waits: dict[str, Wait]


@dataclass(frozen=True)
class WaitingTable:
    rows: list[WaitingRow]
    total_opened: int | None
    total_waits: dict[str, Wait]


def _first(model, field: str, day: date) -> Subquery:
    return Subquery(
        model.objects.filter(relationship=OuterRef("pk"), **{f"{field}__lte": day})
        .order_by()
        .values("relationship")
        .annotate(first=Min(field))
        .values("first")[:1]
    )


def group_of(row: dict, by: tuple[str, ...]) -> str:
    return next((row[field] for field in by if row[field]), "")


def waiting_days(period: StatisticsFilters) -> QuerySet:
    """For each relationship opened in the period: its pathway and kind, the first day
    (contact or opening), the first day of each step by the day counted, and its
    coordinates in the cube."""
    dimensions = period.dimensions("opened_on")
    opened = ClientRelationship.objects.filter(
        opened_on__gte=period.start, opened_on__lte=period.end
    )
    return (
        opened.annotate(
            started=Coalesce(F("contact__occurred_on"), F("opened_on")),
            first_assessment=_first(ServiceNeedAssessment, "assessed_on", period.day),
            first_plan=_first(Plan, "made_on", period.day),
            first_service=_first(ServiceEpisode, "starts_on", period.day),
            **dimensions,
        )
        .order_by()
        .values(*BY_PATHWAY, "started", *(f"first_{step}" for step in STEPS), *dimensions)
    )


def wait_figures(days: list[int], shown_count: int | None) -> Wait:
    """A median and a percentile are figures about the group: shown when it has at least
    SMALLEST_SHOWN people, even where its count is withheld to protect another group."""
    if len(days) < SMALLEST_SHOWN:
        return Wait(shown_count, None, None)
    median, p90 = nearest_ranks(days, (0.5, 0.9))
    return Wait(shown_count, median, p90)


def spread(days: list[int], shown_count: int | None, given_away: bool) -> Wait:
    """A group's figures for one step; none where another table would give its count away,
    as its spread would give away the days of the people that count differs by."""
    return Wait(None, None, None) if given_away else wait_figures(days, shown_count)


COLUMNS = ("opened", *STEPS)


# coordinates in the cube -> group -> step -> days of each relationship there that reached it
# (an array of machine integers: a million of them load in a moment)
Days = dict[tuple, dict[str, dict[str, array]]]
# group -> step -> month opened -> days of each relationship in the table that reached it
Dated = dict[str, dict[str, dict[date, array]]]


def _waits(row: dict) -> dict[str, int]:
    """The days from the first day to each step reached (a step before it is not a wait)."""
    found = {}
    for step in STEPS:
        reached = row[f"first_{step}"]
        if reached is not None and reached >= row["started"]:
            found[step] = (reached - row["started"]).days
    return found


def _add_wait(cube: Cube, days: Days, coords: tuple, group: str, waits: dict[str, int]) -> None:
    counts = cube.setdefault(coords, Counter())
    here = days.setdefault(coords, {}).setdefault(group, {s: array("i") for s in STEPS})
    for column in ("opened", *waits):
        counts[(group, column)] += 1
        counts[(ALL, column)] += 1
    for step, wait in waits.items():
        here[step].append(wait)


@by_quarters
@materialised
def pathway_waits(period: StatisticsFilters) -> tuple[Cube, Days]:
    """The counts and days of every relationship opened in the period by its place in the
    cube and its pathway or process: whatever narrowing is chosen, a sum over these. (By
    organisation, the same cells: the organisation is one of their coordinates.)"""
    cube: Cube = {}
    days: Days = {}
    for row in waiting_days(period).iterator(chunk_size=5000):
        coords = coordinates(row)
        _add_wait(cube, days, coords, group_of(row, BY_PATHWAY), _waits(row))
    return compact_with(cube, days)


# Where a cell's organisation stands in its coordinates.
ORGANISATION_PLACE = 1 + NARROWINGS.index("organisation")


def regrouping(by: tuple[str, ...]) -> Callable[[tuple, str], str]:
    """A cell's group in the table `by`, from its coordinates and its pathway group."""
    if by == BY_PATHWAY:
        return lambda _coords, group: group
    names = dict(Organisation.objects.values_list("pk", "name"))
    return lambda coords, _group: names.get(coords[ORGANISATION_PLACE], "")


def _regrouped(cube: Cube, regroup: Callable[[tuple, str], str]) -> Cube:
    """The cube with each cell's counts under its organisation's name: a cell holds the
    relationships of one organisation, so its totals are that organisation's."""
    found: Cube = {}
    for coords, counts in cube.items():
        group = regroup(coords, "")
        found[coords] = Counter(
            {
                key: n
                for (where, column), n in counts.items()
                if where == ALL
                for key in ((group, column), (ALL, column))
            }
        )
    return found


def counted_waits(
    filters: StatisticsFilters, by: tuple[str, ...] = BY_PATHWAY
) -> tuple[Cube, Dated]:
    """The period's cube, and the days of the relationships in the table chosen."""
    cube, days = pathway_waits(filters.period())
    regroup = regrouping(by)
    if by != BY_PATHWAY:
        cube = _regrouped(cube, regroup)
    dated: Dated = {}
    is_own = owned_by(filters)
    for coords, groups in days.items():
        if not is_own(coords):
            continue
        for group, steps in groups.items():
            own = dated.setdefault(regroup(coords, group), {step: {} for step in STEPS})
            for step, found in steps.items():
                own[step].setdefault(coords[0], array("i")).extend(found)
    return cube, dated


@materialised
def waiting_table(filters: StatisticsFilters, by: tuple[str, ...] = BY_PATHWAY) -> WaitingTable:
    """Rows by pathway or process (BY_PATHWAY) or by organisation (BY_ORGANISATION)."""
    return table_of(filters, *counted_waits(filters, by))


def table_of(filters: StatisticsFilters, cube: Cube, dated: Dated) -> WaitingTable:
    """The waiting table of what counted_waits found."""
    days = {
        group: {
            step: list(chain.from_iterable(by_month.values())) for step, by_month in steps.items()
        }
        for group, steps in dated.items()
    }
    counted = own_counts(cube, filters)
    groups = sorted(days)
    counts = [[counted[(g, column)] for column in COLUMNS] for g in groups]
    hidden = {(position(g, groups), COLUMNS.index(column)) for g, column in withheld(cube, filters)}
    shown = suppress_columns(counts, hidden) if groups else None

    def waits(i: int, counts: list, days_of: dict[str, list[int]]) -> dict[str, Wait]:
        return {
            step: spread(days_of[step], counts[1 + j], (i, 1 + j) in hidden)
            for j, step in enumerate(STEPS)
        }

    rows = [
        WaitingRow(group=g, opened=shown.cells[i][0], waits=waits(i, shown.cells[i], days[g]))
        for i, g in enumerate(groups)
    ]
    every = {step: [d for g in groups for d in days[g][step]] for step in STEPS}
    if not shown:
        return WaitingTable(rows, 0, {step: wait_figures([], 0) for step in STEPS})
    return WaitingTable(
        rows=rows,
        total_opened=shown.column_totals[0],
        total_waits=waits(len(groups), shown.column_totals, every),
    )
