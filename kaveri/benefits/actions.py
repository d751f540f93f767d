"""Benefit applications (A5, A6): expected decision dates, information requests, decisions
and the appeals against them.

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
from kaveri.benefits.models import Appeal, Application, EmploymentStatement, InformationRequest
from kaveri.benefits.states import APPEAL, APPLICATION, INFORMATION_REQUEST
from kaveri.rules.durations import Duration, first_open_day
from kaveri.rules.inputs import require_choice, require_code, require_dates, require_text
from kaveri.rules.registry import rules_for, rules_on
from kaveri.rules.ruleset import RuleSet, current_language
from kaveri.rules.schema import AppealRule
from kaveri.rules.violations import Conflict, RuleViolation, collect
from kaveri.rules.watchers import changes_facts
from kaveri.transitions.behalf import OnBehalf, required_of_a_worker
from kaveri.transitions.machine import bump, locked


def processing_time(rules: RuleSet, benefit: str, urgent: bool = False) -> Duration:
    """The time the rule set gives a decision: the urgent one where it has one."""
    rule = rules.benefits[benefit]
    if urgent and rule.urgent_processing_time:
        return rule.urgent_processing_time
    return rule.processing_time


def expected_decision_date(
    rules: RuleSet,
    benefit: str,
    submitted_on: date,
    completed_on: date | None,
    urgent: bool = False,
) -> date:
    return processing_time(rules, benefit, urgent).after(completed_on or submitted_on)


def information_answer_due(rules: RuleSet, requested_on: date) -> date:
    return rules.data.information_requests.answer_within.after(requested_on)


def unemployment_benefit_over(rules: RuleSet, applications, start: date, end: date):
    """The unemployment benefit granted over the period (the latest decision among the
    applications given), whose payer, Kela or an unemployment fund, receives the
    participant's unemployment period report; None when none is granted."""
    granted = [
        a
        for a in applications
        if rules.benefits.get(a.benefit) is not None
        and rules.benefits[a.benefit].unemployment_benefit
        and a.outcome in ("GRANTED", "PARTLY_GRANTED")
        and a.granted_from is not None
        and a.granted_from <= end
        and (a.granted_until is None or a.granted_until >= start)
    ]
    return max(granted, key=lambda a: (a.decided_on, a.pk)) if granted else None


def appeal_rule(rules: RuleSet, benefit: str) -> AppealRule | None:
    """The review path the rule set gives a benefit's decisions, if it gives one."""
    code = rules.benefits[benefit].appeal
    return next((a for a in rules.data.appeals if a.code == code), None)


def appeal_deadline(rule: AppealRule | None, mailed_on: date | None) -> date | None:
    """The last day to appeal: the decision counts as received a set time after its mailing
    date (Kela: the 7th day), the appeal period runs from then (30 days), and a last day
    that falls on a closed day moves to the next working day."""
    if rule is None or mailed_on is None:
        return None
    last = rule.period_after_receipt.after(rule.presumed_receipt_after.after(mailed_on))
    return first_open_day(last) if rule.deadline_moves_past_closed_days else last


@transaction.atomic
@changes_facts
def record_application(
    client,
    benefit: str,
    submitted_on: date,
    urgent: bool = False,
    complete: bool = True,
    deciding_organisation=None,
    missing: str = "",
    *,
    by=None,
) -> Application:
    """An application as submitted. One that is not complete says what it lacks: that is
    recorded as an information request with its answer date, so that the application
    shows what it waits for and by when rather than no date at all."""
    require_dates(submitted_on=submitted_on)
    rules = rules_on(submitted_on)
    validators.benefit_known(rules, benefit)
    validators.urgency_applies(rules, benefit, urgent)
    require_text(missing, "missing", max_length=4000)
    if not complete and not missing.strip():
        raise RuleViolation(
            "incomplete_says_what_is_missing",
            "missing",
            _("Say what the application lacks; it is asked for with an answer date."),
        )
    completed_on = submitted_on if complete else None
    application = Application.objects.create(
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
    if not complete:
        request_information(application, submitted_on, missing, by=by)
    return application


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
    answer: str = "",
    by=None,
    expected_version: int | None = None,
    on_behalf: OnBehalf | None = None,
) -> Application:
    """The answer arrives (its words kept where it came with some); for a benefit whose clock
    restarts, the processing time runs anew. A worker records it with how it came."""
    require_dates(answered_on=answered_on)
    required_of_a_worker(by, on_behalf)
    require_text(answer, "answer", max_length=4000)
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
        changes={"answered_on": answered_on, "answer": answer.strip()},
        on_behalf=on_behalf,
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
    mailed_on: date | None = None,
    *,
    by=None,
    expected_version: int | None = None,
) -> Application:
    """The decision, once: a decided application cannot be decided again, and a denial
    grants nothing. Its mailing date (the decision's own date when not given) starts the
    appeal period the rule set gives the benefit."""
    rules = rules_for(application)
    require_dates(decided_on=decided_on, granted_until=granted_until, mailed_on=mailed_on)
    mailed_on = validators.mailed_after_decision(decided_on, mailed_on)
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
    if granted:
        validators.granted_after_decision(granted_until, decided_on)
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
            "decision_mailed_on": mailed_on,
            "appeal_due_on": appeal_deadline(appeal_rule(rules, application.benefit), mailed_on),
        },
    )


# --- appeals ---


def _stage_name(rule: AppealRule, stage: int) -> str:
    return rule.stages[stage].label.get(current_language())


def _path_of(application: Application) -> AppealRule:
    rules = rules_for(application)
    rule = appeal_rule(rules, application.benefit)
    if rule is None:
        raise RuleViolation(
            "appeal_path_known",
            "filed_on",
            _(
                "The rule set gives no review path for %(benefit)s; the decision itself says "
                "where to appeal."
            )
            % {"benefit": rules.label("benefit", application.benefit, current_language())},
        )
    return rule


def _next_stage(application: Application, rule: AppealRule) -> tuple[int, date | None]:
    """Where a new appeal goes: the first stage against the decision, or the stage after
    the last one that decided, with the deadline that decision set."""
    appeals = list(application.appeals.exclude(state=Appeal.State.WITHDRAWN))
    pending = [a for a in appeals if a.state == Appeal.State.OPEN]
    if pending:
        raise Conflict(
            "one_appeal_at_a_time",
            "filed_on",
            _("An appeal is being considered at %(stage)s; record its decision first.")
            % {"stage": _stage_name(rule, pending[0].stage)},
        )
    if not appeals:
        return 0, application.appeal_due_on
    last = max(appeals, key=lambda a: (a.stage, a.pk))
    if last.outcome == Appeal.Outcome.RETURNED:
        raise RuleViolation(
            "appeal_the_new_decision",
            "filed_on",
            _("The matter was returned for a new decision; appeal that decision when it comes."),
        )
    if last.stage + 1 >= len(rule.stages):
        raise RuleViolation(
            "appeal_path_ends",
            "filed_on",
            _("%(stage)s was the last stage of the review path.")
            % {"stage": _stage_name(rule, last.stage)},
        )
    return last.stage + 1, last.next_due_on


@transaction.atomic
@changes_facts
def file_appeal(application: Application, filed_on: date, *, by=None) -> Appeal:
    """The client appeals a decision (or the decision of the stage before); a late appeal
    is recorded as late, for the body to decide whether to examine it."""
    require_dates(filed_on=filed_on)
    application = locked(application)
    if application.status != Application.Status.DECIDED:
        raise RuleViolation(
            "appeal_after_decision", "filed_on", _("Only a decision can be appealed.")
        )
    rule = _path_of(application)
    validators.not_before(
        filed_on,
        application.decision_mailed_on or application.decided_on,
        "appeal_after_mailing",
        "filed_on",
        _("The appeal cannot be before the decision was mailed."),
    )
    stage, due = _next_stage(application, rule)
    return Appeal.objects.create(
        application=application, filed_on=filed_on, stage=stage, due_on=due
    )


@transaction.atomic
@changes_facts
def forward_appeal(
    appeal: Appeal, forwarded_on: date, *, by=None, expected_version: int | None = None
) -> Appeal:
    """The body that checks first whether it can correct its own decision did not: the
    same appeal goes on to the next stage."""
    require_dates(forwarded_on=forwarded_on)
    rule = _path_of(appeal.application)
    if not rule.stages[appeal.stage].forwards_unless_corrected:
        raise RuleViolation(
            "stage_forwards",
            "stage",
            _("%(stage)s decides the appeal itself; record its decision.")
            % {"stage": _stage_name(rule, appeal.stage)},
        )
    validators.not_before(
        forwarded_on,
        appeal.filed_on,
        "forwarded_after_filing",
        "forwarded_on",
        _("The appeal cannot be forwarded before it was filed."),
    )
    return APPEAL.apply(
        appeal,
        "forward",
        effective_on=forwarded_on,
        by=by,
        reason=_stage_name(rule, appeal.stage + 1),
        expected_version=expected_version,
        changes={"stage": appeal.stage + 1},
    )


@transaction.atomic
@changes_facts
def decide_appeal(
    appeal: Appeal,
    decided_on: date,
    outcome: str,
    mailed_on: date | None = None,
    *,
    corrected_outcome: str = "",
    granted_until: date | None = None,
    by=None,
    expected_version: int | None = None,
) -> Appeal:
    """The stage's decision; when the path goes on, the deadline for the next stage runs
    from this decision's mailing date by the same rule. A decision changed on appeal says
    what it became, and the application's decision is corrected with it."""
    require_dates(decided_on=decided_on, mailed_on=mailed_on, granted_until=granted_until)
    require_choice(outcome, Appeal.Outcome.values, "outcome")
    if outcome == Appeal.Outcome.CHANGED:
        require_choice(corrected_outcome, Application.Outcome.values, "corrected_outcome")
    rule = _path_of(appeal.application)
    stage = rule.stages[appeal.stage]
    if stage.forwards_unless_corrected and outcome != Appeal.Outcome.CHANGED:
        raise RuleViolation(
            "stage_forwards",
            "outcome",
            _(
                "At %(stage)s the decision is either corrected or the appeal goes on to "
                "%(next)s: record it as forwarded."
            )
            % {
                "stage": _stage_name(rule, appeal.stage),
                "next": _stage_name(rule, appeal.stage + 1),
            },
        )
    validators.not_before(
        decided_on,
        appeal.filed_on,
        "appeal_decided_after_filing",
        "decided_on",
        _("The appeal cannot be decided before it was filed."),
    )
    mailed_on = validators.mailed_after_decision(decided_on, mailed_on)
    goes_on = appeal.stage + 1 < len(rule.stages) and outcome != Appeal.Outcome.RETURNED
    if outcome == Appeal.Outcome.CHANGED:
        _correct_the_decision(appeal, rule, decided_on, corrected_outcome, granted_until, by)
    return APPEAL.apply(
        appeal,
        "decide",
        effective_on=decided_on,
        by=by,
        reason=outcome,
        expected_version=expected_version,
        changes={
            "decided_on": decided_on,
            "decision_mailed_on": mailed_on,
            "outcome": outcome,
            "next_due_on": appeal_deadline(rule, mailed_on) if goes_on else None,
        },
    )


def _correct_the_decision(appeal, rule, decided_on, outcome, granted_until, by) -> None:
    application = appeal.application
    granted = outcome != Application.Outcome.DENIED
    if granted:
        validators.granted_after_decision(granted_until, decided_on)
    APPLICATION.apply(
        application,
        "correct",
        effective_on=decided_on,
        by=by,
        reason=_stage_name(rule, appeal.stage),
        changes={
            "outcome": outcome,
            "granted_from": (application.granted_from or decided_on) if granted else None,
            "granted_until": granted_until if granted else None,
        },
    )


@transaction.atomic
@changes_facts
def withdraw_appeal(
    appeal: Appeal, withdrawn_on: date, *, by=None, expected_version: int | None = None
) -> Appeal:
    require_dates(withdrawn_on=withdrawn_on)
    validators.not_before(
        withdrawn_on,
        appeal.filed_on,
        "withdrawn_after_filing",
        "withdrawn_on",
        _("The appeal cannot be withdrawn before it was filed."),
    )
    return APPEAL.apply(
        appeal, "withdraw", effective_on=withdrawn_on, by=by, expected_version=expected_version
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
            lambda: _follows_the_rules(
                application.appeal_due_on,
                appeal_deadline(
                    appeal_rule(rules, application.benefit), application.decision_mailed_on
                ),
                "appeal_due_follows_the_rules",
                "appeal_due_on",
                _("the last day to appeal"),
            ),
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


# --- the employment authority's statements for benefits ---


@transaction.atomic
@changes_facts
def give_statement(
    client, organisation, kind: str, benefit: str, given_on: date, content: str = "", *, by=None
) -> EmploymentStatement:
    """The employment authority's statement for a benefit, sent to the benefit's decider;
    who gives it follows the rule set in force on the day (the TE office until 2024, the
    municipality's employment services from 2025)."""
    require_dates(given_on=given_on)
    require_text(content, "content", max_length=4000)
    rules = rules_on(given_on)
    require_code(rules, "employment_statement", kind, "kind")
    statement = next(k for k in rules.data.employment_statements if k.code == kind)
    language = current_language()
    if organisation.authority != statement.given_by:
        raise RuleViolation(
            "statement_given_by",
            "kind",
            _("%(statement)s is given by %(authority)s.")
            % {
                "statement": statement.label.get(language),
                "authority": rules.label("authority", statement.given_by, language),
            },
        )
    if benefit not in statement.for_benefits:
        raise RuleViolation(
            "statement_for_benefit",
            "benefit",
            _("%(statement)s is given for: %(benefits)s.")
            % {
                "statement": statement.label.get(language),
                "benefits": ", ".join(
                    rules.label("benefit", b, language) for b in statement.for_benefits
                ),
            },
        )
    return EmploymentStatement.objects.create(
        client=client,
        kind=kind,
        benefit=benefit,
        given_on=given_on,
        given_by=organisation,
        goes_to=rules.benefits[benefit].decided_by,
        content=content,
        ruleset_version=rules.version,
    )
