"""The evidence a plan or an application rests on, as a checklist: for each item the rule
set asks for, whether a document is present, missing or expired, by when it is needed,
and who delivers it to whom (SERVICE-MODEL sections 4 and 6).

The rule set says what each benefit and plan needs (`evidence`), what becomes due while a
benefit is paid (`later_evidence`: sickness allowance needs statement B once 60 days are
paid) and what the client delivers to each authority (`client_delivers`); everything
else is issued by the authorities the evidence type names (`issued_by`).

A checklist is read by someone who may not see every document: a worker without the
client's consent to see health information cannot tell whether a doctor's statement held by
another authority is there. Such an item reads UNSEEN, whether or not a document exists,
so that the checklist neither calls it missing nor reveals that it is present.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from kaveri.rules.durations import nth_paid_day
from kaveri.rules.registry import rules_for
from kaveri.rules.ruleset import RuleSet

PRESENT, MISSING, EXPIRED, DUE, UNSEEN = "PRESENT", "MISSING", "EXPIRED", "DUE", "UNSEEN"
CLIENT = "CLIENT"

# (owner authorities, data category) -> may the reader see such data? None: sees it all.
MaySee = Callable[[frozenset[str], str], bool] | None


@dataclass(frozen=True)
class Item:
    evidence: str
    status: str
    document: object | None
    needed_by: date | None
    delivered_by: tuple[str, ...]  # (CLIENT,), or the authorities that issue it
    delivered_to: str

    @property
    def client_delivers(self) -> bool:
        return self.delivered_by == (CLIENT,)


def _latest(documents: Iterable, evidence: str, linked_to=None):
    """The newest document of the type: one attached to the record first, else any."""
    of_type = [d for d in documents if d.evidence_type == evidence]
    attached = [d for d in of_type if linked_to is not None and d.application_id == linked_to]
    candidates = attached or of_type
    return max(candidates, key=lambda d: (d.received_on, d.pk)) if candidates else None


def _who_delivers(rules: RuleSet, evidence: str, to: str) -> tuple[str, ...]:
    if evidence in rules.client_delivers_to(to):
        return (CLIENT,)
    issuers = tuple(a for a in rules.evidence_types[evidence].issued_by if a != CLIENT)
    return issuers or (CLIENT,)


def _hidden_from_reader(rules: RuleSet, evidence: str, holders: set[str], may_see: MaySee) -> bool:
    """Could a document of the type be held where the reader may not look?"""
    if may_see is None:
        return False
    category = "HEALTH" if rules.evidence_types[evidence].health_data else "BASIC"
    return not all(may_see(frozenset({a}), category) for a in holders)


def _expired(document, today: date) -> bool:
    return document.valid_until is not None and document.valid_until < today


def _item(rules, evidence, documents, to, today, may_see, linked_to=None, needed_by=None) -> Item:
    found = _latest(documents, evidence, linked_to)
    delivered_by = _who_delivers(rules, evidence, to)
    holders = (set(delivered_by) - {CLIENT}) | {to}
    if found is None and _hidden_from_reader(rules, evidence, holders, may_see):
        status = UNSEEN
    elif found is None:
        status = DUE if needed_by and needed_by > today else MISSING
    elif _expired(found, today):
        status = EXPIRED
    else:
        status = PRESENT
    return Item(evidence, status, found, needed_by, delivered_by, to)


def statement_due(application, later) -> date | None:
    """The day a later piece of evidence is needed: the paid day it becomes due on, when the
    benefit is granted that long."""
    if application.outcome not in ("GRANTED", "PARTLY_GRANTED") or not application.granted_from:
        return None
    due = nth_paid_day(application.granted_from, later.after_paid_days)
    if application.granted_until is not None and application.granted_until < due:
        return None
    return due


def application_checklist(
    application, documents: Iterable, today: date, may_see: MaySee = None
) -> list[Item]:
    """`documents` are those the reader may see, and `may_see` says what else they may."""
    rules = rules_for(application)
    benefit = rules.benefits[application.benefit]
    documents = list(documents)
    to = benefit.decided_by
    items = [
        _item(rules, code, documents, to, today, may_see, application.pk)
        for code in benefit.evidence
    ]
    for later in benefit.later_evidence:
        due = statement_due(application, later)
        if due is not None:
            items.append(
                _item(rules, later.evidence, documents, to, today, may_see, application.pk, due)
            )
    return items


def plan_checklist(plan, documents: Iterable, today: date, may_see: MaySee = None) -> list[Item]:
    rules = rules_for(plan)
    maker = rules.processes[plan.process].owner if plan.process in rules.processes else ""
    to = maker or rules.plans[plan.plan_type].parties[0]
    documents = list(documents)
    return [
        _item(rules, code, documents, to, today, may_see)
        for code in rules.plans[plan.plan_type].evidence
    ]


def kela_granting_factors(application) -> list[str]:
    """What Kela's decision on the application rests on (SERVICE-MODEL section 4), as
    evidence codes; none for a benefit another authority decides."""
    rules = rules_for(application)
    if rules.benefits[application.benefit].decided_by != "KELA":
        return []
    return _decision_basis(rules, "KELA")


def _decision_basis(rules: RuleSet, authority: str) -> list[str]:
    return next(
        (list(b.evidence) for b in rules.data.decision_bases if b.authority == authority), []
    )


@dataclass(frozen=True)
class Basis:
    """One kind of evidence a decision may rest on, and the newest such document on file."""

    evidence: str
    document: object | None
    expired: bool


def service_decision_basis(episode, documents: Iterable, today: date) -> list[Basis]:
    """What the granting authority's decision on a service rests on (SERVICE-MODEL
    section 4: social welfare and employment services name the same kinds), each with
    the newest document of the kind the reader may see. Unlike a benefit's checklist,
    these are the grounds a decision may use, not a list of which each is required."""
    rules = rules_for(episode)
    authority = episode.decided_by.authority if episode.decided_by_id else ""
    documents = list(documents)
    basis = []
    for code in _decision_basis(rules, authority):
        found = _latest(documents, code)
        basis.append(Basis(code, found, found is not None and _expired(found, today)))
    return basis
