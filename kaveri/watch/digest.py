"""The daily digest: each worker is told by e-mail what became due or overdue for the
clients they are named to, and which signals were raised, on the day.

It counts by kind and names no client (e-mail leaves the system); the link opens the
worklist, where the details are shown under the usual rules. Computed from the day's rows
only (the signals raised that day, the deadlines due that day or overdue since it), then
joined to the workers named to those clients: never a loop over the population. A worker
gets at most one digest a day, however often the task runs.
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kaveri.access.models import Worker
from kaveri.casework.models import NamedWorker
from kaveri.rules.registry import rules_on
from kaveri.watch.explain import kind_label_of
from kaveri.watch.models import Deadline, DigestSent, Signal
from kaveri.watch.worklist import REVIEWERS_ONLY, spoken_for_by_signals


@dataclass
class Digest:
    worker: Worker
    new_signals: Counter = field(default_factory=Counter)
    due_today: Counter = field(default_factory=Counter)
    overdue_now: Counter = field(default_factory=Counter)

    @property
    def items(self) -> int:
        return (
            sum(self.new_signals.values())
            + sum(self.due_today.values())
            + sum(self.overdue_now.values())
        )


def _rows_of_the_day(day: date) -> dict[str, QuerySet]:
    """New signals; deadlines due today; tracked ones overdue from today, unless a signal
    speaks for them once passed (it is among the new signals)."""
    speaks_for = spoken_for_by_signals(rules_on(day))
    return {
        "new_signals": Signal.objects.filter(raised_on=day, cleared_on__isnull=True).exclude(
            kind__in=REVIEWERS_ONLY
        ),
        "due_today": Deadline.objects.filter(due_on=day),
        "overdue_now": Deadline.objects.filter(
            due_on=day - timedelta(days=1), tracked=True
        ).exclude(kind__in=speaks_for),
    }


def _recipients() -> QuerySet:
    return (
        NamedWorker.objects.serving()
        .filter(worker__user__is_active=True)
        .exclude(worker__user__email="")
    )


def digests_for(day: date) -> list[Digest]:
    """The digest of every worker with an e-mail address and something new on `day`."""
    digests: dict[int, Digest] = defaultdict(lambda: Digest(worker=None))
    for part, rows in _rows_of_the_day(day).items():
        kinds_of: dict[int, list[str]] = defaultdict(list)
        for client_id, kind in rows.values_list("client_id", "kind"):
            kinds_of[client_id].append(kind)
        named = (
            _recipients()
            .filter(relationship__client_id__in=rows.values("client_id"))
            .values_list("worker_id", "relationship__client_id")
            .distinct()
        )
        for worker_id, client_id in named:
            getattr(digests[worker_id], part).update(kinds_of[client_id])
    for worker in Worker.objects.filter(pk__in=digests).select_related("user"):
        digests[worker.pk].worker = worker
    return [d for d in digests.values() if d.items]


def _lines(counts: Counter, rules, language: str) -> list[tuple[str, int]]:
    return sorted(
        ((kind_label_of(rules, kind, language), n) for kind, n in counts.items()),
        key=lambda line: (-line[1], line[0]),
    )


def message_of(digest: Digest, day: date, language: str = "") -> EmailMessage:
    language = language or digest.worker.language or settings.LANGUAGE_CODE
    rules = rules_on(day)
    with translation.override(language):
        context = {
            "worker": digest.worker,
            "day": day,
            "new_signals": _lines(digest.new_signals, rules, language),
            "due_today": _lines(digest.due_today, rules, language),
            "overdue_now": _lines(digest.overdue_now, rules, language),
            "worklist_url": settings.KAVERI_SITE_URL + reverse("workspace:clients"),
        }
        subject = render_to_string("watch/digest_subject.txt", context).strip()
        body = render_to_string("watch/digest.txt", context)
    return EmailMessage(subject, body, to=[digest.worker.user.email])


def send_digests(
    day: date,
    progress: Callable[[int], None] | None = None,
    digests: list[Digest] | None = None,
) -> int:
    """Send each worker the day's digest once; returns how many were sent now."""
    sent = 0
    connection = get_connection()
    for digest in digests_for(day) if digests is None else digests:
        if _send_once(digest, day, connection):
            sent += 1
        if progress:
            progress(1)
    return sent


def _send_once(digest: Digest, day: date, connection) -> bool:
    """Record the sending first and send in the same transaction: a failed send leaves no
    record (it is tried again), a digest recorded as sent is not sent twice."""
    try:
        with transaction.atomic():
            DigestSent.objects.create(worker=digest.worker, day=day, items=digest.items)
            connection.send_messages([message_of(digest, day)])
    except IntegrityError:
        return False
    return True
