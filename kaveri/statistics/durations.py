"""How long things last: the time clients spent in each service and the gap before their
next one, and how long the watch's signals stayed open, per service, kind of signal or
organisation, as counts with the median and 90th percentile of the days.

Each is one query over the records that ended (or were raised) in the period; the days
are taken in Python, as the waiting times are. Counts are suppressed column by column, a
median and a percentile shown only for at least SMALLEST_SHOWN records."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Min, OuterRef, QuerySet, Subquery

from kaveri.casework.models import ClientRelationship
from kaveri.services.models import ServiceEpisode
from kaveri.statistics.filters import StatisticsFilters
from kaveri.statistics.suppression import suppress_columns
from kaveri.statistics.waiting import Wait, wait_figures
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


def tabulate(tallies: dict[str, Tally]) -> tuple[list[DurationRow], DurationRow | None]:
    """Rows by group and the total row, counts suppressed as columns; each spread's count
    is the column of the same position among the counts."""
    groups = sorted(tallies)
    if not groups:
        return [], None
    shown = suppress_columns([tallies[g].counts for g in groups])

    def row(group: str, counts: list[int | None], days: list[list[int]]) -> DurationRow:
        spreads = [wait_figures(d, counts[i]) for i, d in enumerate(days)]
        return DurationRow(group, counts, spreads)

    rows = [row(g, shown.cells[i], tallies[g].days) for i, g in enumerate(groups)]
    every = [[d for g in groups for d in tallies[g].days[i]] for i in range(len(rows[0].spreads))]
    return rows, row("", shown.column_totals, every)


def _narrowed(filters: StatisticsFilters) -> bool:
    return any(
        (
            filters.region,
            filters.municipality,
            filters.authority,
            filters.organisation,
            filters.age_group,
            filters.language,
        )
    )


def _of_relationships(records: QuerySet, filters: StatisticsFilters) -> QuerySet:
    if not _narrowed(filters):
        return records
    return records.filter(relationship__in=filters.apply(ClientRelationship.objects.all()))


def _next_start(end: date) -> Subquery:
    """The first day of the client's next service: one that starts on or after this one
    ended, by the period's end."""
    later = ServiceEpisode.objects.filter(
        client=OuterRef("client"), starts_on__gte=OuterRef("ended_on"), starts_on__lte=end
    ).exclude(pk=OuterRef("pk"))
    return Subquery(
        later.order_by().values("client").annotate(first=Min("starts_on")).values("first")[:1]
    )


def service_days(filters: StatisticsFilters) -> QuerySet:
    """(service, started, ended, next service's start) for each service that ended."""
    ended = ServiceEpisode.objects.filter(ended_on__gte=filters.start, ended_on__lte=filters.end)
    return (
        _of_relationships(ended, filters)
        .annotate(next_start=_next_start(filters.end))
        .order_by()
        .values_list("service", "starts_on", "ended_on", "next_start")
    )


def service_table(filters: StatisticsFilters):
    """Per service: ended in the period, went on to another service, none yet; the days in
    the service (of those ended) and of the gap before the next (of those who went on)."""
    tallies: dict[str, Tally] = defaultdict(lambda: Tally([0, 0, 0], [[], []]))
    for service, started, ended, next_start in service_days(filters).iterator(chunk_size=5000):
        tally = tallies[service]
        tally.counts[0] += 1
        tally.days[0].append((ended - started).days)
        if next_start is None:
            tally.counts[2] += 1
        else:
            tally.counts[1] += 1
            tally.days[1].append((next_start - ended).days)
    return tabulate(dict(tallies))


def _signals(filters: StatisticsFilters) -> QuerySet:
    raised = Signal.objects.filter(raised_on__gte=filters.start, raised_on__lte=filters.end)
    narrowing = {
        "organisation__region": filters.region,
        "organisation__municipality": filters.municipality,
        "authority": filters.authority,
        "organisation_id": filters.organisation,
        "client__language": filters.language,
    }
    raised = raised.filter(**{key: value for key, value in narrowing.items() if value})
    if filters.age_group:
        raised = raised.filter(
            client__in=filters.apply(ClientRelationship.objects.all()).values("client")
        )
    return raised


def signal_table(filters: StatisticsFilters, by: str):
    """Per kind of signal (by="kind") or organisation (by="organisation__name"): raised in
    the period and still open at its end; the days each stayed open (to its end if open)."""
    tallies: dict[str, Tally] = defaultdict(lambda: Tally([0, 0], [[]]))
    rows = _signals(filters).order_by().values_list(by, "raised_on", "cleared_on")
    for group, raised, cleared in rows.iterator(chunk_size=5000):
        tally = tallies[group or ""]
        tally.counts[0] += 1
        still_open = cleared is None or cleared > filters.end
        tally.counts[1] += still_open
        tally.days[0].append(((filters.end if still_open else cleared) - raised).days)
    return tabulate(dict(tallies))
