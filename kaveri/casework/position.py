"""Where a client is on a pathway or process, from the records one may see.

Each step code has a test of the recorded facts; the client's position is the
last step whose test holds, in the flow's order.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from kaveri.rules.registry import rules_for


@dataclass
class CaseFacts:
    """What is recorded in one client relationship, as far as the viewer may see."""

    relationship: object
    assessments: int
    registered: bool
    plans: list
    episodes: list
    named_workers: int
    typ_consent: bool
    today: date

    @property
    def closed(self) -> bool:
        return self.relationship.closed_on is not None

    @property
    def active_episode(self) -> bool:
        """A service going on today: begun, not ended, and its decision's end not passed."""
        return any(
            e.ended_on is None
            and e.starts_on <= self.today
            and (e.ends_on is None or e.ends_on >= self.today)
            for e in self.episodes
        )

    @property
    def continued(self) -> bool:
        return any(e.previous_id for e in self.episodes) or any(p.version > 1 for p in self.plans)


Test = Callable[[CaseFacts], bool]

STEP_REACHED: dict[str, Test] = {
    "ENTRY": lambda f: True,
    "CONTACT": lambda f: True,
    "REFERRAL": lambda f: True,
    "REGISTRATION": lambda f: f.registered or f.relationship.kind.startswith("EMP"),
    "WORK_PAIR": lambda f: f.named_workers >= 2,
    "RESPONSIBLE_OFFICIAL": lambda f: f.named_workers >= 1,
    "CONSENT_AND_REGISTRATION": lambda f: f.typ_consent,
    "ASSESSMENT": lambda f: f.assessments > 0,
    "GUIDANCE": lambda f: f.assessments > 0,
    "PLACE_CONTACT": lambda f: bool(f.episodes),
    "ACTIVATION_PLAN": lambda f: bool(f.plans),
    "PLAN": lambda f: bool(f.plans),
    "ACTIVATION_PLAN_AND_DECISION": lambda f: bool(f.plans) and bool(f.episodes),
    "PARTICIPATION": lambda f: f.active_episode,
    "MONITORING": lambda f: f.active_episode,
    "CONTINUATION": lambda f: f.continued,
    "PLAN_REVIEW": lambda f: f.continued,
    "END": lambda f: f.closed,
    "CLOSURE": lambda f: f.closed,
}


def current_step(flow, facts: CaseFacts) -> int:
    """The 0-based index of the last step reached."""
    reached = 0
    for index, step in enumerate(flow.steps):
        test = STEP_REACHED.get(step.code)
        if test is not None and test(facts):
            reached = index
    return reached


def flow_of(relationship):
    """The pathway the relationship follows, else the process of its kind, else None: as
    the rule set the relationship was made under draws them (a kind may be gone since)."""
    rules = rules_for(relationship)
    if relationship.pathway:
        return rules.pathways.get(relationship.pathway)
    process = rules.relationship_kinds[relationship.kind].process
    return rules.processes.get(process) if process else None


def facts_of(relationship, records: dict, *, registered: bool, typ_consent: bool, today: date):
    """The case facts of one relationship from the client's records by kind ("assessments",
    "plans", "episodes"), as far as the reader may see them."""
    return CaseFacts(
        relationship=relationship,
        assessments=sum(a.relationship_id == relationship.pk for a in records["assessments"]),
        registered=registered,
        plans=[p for p in records["plans"] if p.relationship_id == relationship.pk],
        episodes=[e for e in records["episodes"] if e.relationship_id == relationship.pk],
        named_workers=len(relationship.named_workers.all()),
        typ_consent=typ_consent,
        today=today,
    )
