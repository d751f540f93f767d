"""The worker's worklist: the deadlines and signals of the clients they are named to,
most urgent first, each in words and with the action that resolves it.

A worker sees a row's details only where they may see the data behind it (their own
authority's, or another's under the client's consent); otherwise the row says that the
client needs attention from the named authority, and whom to contact there.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from kaveri.access.visibility import visibility_of
from kaveri.casework.models import NamedWorker
from kaveri.rules.registry import rules_on
from kaveri.rules.ruleset import current_language
from kaveri.watch.explain import explain, kind_label, responsible_name, rules_of_row
from kaveri.watch.models import Deadline, Signal

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
    "CONSENT_EXPIRY": ("workspace:consent_new", "client"),
    "CONSENT_PLAN_AT_RISK": ("workspace:consent_new", "client"),
    "CONSENT_WITHOUT_FORM": ("workspace:consent_attach_form", "source"),
    "NO_NAMED_WORKER": ("workspace:name_worker", "source"),
    "TYP_REFERRAL_NOT_ACTED": ("workspace:assessment_new", "source"),
    "KELA_SERVICE_NO_APPLICATION": ("workspace:client", "client"),
}


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
    def urgency(self) -> tuple:
        acknowledged = self.signal and self.row.state == Signal.State.ACKNOWLEDGED
        return (not (self.signal or self.overdue), acknowledged, self.row.due_on, self.row.pk)


def my_clients(worker) -> QuerySet:
    """The clients the worker is named to in an open relationship: one indexed subquery."""
    return NamedWorker.objects.filter(
        worker=worker, to_date__isnull=True, relationship__closed_on__isnull=True
    ).values("relationship__client_id")


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


def worklist(principal, filters: Filters | None = None) -> list[Item]:
    """Everything due or flagged for the worker's own clients, most urgent first."""
    filters = filters or Filters()
    clients = my_clients(principal.worker)
    today = principal.today
    rows = [
        *((r, True) for r in signal_rows(clients, today, filters)),
        *((r, False) for r in deadline_rows(clients, today, filters)),
    ]
    contacts = contacts_of({r.relationship_id for r, _s in rows if r.relationship_id})
    visibility: dict[int, object] = {}
    items = [item_of(principal, row, signal, contacts, visibility) for row, signal in rows]
    return sorted(items, key=lambda item: item.urgency)


def contacts_of(relationship_ids: set[int]) -> dict[int, list[str]]:
    """Relationship id -> the names of the workers named to it now."""
    found: dict[int, list[str]] = {}
    for named in NamedWorker.objects.filter(
        relationship_id__in=relationship_ids, to_date__isnull=True
    ).select_related("worker__user"):
        found.setdefault(named.relationship_id, []).append(str(named.worker))
    return found


def item_of(principal, row, signal: bool, contacts=None, visibility=None) -> Item:
    """One deadline or signal as the principal may see it: in detail, or as whom to ask."""
    if contacts is None:
        contacts = contacts_of({row.relationship_id} if row.relationship_id else set())
    visibility = {} if visibility is None else visibility
    if row.client_id not in visibility:
        visibility[row.client_id] = visibility_of(principal, row.client)
    detailed = visibility[row.client_id].allows(frozenset(row.owners), row.category)
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
    client_page = reverse("workspace:client", args=[row.client_id])
    name, argument = RESOLVED_AT.get(row.kind, ("workspace:client", "client"))
    ours = principal.organisation is not None and row.organisation_id == principal.organisation.pk
    if not (detailed and ours) or name == "workspace:client":
        return client_page, _("Open the client")
    target = row.source_id if argument == "source" else row.client_id
    return reverse(name, args=[target]), _("Resolve")
