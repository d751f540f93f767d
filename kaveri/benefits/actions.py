"""Benefit applications (A5, A6): expected decision dates, information requests, decisions.

`expected_decision_date` is a pure function of the recorded dates and the rule set:
the processing time runs from the day the application is complete; an urgent
basic social assistance application has its own shorter time; for a benefit
whose clock restarts when completed, the answer to an information request
starts it again.
"""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from kaveri.benefits import validators
from kaveri.benefits.models import Application, InformationRequest
from kaveri.benefits.states import APPLICATION, INFORMATION_REQUEST
from kaveri.rules.inputs import require_choice, require_dates, require_text
from kaveri.rules.registry import rules_for, rules_on
from kaveri.rules.ruleset import RuleSet
from kaveri.rules.violations import RuleViolation, collect
from kaveri.rules.watchers import changes_facts
from kaveri.transitions.machine import bump, locked


def expected_decision_date(
    rules: RuleSet,
    benefit: str,
    submitted_on: date,
    completed_on: date | None,
    urgent: bool = False,
) -> date:
    rule = rules.benefits[benefit]
    time = (
        rule.urgent_processing_time
        if urgent and rule.urgent_processing_time
        else (rule.processing_time)
    )
    return time.after(completed_on or submitted_on)


def information_answer_due(rules: RuleSet, requested_on: date) -> date:
    return rules.data.information_requests.answer_within.after(requested_on)


@transaction.atomic
@changes_facts
def record_application(
    client,
    benefit: str,
    submitted_on: date,
    urgent: bool = False,
    complete: bool = True,
    deciding_organisation=None,
) -> Application:
    require_dates(submitted_on=submitted_on)
    rules = rules_on(submitted_on)
    validators.benefit_known(rules, benefit)
    validators.urgency_applies(rules, benefit, urgent)
    completed_on = submitted_on if complete else None
    return Application.objects.create(
        client=client,
        benefit=benefit,
        submitted_on=submitted_on,
        completed_on=completed_on,
        urgent=urgent,
        deciding_organisation=deciding_organisation,
        expected_decision_on=expected_decision_date(
            rules, benefit, submitted_on, completed_on, urgent
        )
        if completed_on
        else None,
        ruleset_version=rules.version,
    )


@transaction.atomic
@changes_facts
def request_information(
    application: Application,
    requested_on: date,
    what: str,
    *,
    by=None,
    expected_version: int | None = None,
) -> InformationRequest:
    require_dates(requested_on=requested_on)
    require_text(what, "what", max_length=4000, required=True)
    validators.not_before(
        requested_on,
        application.submitted_on,
        "request_after_submission",
        "requested_on",
        _("The request cannot be before the application was submitted."),
    )
    APPLICATION.apply(
        application,
        "request_information",
        effective_on=requested_on,
        by=by,
        reason=what[:200],
        expected_version=expected_version,
    )
    return InformationRequest.objects.create(
        application=application,
        requested_on=requested_on,
        what=what,
        due_on=information_answer_due(rules_for(application), requested_on),
    )


@transaction.atomic
@changes_facts
def answer_information_request(
    request: InformationRequest,
    answered_on: date,
    *,
    by=None,
    expected_version: int | None = None,
) -> Application:
    """The answer arrives; for a benefit whose clock restarts, the processing time runs anew."""
    require_dates(answered_on=answered_on)
    validators.not_before(
        answered_on,
        request.requested_on,
        "answer_after_request",
        "answered_on",
        _("The answer cannot be before the request."),
    )
    INFORMATION_REQUEST.apply(
        request,
        "answer",
        effective_on=answered_on,
        by=by,
        expected_version=expected_version,
        changes={"answered_on": answered_on},
    )
    application = locked(request.application)
    rules = rules_for(application)
    changes = {}
    if rules.benefits[application.benefit].restarts_when_completed or (
        application.completed_on is None
    ):
        changes = {
            "completed_on": answered_on,
            "expected_decision_on": expected_decision_date(
                rules,
                application.benefit,
                application.submitted_on,
                answered_on,
                application.urgent,
            ),
        }
    waiting = application.information_requests.unanswered().exists()
    if application.status == Application.Status.INFORMATION_REQUESTED and not waiting:
        return APPLICATION.apply(
            application, "information_received", effective_on=answered_on, by=by, changes=changes
        )
    for attribute, value in changes.items():
        setattr(application, attribute, value)
    application.save(update_fields=list(changes))
    bump(application)
    return application


@transaction.atomic
@changes_facts
def decide_application(
    application: Application,
    organisation,
    decided_on: date,
    outcome: str,
    granted_until: date | None = None,
    *,
    by=None,
    expected_version: int | None = None,
) -> Application:
    """The decision, once: a decided application cannot be decided again, and a denial
    grants nothing."""
    rules = rules_for(application)
    require_dates(decided_on=decided_on, granted_until=granted_until)
    validators.decided_by_this_authority(rules, application.benefit, organisation)
    validators.not_before(
        decided_on,
        application.submitted_on,
        "decided_after_submission",
        "decided_on",
        _("The decision cannot be before the application."),
    )
    require_choice(outcome, Application.Outcome.values, "outcome")
    granted = outcome != Application.Outcome.DENIED
    if granted and granted_until is not None:
        validators.not_before(
            granted_until,
            decided_on,
            "granted_after_decision",
            "granted_until",
            _("The benefit cannot be granted until a day before the decision."),
        )
    return APPLICATION.apply(
        application,
        "decide",
        effective_on=decided_on,
        by=by,
        reason=outcome,
        expected_version=expected_version,
        changes={
            "decided_on": decided_on,
            "outcome": outcome,
            "deciding_organisation": organisation,
            "granted_from": decided_on if granted else None,
            "granted_until": granted_until if granted else None,
        },
    )


def _follows_the_rules(day, expected, check: str, field: str, what: str) -> None:
    if day != expected:
        raise RuleViolation(
            check,
            field,
            _("The rules give %(what)s %(expected)s, not %(day)s.")
            % {"what": what, "expected": expected or "-", "day": day or "-"},
        )


def application_problems(application: Application) -> list[RuleViolation]:
    """Every named check a recorded application fails: the benefit, the expected decision
    date and the answer dates the rules give, and who decided it and how."""
    rules = rules_for(application)
    if application.benefit not in rules.benefits:
        return collect(lambda: validators.benefit_known(rules, application.benefit))
    expected = (
        expected_decision_date(
            rules,
            application.benefit,
            application.submitted_on,
            application.completed_on,
            application.urgent,
        )
        if application.completed_on
        else None
    )
    checks = [
        lambda: require_dates(
            submitted_on=application.submitted_on, completed_on=application.completed_on
        ),
        lambda: validators.urgency_applies(rules, application.benefit, application.urgent),
        lambda: _follows_the_rules(
            application.expected_decision_on,
            expected,
            "expected_decision_follows_the_rules",
            "expected_decision_on",
            _("the expected decision date"),
        ),
    ]
    for request in application.information_requests.all():
        checks.append(
            lambda r=request: _follows_the_rules(
                r.due_on,
                information_answer_due(rules, r.requested_on),
                "answer_due_follows_the_rules",
                "information_requests",
                _("the answer date"),
            )
        )
    if application.status == Application.Status.DECIDED:
        checks += [
            lambda: validators.decided_by_this_authority(
                rules, application.benefit, application.deciding_organisation
            ),
            lambda: validators.not_before(
                application.decided_on,
                application.submitted_on,
                "decided_after_submission",
                "decided_on",
                _("The decision cannot be before the application."),
            ),
        ]
    return collect(*checks)
