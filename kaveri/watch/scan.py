"""The scan: every signal rule run for one day, over everyone or over some clients.

New hits become `Signal` rows; open rows whose rule no longer matches are cleared. Both
are set operations in the database (the hits a rule's query returns against the open
rows of that rule); Python sees only the new hits, to word their facts.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef

from kaveri.access.models import Organisation
from kaveri.access.planner import BULK_CHANGED_ROWS, refresh_planner_statistics
from kaveri.people.models import Client
from kaveri.rules.registry import rules_on
from kaveri.watch.models import Signal
from kaveri.watch.signals import QUERIES, SignalQuery
from kaveri.watch.states import SIGNAL

HIT_COLUMNS = (
    "pk",
    "w_client",
    "w_since",
    "w_organisation",
    "w_relationship",
    "w_authority",
)


CLEARED_BECAUSE = "The facts no longer match the rule."


@dataclass
class ScanCount:
    kind: str
    raised: int = 0
    cleared: int = 0
    open: int = 0


def scan(
    day: date,
    clients: Iterable[int] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[ScanCount]:
    """Run every signal rule of the rule set in force on `day`; one transaction."""
    rules = rules_on(day)
    counts = []
    with transaction.atomic():
        for rule in rules.data.watch.signals:
            counts.append(_scan_rule(QUERIES[rule.code], rule, rules, day, clients))
            if progress:
                progress(rule.code)
    if sum(c.raised + c.cleared for c in counts) >= BULK_CHANGED_ROWS:
        refresh_planner_statistics(Signal)
    return counts


def scan_clients(client_ids: Iterable[int], day: date) -> list[ScanCount]:
    return scan(day, clients=list(client_ids))


def _scan_rule(query: SignalQuery, rule, rules, day: date, clients) -> ScanCount:
    hits = query.found(day, rule, rules, clients)
    open_rows = Signal.objects.filter(kind=query.kind, cleared_on__isnull=True)
    if clients is not None:
        open_rows = open_rows.filter(client_id__in=clients)
    # NOT EXISTS, not NOT IN: PostgreSQL hashes a NOT IN list only while it fits in
    # work_mem, and at a million clients it would probe the hits once per open signal.
    cleared = SIGNAL.apply_to_all(
        open_rows.exclude(Exists(hits.order_by().filter(pk=OuterRef("source_id")))),
        "clear",
        effective_on=day,
        reason=CLEARED_BECAUSE,
        changes={"cleared_on": day},
    )
    fact_names = [name for name in hits.query.annotations if name.startswith("f_")]
    new = hits.exclude(Exists(open_rows.filter(source_id=OuterRef("pk")))).values(
        *HIT_COLUMNS, *fact_names
    )
    source_model = hits.model._meta.label_lower
    rows = [_row(query, source_model, hit, rules, day) for hit in new]
    Signal.objects.bulk_create(rows, batch_size=1000)
    return ScanCount(query.kind, raised=len(rows), cleared=cleared, open=open_rows.count())


def _row(query: SignalQuery, source_model: str, hit: dict, rules, day: date) -> Signal:
    return Signal(
        client_id=hit["w_client"],
        kind=query.kind,
        due_on=hit["w_since"] or day,
        source_model=source_model,
        source_id=hit["pk"],
        authority=hit["w_authority"] or "",
        organisation_id=hit["w_organisation"],
        relationship_id=hit["w_relationship"],
        owners=query.owners(hit),
        category=query.category,
        facts=query.facts(hit, rules),
        ruleset_version=rules.version,
        raised_on=day,
    )


def signals_on(day: date, client_ids: Iterable[int]) -> list[Signal]:
    """The signals the rules in force on `day` raise for these clients, by the scan's own
    queries and unsaved: for a page that answers "as of this day". A hit that is open
    in the store comes back as that row (with who acknowledged or snoozed it)."""
    rules = rules_on(day)
    ids = list(client_ids)
    stored = {
        (s.kind, s.source_model, s.source_id): s
        for s in Signal.objects.filter(client_id__in=ids, cleared_on__isnull=True).select_related(
            "client", "organisation", "worker__user"
        )
    }
    found = []
    for rule in rules.data.watch.signals:
        query = QUERIES[rule.code]
        hits = query.found(day, rule, rules, ids)
        fact_names = [name for name in hits.query.annotations if name.startswith("f_")]
        source_model = hits.model._meta.label_lower
        for hit in hits.values(*HIT_COLUMNS, *fact_names):
            key = (query.kind, source_model, hit["pk"])
            found.append(stored.get(key) or _row(query, source_model, hit, rules, day))
    _with_related([s for s in found if s.pk is None])
    return found


def _with_related(unsaved: list[Signal]) -> None:
    """The client and organisation of unsaved rows, read once for all of them."""
    clients = Client.objects.in_bulk({s.client_id for s in unsaved})
    organisations = Organisation.objects.in_bulk({s.organisation_id for s in unsaved} - {None})
    for signal in unsaved:
        signal.client = clients[signal.client_id]
        signal.organisation = organisations.get(signal.organisation_id)
