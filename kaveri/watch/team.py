"""The team view of one organisation: the clients with no named worker, each worker's
load, and the signals the organisation answers for that no one has acted on.

Each is one query over the organisation's rows (indexed by organisation), counted in
the database, never a loop over its clients.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, Func, IntegerField, OuterRef, Q, QuerySet, Subquery

from kaveri.access.models import Worker
from kaveri.casework.models import ClientRelationship, NamedWorker
from kaveri.watch.models import Deadline, Signal


def unnamed_relationships(organisation) -> QuerySet:
    """The organisation's open relationships with no worker named now, longest waiting first."""
    named_now = NamedWorker.objects.current().filter(relationship=OuterRef("pk"))
    return (
        ClientRelationship.objects.filter(organisation=organisation, closed_on__isnull=True)
        .exclude(Exists(named_now))
        .select_related("client")
        .order_by("opened_on", "pk")
    )


def unacted(today: date) -> Q:
    """No one has acknowledged or snoozed the signal, or the snooze has run out."""
    return Q(state=Signal.State.OPEN) | Q(state=Signal.State.SNOOZED, snoozed_until__lt=today)


def unacted_signals(organisation, today: date) -> QuerySet:
    """Open signals the organisation answers for that no one has acted on, oldest first."""
    return (
        Signal.objects.filter(unacted(today), organisation=organisation, cleared_on__isnull=True)
        .select_related("client", "worker__user")
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class Load:
    worker: Worker
    clients: int
    open_signals: int
    unacted_signals: int
    overdue: int


def _on_named_clients(rows: QuerySet) -> Subquery:
    """How many of `rows` are on the clients the outer worker is named to now."""
    named = (
        NamedWorker.objects.serving()
        .filter(worker=OuterRef(OuterRef("pk")))
        .values("relationship__client_id")
    )
    counted = (
        rows.filter(client_id__in=named)
        .order_by()
        .annotate(n=Func("pk", function="COUNT"))
        .values("n")
    )
    return Subquery(counted, output_field=IntegerField())


def load_per_worker(organisation, today: date) -> list[Load]:
    """Each worker of the organisation: the clients they are named to, the open and the
    unacted signals on those clients, and their tracked deadlines overdue."""
    open_signals = Signal.objects.filter(cleared_on__isnull=True)
    workers = (
        Worker.objects.filter(organisation=organisation, user__is_active=True)
        .select_related("user")
        .annotate(
            n_clients=Count(
                "named_in__relationship__client",
                filter=Q(
                    named_in__to_date__isnull=True,
                    named_in__relationship__closed_on__isnull=True,
                ),
                distinct=True,
            ),
            n_signals=_on_named_clients(open_signals),
            n_unacted=_on_named_clients(open_signals.filter(unacted(today))),
            n_overdue=_on_named_clients(Deadline.objects.filter(tracked=True, due_on__lt=today)),
        )
        .order_by("-n_unacted", "user__last_name", "user__first_name", "pk")
    )
    return [Load(w, w.n_clients, w.n_signals, w.n_unacted, w.n_overdue) for w in workers]
