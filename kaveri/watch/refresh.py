"""Keeping the stored deadlines and signals in step with the facts.

`refresh_clients` runs inside the transaction of the operation that changed the facts
(it is registered with `kaveri.rules.watchers`); `rebuild_deadlines` recomputes the
whole population in chunks, after an import or the demo's bulk generation.
"""

from collections.abc import Callable, Iterable

from django.db import transaction

from kaveri.access.planner import BULK_CHANGED_ROWS, refresh_planner_statistics
from kaveri.people.models import Client
from kaveri.rules import clock
from kaveri.watch.deadlines import Due, deadlines_of
from kaveri.watch.facts import ClientFacts, load_facts
from kaveri.watch.models import Deadline
from kaveri.watch.scan import scan_clients

CHUNK = 2000


def as_row(due: Due) -> Deadline:
    return Deadline(**vars(due))


def store_deadlines(facts: Iterable[ClientFacts]) -> int:
    """Replace the deadlines of these clients with those their facts give now."""
    facts = list(facts)
    Deadline.objects.filter(client_id__in=[f.client_id for f in facts]).delete()
    rows = [as_row(due) for f in facts for due in deadlines_of(f)]
    Deadline.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def refresh_clients(client_ids: set[int]) -> None:
    with transaction.atomic():
        store_deadlines(load_facts(client_ids).values())
        scan_clients(client_ids, clock.today())


def rebuild_deadlines(progress: Callable[[int], None] | None = None) -> int:
    """Every client's deadlines recomputed, a chunk of clients per transaction."""
    written = 0
    last = 0
    while True:
        ids = list(
            Client.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK]
        )
        if not ids:
            if written >= BULK_CHANGED_ROWS:
                refresh_planner_statistics(Deadline)
            return written
        with transaction.atomic():
            written += store_deadlines(load_facts(ids).values())
        last = ids[-1]
        if progress:
            progress(len(ids))
