"""What a proposed rule set would change in today's caseload, before it takes effect: the
plans in force whose review would fall due earlier (or later) and how many would then be
overdue, the service decisions in force that the new intensity bounds or legal decision
period would leave outside, the pending applications whose decision would fall due earlier
(or later) under new processing times and how many would then be overdue, and how the
review workload of each organisation would move.

Each plan keeps its recorded interval if the proposal still allows it, else the nearest
bound the proposal allows (its fixed interval, if it sets one), counted from the day the
plan was made, as the watch counts it. Two grouped queries over the plans in force and
one over the decisions in force: the database counts, Python compares a few dozen groups.
Counts are suppressed as a table (kaveri.statistics.suppression)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, DateField, F, Q, Value, When
from django.db.models.functions import Coalesce

from kaveri.access.models import Organisation
from kaveri.benefits.actions import processing_time
from kaveri.benefits.models import Application
from kaveri.plans.models import Plan
from kaveri.rules.durations import Duration
from kaveri.rules.ruleset import RuleSet
from kaveri.rules.schema import IntRange
from kaveri.services.models import ServiceEpisode
from kaveri.services.validators import covers_a_legal_period, legal_decision_period
from kaveri.statistics.suppression import Shown, suppress_columns

PlanKey = tuple[str, str, str]  # plan type, process, recorded review interval
PLAN_KEY_FIELDS = ("plan_type", "process", "review_interval")
INTENSITY_FIELDS = ("days_per_week", "hours_per_day")
A_YEAR = Duration(1, "Y")


def reviews_a_year(interval: Duration) -> float:
    return A_YEAR.approximate_days / interval.approximate_days


def proposed_interval(rules: RuleSet, plan_type: str, process: str, recorded: Duration):
    """The interval a plan would have under `rules`: its own where the bounds allow it."""
    if plan_type not in rules.plans:
        return recorded
    span = rules.plan_review(plan_type, process or None)
    if span.fixed is not None:
        return span.fixed
    if recorded.approximate_days < span.min.approximate_days:
        return span.min
    if recorded.approximate_days > span.max.approximate_days:
        return span.max
    return recorded


def changed_intervals(current: RuleSet, proposed: RuleSet, keys) -> dict[PlanKey, Duration]:
    """The plan groups whose interval the proposal changes: where it gives another interval
    than today's rules would (so a change an earlier reform made is not the proposal's)."""
    changed = {}
    for plan_type, process, interval in keys:
        recorded = Duration.parse(interval)
        new = proposed_interval(proposed, plan_type, process, recorded)
        if new != proposed_interval(current, plan_type, process, recorded):
            changed[(plan_type, process, interval)] = new
    return changed


@dataclass
class Workload:
    """One organisation's plans in force, decisions in force and pending applications of a
    benefit whose processing time changes, now and as proposed."""

    plans: int = 0
    due_earlier: int = 0
    due_later: int = 0
    overdue_now: int = 0
    overdue_proposed: int = 0
    reviews_now: float = 0.0
    reviews_proposed: float = 0.0
    decisions: int = 0
    decisions_outside: int = 0
    applications: int = 0
    applications_overdue: int = 0  # overdue under the proposal

    def add_plans(self, row: dict, recorded: Duration, new: Duration) -> None:
        count = row["plans"]
        self.plans += count
        self.due_earlier += count if new.approximate_days < recorded.approximate_days else 0
        self.due_later += count if new.approximate_days > recorded.approximate_days else 0
        self.overdue_now += row["overdue_now"]
        self.overdue_proposed += row["overdue_proposed"]
        self.reviews_now += count * reviews_a_year(recorded)
        self.reviews_proposed += count * reviews_a_year(new)


@dataclass
class Preview:
    day: date
    current: RuleSet
    proposed: RuleSet
    by_organisation: dict[int | None, Workload] = field(default_factory=dict)
    # Per plan type: plans in force, due earlier, overdue today, overdue as proposed.
    by_plan_type: dict[str, list[int]] = field(default_factory=dict)
    # Per service with a changed bound: decisions in force, outside the proposed bounds.
    by_service: dict[str, list[int]] = field(default_factory=dict)
    # Per benefit with a changed processing time: pending, due earlier, overdue today,
    # overdue as proposed.
    by_benefit: dict[str, list[int]] = field(default_factory=dict)


def _overdue_cutoffs(changed: dict[tuple, Duration], fields: tuple[str, ...], day: date) -> Case:
    """Per changed group (its values of `fields`), the last day a record could have begun
    and not yet be due on `day` under the proposed time; begun before it, it would be
    overdue."""
    cases = [
        When(**dict(zip(fields, key, strict=True)), then=Value(new.counted_back_from(day)))
        for key, new in changed.items()
    ]
    return Case(*cases, default=None, output_field=DateField())


def _falling_due(records, groups: tuple[str, ...], due: str, began: str, day: date):
    """Per group: how many records (`n`), overdue today by their `due` day, and overdue as
    proposed (`began` before the annotated `cutoff`)."""
    return (
        records.values(*groups)
        .annotate(
            n=Count("pk"),
            overdue_now=Count("pk", filter=Q(**{f"{due}__lt": day})),
            overdue_changed=Count("pk", filter=Q(**{f"{began}__lt": F("cutoff")})),
        )
        .order_by()
    )


def plan_groups(current: RuleSet, proposed: RuleSet, day: date):
    """Plans in force per organisation and key, with today's and the proposal's overdue."""
    in_force = Plan.objects.filter(is_current=True)
    keys = in_force.values_list("plan_type", "process", "review_interval").distinct()
    changed = changed_intervals(current, proposed, keys.order_by())
    groups = ("relationship__organisation", "plan_type", "process", "review_interval")
    rows = _falling_due(
        in_force.annotate(cutoff=_overdue_cutoffs(changed, PLAN_KEY_FIELDS, day)),
        groups,
        "next_review_on",
        "made_on",
        day,
    )
    for row in rows:
        row["plans"] = row["n"]
        key = (row["plan_type"], row["process"], row["review_interval"])
        recorded = Duration.parse(row["review_interval"])
        row["overdue_proposed"] = row["overdue_changed"] if key in changed else row["overdue_now"]
        yield row, recorded, changed.get(key, recorded)


def _outside(bounds: IntRange | None, name: str) -> Q:
    if bounds is None:
        return Q(pk__in=[])
    outside = Q(**{f"{name}__lt": bounds.min})
    if bounds.max is not None:
        outside |= Q(**{f"{name}__gt": bounds.max})
    return outside


def _outside_intensity(rules: RuleSet, service: str) -> Q:
    intensity = rules.services[service].intensity
    outside = Q(pk__in=[])
    for name in INTENSITY_FIELDS:
        outside |= _outside(getattr(intensity, name, None), name)
    return outside


def _new_legal_period(current: RuleSet, proposed: RuleSet, code: str) -> bool:
    return legal_decision_period(current, code) != legal_decision_period(proposed, code)


def services_with_new_bounds(current: RuleSet, proposed: RuleSet) -> list[str]:
    """The services whose intensity bounds or legal decision period the proposal changes."""
    return [
        code
        for code, service in current.services.items()
        if code in proposed.services
        and (
            service.intensity != proposed.services[code].intensity
            or _new_legal_period(current, proposed, code)
        )
    ]


def newly_outside(current: RuleSet, proposed: RuleSet, services: list[str]) -> Q:
    """Decisions the proposed bounds leave outside that today's bounds allow."""
    found = Q(pk__in=[])
    for code in services:
        found |= (
            Q(service=code)
            & _outside_intensity(proposed, code)
            & ~_outside_intensity(current, code)
        )
    return found


def _decisions_in_force(day: date, services: list[str]):
    return ServiceEpisode.objects.filter(
        ended_on__isnull=True, ends_on__gte=day, service__in=services
    )


def decision_groups(current: RuleSet, proposed: RuleSet, day: date):
    """Per deciding organisation and service: the decisions in force, and those the proposed
    intensity bounds leave outside."""
    services = services_with_new_bounds(current, proposed)
    in_force = _decisions_in_force(day, services)
    return (
        in_force.values("decided_by", "service")
        .annotate(
            decisions=Count("pk"),
            outside=Count("pk", filter=newly_outside(current, proposed, services)),
        )
        .order_by()
    )


def period_outside_groups(current: RuleSet, proposed: RuleSet, day: date):
    """Per deciding organisation, service and dates: the decisions in force whose period the
    proposed legal decision period leaves outside and today's allows, of those its intensity
    bounds do not already leave outside (a decision is counted outside once)."""
    services = services_with_new_bounds(current, proposed)
    changed = [code for code in services if _new_legal_period(current, proposed, code)]
    in_force = _decisions_in_force(day, changed).exclude(newly_outside(current, proposed, services))
    rows = in_force.values("decided_by", "service", "starts_on", "ends_on").annotate(n=Count("pk"))
    for row in rows.order_by():
        code, starts, ends = row["service"], row["starts_on"], row["ends_on"]
        today_allows = covers_a_legal_period(legal_decision_period(current, code), starts, ends)
        if today_allows and not covers_a_legal_period(
            legal_decision_period(proposed, code), starts, ends
        ):
            yield row


BenefitKey = tuple[str, bool]  # benefit, urgent


def changed_processing_times(current: RuleSet, proposed: RuleSet) -> dict[BenefitKey, Duration]:
    """The time the proposal gives a decision, where it differs from today's."""
    changed = {}
    for code in current.benefits.keys() & proposed.benefits.keys():
        for urgent in (False, True):
            new = processing_time(proposed, code, urgent)
            if new != processing_time(current, code, urgent):
                changed[(code, urgent)] = new
    return changed


def application_groups(current: RuleSet, proposed: RuleSet, day: date):
    """The pending applications of the benefits whose processing time the proposal changes,
    per benefit and urgency: how many, overdue today, and overdue as proposed (the decision
    due the proposed time after the application was complete, else submitted)."""
    changed = changed_processing_times(current, proposed)
    pending = Application.objects.filter(
        status=Application.Status.PENDING, benefit__in={code for code, _urgent in changed}
    )
    pending = pending.annotate(
        began=Coalesce(F("completed_on"), F("submitted_on")),
        cutoff=_overdue_cutoffs(changed, ("benefit", "urgent"), day),
    )
    groups = ("deciding_organisation", "benefit", "urgent")
    for row in _falling_due(pending, groups, "expected_decision_on", "began", day):
        key = (row["benefit"], row["urgent"])
        if key in changed:
            earlier = changed[key].approximate_days < (
                processing_time(current, *key).approximate_days
            )
            yield row, earlier


def preview(current: RuleSet, proposed: RuleSet, day: date) -> Preview:
    found = Preview(day=day, current=current, proposed=proposed)
    workloads: dict[int | None, Workload] = defaultdict(Workload)
    for row, recorded, new in plan_groups(current, proposed, day):
        workloads[row["relationship__organisation"]].add_plans(row, recorded, new)
        by_type = found.by_plan_type.setdefault(row["plan_type"], [0, 0, 0, 0])
        earlier = new.approximate_days < recorded.approximate_days
        for i, value in enumerate(
            (row["plans"], row["plans"] if earlier else 0, row["overdue_now"])
        ):
            by_type[i] += value
        by_type[3] += row["overdue_proposed"]
    for code in services_with_new_bounds(current, proposed):
        found.by_service[code] = [0, 0]
    for row in decision_groups(current, proposed, day):
        workloads[row["decided_by"]].decisions += row["decisions"]
        workloads[row["decided_by"]].decisions_outside += row["outside"]
        found.by_service[row["service"]][0] += row["decisions"]
        found.by_service[row["service"]][1] += row["outside"]
    for row in period_outside_groups(current, proposed, day):
        workloads[row["decided_by"]].decisions_outside += row["n"]
        found.by_service[row["service"]][1] += row["n"]
    for row, earlier in application_groups(current, proposed, day):
        workloads[row["deciding_organisation"]].applications += row["n"]
        workloads[row["deciding_organisation"]].applications_overdue += row["overdue_changed"]
        counts = found.by_benefit.setdefault(row["benefit"], [0, 0, 0, 0])
        counts[0] += row["n"]
        counts[1] += row["n"] if earlier else 0
        counts[2] += row["overdue_now"]
        counts[3] += row["overdue_changed"]
    found.by_organisation = dict(workloads)
    return found


WORKLOAD_COUNTS = (
    "plans",
    "due_earlier",
    "overdue_now",
    "overdue_proposed",
    "decisions",
    "decisions_outside",
    "applications",
    "applications_overdue",
)


@dataclass(frozen=True)
class WorkloadRow:
    name: str
    counts: list[int | None]
    reviews_now: int | None
    reviews_proposed: int | None


def workload_rows(found: Preview) -> tuple[list[WorkloadRow], Shown]:
    """Per organisation, by name, suppressed column by column. The yearly reviews are shown
    only where the organisation's plans are."""
    names = dict(
        Organisation.objects.filter(pk__in=[k for k in found.by_organisation if k]).values_list(
            "pk", "name"
        )
    )
    ordered = sorted(found.by_organisation.items(), key=lambda item: names.get(item[0], ""))
    shown = suppress_columns(
        [[getattr(load, name) for name in WORKLOAD_COUNTS] for _key, load in ordered]
    )
    rows = []
    for (key, load), counts in zip(ordered, shown.cells, strict=True):
        plans_shown = counts[0] is not None
        rows.append(
            WorkloadRow(
                name=names.get(key, ""),
                counts=counts,
                reviews_now=round(load.reviews_now) if plans_shown else None,
                reviews_proposed=round(load.reviews_proposed) if plans_shown else None,
            )
        )
    return rows, shown
