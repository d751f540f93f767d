"""Plans: make, revise (a new version; the old one is kept), approve, acknowledge.

Every operation checks its own input against the rule set, whoever calls it.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from kaveri.plans import validators
from kaveri.plans.models import Measure, Plan
from kaveri.plans.states import MEASURE, MEASURE_TRANSITION_TO, PLAN
from kaveri.rules.durations import Duration
from kaveri.rules.inputs import require_choice, require_dates, require_text
from kaveri.rules.registry import rules_for, rules_on
from kaveri.rules.schema import DurationRange
from kaveri.rules.violations import Conflict, RuleViolation, collect
from kaveri.rules.watchers import changes_facts
from kaveri.transitions.behalf import OnBehalf, required_of_a_worker
from kaveri.transitions.machine import bump, locked


@dataclass
class MeasureInput:
    """A measure of a plan version. With no responsible authority given, a measure kept
    from the version before keeps its own, and a new one goes to the authority that grants it."""

    measure: str
    responsible_authority: str | None = None
    description: str | None = None


def _check_measures(rules, plan_type: str, measures: list[MeasureInput]) -> None:
    validators.each_measure_once(measures)
    for measure in measures:
        validators.measure_fits_the_plan(rules, plan_type, measure.measure)
        if measure.responsible_authority is not None:
            validators.responsible_party_grants(
                rules, measure.measure, measure.responsible_authority
            )
        if measure.description is not None:
            require_text(measure.description, "measures", max_length=2000)


def check_plan(rules, plan_type: str, process: str, review_months, measures, parties) -> None:
    """Everything a plan version must satisfy, for a page, the API or an import."""
    validators.plan_type_known(rules, plan_type)
    validators.plan_made_in_process(rules, plan_type, process)
    validators.review_interval_within_bounds(rules, plan_type, process, review_months)
    _check_measures(rules, plan_type, measures)
    validators.plan_parties_present(rules, plan_type, parties)


def _granting_authority(rules, code: str) -> str:
    return next(m.granted_by[0] for m in rules.data.measures if m.code == code)


def _new_version(rules, client, plan_type, process, relationship, made_on, review_months, **extra):
    interval = Duration(review_months, "M")
    return Plan.objects.create(
        client=client,
        plan_type=plan_type,
        process=process,
        relationship=relationship,
        made_on=made_on,
        review_interval=str(interval),
        next_review_on=interval.after(made_on),
        ruleset_version=rules.version,
        **extra,
    )


def _measures_of_new_plan(rules, plan: Plan, measures: list[MeasureInput]) -> None:
    Measure.objects.bulk_create(
        Measure(
            plan=plan,
            measure=m.measure,
            responsible_authority=m.responsible_authority or _granting_authority(rules, m.measure),
            description=m.description or "",
            due_on=plan.next_review_on,
        )
        for m in measures
    )


def _carry_measures(rules, previous: Plan, plan: Plan, measures: list[MeasureInput]) -> None:
    """A measure kept from the version before goes on exactly as it was (responsible party,
    status, acknowledgement, due date), linked to its earlier self; a changed party or
    description is the only difference. New measures start as agreed."""
    earlier = {m.measure: m for m in previous.measures.all()}
    rows = []
    for wanted in measures:
        kept = earlier.get(wanted.measure)
        if kept is None:
            rows.append(
                Measure(
                    plan=plan,
                    measure=wanted.measure,
                    responsible_authority=wanted.responsible_authority
                    or _granting_authority(rules, wanted.measure),
                    description=wanted.description or "",
                    due_on=plan.next_review_on,
                )
            )
            continue
        authority = wanted.responsible_authority or kept.responsible_authority
        rows.append(
            Measure(
                plan=plan,
                measure=kept.measure,
                responsible_authority=authority,
                responsible_organisation=kept.responsible_organisation
                if authority == kept.responsible_authority
                else None,
                description=kept.description if wanted.description is None else wanted.description,
                status=kept.status,
                due_on=kept.due_on,
                client_acknowledged_on=kept.client_acknowledged_on,
                carried_from=kept,
            )
        )
    Measure.objects.bulk_create(rows)


@transaction.atomic
@changes_facts
def make_plan(
    client,
    plan_type: str,
    process: str,
    relationship,
    parties: list,
    made_on: date,
    review_months: int,
    measures: list[MeasureInput],
    created_by=None,
    summary: str = "",
) -> Plan:
    """A new plan, under the rule set in force on the day it is made."""
    require_dates(made_on=made_on)
    require_text(summary, "summary", max_length=4000)
    rules = rules_on(made_on)
    check_plan(rules, plan_type, process, review_months, measures, parties)
    if client.plans.current().of_type(plan_type).filter(relationship=relationship).exists():
        raise RuleViolation(
            "one_plan_in_force",
            "plan_type",
            _("A plan of this type is already in force; revise it instead."),
        )
    plan = _new_version(
        rules,
        client,
        plan_type,
        process,
        relationship,
        made_on,
        review_months,
        created_by=created_by,
        summary=summary,
    )
    plan.parties.set(parties)
    _measures_of_new_plan(rules, plan, measures)
    return plan


@transaction.atomic
@changes_facts
def revise_plan(
    plan: Plan,
    made_on: date,
    review_months: int,
    measures: list[MeasureInput],
    created_by=None,
    summary: str = "",
    *,
    expected_version: int | None = None,
) -> Plan:
    """The review: a new version becomes current, the earlier one is kept unchanged.

    The plan keeps the rule set it was made under, for its bounds and its codes, even when
    a newer set has taken over since (the new version records the same set).
    """
    require_dates(made_on=made_on)
    require_text(summary, "summary", max_length=4000)
    if not plan.is_current:
        raise Conflict(
            "revise_current_version", "plan", _("Only the version in force can be revised.")
        )
    if made_on < plan.made_on:
        raise RuleViolation(
            "revision_after_previous",
            "made_on",
            _("The revision cannot be dated before the version it replaces."),
        )
    parties = list(plan.parties.all())
    rules = rules_for(plan)
    check_plan(rules, plan.plan_type, plan.process, review_months, measures, parties)
    current = PLAN.apply(
        plan,
        "supersede",
        effective_on=made_on,
        by=created_by,
        reason=_("Reviewed: version %(n)s replaces it.") % {"n": plan.version + 1},
        expected_version=expected_version,
        changes={"is_current": False},
    )
    revised = _new_version(
        rules,
        current.client,
        current.plan_type,
        current.process,
        current.relationship,
        made_on,
        review_months,
        created_by=created_by,
        summary=summary,
        series=current.series,
        version=current.version + 1,
    )
    revised.parties.set(parties)
    _carry_measures(rules, current, revised, measures)
    return revised


@transaction.atomic
@changes_facts
def approve_plan(
    plan: Plan,
    day: date,
    *,
    by=None,
    expected_version: int | None = None,
    on_behalf: OnBehalf | None = None,
) -> Plan:
    """The client's approval of the plan: given in the portal, or recorded by a worker on
    the client's behalf with how the client told them."""
    require_dates(day=day)
    required_of_a_worker(by, on_behalf)
    if day < plan.made_on:
        raise RuleViolation(
            "approval_after_plan", "day", _("The approval cannot be before the plan was made.")
        )
    return PLAN.apply(
        plan,
        "approve",
        effective_on=day,
        by=by,
        expected_version=expected_version,
        changes={"client_approved_on": day},
        on_behalf=on_behalf,
    )


@transaction.atomic
@changes_facts
def acknowledge_measure(
    measure: Measure,
    day: date,
    status: str | None = None,
    *,
    by=None,
    expected_version: int | None = None,
) -> Measure:
    """The client's acknowledgement of progress on a measure (kuittaaminen), and the new
    status of the measure when progress moved it on."""
    require_dates(day=day)
    if status and status != measure.status:
        require_choice(status, list(MEASURE_TRANSITION_TO), "status")
        return MEASURE.apply(
            measure,
            MEASURE_TRANSITION_TO[status],
            effective_on=day,
            by=by,
            expected_version=expected_version,
            changes={"client_acknowledged_on": day},
        )
    row = locked(measure, expected_version)
    row.client_acknowledged_on = day
    row.save(update_fields=["client_acknowledged_on"])
    bump(row)
    return row


def home_of_new_plan(client, organisation, plan_type: str, day: date):
    """The organisation's open relationship a new plan of the type belongs to, and its process.

    The relationship whose process makes the plan type, where there is one; the process
    of the plan is then that relationship's, else the first the rule set names.
    """
    rules = rules_on(day)
    validators.plan_type_known(rules, plan_type)
    made_in = rules.plans[plan_type].made_in
    open_here = list(client.relationships.open().held_by(organisation))
    for relationship in open_here:
        process = rules.relationship_kinds[relationship.kind].process
        if process in made_in:
            return relationship, process
    return (open_here[0] if open_here else None), made_in[0]


def plans_made_here(client, organisation, day: date) -> list[tuple[str, DurationRange]]:
    """The plan types made in the organisation's processes or with its authority as a
    party (every type where none is), each with the review interval the rules allow in the
    process a new one would follow there."""
    rules = rules_on(day)
    kinds = rules.kinds_opened_at(organisation.authority, organisation.is_municipal_trial)
    processes = {k.process for k in kinds}
    fitting = [
        p
        for p in rules.data.plans
        if organisation.authority in p.parties or processes & set(p.made_in)
    ] or rules.data.plans
    found = []
    for plan in fitting:
        _relationship, process = home_of_new_plan(client, organisation, plan.code, day)
        found.append((plan.code, rules.plan_review(plan.code, process)))
    return found


def review_range_of(plan: Plan) -> DurationRange:
    """The review interval the rules the plan was made under allow for it."""
    return rules_for(plan).plan_review(plan.plan_type, plan.process)


def plan_problems(plan: Plan) -> list[RuleViolation]:
    """Every named check a recorded plan version fails, its review date included."""
    interval = Duration.parse(plan.review_interval)
    months = interval.amount if interval.unit == "M" else None
    measures = [MeasureInput(m.measure, m.responsible_authority) for m in plan.measures.all()]

    def review_date_follows() -> None:
        if plan.next_review_on != interval.after(plan.made_on):
            raise RuleViolation(
                "next_review_follows_the_interval",
                "next_review_on",
                _("The next review is %(interval)s after the plan was made, on %(day)s.")
                % {"interval": plan.review_interval, "day": interval.after(plan.made_on)},
            )

    return collect(
        lambda: require_dates(made_on=plan.made_on),
        lambda: check_plan(
            rules_for(plan),
            plan.plan_type,
            plan.process,
            months,
            measures,
            list(plan.parties.all()),
        ),
        review_date_follows,
    )
