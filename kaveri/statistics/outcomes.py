"""How client relationships ended: the relationships closed in the period, per pathway or
process (rows) and closure reason (columns), as a cross-table with its totals, suppressed
as one (kaveri.statistics.suppression) after the counts other tables would give away by
difference are withheld (kaveri.statistics.differencing). One grouped query: the database
counts."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from kaveri.casework.models import ClientRelationship
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


@dataclass(frozen=True)
class OutcomeTable:
    groups: list[str]  # pathway codes or relationship kinds, as in the waiting table
    reasons: list[str]  # closure reason codes
    shown: Shown


@by_quarters
@materialised
def outcome_cube(period: StatisticsFilters) -> Cube:
    """(group, closure reason) counts of the relationships closed in the period, by month
    and value of each narrowing."""
    closed = ClientRelationship.objects.filter(
        closed_on__gte=period.start, closed_on__lte=period.end
    )
    dimensions = period.dimensions("closed_on")
    rows = (
        closed.annotate(**dimensions)
        .values("pathway", "kind", "closure_reason", *dimensions)
        .annotate(n=Count("pk"))
        .order_by()
    )
    cube: Cube = {}
    for row in rows:
        group, reason = row["pathway"] or row["kind"], row["closure_reason"]
        counts = cube.setdefault(coordinates(row), Counter())
        for key in ((group, reason), (group, ALL), (ALL, reason), (ALL, ALL)):
            counts[key] += row["n"]
    return compact(cube)


@materialised
def outcome_table(filters: StatisticsFilters) -> OutcomeTable:
    cube = outcome_cube(filters.period())
    counts = +own_counts(cube, filters)
    groups = sorted({group for group, _reason in counts} - {ALL})
    reasons = sorted({reason for _group, reason in counts} - {ALL})
    if not counts:
        return OutcomeTable([], [], Shown(cells=[], row_totals=[], column_totals=[], total=0))
    cells = [[counts.get((g, r), 0) for r in reasons] for g in groups]
    hidden = {(position(g, groups), position(r, reasons)) for g, r in withheld(cube, filters)}
    return OutcomeTable(groups, reasons, suppress(cells, hidden))
