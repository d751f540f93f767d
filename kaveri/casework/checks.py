"""The pathway rules of SERVICE-MODEL sections 2 and 3, one named check each.

Every check reads its numbers from the rule set and raises RuleViolation with
the field at fault and a message that says what is wrong and how to fix it.
"""

from datetime import date, timedelta

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kaveri.rules.durations import add_months
from kaveri.rules.ruleset import RuleSet, duration_range_text


def _language() -> str:
    return get_language() or "fi"


class RuleViolation(Exception):
    def __init__(self, check: str, field: str, message: str):
        self.check = check
        self.field = field
        self.message = message
        super().__init__(message)


def closure_reason_is_allowed(rules: RuleSet, kind: str, reason: str) -> None:
    allowed = rules.relationship_kinds[kind].closure_reasons
    if reason not in allowed:
        names = ", ".join(rules.label("closure_reason", r, _language()) for r in allowed)
        raise RuleViolation(
            "closure_reason_is_allowed",
            "closure_reason",
            _("This relationship may close only for one of: %(reasons)s.") % {"reasons": names},
        )


def named_workers_fit_the_kind(rules: RuleSet, kind: str, workers: list[tuple[str, object]]):
    """workers: (role code, Worker). Counts and home authorities as the kind requires."""
    for rule in rules.relationship_kinds[kind].workers:
        chosen = [w for role, w in workers if role == rule.role]
        if not rule.min <= len(chosen) <= rule.max:
            raise RuleViolation(
                "named_workers_fit_the_kind",
                "workers",
                _("Name %(min)s to %(max)s workers as %(role)s.")
                % {
                    "min": rule.min,
                    "max": rule.max,
                    "role": rules.label("worker_role", rule.role, _language()),
                },
            )
        for worker in chosen:
            home = worker.home_authority or worker.organisation.authority
            if home != rule.from_:
                raise RuleViolation(
                    "named_workers_fit_the_kind",
                    "workers",
                    _("%(worker)s is not from %(authority)s, as the %(role)s must be.")
                    % {
                        "worker": worker,
                        "authority": rule.from_,
                        "role": rules.label("worker_role", rule.role, _language()),
                    },
                )
    known = {rule.role for rule in rules.relationship_kinds[kind].workers}
    if any(role not in known for role, _w in workers):
        raise RuleViolation(
            "named_workers_fit_the_kind",
            "workers",
            _("That worker role does not belong to this kind of relationship."),
        )


def consent_given_for_typ(client, day: date) -> None:
    """TYP registration needs the client's consent to TYP work (A2 step 3)."""
    from kaveri.consent.models import Consent

    in_force = Consent.objects.filter(
        client=client, purpose="TYP_WORK", revoked_at__isnull=True, valid_from__lte=day
    ).exclude(valid_until__lt=day)
    if not in_force.exists():
        raise RuleViolation(
            "consent_given_for_typ",
            "consent",
            _("Record the client's consent to TYP work first; TYP registration needs it."),
        )


def typ_closure_has_final_assessment(relationship) -> None:
    """Closing a TYP relationship needs a final assessment and the offer of feedback (A2 step 8)."""
    if not relationship.assessments.filter(is_final=True).exists():
        raise RuleViolation(
            "typ_closure_has_final_assessment",
            "final_assessment",
            _("Record the final assessment (loppuarvio) before closing the TYP relationship."),
        )
    if relationship.feedback_offered_on is None:
        raise RuleViolation(
            "typ_closure_has_final_assessment",
            "feedback_offered",
            _("Offer the client the feedback form before closing the TYP relationship."),
        )


def review_interval_within_bounds(rules: RuleSet, plan_type: str, process: str, months: int):
    span = rules.plan_review(plan_type, process or None)
    chosen = add_months(date(2000, 1, 1), months)
    low, high = span.lower.after(date(2000, 1, 1)), span.upper.after(date(2000, 1, 1))
    if not low <= chosen <= high:
        raise RuleViolation(
            "review_interval_within_bounds",
            "review_months",
            _("The review interval of this plan is %(bounds)s; choose within it.")
            % {"bounds": duration_range_text(span, _language())},
        )


def measure_fits_the_plan(rules: RuleSet, plan_type: str, measure: str) -> None:
    if measure not in rules.plans[plan_type].measures:
        raise RuleViolation(
            "measure_fits_the_plan",
            "measure",
            _("%(measure)s is not agreed in a %(plan)s.")
            % {
                "measure": rules.label("measure", measure, _language()),
                "plan": rules.label("plan", plan_type, _language()),
            },
        )


def registered_job_seeker(client, day: date) -> None:
    """Rehabilitative work activity needs the client registered as unemployed (P3 step 3)."""
    registered = client.job_seeker_registrations.filter(registered_on__lte=day).exclude(
        ended_on__lt=day
    )
    if not registered.exists():
        raise RuleViolation(
            "registered_job_seeker",
            "service",
            _("The client must be registered as an unemployed job seeker first."),
        )


def activation_plan_in_force(client, day: date) -> None:
    """Rehabilitative work activity needs an activation plan in force (P3 step 4)."""
    if not client.plans.filter(
        plan_type="ACTIVATION_PLAN", is_current=True, made_on__lte=day
    ).exists():
        raise RuleViolation(
            "activation_plan_in_force",
            "service",
            _("Make the activation plan with employment services and the client first."),
        )


def service_granted_by(rules: RuleSet, service: str, authority: str) -> None:
    granted_by = rules.services[service].granted_by
    if authority not in granted_by:
        raise RuleViolation(
            "service_granted_by",
            "service",
            _("%(service)s is granted by %(authorities)s, not by your authority.")
            % {
                "service": rules.label("service", service, _language()),
                "authorities": ", ".join(granted_by),
            },
        )


def intensity_within_bounds(rules: RuleSet, service: str, days: int | None, hours) -> None:
    intensity = rules.services[service].intensity
    if intensity is None:
        return
    bounds = intensity.days_per_week
    if bounds and (days is None or days < bounds.min or (bounds.max and days > bounds.max)):
        upper = f"–{bounds.max}" if bounds.max else " " + _("or more")
        raise RuleViolation(
            "intensity_within_bounds",
            "days_per_week",
            _("Days a week must be %(low)s%(high)s for this service.")
            % {"low": bounds.min, "high": upper},
        )
    bounds = intensity.hours_per_day
    if bounds and (hours is None or hours < bounds.min or (bounds.max and hours > bounds.max)):
        raise RuleViolation(
            "intensity_within_bounds",
            "hours_per_day",
            _("Hours a day must be at least %(low)s for this service.") % {"low": bounds.min},
        )


def decision_period_within_legal_bounds(rules: RuleSet, service: str, starts: date, ends: date):
    if ends < starts:
        raise RuleViolation(
            "decision_period_within_legal_bounds", "ends_on", _("The period ends before it starts.")
        )
    period = rules.services[service].decision_period
    legal = period.legal if period else None
    if legal is None:
        return
    shortest = legal.lower.after(starts)
    longest = legal.upper.after(starts)
    # A period of n months ends on the day before the same date n months later.
    if not shortest <= ends + timedelta(days=1) <= longest:
        raise RuleViolation(
            "decision_period_within_legal_bounds",
            "ends_on",
            _("A decision on this service covers %(bounds)s by law.")
            % {"bounds": duration_range_text(legal, _language())},
        )


def end_reason_is_allowed(rules: RuleSet, service: str, reason: str) -> None:
    allowed = rules.services[service].end_reasons
    if reason not in allowed:
        raise RuleViolation(
            "end_reason_is_allowed",
            "end_reason",
            _("This service may end only for one of: %(reasons)s.")
            % {"reasons": ", ".join(rules.label("end_reason", r, _language()) for r in allowed)},
        )


def te_office_decides(rules: RuleSet, service: str, organisation) -> None:
    """A4: the municipal employment trial does not decide training or wage subsidy."""
    if organisation.is_municipal_trial and rules.services[service].not_decided_by_municipal_trial:
        raise RuleViolation(
            "te_office_decides",
            "service",
            _("The TE office decides on %(service)s, not the municipal employment trial.")
            % {"service": rules.label("service", service, _language())},
        )


def entry_fits_the_process(rules: RuleSet, kind: str, pathway: str, initiator: str) -> None:
    """How a case begins: the entries the pathway and the process of the kind name."""
    process = rules.relationship_kinds[kind].process
    entries = set(rules.processes[process].entry) if process else set()
    if pathway:
        entries |= set(rules.pathways[pathway].entry)
    if entries and initiator not in entries:
        names = ", ".join(sorted(rules.label("contact_initiator", e, _language()) for e in entries))
        raise RuleViolation(
            "entry_fits_the_process",
            "initiator",
            _("A case of this kind begins with: %(entries)s.") % {"entries": names},
        )


def no_pending_applications(client) -> None:
    """A6 step 7: Kela's service ends only when no application is pending."""
    from kaveri.benefits.actions import pending_applications

    if pending_applications(client).exists():
        raise RuleViolation(
            "no_pending_applications",
            "closure_reason",
            _("An application is still pending; the Kela relationship ends when none is."),
        )
