"""Every date the rules make due, as a pure function of a client's live records.

Each kind below is computed from the facts and the rule set the record was made under
(`rules_for`), never from the day it is asked on: the same facts give the same
deadlines whatever the clock says. Which of them are overdue is a question for a given
day, asked of the stored rows.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from kaveri.benefits.actions import appeal_rule, unemployment_benefit_over
from kaveri.rules.durations import Duration, add_months
from kaveri.rules.registry import rules_for, rules_on
from kaveri.rules.ruleset import RuleSet
from kaveri.watch.checklist import statement_due
from kaveri.watch.facts import ClientFacts

EMPLOYMENT_SERVICES = "EMP"


@dataclass
class Due:
    """One deadline before it is stored: the columns of `Deadline`."""

    client_id: int
    kind: str
    due_on: date
    source_model: str
    source_id: int
    authority: str
    category: str
    ruleset_version: str
    owners: list = field(default_factory=list)
    organisation_id: int | None = None
    relationship_id: int | None = None
    worker_id: int | None = None
    facts: dict = field(default_factory=dict)
    tracked: bool = True


def answered_by(facts: ClientFacts, organisation, category: str, version: str, relationship):
    """The columns saying who answers for a deadline of this organisation's record."""
    return {
        "authority": organisation.authority,
        "category": category,
        "ruleset_version": version,
        "owners": [organisation.authority],
        "organisation_id": organisation.pk,
        "relationship_id": relationship.pk if relationship else None,
        "worker_id": facts.worker_of(relationship),
    }


def episode_common(facts: ClientFacts, episode) -> dict:
    relationship = facts.relationship(episode.relationship_id)
    return answered_by(facts, episode.decided_by, "SERVICES", episode.ruleset_version, relationship)


def source(record) -> tuple[str, int]:
    return record._meta.label_lower, record.pk


def label(kind: str, code: str) -> str:
    """A code stored in the facts, shown in the reader's language when explained."""
    return f"label:{kind}:{code}"


def duration(value: Duration) -> str:
    return f"duration:{value}"


def day(value: date) -> str:
    return value.isoformat()


def plan_reviews(facts: ClientFacts) -> Iterator[Due]:
    for plan in facts.plans:
        relationship = facts.relationship(plan.relationship_id)
        organisation = relationship.organisation if relationship else None
        owners = set(facts.plan_owners.get(plan.pk, ()))
        if organisation is not None:
            owners.add(organisation.authority)
        yield Due(
            facts.client_id,
            "PLAN_REVIEW",
            plan.next_review_on,
            *source(plan),
            authority=organisation.authority if organisation else sorted(owners)[0],
            category="PLANS",
            ruleset_version=plan.ruleset_version,
            owners=sorted(owners),
            organisation_id=organisation.pk if organisation else None,
            relationship_id=relationship.pk if relationship else None,
            worker_id=facts.worker_of(relationship),
            facts={
                "plan": label("plan", plan.plan_type),
                "interval": f"duration:{plan.review_interval}",
                "made": day(plan.made_on),
            },
        )


def service_periods(facts: ClientFacts) -> Iterator[Due]:
    """The end of each decision still running, and the ends of the periods within it."""
    for episode in facts.episodes:
        rules = rules_for(episode)
        common = episode_common(facts, episode)
        service = label("service", episode.service)
        yield Due(
            facts.client_id,
            "DECISION_END",
            episode.ends_on,
            *source(episode),
            facts={"service": service, "starts": day(episode.starts_on)},
            **common,
        )
        period = rules.services[episode.service].continuation_period
        for number, end in enumerate(period_ends(episode.starts_on, episode.ends_on, period), 1):
            yield Due(
                facts.client_id,
                "PERIOD_END",
                end,
                *source(episode),
                facts={"service": service, "number": number, "period": duration(period)},
                **common,
            )


def period_ends(starts_on: date, ends_on: date, period: Duration | None) -> list[date]:
    """The last day of each whole period before the decision's own end."""
    if period is None or period.unit != "M":
        return []
    ends = []
    months = period.amount
    while (end := add_months(starts_on, months) - timedelta(days=1)) < ends_on:
        ends.append(end)
        months += period.amount
    return ends


def job_seeker_model(facts: ClientFacts) -> Iterator[Due]:
    """The Nordic model: the initial interview, then job-search discussions."""
    for registration in facts.registrations:
        rules = rules_on(registration.registered_on)
        model = rules.data.job_seeker_model
        relationship = facts.relationship_at(registration.organisation_id)
        common = answered_by(facts, registration.organisation, "BASIC", rules.version, relationship)
        if not has_employment_plan_since(facts, registration.registered_on):
            yield Due(
                facts.client_id,
                "INITIAL_INTERVIEW",
                model.initial_interview_within.after(registration.registered_on),
                *source(registration),
                facts={
                    "registered": day(registration.registered_on),
                    "within": duration(model.initial_interview_within),
                },
                **common,
            )
        discussions = discussion_days(
            registration.registered_on,
            model.job_search_discussions_every,
            model.job_search_discussions_during,
        )
        for number, due in enumerate(discussions, 1):
            yield Due(
                facts.client_id,
                "JOB_SEARCH_DISCUSSION",
                due,
                *source(registration),
                facts={
                    "number": number,
                    "count": len(discussions),
                    "every": duration(model.job_search_discussions_every),
                    "during": duration(model.job_search_discussions_during),
                },
                tracked=False,
                **common,
            )


def has_employment_plan_since(facts: ClientFacts, registered_on: date) -> bool:
    """A plan made with employment services since the registration: the employment plan
    of the interview, or the activation or multisectoral plan that stands for it."""
    return any(
        p.made_on >= registered_on
        and EMPLOYMENT_SERVICES in rules_for(p).plans[p.plan_type].parties
        for p in facts.plans
    )


def discussion_days(registered_on: date, every: Duration, during: Duration) -> list[date]:
    last = during.after(registered_on)
    days = []
    due = every.after(registered_on)
    while due <= last:
        days.append(due)
        due = every.after(due)
    return days


def _application_common(application, rules: RuleSet) -> dict:
    organisation = application.deciding_organisation
    authority = (
        organisation.authority if organisation else rules.benefits[application.benefit].decided_by
    )
    return {
        "authority": authority,
        "category": "BENEFITS",
        "ruleset_version": application.ruleset_version,
        "owners": [authority],
        "organisation_id": organisation.pk if organisation else None,
    }


def applications(facts: ClientFacts) -> Iterator[Due]:
    """Decisions expected, and continuation applications before a grant ends."""
    for application in facts.applications:
        rules = rules_for(application)
        benefit = rules.benefits[application.benefit]
        common = _application_common(application, rules)
        if application.status == "PENDING" and application.expected_decision_on:
            yield Due(
                facts.client_id,
                "EXPECTED_DECISION",
                application.expected_decision_on,
                *source(application),
                facts={
                    "benefit": label("benefit", application.benefit),
                    "authority": label("authority", common["authority"]),
                    "processing": duration(benefit.processing_time),
                    "since": day(application.completed_on or application.submitted_on),
                },
                **common,
            )
        if needs_continuation(facts, application, benefit):
            yield from continuation(facts.client_id, application, benefit, common)
        for later in benefit.later_evidence:
            due = statement_due(application, later)
            if due is not None:
                yield Due(
                    facts.client_id,
                    "EVIDENCE_DUE",
                    due,
                    *source(application),
                    facts={
                        "benefit": label("benefit", application.benefit),
                        "evidence": label("evidence", later.evidence),
                        "days": later.after_paid_days,
                    },
                    tracked=False,
                    **common,
                )


def continuation(client_id: int, application, benefit, common: dict) -> Iterator[Due]:
    """Apply for the continuation this long before the grant ends (the processing time
    unless the rules say otherwise), with the evidence the rules ask for."""
    ahead = benefit.continuation_asked_before_end or benefit.processing_time
    due = ahead.counted_back_from(application.granted_until)
    named = {
        "benefit": label("benefit", application.benefit),
        "until": day(application.granted_until),
    }
    yield Due(
        client_id,
        "CONTINUATION_APPLICATION",
        due,
        *source(application),
        facts=named | {"processing": duration(ahead)},
        **common,
    )
    for evidence in benefit.continuation_evidence:
        yield Due(
            client_id,
            "CONTINUATION_EVIDENCE",
            due,
            *source(application),
            facts=named | {"evidence": label("evidence", evidence)},
            tracked=False,
            **common,
        )


def needs_continuation(facts: ClientFacts, application, benefit) -> bool:
    """Granted for a period, continued on application, and not applied for again since."""
    if not (
        benefit.continuation_application
        and application.status == "DECIDED"
        and application.outcome in ("GRANTED", "PARTLY_GRANTED")
        and application.granted_until
    ):
        return False
    return not any(
        other.benefit == application.benefit and other.submitted_on > application.decided_on
        for other in facts.applications
    )


def appeal_deadlines(facts: ClientFacts) -> Iterator[Due]:
    """The last day to appeal a decision that went at least partly against the client,
    until it is appealed; then, once a stage has decided and the path goes on, the last
    day to take it to the next stage."""
    for application in facts.applications:
        if application.outcome not in ("DENIED", "PARTLY_GRANTED"):
            continue
        rules = rules_for(application)
        appeals = facts.appeals.get(application.pk, ())
        if not appeals and application.appeal_due_on is not None:
            yield Due(
                facts.client_id,
                "APPEAL_DUE",
                application.appeal_due_on,
                *source(application),
                facts={
                    "benefit": label("benefit", application.benefit),
                    "decided": day(application.decided_on),
                    "path": label("appeal", rules.benefits[application.benefit].appeal),
                },
                tracked=False,
                **_application_common(application, rules),
            )
        elif appeals:
            yield from _next_stage_deadline(facts, application, rules, appeals)


def _next_stage_deadline(facts: ClientFacts, application, rules, appeals) -> Iterator[Due]:
    last = max(appeals, key=lambda a: (a.stage, a.pk))
    if last.state != "DECIDED" or last.next_due_on is None:
        return
    path = appeal_rule(rules, application.benefit)
    if path is None or last.stage + 1 >= len(path.stages):
        return
    yield Due(
        facts.client_id,
        "APPEAL_NEXT_STAGE",
        last.next_due_on,
        *source(application),
        facts={
            "benefit": label("benefit", application.benefit),
            "stage": f"stage:{path.code}:{last.stage}",
            "next": f"stage:{path.code}:{last.stage + 1}",
            "decided": day(last.decided_on),
        },
        tracked=False,
        **_application_common(application, rules),
    )


def information_requests(facts: ClientFacts) -> Iterator[Due]:
    for request in facts.requests:
        application = request.application
        rules = rules_for(application)
        common = _application_common(application, rules)
        yield Due(
            facts.client_id,
            "INFORMATION_ANSWER",
            request.due_on,
            *source(request),
            facts={
                "benefit": label("benefit", application.benefit),
                "authority": label("authority", common["authority"]),
                "requested": day(request.requested_on),
            },
            **common,
        )


def data_request_answers(facts: ClientFacts) -> Iterator[Due]:
    """A request between authorities waits for its answer: the asker's named worker and the
    authority asked both see it coming."""
    for request in facts.data_requests:
        relationship = facts.relationship_at(request.requested_by_id)
        yield Due(
            facts.client_id,
            "DATA_REQUEST_ANSWER",
            request.due_on,
            *source(request),
            authority=request.to_authority,
            category="BASIC",
            ruleset_version=request.ruleset_version,
            owners=sorted({request.requested_by.authority, request.to_authority}),
            relationship_id=relationship.pk if relationship else None,
            worker_id=facts.worker_of(relationship),
            facts={
                "request": label("authority_request", request.kind),
                "asker": label("authority", request.requested_by.authority),
                "to": label("authority", request.to_authority),
                "requested": day(request.requested_on),
            },
        )


def consent_expiries(facts: ClientFacts) -> Iterator[Due]:
    for consent in facts.consents:
        organisation = consent.recorded_by.organisation if consent.recorded_by else None
        relationship = facts.relationship_at(organisation.pk) if organisation else None
        yield Due(
            facts.client_id,
            "CONSENT_EXPIRY",
            consent.valid_until,
            *source(consent),
            authority=organisation.authority if organisation else sorted(consent.authorities)[0],
            category="BASIC",
            ruleset_version=rules_on(consent.valid_from).version,
            owners=sorted(consent.authorities),
            organisation_id=organisation.pk if organisation else None,
            relationship_id=relationship.pk if relationship else None,
            worker_id=facts.worker_of(relationship),
            facts={
                "purpose": label("consent_purpose", consent.purpose),
                "authorities": [label("authority", a) for a in consent.authorities],
            },
        )


def unemployment_period_reports(facts: ClientFacts) -> Iterator[Due]:
    """For services whose participants report their unemployment periods, one report per
    period of the decision, due once the period has ended."""
    for episode in facts.episodes:
        rules = rules_for(episode)
        if rules.services[episode.service].participant_reports != "UNEMPLOYMENT_PERIOD_REPORT":
            continue
        every = rules.data.watch.unemployment_period_report_every
        for start, end in report_periods(episode.starts_on, episode.ends_on, every):
            yield Due(
                facts.client_id,
                "UNEMPLOYMENT_PERIOD_REPORT",
                end + timedelta(days=1),
                *source(episode),
                **episode_common(facts, episode),
                facts={
                    "service": label("service", episode.service),
                    "start": day(start),
                    "end": day(end),
                    "payer": report_payer(facts, rules, start, end),
                },
                tracked=False,
            )


def report_payer(facts: ClientFacts, rules: RuleSet, start: date, end: date) -> str:
    """Who receives the period's report: the payer of the unemployment benefit granted over
    it (Kela, or an unemployment fund for an earnings-related allowance)."""
    paid = unemployment_benefit_over(rules, facts.applications, start, end)
    if paid is None:
        return label("watch", "PAYER_UNKNOWN")
    return label("authority", rules.benefits[paid.benefit].decided_by)


def report_periods(starts_on: date, ends_on: date, every: Duration) -> list[tuple[date, date]]:
    periods = []
    start = starts_on
    while start <= ends_on:
        end = min(every.after(start) - timedelta(days=1), ends_on)
        periods.append((start, end))
        start = end + timedelta(days=1)
    return periods


KINDS: dict[str, Callable[[ClientFacts], Iterator[Due]]] = {
    "PLAN_REVIEW": plan_reviews,
    "DECISION_END": service_periods,
    "PERIOD_END": service_periods,
    "INITIAL_INTERVIEW": job_seeker_model,
    "JOB_SEARCH_DISCUSSION": job_seeker_model,
    "EXPECTED_DECISION": applications,
    "CONTINUATION_APPLICATION": applications,
    "CONTINUATION_EVIDENCE": applications,
    "EVIDENCE_DUE": applications,
    "INFORMATION_ANSWER": information_requests,
    "APPEAL_DUE": appeal_deadlines,
    "APPEAL_NEXT_STAGE": appeal_deadlines,
    "CONSENT_EXPIRY": consent_expiries,
    "DATA_REQUEST_ANSWER": data_request_answers,
    "UNEMPLOYMENT_PERIOD_REPORT": unemployment_period_reports,
}


def deadlines_of(facts: ClientFacts) -> list[Due]:
    """Every deadline of one client, from its facts alone."""
    found = []
    for compute in dict.fromkeys(KINDS.values()):
        found.extend(compute(facts))
    return found
