"""Pathway flows: for the client relationships opened in the period, per pathway (P1–P3) or
process (A1–A6), how many reached each step of its map by the day counted, how many of
those went on to the next step, and how many were closed without reaching it. (By the day
counted, not by the period's end: a shorter period then differs from a longer one by the
relationships it leaves out alone, never by steps the same people took in between.)

A relationship follows its pathway, else the process of its kind (as on the client's map,
kaveri.casework.position.flow_of), and has reached a step when the record that step stands
for exists by the day counted (the same tests as the client's position on the map, as
queries). A process that two kinds share (A5 and A6 both follow Kela's relationship) counts
the same relationships on each map.

One query a flow: each step's test is an EXISTS per relationship, and the relationships are
grouped by which steps they reached (and by month and narrowing, for the check against the
tables a count could be subtracted from, kaveri.statistics.differencing), so the database
returns a few hundred combinations and counts nothing twice."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q

from kaveri.benefits.models import Application, InformationRequest
from kaveri.casework.models import (
    ClientRelationship,
    JobSeekerRegistration,
    NamedWorker,
    ServiceNeedAssessment,
)
from kaveri.consent.models import Consent
from kaveri.plans.models import Plan
from kaveri.rules.ruleset import RuleSet
from kaveri.services.models import ServiceEpisode
from kaveri.statistics.differencing import Cube, compact, coordinates, own_counts, withheld
from kaveri.statistics.filters import StatisticsFilters
from kaveri.statistics.materialised import materialised
from kaveri.statistics.quarters import by_quarters
from kaveri.statistics.suppression import is_small

GRANTED = (Application.Outcome.GRANTED, Application.Outcome.PARTLY_GRANTED)


def _of_relationship(model, **recorded) -> Exists:
    return Exists(model.objects.filter(relationship=OuterRef("pk"), **recorded))


def _of_client(model, **recorded) -> Exists:
    return Exists(model.objects.filter(client=OuterRef("client"), **recorded))


def _work_pair(end: date) -> Exists:
    pairs = (
        NamedWorker.objects.filter(relationship=OuterRef("pk"), from_date__lte=end)
        .values("relationship")
        .annotate(named=Count("pk"))
        .filter(named__gte=2)
    )
    return Exists(pairs)


def _continued(end: date) -> Q:
    return Q(_of_relationship(ServiceEpisode, previous__isnull=False, starts_on__lte=end)) | Q(
        _of_relationship(Plan, version__gt=1, made_on__lte=end)
    )


StepTest = Callable[[date], Q | Exists]

# What record a step stands for; a step without one (everyone entering reaches it) is
# missing from this table only if it opens the map: see `reached_test`.
STEP_RECORDS: dict[str, StepTest] = {
    "REGISTRATION": lambda end: (
        Q(_of_client(JobSeekerRegistration, registered_on__lte=end)) | Q(kind__startswith="EMP")
    ),
    "WORK_PAIR": _work_pair,
    "RESPONSIBLE_OFFICIAL": lambda end: _of_relationship(NamedWorker, from_date__lte=end),
    "CONSENT_AND_REGISTRATION": lambda end: _of_client(
        Consent, purpose="TYP_WORK", valid_from__lte=end
    ),
    "ASSESSMENT": lambda end: _of_relationship(ServiceNeedAssessment, assessed_on__lte=end),
    "GUIDANCE": lambda end: _of_relationship(ServiceNeedAssessment, assessed_on__lte=end),
    "PLACE_CONTACT": lambda end: _of_relationship(ServiceEpisode, decision_on__lte=end),
    "ACTIVATION_PLAN": lambda end: _of_relationship(Plan, made_on__lte=end),
    "PLAN": lambda end: _of_relationship(Plan, made_on__lte=end),
    "MULTISECTORAL_PLANS": lambda end: _of_client(
        Plan, plan_type="MULTISECTORAL_PLAN", made_on__lte=end
    ),
    "ACTIVATION_PLAN_AND_DECISION": lambda end: (
        Q(_of_relationship(Plan, made_on__lte=end))
        & Q(_of_relationship(ServiceEpisode, decision_on__lte=end))
    ),
    "PARTICIPATION": lambda end: _of_relationship(ServiceEpisode, starts_on__lte=end),
    "MONITORING": lambda end: _of_relationship(ServiceEpisode, starts_on__lte=end),
    "CONTINUATION": _continued,
    "PLAN_REVIEW": _continued,
    "APPLICATION": lambda end: _of_client(Application, submitted_on__lte=end),
    "APPLICATIONS": lambda end: _of_client(Application, submitted_on__lte=end),
    "PROCESSING": lambda end: _of_client(Application, submitted_on__lte=end),
    "INFORMATION_REQUEST": lambda end: Exists(
        InformationRequest.objects.filter(
            application__client=OuterRef("client"), requested_on__lte=end
        )
    ),
    "OUTCOME": lambda end: _of_client(Application, decided_on__lte=end, outcome__in=GRANTED),
    "GRANT": lambda end: _of_client(Application, decided_on__lte=end, outcome__in=GRANTED),
    "END": lambda end: Q(closed_on__lte=end),
    "CLOSURE": lambda end: Q(closed_on__lte=end),
}
# The steps every relationship of the map has reached by being opened.
OPENING_STEPS = {"ENTRY", "CONTACT", "REFERRAL"}


@dataclass(frozen=True)
class FlowStep:
    code: str
    label: str
    reached: int | None  # None: withheld, or a step no record of Kaveri stands for
    went_on: int | None  # of those, reached the next step too
    closed_here: int | None  # of those, closed without reaching the next step
    counted: bool  # False: no record stands for this step


@dataclass(frozen=True)
class Flow:
    code: str
    label: str
    opened: int | None
    steps: list[FlowStep]


def flows_of(rules: RuleSet) -> list:
    """The maps of the rule set in force, pathways first, each with the kinds that follow
    it when it is a process."""
    return [*rules.pathways.values(), *rules.processes.values()]


def _members(rules: RuleSet, flow, relationships):
    if flow.code in rules.pathways:
        return relationships.filter(pathway=flow.code)
    kinds = [k.code for k in rules.relationship_kinds.values() if k.process == flow.code]
    if getattr(flow, "relationship_kind", None):
        kinds.append(flow.relationship_kind)
    return relationships.filter(pathway="", kind__in=kinds)


def _tests(flow, end: date) -> dict[str, Q | Exists]:
    return {
        f"s{i}": STEP_RECORDS[step.code](end)
        for i, step in enumerate(flow.steps)
        if step.code in STEP_RECORDS
    }


def step_combinations(relationships, flow, filters: StatisticsFilters) -> list[dict]:
    """Per combination of steps reached (and closed or not) and place in the cube (month
    opened, value of each narrowing): how many relationships."""
    tests = _tests(flow, filters.day)
    dimensions = filters.dimensions("opened_on")
    closed = Q(closed_on__lte=filters.day)
    return list(
        relationships.annotate(**tests, closed=closed, **dimensions)
        .values(*tests, "closed", *dimensions)
        .annotate(n=Count("pk"))
        .order_by()
    )


def _reached(combination: dict, index: int, code: str) -> bool:
    return code in OPENING_STEPS or bool(combination.get(f"s{index}"))


def _is_counted(code: str) -> bool:
    return code in OPENING_STEPS or code in STEP_RECORDS


def flow_counts(flow, combination: dict) -> Counter:
    """What one combination adds to each figure of the flow."""
    n = combination["n"]
    counts = Counter({"opened": n})
    steps = flow.steps
    for i, step in enumerate(steps):
        if not _is_counted(step.code) or not _reached(combination, i, step.code):
            continue
        counts[(i, "reached")] += n
        if i + 1 < len(steps):
            if _reached(combination, i + 1, steps[i + 1].code):
                counts[(i, "went_on")] += n
            elif combination["closed"]:
                counts[(i, "closed")] += n
    return counts


def _step(flow, index: int, shown, language: str) -> FlowStep:
    step = flow.steps[index]
    label = step.label.get(language)
    if not _is_counted(step.code):
        return FlowStep(step.code, label, None, None, None, counted=False)
    if index + 1 == len(flow.steps):
        return FlowStep(step.code, label, shown((index, "reached")), None, None, counted=True)
    return FlowStep(
        step.code,
        label,
        shown((index, "reached")),
        shown((index, "went_on")),
        shown((index, "closed")),
        counted=True,
    )


@by_quarters
@materialised
def counted_flows(rules: RuleSet, period: StatisticsFilters) -> dict[str, Cube]:
    """The counts of each map's figures (flow_counts) in the period's cube, by its code."""
    opened = ClientRelationship.objects.filter(
        opened_on__gte=period.start, opened_on__lte=period.end
    )
    found, interned = {}, {}
    for flow in flows_of(rules):
        cube: Cube = {}
        for combination in step_combinations(_members(rules, flow, opened), flow, period):
            cube.setdefault(coordinates(combination), Counter()).update(
                flow_counts(flow, combination)
            )
        found[flow.code] = compact(cube, interned)
    return found


def flow_cubes(rules: RuleSet, filters: StatisticsFilters) -> list[tuple[object, Cube]]:
    """Each map of the rule set with the counts of its figures in the cube."""
    cubes = counted_flows(rules, filters.period())
    return [(flow, cubes[flow.code]) for flow in flows_of(rules)]


def shown_counts(cube: Cube, filters: StatisticsFilters) -> Callable[[object], int | None]:
    """A flow's figure by its key, None where small or given away by difference."""
    counts, hidden = own_counts(cube, filters), withheld(cube, filters)

    def shown(key) -> int | None:
        return None if is_small(counts[key]) or key in hidden else counts[key]

    return shown


@materialised
def pathway_flows(rules: RuleSet, filters: StatisticsFilters, language: str) -> list[Flow]:
    found = []
    for flow, cube in flow_cubes(rules, filters):
        shown = shown_counts(cube, filters)
        steps = [_step(flow, i, shown, language) for i in range(len(flow.steps))]
        found.append(Flow(flow.code, flow.label.get(language), shown("opened"), steps))
    return found
