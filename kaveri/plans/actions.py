"""Plans: make, revise (a new version; the old one is kept), approve, acknowledge."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from kaveri.casework import checks
from kaveri.casework.actions import MeasureInput
from kaveri.casework.checks import RuleViolation
from kaveri.plans.models import Measure, Plan
from kaveri.rules.durations import Duration
from kaveri.rules.loader import get_rules


def _check_plan(plan_type: str, process: str, review_months: int, measures, parties) -> None:
    rules = get_rules()
    if plan_type not in rules.plans:
        raise RuleViolation("plan_type_known", "plan_type", _("Choose the plan type."))
    if process and process not in rules.plans[plan_type].made_in:
        raise RuleViolation(
            "plan_made_in_process", "process", _("This plan type is not made in that process.")
        )
    checks.review_interval_within_bounds(rules, plan_type, process, review_months)
    for measure in measures:
        checks.measure_fits_the_plan(rules, plan_type, measure.measure)
    needed = set(rules.plans[plan_type].parties) - {"CLIENT"}
    present = {o.authority for o in parties} | (
        {"TYP"} if plan_type == "MULTISECTORAL_PLAN" else set()
    )
    missing = needed - present
    if missing:
        raise RuleViolation(
            "plan_parties_present",
            "parties",
            _("This plan is made together with %(missing)s; add them as parties.")
            % {"missing": ", ".join(sorted(missing))},
        )


def _write_version(
    client,
    plan_type,
    process,
    relationship,
    parties,
    made_on,
    review_months,
    measures,
    created_by,
    series=None,
    version=1,
    summary="",
) -> Plan:
    rules = get_rules()
    interval = Duration(review_months, "M")
    plan = Plan(
        client=client,
        plan_type=plan_type,
        process=process,
        relationship=relationship,
        made_on=made_on,
        review_interval=str(interval),
        next_review_on=interval.after(made_on),
        created_by=created_by,
        ruleset_version=rules.version,
        version=version,
        summary=summary,
    )
    if series is not None:
        plan.series = series
    plan.save()
    plan.parties.set(parties)
    Measure.objects.bulk_create(
        Measure(
            plan=plan,
            measure=m.measure,
            responsible_authority=m.responsible_authority,
            description=m.description,
            due_on=plan.next_review_on,
        )
        for m in measures
    )
    return plan


@transaction.atomic
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
    _check_plan(plan_type, process, review_months, measures, parties)
    if client.plans.filter(
        plan_type=plan_type, is_current=True, relationship=relationship
    ).exists():
        raise RuleViolation(
            "one_plan_in_force",
            "plan_type",
            _("A plan of this type is already in force; revise it instead."),
        )
    return _write_version(
        client,
        plan_type,
        process,
        relationship,
        parties,
        made_on,
        review_months,
        measures,
        created_by,
        summary=summary,
    )


@transaction.atomic
def revise_plan(
    plan: Plan,
    made_on: date,
    review_months: int,
    measures: list[MeasureInput],
    created_by=None,
    summary: str = "",
) -> Plan:
    """The review: a new version becomes current, the earlier one is kept unchanged."""
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    if not current.is_current:
        raise RuleViolation(
            "revise_current_version", "plan", _("Only the version in force can be revised.")
        )
    if made_on < current.made_on:
        raise RuleViolation(
            "revision_after_previous",
            "made_on",
            _("The revision cannot be dated before the version it replaces."),
        )
    parties = list(current.parties.all())
    _check_plan(current.plan_type, current.process, review_months, measures, parties)
    Plan.objects.filter(pk=current.pk).update(is_current=False)
    return _write_version(
        current.client,
        current.plan_type,
        current.process,
        current.relationship,
        parties,
        made_on,
        review_months,
        measures,
        created_by,
        series=current.series,
        version=current.version + 1,
        summary=summary,
    )


@transaction.atomic
def approve_plan(plan: Plan, day: date) -> Plan:
    """The client's approval of the plan (recorded by the worker now, by the client later)."""
    if day < plan.made_on:
        raise RuleViolation(
            "approval_after_plan", "day", _("The approval cannot be before the plan was made.")
        )
    plan.client_approved_on = day
    plan.save(update_fields=["client_approved_on"])
    return plan


@transaction.atomic
def acknowledge_measure(measure: Measure, day: date, status: str | None = None) -> Measure:
    """The client's acknowledgement of progress on a measure (kuittaaminen)."""
    measure.client_acknowledged_on = day
    if status:
        measure.status = status
    measure.save(update_fields=["client_acknowledged_on", "status"])
    return measure
