"""What became of clients after their relationship closed: for each relationship closed in
the period, the client's situation in Kaveri a set time after the closure (the rule set's
closure_follow_ups, 6 and 12 months): in a service, in another open client relationship,
registered as an unemployed job seeker, or none of these. Where that day is still to come,
it is not yet known. Per closure reason, a cross-table with its totals, suppressed as one
after the counts other tables would give away by difference are withheld.

Kaveri knows a client's services, relationships and registrations, not their employment:
"none of these" is a client no authority of the network serves, which after a closure for
employment is the good news, and after a closure for illness may not be.

Three queries over the clients of the closures (their services, relationships and
registrations, each a date range) and one over the closures; the day of each follow-up is
computed in Python, months kept as the rules count them (Duration.after)."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from kaveri.casework.models import ClientRelationship, JobSeekerRegistration
from kaveri.rules.durations import Duration
from kaveri.services.models import ServiceEpisode
from kaveri.statistics.differencing import (
    ALL,
    Cube,
    compact,
    coordinates,
    own_counts,
    position,
    withheld,
)
from kaveri.statistics.filters import StatisticsFilters
from kaveri.statistics.materialised import materialised
from kaveri.statistics.quarters import by_quarters
from kaveri.statistics.suppression import Shown, suppress

# In the order a client's situation is named: the first that holds on the day.
SITUATIONS = ("SERVICE", "RELATIONSHIP", "JOB_SEEKER", "NONE", "NOT_YET")

Spans = dict[int, list[tuple[date, date | None]]]  # client -> (first day, last day or None)


@dataclass(frozen=True)
class FollowUpTable:
    after: Duration
    reasons: list[str]  # closure reason codes, the rows
    shown: Shown  # columns: SITUATIONS


def closures(filters: StatisticsFilters) -> QuerySet:
    return ClientRelationship.objects.filter(
        closed_on__gte=filters.start, closed_on__lte=filters.end
    )


def _spans(records: QuerySet, first: str, last: str) -> Spans:
    found: Spans = defaultdict(list)
    for client, starts, ends in records.order_by().values_list("client_id", first, last):
        found[client].append((starts, ends))
    return found


def _in_force(spans: list[tuple[date, date | None]], day: date) -> bool:
    return any(starts <= day and (ends is None or ends >= day) for starts, ends in spans)


@dataclass(frozen=True)
class Situations:
    """The clients' services, open relationships and registrations, as date ranges."""

    services: Spans
    relationships: Spans
    registrations: Spans

    @classmethod
    def of_clients(cls, clients: QuerySet) -> "Situations":
        # A service lasts to the day it ended, or if no end is recorded, its decision's last.
        services = ServiceEpisode.objects.filter(client__in=clients).annotate(
            last=Coalesce("ended_on", "ends_on")
        )
        relationships = ClientRelationship.objects.filter(client__in=clients)
        registrations = JobSeekerRegistration.objects.filter(client__in=clients)
        return cls(
            services=_spans(services, "starts_on", "last"),
            relationships=_spans(relationships, "opened_on", "closed_on"),
            registrations=_spans(registrations, "registered_on", "ended_on"),
        )

    def on(self, client: int, day: date, today: date) -> str:
        if day > today:
            return "NOT_YET"
        if _in_force(self.services.get(client, []), day):
            return "SERVICE"
        if _in_force(self.relationships.get(client, []), day):
            return "RELATIONSHIP"
        if _in_force(self.registrations.get(client, []), day):
            return "JOB_SEEKER"
        return "NONE"


@by_quarters
@materialised
def follow_up_cubes(
    period: StatisticsFilters, follow_ups: list[Duration], today: date
) -> list[Cube]:
    """Per follow-up time, (closure reason, situation) counts by month closed and narrowing."""
    closed = closures(period)
    dimensions = period.dimensions("closed_on")
    situations = Situations.of_clients(closed.values("client"))
    cubes: list[Cube] = [{} for _ in follow_ups]
    rows = closed.annotate(**dimensions).values(
        "client_id", "closed_on", "closure_reason", *dimensions
    )
    for row in rows.order_by().iterator(chunk_size=5000):
        coords = coordinates(row)
        for cube, after in zip(cubes, follow_ups, strict=True):
            situation = situations.on(row["client_id"], after.after(row["closed_on"]), today)
            counts = cube.setdefault(coords, Counter())
            reason = row["closure_reason"]
            for key in ((reason, situation), (reason, ALL), (ALL, situation), (ALL, ALL)):
                counts[key] += 1
    interned: dict = {}
    return [compact(cube, interned) for cube in cubes]


@materialised
def follow_up_tables(
    filters: StatisticsFilters, follow_ups: list[Duration], today: date
) -> list[FollowUpTable]:
    tables = []
    for after, cube in zip(
        follow_ups, follow_up_cubes(filters.period(), follow_ups, today), strict=True
    ):
        counts = +own_counts(cube, filters)
        reasons = sorted({reason for reason, _situation in counts} - {ALL})
        cells = [[counts[(r, s)] for s in SITUATIONS] for r in reasons]
        hidden = {
            (position(r, reasons), position(s, list(SITUATIONS)))
            for r, s in withheld(cube, filters)
        }
        shown = suppress(cells, hidden) if reasons else Shown([], [], [0] * len(SITUATIONS), 0)
        tables.append(FollowUpTable(after, reasons, shown))
    return tables
