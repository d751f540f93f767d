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
from kaveri.rules.inputs import require_dates, require_text
from kaveri.rules.loader import get_rules
from kaveri.rules.ruleset import RuleSet
from kaveri.rules.violations import RuleViolation


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
def record_application(
    client,
    benefit: str,
    submitted_on: date,
    urgent: bool = False,
    complete: bool = True,
    deciding_organisation=None,
) -> Application:
    rules = get_rules()
    require_dates(submitted_on=submitted_on)
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
def request_information(
    application: Application, requested_on: date, what: str
) -> InformationRequest:
    require_dates(requested_on=requested_on)
    require_text(what, "what", max_length=4000, required=True)
    if application.status == Application.Status.DECIDED:
        raise RuleViolation("application_pending", "what", _("The application is already decided."))
    validators.not_before(
        requested_on,
        application.submitted_on,
        "request_after_submission",
        "requested_on",
        _("The request cannot be before the application was submitted."),
    )
    request = InformationRequest.objects.create(
        application=application,
        requested_on=requested_on,
        what=what,
        due_on=information_answer_due(get_rules(), requested_on),
    )
    application.status = Application.Status.INFORMATION_REQUESTED
    application.save(update_fields=["status"])
    return request


@transaction.atomic
def answer_information_request(request: InformationRequest, answered_on: date) -> Application:
    """The answer arrives; for a benefit whose clock restarts, the processing time runs anew."""
    require_dates(answered_on=answered_on)
    validators.not_before(
        answered_on,
        request.requested_on,
        "answer_after_request",
        "answered_on",
        _("The answer cannot be before the request."),
    )
    request.answered_on = answered_on
    request.save(update_fields=["answered_on"])
    application = request.application
    rules = get_rules()
    if rules.benefits[application.benefit].restarts_when_completed or (
        application.completed_on is None
    ):
        application.completed_on = answered_on
        application.expected_decision_on = expected_decision_date(
            rules, application.benefit, application.submitted_on, answered_on, application.urgent
        )
    if not application.information_requests.unanswered().exists():
        application.status = Application.Status.PENDING
    application.save(update_fields=["completed_on", "expected_decision_on", "status"])
    return application


@transaction.atomic
def decide_application(
    application: Application,
    organisation,
    decided_on: date,
    outcome: str,
    granted_until: date | None = None,
) -> Application:
    rules = get_rules()
    require_dates(decided_on=decided_on, granted_until=granted_until)
    validators.decided_by_this_authority(rules, application.benefit, organisation)
    validators.not_before(
        decided_on,
        application.submitted_on,
        "decided_after_submission",
        "decided_on",
        _("The decision cannot be before the application."),
    )
    if outcome not in Application.Outcome.values:
        raise RuleViolation("outcome_known", "outcome", _("Choose the outcome."))
    application.status = Application.Status.DECIDED
    application.decided_on = decided_on
    application.outcome = outcome
    application.deciding_organisation = organisation
    if outcome != Application.Outcome.DENIED:
        application.granted_from = decided_on
        application.granted_until = granted_until
    application.save()
    return application
