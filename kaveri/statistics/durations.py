"""How long things last: the time clients spent in each service and the gap before their
next one, and how long the watch's signals stayed open, per service, kind of signal or
organisation, as counts with the median and 90th percentile of the days.

Each is one query over the records that ended (or were raised) in the period; the days
are taken in Python, as the waiting times are. Counts are suppressed column by column, a
median and a percentile shown only for at least SMALLEST_SHOWN records."""

from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Min, OuterRef, QuerySet, Subquery

from kaveri.services.models import ServiceEpisode
from kaveri.statistics.differencing import (
    ALL,
    Cube,
    compact,
    coordinates,
    owned_by,
    position,
    withheld,
)
from kaveri.statistics.filters import StatisticsFilters, through
from kaveri.statistics.materialised import materialised
from kaveri.statistics.quarters import by_quarters
from kaveri.statistics.suppression import suppress_columns
from kaveri.statistics.waiting import Wait, group_of, spread
from kaveri.watch.models import Signal


@dataclass(frozen=True)
class DurationRow:
    group: str
    counts: list[int | None]
    spreads: list[Wait]


@dataclass
class Tally:
    """One group's counts and the days of each spread, before suppression."""

    counts: list[int]
    days: list[list[int]]


def add_to_cube(cube: Cube, coords: tuple, group: str, counts: list[int]) -> None:
    """One record's counts, by its group and in the total row."""
    found = cube.setdefault(coords, Counter())
    for column, n in enumerate(counts):
        found[(group, column)] += n
        found[(ALL, column)] += n


def tabulate(
    tallies: dict[str, Tally], hidden: set[tuple[str, int]] = frozenset()
) -> tuple[list[DurationRow], DurationRow | None]:
    """Rows by group and the total row, counts suppressed as columns; each spread's count
    is the column of the same position among the counts. `hidden` are the (group or ALL,
    column) counts another table would give away by difference: withheld with the spread."""
    groups = sorted(tallies)
    if not groups:
        return [], None
    withheld_cells = {(position(g, groups), column) for g, column in hidden}
    shown = suppress_columns([tallies[g].counts for g in groups], withheld_cells)

    def row(i: int, group: str, counts: list[int | None], days: list[list[int]]) -> DurationRow:
        spreads = [spread(d, counts[j], (i, j) in withheld_cells) for j, d in enumerate(days)]
        return DurationRow(group, counts, spreads)

    rows = [row(i, g, shown.cells[i], tallies[g].days) for i, g in enumerate(groups)]
    every = [[d for g in groups for d in tallies[g].days[i]] for i in range(len(rows[0].spreads))]
    return rows, row(len(groups), "", shown.column_totals, every)


SERVICE_PATHS = through("relationship")
SIGNAL_PATHS = {
    "region": "organisation__region",
    "municipality": "client__municipality",  # the client's, as for relationships
    "authority": "authority",
    "organisation": "organisation_id",
    "age_group": "client__birth_date",
    "language": "client__language",
}


def _next_start(day: date) -> Subquery:
    """The first day of the client's next service: one that starts on or after this one
    ended, by the day counted."""
    later = ServiceEpisode.objects.filter(
        client=OuterRef("client"), starts_on__gte=OuterRef("ended_on"), starts_on__lte=day
    ).exclude(pk=OuterRef("pk"))
    return Subquery(
        later.order_by().values("client").annotate(first=Min("starts_on")).values("first")[:1]
    )


# What a table of services' rows are: the first of these fields that is not empty.
SERVICE_GROUPS = {
    "service": ("service",),
    "pathway": ("relationship__pathway", "relationship__kind"),
    "organisation": ("decided_by__name",),
}


def service_days(period: StatisticsFilters, by: tuple[str, ...]) -> QuerySet:
    """(group fields, started, ended, next service's start, coordinates) for each service
    that ended in the period."""
    ended = ServiceEpisode.objects.filter(ended_on__gte=period.start, ended_on__lte=period.end)
    dimensions = period.dimensions("ended_on", SERVICE_PATHS)
    return (
        ended.annotate(next_start=_next_start(period.day), **dimensions)
        .order_by()
        .values(*by, "starts_on", "ended_on", "next_start", *dimensions)
    )


# The services that ended in one place of the cube with the same group in each grouping
# of SERVICE_GROUPS: the days each was in the service, and the days before the next began
# of those who went on (arrays of machine integers: a million load in a moment).
@dataclass
class Ended:
    days_in: array = field(default_factory=lambda: array("i"))
    gaps: array = field(default_factory=lambda: array("i"))


# coordinates in the cube -> (group in each grouping) -> the services that ended there
EndedByPlace = dict[tuple, dict[tuple[str, ...], Ended]]


@by_quarters
@materialised
def tally_services(period: StatisticsFilters) -> tuple[dict[str, Cube], EndedByPlace]:
    """One pass over the services that ended in the period: per grouping, the cube of
    ended / went on / none yet, and by place in the cube, the days of those that ended there."""
    fields = tuple(dict.fromkeys(field for by in SERVICE_GROUPS.values() for field in by))
    cubes: dict[str, Cube] = {grouping: {} for grouping in SERVICE_GROUPS}
    ended: EndedByPlace = {}
    for row in service_days(period, fields).iterator(chunk_size=5000):
        next_start = row["next_start"]
        counts = [1, int(next_start is not None), int(next_start is None)]
        coords = coordinates(row)
        groups = tuple(group_of(row, by) for by in SERVICE_GROUPS.values())
        for grouping, group in zip(SERVICE_GROUPS, groups, strict=True):
            add_to_cube(cubes[grouping], coords, group, counts)
        here = ended.setdefault(coords, {}).setdefault(groups, Ended())
        here.days_in.append((row["ended_on"] - row["starts_on"]).days)
        if next_start is not None:
            here.gaps.append((next_start - row["ended_on"]).days)
    interned: dict = {}
    cubes = {grouping: compact(cube, interned) for grouping, cube in cubes.items()}
    return cubes, ended


def _add_services(tally: Tally, services: Ended) -> None:
    went_on = len(services.gaps)
    counts = [len(services.days_in), went_on, len(services.days_in) - went_on]
    tally.counts = [a + b for a, b in zip(tally.counts, counts, strict=True)]
    tally.days[0].extend(services.days_in)
    tally.days[1].extend(services.gaps)


@materialised
def service_tables(filters: StatisticsFilters) -> dict[str, tuple]:
    """For each grouping of SERVICE_GROUPS: per group, ended in the period, went on to
    another service, none yet; the days in the service (of those ended) and of the gap
    before the next (of those who went on)."""
    cubes, ended = tally_services(filters.period())
    tallies: dict[str, dict[str, Tally]] = {
        grouping: defaultdict(lambda: Tally([0, 0, 0], [[], []])) for grouping in SERVICE_GROUPS
    }
    is_own = owned_by(filters)
    for coords, by_groups in ended.items():
        if not is_own(coords):
            continue
        for groups, services in by_groups.items():
            for grouping, group in zip(SERVICE_GROUPS, groups, strict=True):
                _add_services(tallies[grouping][group], services)
    return {
        grouping: tabulate(dict(tallies[grouping]), withheld(cubes[grouping], filters))
        for grouping in SERVICE_GROUPS
    }


def service_table(filters: StatisticsFilters, grouping: str = "service"):
    """The services per service, pathway or deciding organisation (SERVICE_GROUPS)."""
    return service_tables(filters)[grouping]


@materialised
def signal_table(filters: StatisticsFilters, by: str):
    """Per kind of signal (by="kind") or organisation (by="organisation__name"): raised in
    the period and still open on the day counted; the days each stayed open (to that day if
    open)."""
    cube: Cube = {}
    tallies: dict[str, Tally] = defaultdict(lambda: Tally([0, 0], [[]]))
    raised = Signal.objects.filter(raised_on__gte=filters.start, raised_on__lte=filters.end)
    dimensions = filters.dimensions("raised_on", SIGNAL_PATHS)
    rows = (
        raised.annotate(**dimensions).order_by().values(by, "raised_on", "cleared_on", *dimensions)
    )
    is_own = owned_by(filters)
    for row in rows.iterator(chunk_size=5000):
        group, cleared = row[by] or "", row["cleared_on"]
        still_open = cleared is None or cleared > filters.day
        coords = coordinates(row)
        add_to_cube(cube, coords, group, [1, int(still_open)])
        if not is_own(coords):
            continue
        tally = tallies[group]
        tally.counts[0] += 1
        tally.counts[1] += still_open
        tally.days[0].append(((filters.day if still_open else cleared) - row["raised_on"]).days)
    return tabulate(dict(tallies), withheld(cube, filters))
