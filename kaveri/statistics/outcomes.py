"""How client relationships ended: the relationships closed in the period, per pathway or
process (rows) and closure reason (columns), as a cross-table with its totals, suppressed
as one (kaveri.statistics.suppression). One grouped query: the database counts."""

from dataclasses import dataclass

from django.db.models import Count

from kaveri.casework.models import ClientRelationship
from kaveri.statistics.filters import StatisticsFilters
from kaveri.statistics.suppression import Shown, suppress


@dataclass(frozen=True)
class OutcomeTable:
    groups: list[str]  # pathway codes or relationship kinds, as in the waiting table
    reasons: list[str]  # closure reason codes
    shown: Shown


def outcome_counts(filters: StatisticsFilters) -> dict[tuple[str, str], int]:
    closed = filters.apply(
        ClientRelationship.objects.filter(closed_on__gte=filters.start, closed_on__lte=filters.end)
    )
    rows = closed.values("pathway", "kind", "closure_reason").annotate(n=Count("pk")).order_by()
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row["pathway"] or row["kind"], row["closure_reason"])
        counts[key] = counts.get(key, 0) + row["n"]
    return counts


def outcome_table(filters: StatisticsFilters) -> OutcomeTable:
    counts = outcome_counts(filters)
    groups = sorted({group for group, _reason in counts})
    reasons = sorted({reason for _group, reason in counts})
    if not counts:
        return OutcomeTable([], [], Shown(cells=[], row_totals=[], column_totals=[], total=0))
    cells = [[counts.get((g, r), 0) for r in reasons] for g in groups]
    return OutcomeTable(groups, reasons, suppress(cells))
