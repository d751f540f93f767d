"""How long clients wait: from the first contact (or the opening of the relationship) to
the service need assessment, to the plan and to the first service, per pathway or
process, as the number of relationships, the median and the 90th percentile in days.

One query over the relationships opened in the period (indexed on the opening day),
each with the first day of each step as a subquery; the figures are taken in Python
from those days. Nothing about a person leaves this module: a group of fewer than
SMALLEST_SHOWN relationships shows no figure, and the counts are suppressed as a table
(kaveri.statistics.suppression) so that the totals give none away."""

from dataclasses import dataclass

from django.db.models import F, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from kaveri.casework.models import ClientRelationship, ServiceNeedAssessment
from kaveri.plans.models import Plan
from kaveri.rules.figures import nearest_rank
from kaveri.services.models import ServiceEpisode
from kaveri.statistics.filters import StatisticsFilters
from kaveri.statistics.suppression import SMALLEST_SHOWN, suppress_columns

STEPS = ("assessment", "plan", "service")


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


def _first(model, field: str) -> Subquery:
    return Subquery(
        model.objects.filter(relationship=OuterRef("pk"))
        .order_by()
        .values("relationship")
        .annotate(first=Min(field))
        .values("first")[:1]
    )


def relationships_opened(filters: StatisticsFilters) -> QuerySet:
    return filters.apply(
        ClientRelationship.objects.filter(opened_on__gte=filters.start, opened_on__lte=filters.end)
    )


def waiting_days(filters: StatisticsFilters) -> QuerySet:
    """(group, started, assessment, plan, service) for each relationship opened."""
    return (
        relationships_opened(filters)
        .annotate(
            started=Coalesce(F("contact__occurred_on"), F("opened_on")),
            first_assessment=_first(ServiceNeedAssessment, "assessed_on"),
            first_plan=_first(Plan, "made_on"),
            first_service=_first(ServiceEpisode, "starts_on"),
        )
        .order_by()
        .values_list(
            "pathway", "kind", "started", "first_assessment", "first_plan", "first_service"
        )
    )


def wait_figures(days: list[int], shown_count: int | None) -> Wait:
    """A median and a percentile are figures about the group: shown when it has at least
    SMALLEST_SHOWN people, even where its count is withheld to protect another group."""
    if len(days) < SMALLEST_SHOWN:
        return Wait(shown_count, None, None)
    ordered = sorted(days)
    return Wait(shown_count, nearest_rank(ordered, 0.5), nearest_rank(ordered, 0.9))


def waiting_table(filters: StatisticsFilters) -> WaitingTable:
    opened: dict[str, int] = {}
    days: dict[str, dict[str, list[int]]] = {}
    for pathway, kind, started, *firsts in waiting_days(filters).iterator(chunk_size=5000):
        group = pathway or kind
        opened[group] = opened.get(group, 0) + 1
        waits = days.setdefault(group, {step: [] for step in STEPS})
        for step, reached in zip(STEPS, firsts, strict=True):
            if reached is not None and reached >= started:
                waits[step].append((reached - started).days)
    groups = sorted(opened)
    counts = [[opened[g], *(len(days[g][step]) for step in STEPS)] for g in groups]
    shown = suppress_columns(counts) if groups else None
    rows = [
        WaitingRow(
            group=g,
            opened=shown.cells[i][0],
            waits={
                step: wait_figures(days[g][step], shown.cells[i][1 + j])
                for j, step in enumerate(STEPS)
            },
        )
        for i, g in enumerate(groups)
    ]
    every = {step: [d for g in groups for d in days[g][step]] for step in STEPS}
    return WaitingTable(
        rows=rows,
        total_opened=shown.column_totals[0] if shown else 0,
        total_waits={
            step: wait_figures(every[step], shown.column_totals[1 + j] if shown else 0)
            for j, step in enumerate(STEPS)
        },
    )
