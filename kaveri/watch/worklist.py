"""The worker's worklist: the deadlines and signals of the clients they are named to,
most urgent first, each in words and with the action that resolves it.

A worker sees a row's details only where they may see the data behind it (their own
authority's, or another's under the client's consent); otherwise the row says that the
client needs attention from the named authority, and whom to contact there.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kaveri.access.visibility import remember_visibilities, visibility_of
from kaveri.casework.models import NamedWorker
from kaveri.rules.registry import rules_on
from kaveri.rules.ruleset import current_language
from kaveri.watch.explain import explain, kind_label, responsible_name, rules_of_row
from kaveri.watch.models import Deadline, Signal
from kaveri.watch.scan import signals_on

REVIEWERS_ONLY = ("EMERGENCY_ACCESS_UNREVIEWED",)
MAX_WITHIN = 366

# The page that resolves each kind, and which id of the row it takes.
RESOLVED_AT: dict[str, tuple[str, str]] = {
    "PLAN_REVIEW": ("workspace:plan_revise", "source"),
    "PLAN_REVIEW_OVERDUE": ("workspace:plan_revise", "source"),
    "DECISION_END": ("workspace:episode_continue", "source"),
    "PERIOD_END": ("workspace:participation_new", "source"),
    "NO_PARTICIPATION": ("workspace:participation_new", "source"),
    "PARTICIPATION_OUT_OF_BOUNDS": ("workspace:participation_new", "source"),
    "UNEMPLOYMENT_PERIOD_REPORT": ("workspace:period_report", "source"),
    "SERVICE_ENDED_NO_NEXT_STEP": ("workspace:service_new", "client"),
    "INITIAL_INTERVIEW": ("workspace:plan_new", "client"),
    "JOB_SEARCH_DISCUSSION": ("workspace:client", "client"),
    "EXPECTED_DECISION": ("workspace:application_decide", "source"),
    "APPLICATION_OVERDUE": ("workspace:application_decide", "source"),
    "INFORMATION_ANSWER": ("workspace:information_answer", "source"),
    "INFORMATION_REQUEST_DUE": ("workspace:information_answer", "source"),
    "CONTINUATION_APPLICATION": ("workspace:application_new", "client"),
    "CONTINUATION_EVIDENCE": ("workspace:client", "client"),
    "EVIDENCE_DUE": ("workspace:client", "client"),
    "APPEAL_DUE": ("workspace:appeal_new", "source"),
    "APPEAL_NEXT_STAGE": ("workspace:appeal_new", "source"),
    "CONSENT_EXPIRY": ("workspace:consent_new", "client"),
    "DATA_REQUEST_ANSWER": ("workspace:data_request_answer", "source"),
    "CONSENT_PLAN_AT_RISK": ("workspace:consent_new", "client"),
    "CONSENT_WITHOUT_FORM": ("workspace:consent_attach_form", "source"),
    "NO_NAMED_WORKER": ("workspace:name_worker", "source"),
    "TYP_REFERRAL_NOT_ACTED": ("workspace:assessment_new", "source"),
    "KELA_SERVICE_NO_APPLICATION": ("workspace:client", "client"),
}


@lru_cache(maxsize=256)
def _around_id(name: str, language: str) -> tuple[str, str]:
    marker = "987654321"
    return tuple(reverse(name, args=[int(marker)]).split(marker, 1))


def url_with_id(name: str, pk: int) -> str:
    """`reverse(name, args=[pk])` for a page whose one argument is an id: reversed once per
    language, as a list of hundreds of rows would otherwise spend its time there."""
    head, tail = _around_id(name, get_language())
    return f"{head}{pk}{tail}"


def watch_kinds(rules, language: str = "fi") -> list[tuple[str, str]]:
    """(code, label) of every signal and deadline kind, signals first."""
    watch = rules.data.watch
    return [(k.code, k.label.get(language)) for k in [*watch.signals, *watch.deadlines]]


@dataclass
class Filters:
    kind: str = ""
    authority: str = ""
    within_days: int | None = None

    @classmethod
    def checked(cls, rules, kind: str = "", authority: str = "", within: str = "") -> "Filters":
        """The filters a reader asked for, keeping only values the rule set knows."""
        within = str(within or "")
        return cls(
            kind=kind if kind in dict(watch_kinds(rules)) else "",
            authority=authority if authority in rules.authorities else "",
            within_days=int(within) if within.isdigit() and int(within) <= MAX_WITHIN else None,
        )


def urgency(pressing: bool, acknowledged: bool, due: date, pk: int | None) -> tuple:
    """The worklist's order: signals and overdue deadlines first, those no one has
    acknowledged before the rest, then by due day."""
    return (not pressing, acknowledged, due, pk or 0)


@dataclass
class Item:
    row: object
    signal: bool
    overdue: bool
    title: str
    text: str
    detailed: bool
    action_url: str
    action_label: str
    may: frozenset = frozenset()  # the actions the reader may take on it (set by the page)

    @property
    def client(self):
        return self.row.client

    @property
    def client_url(self) -> str:
        return url_with_id("workspace:client", self.row.client_id)

    @property
    def acknowledge_url(self) -> str:
        return url_with_id("workspace:signal_acknowledge", self.row.pk)

    @property
    def snooze_url(self) -> str:
        return url_with_id("workspace:signal_snooze", self.row.pk)

    @property
    def urgency(self) -> tuple:
        acknowledged = self.signal and self.row.state == Signal.State.ACKNOWLEDGED
        return urgency(self.signal or self.overdue, acknowledged, self.row.due_on, self.row.pk)


def my_clients(worker) -> QuerySet:
    """The clients the worker is named to in an open relationship: one indexed subquery."""
    return NamedWorker.objects.serving().filter(worker=worker).values("relationship__client_id")


def spoken_for_by_signals(rules) -> list[str]:
    """The deadline kinds a signal speaks for once they have passed."""
    return [d.code for d in rules.data.watch.deadlines if d.overdue_signal is not None]


def horizon_of(today: date, filters: Filters) -> date:
    if filters.within_days is not None:
        return today + timedelta(days=filters.within_days)
    return rules_on(today).data.watch.coming_within.after(today)


def deadline_rows(clients: QuerySet, today: date, filters: Filters) -> QuerySet:
    """Tracked deadlines due by the horizon (overdue ones while no signal speaks for
    them), and appointments from today to the horizon."""
    speaks_for = spoken_for_by_signals(rules_on(today))
    rows = Deadline.objects.filter(client_id__in=clients, due_on__lte=horizon_of(today, filters))
    rows = rows.filter(Q(due_on__gte=today) | (Q(tracked=True) & ~Q(kind__in=speaks_for)))
    return _filtered(rows, filters)


def signal_rows(clients: QuerySet, today: date, filters: Filters) -> QuerySet:
    rows = Signal.objects.filter(client_id__in=clients, cleared_on__isnull=True).exclude(
        kind__in=REVIEWERS_ONLY
    )
    rows = rows.filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lt=today))
    return _filtered(rows, filters)


def _filtered(rows: QuerySet, filters: Filters) -> QuerySet:
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.authority:
        rows = rows.filter(authority=filters.authority)
    return rows.select_related("client", "organisation", "worker__user")


@dataclass(frozen=True)
class Entry:
    """One row's place in the worklist's order, before the row is read in full."""

    urgency: tuple
    signal: bool
    pk: int


def entries(principal, filters: Filters | None = None) -> list[Entry]:
    """The order of everything due or flagged for the worker's own clients, most urgent
    first: only the columns that order them, so that a page reads 50 rows, not all."""
    filters = filters or Filters()
    clients = my_clients(principal.worker)
    today = principal.today
    signals = signal_rows(clients, today, filters).values_list("pk", "due_on", "state")
    deadlines = deadline_rows(clients, today, filters).values_list("pk", "due_on", "tracked")
    found = [
        Entry(urgency(True, state == Signal.State.ACKNOWLEDGED, due, pk), True, pk)
        for pk, due, state in signals
    ]
    found += [
        Entry(urgency(tracked and due < today, False, due, pk), False, pk)
        for pk, due, tracked in deadlines
    ]
    return sorted(found, key=lambda entry: entry.urgency)


def items_of(principal, chosen: list[Entry]) -> list[Item]:
    """The chosen entries read in full and worded, with what the principal may see of each
    client asked once for all of them."""
    related = ("client", "organisation", "worker__user")
    signals = Signal.objects.select_related(*related).in_bulk([e.pk for e in chosen if e.signal])
    deadlines = Deadline.objects.select_related(*related).in_bulk(
        [e.pk for e in chosen if not e.signal]
    )
    rows = [(signals[e.pk] if e.signal else deadlines[e.pk], e.signal) for e in chosen]
    remember_visibilities(principal, {r.client_id: r.client for r, _s in rows}.values())
    contacts = contacts_of({r.relationship_id for r, _s in rows if r.relationship_id})
    return [item_of(principal, row, signal, contacts) for row, signal in rows]


def worklist(principal, filters: Filters | None = None) -> list[Item]:
    """Everything due or flagged for the worker's own clients, most urgent first."""
    return items_of(principal, entries(principal, filters))


def worklist_page(principal, filters: Filters, number, size: int) -> Page:
    """One page of the worklist; only its rows are read in full."""
    page = Paginator(entries(principal, filters), size).get_page(number)
    page.object_list = items_of(principal, list(page.object_list))
    return page


def contacts_of(relationship_ids: set[int]) -> dict[int, list[str]]:
    """Relationship id -> the names of the workers named to it now."""
    found: dict[int, list[str]] = {}
    for named in (
        NamedWorker.objects.current()
        .filter(relationship_id__in=relationship_ids)
        .select_related("worker__user")
    ):
        found.setdefault(named.relationship_id, []).append(str(named.worker))
    return found


def item_of(principal, row, signal: bool, contacts=None) -> Item:
    """One deadline or signal as the principal may see it: in detail, or as whom to ask."""
    if contacts is None:
        contacts = contacts_of({row.relationship_id} if row.relationship_id else set())
    visible = visibility_of(principal, row.client)
    detailed = visible.allows(frozenset(row.owners), row.category)
    overdue = row.due_on < principal.today and (signal or row.tracked)
    text = explain(row) if detailed else needs_attention(row, contacts)
    url, label = resolving_action(principal, row, detailed)
    return Item(row, signal, overdue, kind_label(row), text, detailed, url, label)


def needs_attention(row, contacts) -> str:
    rules = rules_of_row(row)
    language = current_language()
    who = ", ".join(contacts.get(row.relationship_id, ())) or (
        str(row.worker) if row.worker_id else ""
    )
    authority = rules.label("authority", row.authority, language)
    if who:
        return _(
            "The client needs attention from %(authority)s (%(organisation)s). Contact: %(who)s."
        ) % {
            "authority": authority,
            "organisation": responsible_name(row, rules, language),
            "who": who,
        }
    return _("The client needs attention from %(authority)s (%(organisation)s).") % {
        "authority": authority,
        "organisation": responsible_name(row, rules, language),
    }


def resolving_action(principal, row, detailed: bool) -> tuple[str, str]:
    """The page that resolves the row where it is the worker's organisation's to resolve;
    the client's page otherwise."""
    client_page = url_with_id("workspace:client", row.client_id)
    name, argument = RESOLVED_AT.get(row.kind, ("workspace:client", "client"))
    ours = principal.organisation is not None and row.organisation_id == principal.organisation.pk
    if not (detailed and ours) or name == "workspace:client":
        return client_page, _("Open the client")
    target = row.source_id if argument == "source" else row.client_id
    return url_with_id(name, target), _("Resolve")


def client_items(principal, client) -> list[Item]:
    """What needs attention about one client on the principal's day: the signal rules run
    for the client (the scan's queries) and the client's deadlines, as the worklist shows
    them. A snoozed signal stays here, with its snooze: it still holds."""
    today = principal.today
    ids = [client.pk]
    signals = [s for s in signals_on(today, ids) if s.kind not in REVIEWERS_ONLY]
    deadlines = list(deadline_rows(ids, today, Filters()))
    contacts = contacts_of({r.relationship_id for r in [*signals, *deadlines] if r.relationship_id})
    items = [
        *(item_of(principal, s, True, contacts) for s in signals),
        *(item_of(principal, d, False, contacts) for d in deadlines),
    ]
    return sorted(items, key=lambda item: item.urgency)
