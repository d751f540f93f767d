"""The synthetic demo region: organisations, workers and clients at realistic stages.

Deterministic: the same seed, client count and reference date give the same data, keys
included. Every interval comes from the rule set; the probabilities below only shape the
synthetic population. Clients are built in chunks and written with COPY (`demo.bulk`);
on PostgreSQL the chunks are built by one process a CPU side by side, so that a million
clients fit in memory and time.
"""

import gc
import math
import multiprocessing
import os
import random
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connections, transaction
from django.utils import timezone

from kaveri.access.models import Organisation, Worker
from kaveri.access.roles import Role
from kaveri.benefits.actions import (
    appeal_deadline,
    appeal_rule,
    expected_decision_date,
    information_answer_due,
)
from kaveri.benefits.models import Appeal, Application, EmploymentStatement, InformationRequest
from kaveri.casework.models import (
    ClientRelationship,
    Contact,
    JobSeekerRegistration,
    NamedWorker,
    ServiceNeedAssessment,
    SituationChange,
)
from kaveri.consent.models import Consent, DataRequest
from kaveri.demo import region
from kaveri.demo.bulk import Rows, foreign_keys_checked_after, loads_in_bulk, write_in_transaction
from kaveri.demo.identity import synthetic_hetu
from kaveri.evidence.models import Document
from kaveri.people.lookup_key import identity_key
from kaveri.people.models import Client, birth_date_from_hetu
from kaveri.plans.models import Measure, Plan
from kaveri.rules.durations import Duration, add_months
from kaveri.rules.registry import registry
from kaveri.rules.ruleset import RuleSet
from kaveri.services.models import Participation, ServiceEpisode
from kaveri.watch.deadlines import deadlines_of
from kaveri.watch.facts import facts_in_memory
from kaveri.watch.models import Deadline

HISTORY_DAYS = 730
PARTICIPATION_WEEKS = 4
CHUNK_SIZE = 2000
ROWS_PER_CLIENT_AT_MOST = 64  # of any one table: the key block each chunk sets aside
MAX_PROCESSES = 4
RECORDED_AT = time(9, 30)  # the hour of the day a synthetic record was written

# Chances that shape the population, including the ones who are left behind.
# A named worker who left with no successor named: the relationship has no named worker now.
P_WORKER_LEFT = 0.06
P_REVIEW_DONE = 0.8
P_DECIDED_WHEN_DUE = 0.85
P_INFORMATION_REQUEST = 0.2
P_REQUEST_ANSWERED = 0.75
P_APPEAL_WHEN_DENIED = 0.3
P_NO_PARTICIPATION = 0.05
P_ATTENDED = 0.85
P_SWEDISH = 0.06
# A client with an open case who has told their workers of a change in the last weeks.
P_SITUATION_CHANGE = 0.04
SITUATION_CHANGE_DAYS = 40
P_ENGLISH = 0.02
EPISODE_OUTCOMES = [
    ("CONTINUE", 62),
    ("PERIOD_ENDED", 16),
    ("EMPLOYED", 8),
    ("CLIENT_QUIT", 8),
    ("ILLNESS", 6),
]
DECISION_OUTCOMES = [("GRANTED", 80), ("DENIED", 15), ("PARTLY_GRANTED", 5)]
AREA_WEIGHTS = {"Turku": 55, "Salo": 25, "Uusikaupunki": 12, "Loimaa": 8}


# What one load writes, in the order of the tables.
MODELS = [
    Client,
    Contact,
    ClientRelationship,
    NamedWorker,
    ServiceNeedAssessment,
    JobSeekerRegistration,
    Plan,
    Plan.parties.through,
    Measure,
    ServiceEpisode,
    Participation,
    Application,
    InformationRequest,
    Appeal,
    Document,
    Consent,
    DataRequest,
    EmploymentStatement,
    SituationChange,
    Deadline,
]


@dataclass
class Region:
    rules: RuleSet
    today: date
    organisations: dict[str, list[Organisation]]
    workers: dict[int, list[Worker]]
    trial_organisations: list[Organisation]
    _fitting: dict = field(default_factory=dict)

    def organisation(self, authority: str, area: str, rng: random.Random) -> Organisation:
        candidates = [o for o in self.organisations[authority] if not o.is_municipal_trial]
        local = [o for o in candidates if o.municipality == area]
        return (local or candidates)[0] if local else rng.choice(candidates)

    def worker(self, organisation: Organisation, rng: random.Random, **match) -> Worker:
        key = (organisation.pk, tuple(sorted(match.items())))
        if key not in self._fitting:
            staff = self.workers[organisation.pk]
            fitting = [w for w in staff if all(getattr(w, k) == v for k, v in match.items())]
            self._fitting[key] = fitting or staff
        return rng.choice(self._fitting[key])


def weighted(rng: random.Random, pairs) -> str:
    items = list(pairs.items()) if isinstance(pairs, dict) else list(pairs)
    return rng.choices([k for k, _ in items], weights=[w for _, w in items])[0]


def _months_in(span) -> list[int]:
    """The whole-month choices inside a duration range of months (e.g. 3M..12M)."""
    if span.lower.unit != "M" or span.upper.unit != "M":
        return [0]
    return sorted(
        {span.lower.amount, span.upper.amount}
        | {m for m in (3, 6, 9, 12) if span.lower.amount <= m <= span.upper.amount}
    )


class ClientBuilder:
    """Builds one synthetic client's history from first contact to today."""

    def __init__(self, region_: Region, rows: Rows, index: int, seed: int):
        self.region = region_
        self.rules = region_.rules
        self.today = region_.today
        self.rows = rows
        self.made: dict[type, list] = defaultdict(list)
        self.rng = random.Random(f"kaveri-demo-{seed}-{index}")
        self.index = index
        self.area = weighted(self.rng, AREA_WEIGHTS)
        self.client = self._client()

    def new(self, model: type, **values):
        row = self.rows.new(model, **values)
        self.made[model].append(row)
        return row

    # --- the person ---

    def _client(self) -> Client:
        rng = self.rng
        hetu = synthetic_hetu(self.index)
        roll = rng.random()
        language = "sv" if roll < P_SWEDISH else "en" if roll < P_SWEDISH + P_ENGLISH else "fi"
        female = int(hetu[7:10]) % 2 == 0
        if language == "sv":
            first = rng.choice(region.SWEDISH_FEMALE if female else region.SWEDISH_MALE)
            last = rng.choice(region.SWEDISH_LAST)
        else:
            first = rng.choice(region.FINNISH_FEMALE if female else region.FINNISH_MALE)
            last = rng.choice(region.FINNISH_LAST)
        return self.new(
            Client,
            hetu=hetu,
            hetu_key=identity_key(hetu),
            first_names=first,
            last_name=last,
            language=language,
            municipality=rng.choice(region.MUNICIPALITIES[self.area]),
            phone=f"040 {900 + self.index % 100:03d} {self.index % 10000:04d}",
            birth_date=birth_date_from_hetu(hetu),
        )

    # --- small steps shared by the scenarios ---

    def days_later(self, start: date, low: int, high: int) -> date:
        return start + timedelta(days=self.rng.randint(low, high))

    def happened(self, day: date) -> bool:
        return day <= self.today

    def contact(
        self,
        organisation: Organisation,
        day: date,
        initiators: list[str],
        channel: str = "IN_PERSON",
        referred_by: Organisation | None = None,
    ) -> Contact:
        return self.new(
            Contact,
            client=self.client,
            organisation=organisation,
            occurred_on=day,
            initiator=self.rng.choice(initiators),
            channel=channel,
            referred_by=referred_by,
        )

    def relationship(
        self,
        kind: str,
        organisation: Organisation,
        opened: date,
        pathway: str = "",
        contact: Contact | None = None,
        name_workers: bool = True,
    ) -> ClientRelationship:
        row = self.new(
            ClientRelationship,
            client=self.client,
            organisation=organisation,
            kind=kind,
            pathway=pathway,
            contact=contact,
            opened_on=opened,
            ruleset_version=self.version_on(opened),
        )
        if name_workers:
            left = self.rng.random() < P_WORKER_LEFT
            self._name_workers(row, self.days_later(opened, 20, 200) if left else None)
        return row

    def version_on(self, day: date) -> str:
        """A record keeps the rule set in force on its own date."""
        return registry().on(day).version

    @staticmethod
    def rules_of(record) -> RuleSet:
        return registry().of_version(record.ruleset_version)

    def _name_workers(self, relationship: ClientRelationship, left_on: date | None) -> None:
        for rule in self.rules_of(relationship).relationship_kinds[relationship.kind].workers:
            count = max(rule.min, 1) if rule.max else 0
            for _ in range(count):
                match = {"home_authority": rule.from_} if relationship.kind == "TYP_CLIENT" else {}
                worker = self.region.worker(relationship.organisation, self.rng, **match)
                self.new(
                    NamedWorker,
                    relationship=relationship,
                    worker=worker,
                    role=rule.role,
                    from_date=relationship.opened_on,
                    to_date=left_on if left_on and self.happened(left_on) else None,
                )

    def close(self, relationship: ClientRelationship, day: date, reason: str) -> None:
        """Close as close_relationship does, once the day has come: for a reason the kind
        allows, after what its closing requires, ending the named workers' assignments."""
        closed_on = max(day, relationship.opened_on)
        if not self.happened(closed_on):
            return
        kind = self.rules_of(relationship).relationship_kinds[relationship.kind]
        if "FEEDBACK_OFFERED" in kind.closing_requires:
            relationship.feedback_offered_on = closed_on
            relationship.client_feedback = self.rng.choice(region.FEEDBACK)
        relationship.closed_on = closed_on
        relationship.closure_reason = (
            reason if reason in kind.closure_reasons else (kind.closure_reasons[0])
        )
        relationship.state = ClientRelationship.State.CLOSED
        for named in self.made[NamedWorker]:
            if named.relationship is relationship and named.to_date is None:
                named.to_date = closed_on

    def assessment(
        self,
        relationship: ClientRelationship,
        day: date,
        services: list[str],
        benefits: list[str],
        final: bool = False,
    ) -> None:
        self.new(
            ServiceNeedAssessment,
            client=self.client,
            relationship=relationship,
            organisation=relationship.organisation,
            assessed_on=day,
            assessor=self.region.worker(relationship.organisation, self.rng),
            findings="",
            guided_services=services,
            guided_benefits=benefits,
            is_final=final,
            ruleset_version=self.version_on(day),
        )

    def register_job_seeker(self, organisation: Organisation, day: date) -> None:
        self.new(
            JobSeekerRegistration,
            client=self.client,
            organisation=organisation,
            registered_on=day,
        )

    def consent(
        self, purpose: str, authorities: list[str], categories: list[str], day: date
    ) -> Consent:
        return self.new(
            Consent,
            client=self.client,
            purpose=purpose,
            authorities=authorities,
            data_categories=categories,
            valid_from=day,
            valid_until=add_months(day, 12),
            method=self.rng.choice([c[0] for c in Consent.Method.choices]),
            recorded_at=timezone.make_aware(datetime.combine(day, RECORDED_AT)),
        )

    def statement(self, kind: str, benefit: str, organisation: Organisation, day: date) -> None:
        """The employment authority's statement for a benefit, as give_statement makes it."""
        if not self.happened(day):
            return
        rules = registry().on(day)
        self.new(
            EmploymentStatement,
            client=self.client,
            kind=kind,
            benefit=benefit,
            given_on=day,
            given_by=organisation,
            goes_to=rules.benefits[benefit].decided_by,
            ruleset_version=rules.version,
        )

    def situation_change(self) -> None:
        """Now and then the client tells their workers in the portal that their situation
        changes, as report_situation_change records it: to the authorities serving them."""
        if self.rng.random() >= P_SITUATION_CHANGE:
            return
        reported = self.today - timedelta(days=self.rng.randint(0, SITUATION_CHANGE_DAYS))
        serving = [
            r
            for r in self.made[ClientRelationship]
            if r.closed_on is None and r.opened_on <= reported
        ]
        if not serving:
            return
        rules = registry().on(reported)
        self.new(
            SituationChange,
            client=self.client,
            kind=self.rng.choice([c.code for c in rules.data.situation_changes]),
            starts_on=self.days_later(reported, 0, 21),
            reported_on=reported,
            told=sorted({r.organisation.authority for r in serving}),
            ruleset_version=rules.version,
        )

    def ask_kela(self, asker: Organisation, consent: Consent, day: date) -> None:
        """A2 step 3: the TYP pair asks for Kela's information under the TYP consent."""
        if not self.happened(day):
            return
        rules = registry().on(day)
        answered = self.days_later(day, 2, 12)
        self.new(
            DataRequest,
            client=self.client,
            kind="KELA_INFORMATION",
            requested_by=asker,
            to_authority="KELA",
            requested_on=day,
            due_on=rules.data.authority_requests.answer_within.after(day),
            consent=consent,
            answered_on=answered if self.happened(answered) else None,
            state="ANSWERED" if self.happened(answered) else "OPEN",
            ruleset_version=rules.version,
        )

    def document(
        self, evidence: str, day: date, source: str, organisation: Organisation | None = None
    ) -> None:
        self.new(
            Document,
            client=self.client,
            evidence_type=evidence,
            received_on=day,
            issued_on=day - timedelta(days=self.rng.randint(0, 14)),
            source_system=source,
            title=self.rules.label("evidence", evidence, "fi"),
            received_by=organisation,
        )

    # --- plans ---

    def plan(
        self,
        plan_type: str,
        process: str,
        relationship: ClientRelationship,
        parties: list[Organisation],
        made_on: date,
        measures: list[str],
    ) -> None:
        rules = registry().on(made_on)  # revisions keep the rules the plan was made under
        span = rules.plan_review(plan_type, process)
        months = self.rng.choice(_months_in(span))
        interval = Duration(months, "M") if months else span.lower
        version, day = 1, made_on
        series = uuid.UUID(int=self.rng.getrandbits(128), version=4)
        previous = None
        while True:
            plan = self.new(
                Plan,
                series=series,
                client=self.client,
                plan_type=plan_type,
                process=process,
                relationship=relationship,
                made_on=day,
                version=version,
                review_interval=str(interval),
                next_review_on=interval.after(day),
                client_approved_on=day if self.rng.random() < 0.9 else None,
                ruleset_version=rules.version,
            )
            if plan.client_approved_on:
                plan.state = Plan.State.APPROVED
            if previous is not None:
                previous.is_current = False
                previous.state = Plan.State.SUPERSEDED
            for org in parties:
                self.new(Plan.parties.through, plan=plan, organisation=org)
            self._measures(plan, measures)
            review_day = plan.next_review_on + timedelta(days=self.rng.randint(-10, 5))
            closed = relationship.closed_on
            if review_day > self.today or (closed and review_day > closed):
                return
            if self.rng.random() > P_REVIEW_DONE:
                return  # the review was missed: the plan is past its review date
            previous, version, day = plan, version + 1, review_day

    def _measures(self, plan: Plan, codes: list[str]) -> None:
        chosen = self.rng.sample(codes, k=min(len(codes), self.rng.randint(1, 3)))
        for code in chosen:
            measure = next(m for m in self.rules.data.measures if m.code == code)
            self.new(
                Measure,
                plan=plan,
                measure=code,
                responsible_authority=measure.granted_by[0],
                status=self.rng.choice([Measure.Status.AGREED, Measure.Status.IN_PROGRESS]),
                due_on=plan.next_review_on,
            )

    # --- services ---

    def episodes(
        self,
        service_code: str,
        decided_by: Organisation,
        starts: date,
        relationship: ClientRelationship,
    ) -> ServiceEpisode | None:
        """A decision and its continuations up to today; returns the last one."""
        service = self.rules.services[service_code]
        provider = self.region.organisation("PROVIDER", self.area, self.rng)
        instructor = self.region.worker(provider, self.rng)
        intensity = service.intensity
        days = None
        hours = None
        if intensity and intensity.days_per_week:
            top = intensity.days_per_week.max or intensity.days_per_week.min + 2
            days = self.rng.randint(intensity.days_per_week.min, top)
        if intensity and intensity.hours_per_day:
            hours = intensity.hours_per_day.min + self.rng.choice([0, 0, 1, 2])
        period = service.decision_period.default if service.decision_period else None
        first_length = Duration(self.rng.choice(_months_in(period)), "M") if period else None
        length = first_length or Duration(6, "M")
        previous, depth, start = None, 0, starts
        version = None  # continuations keep the rules of the first decision
        while start <= self.today:
            ends = length.after(start) - timedelta(days=1)
            decision_on = start - timedelta(days=self.rng.randint(3, 14))
            version = version or self.version_on(decision_on)
            episode = self.new(
                ServiceEpisode,
                client=self.client,
                service=service_code,
                relationship=relationship,
                decided_by=decided_by,
                provider=provider,
                instructor=instructor,
                previous=previous,
                decision_on=decision_on,
                starts_on=start,
                ends_on=ends,
                days_per_week=days,
                hours_per_day=hours,
                ruleset_version=version,
            )
            if ends >= self.today:
                self._participation(episode)
                return episode
            outcome = weighted(self.rng, EPISODE_OUTCOMES)
            if outcome != "CONTINUE" or not service.continuation_period:
                ended = ends if outcome == "PERIOD_ENDED" else self.days_later(start, 10, 60)
                episode.ended_on = min(ended, ends)
                allowed = service.end_reasons
                episode.end_reason = outcome if outcome in allowed else allowed[0]
                episode.state = ServiceEpisode.State.ENDED
                return episode
            episode.ended_on, episode.end_reason = ends, "PERIOD_ENDED"
            episode.state = ServiceEpisode.State.ENDED
            previous, depth = episode, depth + 1
            start, length = ends + timedelta(days=1), service.continuation_period
        return previous

    def _participation(self, episode: ServiceEpisode) -> None:
        if self.rng.random() < P_NO_PARTICIPATION or not episode.days_per_week:
            return
        first = max(episode.starts_on, self.today - timedelta(weeks=PARTICIPATION_WEEKS))
        monday = first - timedelta(days=first.weekday())
        week = monday
        while week <= self.today:
            for offset in range(episode.days_per_week):
                day = week + timedelta(days=offset)
                if first <= day <= self.today:
                    self.new(
                        Participation,
                        episode=episode,
                        day=day,
                        attended=self.rng.random() < P_ATTENDED,
                        hours=episode.hours_per_day,
                    )
            week += timedelta(days=7)

    # --- applications ---

    def application(
        self, benefit_code: str, submitted: date, organisation: Organisation | None = None
    ) -> Application | None:
        """An application as record_application makes it, its information requests as
        request_information and answer_information_request handle them, and its decision."""
        if not self.happened(submitted):
            return None
        rules = registry().on(submitted)
        benefit = rules.benefits[benefit_code]
        app = self.new(
            Application,
            client=self.client,
            benefit=benefit_code,
            submitted_on=submitted,
            completed_on=submitted,
            deciding_organisation=organisation,
            ruleset_version=rules.version,
            source_system="KELA_INTERNAL" if benefit.decided_by == "KELA" else "KAVERI",
        )
        waiting = self._information_request(app, benefit)
        expected = expected_decision_date(rules, benefit_code, submitted, app.completed_on)
        app.expected_decision_on = expected
        processing_days = (expected - app.completed_on).days
        decided_on = app.completed_on + timedelta(
            days=int(processing_days * self.rng.uniform(0.5, 1.3))
        )
        if waiting or not self.happened(expected) or self.rng.random() > P_DECIDED_WHEN_DUE:
            app.status = (
                Application.Status.INFORMATION_REQUESTED if waiting else Application.Status.PENDING
            )
            return app
        self._decide(app, min(decided_on, self.today), benefit)
        return app

    def _information_request(self, app: Application, benefit) -> bool:
        """Adds a request now and then; True when it is still unanswered."""
        if self.rng.random() >= P_INFORMATION_REQUEST:
            return False
        requested = self.days_later(app.submitted_on, 3, 10)
        if not self.happened(requested):
            return False
        due = information_answer_due(self.rules, requested)
        answered = None
        if self.rng.random() < P_REQUEST_ANSWERED:
            answered = self.days_later(requested, 1, (due - requested).days + 5)
            answered = answered if self.happened(answered) else None
        self.new(
            InformationRequest,
            application=app,
            requested_on=requested,
            due_on=due,
            answered_on=answered,
            state="ANSWERED" if answered else "OPEN",
            what="Lisäselvitys tuloista ja lääkärinlausunto",
        )
        if answered is None:
            return True
        if benefit.restarts_when_completed:
            app.completed_on = answered
        return False

    def _decide(self, app: Application, day: date, benefit) -> None:
        app.status = Application.Status.DECIDED
        app.deciding_organisation = app.deciding_organisation or self.region.organisation(
            benefit.decided_by, self.area, self.rng
        )
        app.decided_on = max(day, app.completed_on or app.submitted_on)
        app.decision_mailed_on = min(self.days_later(app.decided_on, 0, 2), self.today)
        rule = appeal_rule(self.rules_of(app), app.benefit)
        app.appeal_due_on = appeal_deadline(rule, app.decision_mailed_on)
        app.outcome = weighted(self.rng, DECISION_OUTCOMES)
        if app.outcome != Application.Outcome.DENIED:
            app.granted_from = app.decided_on
            app.granted_until = add_months(app.decided_on, self.rng.choice([3, 6, 12]))
        elif rule and self.rng.random() < P_APPEAL_WHEN_DENIED:
            filed = self.days_later(app.decision_mailed_on, 5, 30)
            if self.happened(filed):
                self._appeal(app, rule, filed)

    def _appeal(self, app: Application, rule, filed: date) -> None:
        """An appeal on its way up the review path: a body that first checks its own
        decision corrects it or passes it on, and the next body decides in months."""
        appeal = self.new(Appeal, application=app, filed_on=filed, due_on=app.appeal_due_on)
        step = self.days_later(filed, 20, 45)
        if rule.stages[0].forwards_unless_corrected and self.happened(step):
            if self.rng.random() < 0.2:
                self._appeal_decided(appeal, rule, step, Appeal.Outcome.CHANGED)
                return
            appeal.stage, step = 1, self.days_later(step, 90, 300)
        if self.happened(step):
            outcome = self.rng.choice([Appeal.Outcome.REJECTED] * 3 + [Appeal.Outcome.CHANGED])
            self._appeal_decided(appeal, rule, step, outcome)

    def _appeal_decided(self, appeal: Appeal, rule, day: date, outcome: str) -> None:
        appeal.state, appeal.outcome, appeal.decided_on = Appeal.State.DECIDED, outcome, day
        appeal.decision_mailed_on = day
        if outcome == Appeal.Outcome.CHANGED:  # the decision is corrected to a grant
            app = appeal.application
            app.outcome, app.granted_from = Application.Outcome.GRANTED, day
            app.granted_until = add_months(day, 6)
        if appeal.stage + 1 < len(rule.stages):
            appeal.next_due_on = appeal_deadline(rule, day)


# --- the scenarios: one per pathway or process ---


def scenario_social_rehabilitation(b: ClientBuilder, start: date) -> None:
    soc = b.region.organisation("SOC", b.area, b.rng)
    pathway = b.rules.pathways["P1"]
    contact = b.contact(soc, start, pathway.entry)
    rel = b.relationship("SOC_CLIENT", soc, start, "P1", contact)
    assessed = b.days_later(start, 3, 20)
    if not b.happened(assessed):
        return
    b.assessment(rel, assessed, ["SOCIAL_REHABILITATION"], [b.rng.choice(pathway.benefits)])
    b.application(b.rng.choice(pathway.benefits), b.days_later(assessed, 0, 20))
    if b.rng.random() < 0.4:
        b.document("DOCTOR_B", b.days_later(assessed, 5, 40), "PEGASOS", soc)
    if b.rng.random() < 0.12:  # gone before a service began: what the bottlenecks look for
        reason = b.rng.choice(["ILLNESS", "ILLNESS", "MOVED_AWAY"])
        b.close(rel, b.days_later(assessed, 10, 60), reason)
        return
    episode = b.episodes("SOCIAL_REHABILITATION", soc, b.days_later(assessed, 7, 30), rel)
    if episode and episode.ended_on and episode.end_reason == "MOVED_TO_RWA":
        continue_to_rehabilitative_work(b, rel, episode.ended_on)
    elif episode and episode.ended_on and b.rng.random() < 0.6:
        b.close(rel, b.days_later(episode.ended_on, 0, 30), _closure_for(episode.end_reason))


def _closure_for(end_reason: str) -> str:
    return {"EMPLOYED": "EMPLOYED", "ILLNESS": "ILLNESS"}.get(end_reason, "SERVICE_ENDED")


def continue_to_rehabilitative_work(
    b: ClientBuilder, soc_rel: ClientRelationship, day: date
) -> None:
    emp = b.region.organisation("EMP", b.area, b.rng)
    registered = b.days_later(day, 0, 10)
    if not b.happened(registered):
        return
    b.register_job_seeker(emp, registered)
    emp_rel = b.relationship("EMP_CLIENT", emp, registered)
    planned = b.days_later(registered, 5, 20)
    if not b.happened(planned):
        return
    soc = soc_rel.organisation
    b.consent("ACTIVATION_PLAN", ["SOC", "EMP"], ["BASIC", "PLANS", "SERVICES"], planned)
    b.plan(
        "ACTIVATION_PLAN",
        "A1",
        soc_rel,
        [soc, emp],
        planned,
        ["REHABILITATIVE_WORK_ACTIVITY", "JOB_SEARCH", "HEALTH_EXAMINATION"],
    )
    b.application("LABOUR_MARKET_SUBSIDY", registered)
    episode = b.episodes("REHABILITATIVE_WORK_ACTIVITY", soc, b.days_later(planned, 7, 21), soc_rel)
    if episode and b.happened(episode.ends_on):
        b.document("WORK_PERIOD_ASSESSMENT", episode.ends_on, "KAVERI", soc)
    if episode and episode.end_reason == "EMPLOYED":
        b.close(emp_rel, episode.ended_on, "EMPLOYED")


def scenario_rehabilitative_work(b: ClientBuilder, start: date) -> None:
    soc = b.region.organisation("SOC", b.area, b.rng)
    contact = b.contact(soc, start, b.rules.pathways["P3"].entry)
    rel = b.relationship("SOC_CLIENT", soc, start, "P3", contact)
    assessed = b.days_later(start, 3, 20)
    if b.happened(assessed):
        b.assessment(rel, assessed, ["REHABILITATIVE_WORK_ACTIVITY"], ["LABOUR_MARKET_SUBSIDY"])
        continue_to_rehabilitative_work(b, rel, assessed)


def scenario_disability(b: ClientBuilder, start: date) -> None:
    dis = b.region.organisation("DIS", b.area, b.rng)
    pathway = b.rules.pathways["P2"]
    contact = b.contact(dis, start, pathway.entry, channel="APPLICATION")
    rel = b.relationship("DIS_CLIENT", dis, start, "P2", contact)
    assessed = b.days_later(start, 10, 45)
    if not b.happened(assessed):
        return
    service = b.rng.choice(pathway.services)
    benefit = b.rng.choice(pathway.benefits)
    b.assessment(rel, assessed, [service], [benefit])
    if benefit.startswith("DISABILITY_ALLOWANCE"):
        b.document("DOCTOR_C", b.days_later(assessed, 0, 20), "LIFECARE", dis)
    b.application(benefit, b.days_later(assessed, 0, 30))
    episode = b.episodes(service, dis, b.days_later(assessed, 14, 45), rel)
    if episode and episode.ended_on and b.rng.random() < 0.5:
        b.close(rel, episode.ended_on, _closure_for(episode.end_reason))


def scenario_typ(b: ClientBuilder, start: date) -> None:
    typ = b.region.organisation("TYP", b.area, b.rng)
    emp = b.region.organisation("EMP", b.area, b.rng)
    soc = b.region.organisation("SOC", b.area, b.rng)
    kela = b.region.organisation("KELA", b.area, b.rng)
    contact = b.contact(typ, start, b.rules.processes["A2"].entry, channel="SECURE_EMAIL")
    rel = b.relationship("TYP_CLIENT", typ, start, "", contact)
    b.register_job_seeker(emp, start - timedelta(days=b.rng.randint(30, 400)))
    consent = b.consent(
        "TYP_WORK", ["EMP", "SOC", "KELA", "TYP"], ["BASIC", "PLANS", "SERVICES", "BENEFITS"], start
    )
    b.ask_kela(typ, consent, b.days_later(start, 1, 5))
    b.document("HEALTH_INFORMATION", b.days_later(start, 3, 20), "OMAKANTA", typ)
    assessed = b.days_later(start, 7, 25)
    if not b.happened(assessed):
        return
    b.assessment(rel, assessed, ["WORK_TRIAL"], [])
    plan_measures = b.rules.plans["MULTISECTORAL_PLAN"].measures
    b.plan(
        "MULTISECTORAL_PLAN",
        "A2",
        rel,
        [typ, emp, soc, kela],
        b.days_later(assessed, 3, 14),
        plan_measures,
    )
    episode = b.episodes("WORK_TRIAL", emp, b.days_later(assessed, 20, 60), rel)
    if episode and episode.ended_on and b.rng.random() < 0.5:
        closed = b.days_later(episode.ended_on, 0, 20)
        if b.happened(closed):
            b.assessment(rel, closed, [], [], final=True)
            b.close(
                rel,
                closed,
                b.rng.choice(
                    ["EMPLOYED", "MULTISECTORAL_NEED_ENDED", "SICKNESS_OR_MATERNITY_ALLOWANCE"]
                ),
            )


def scenario_employment(b: ClientBuilder, start: date, trial: bool = False) -> None:
    if trial and b.region.trial_organisations:
        emp = b.rng.choice(b.region.trial_organisations)
    else:
        emp = b.region.organisation("EMP", b.area, b.rng)
    process, kind = ("A4", "EMP_TRIAL_CLIENT") if trial else ("A3", "EMP_CLIENT")
    contact = b.contact(
        emp, start, ["CLIENT"], channel=b.rng.choice(["ONLINE_SERVICE", "PAPER_FORM"])
    )
    b.register_job_seeker(emp, start)
    rel = b.relationship(kind, emp, start, "", contact)
    interview = b.rules.data.job_seeker_model.initial_interview_within.after(start)
    trial_ends = registry().in_force_until(b.rules_of(rel)) if trial else None
    if trial_ends and interview > trial_ends:
        rel, process, interview = _after_the_trial(b, rel, trial_ends, interview)
    elif trial_ends:
        b.close(rel, trial_ends, "TRIAL_ENDED")  # its plan is reviewed until then
    if not b.happened(interview):
        return
    b.assessment(rel, interview, [], ["LABOUR_MARKET_SUBSIDY"])
    b.plan(
        "EMPLOYMENT_PLAN", process, rel, [emp], interview, b.rules.plans["EMPLOYMENT_PLAN"].measures
    )
    b.application("LABOUR_MARKET_SUBSIDY", start)
    b.statement("LABOUR_POLICY_STATEMENT", "LABOUR_MARKET_SUBSIDY", rel.organisation, interview)
    if rel.closure_reason == "TRIAL_ENDED":
        later = trial_ends + timedelta(days=b.rng.randint(5, 40))
        rel, _process, _day = _after_the_trial(b, rel, trial_ends, later)
        if b.happened(later):
            measures = b.rules.plans["EMPLOYMENT_PLAN"].measures
            b.plan("EMPLOYMENT_PLAN", "A3", rel, [emp], later, measures)
    if b.rng.random() < 0.3:
        closed = b.days_later(start, 60, 600)
        if b.happened(closed) and not rel.closed_on:
            b.close(rel, closed, b.rng.choice(["EMPLOYED", "SICKNESS_OR_MATERNITY_ALLOWANCE"]))


def _after_the_trial(b: ClientBuilder, trial: ClientRelationship, last_day: date, next_day: date):
    """The municipal employment trials ended with 2024: the trial's relationship closes on
    its last day and the client continues in the municipality's employment services under
    the rules in force from then on."""
    if not trial.closed_on:
        b.close(trial, last_day, "TRIAL_ENDED")
    moved = b.relationship("EMP_CLIENT", trial.organisation, last_day + timedelta(days=1))
    return moved, "A3", max(next_day, moved.opened_on)


def scenario_kela(b: ClientBuilder, start: date) -> None:
    kela = b.region.organisation("KELA", b.area, b.rng)
    if b.rng.random() < 0.5:  # A5: the client contacts Kela
        contact = b.contact(
            kela, start, ["CLIENT"], channel=b.rng.choice(["PHONE", "ONLINE_SERVICE"])
        )
    else:  # A6: social welfare contacts Kela, under the client's consent
        soc = b.region.organisation("SOC", b.area, b.rng)
        b.consent("KELA_CONTACT", ["KELA", "SOC"], ["BASIC", "BENEFITS"], start)
        contact = b.contact(kela, start, ["AUTHORITY"], channel="PHONE", referred_by=soc)
    rel = b.relationship("KELA_CLIENT", kela, start, "", contact, name_workers=False)
    benefit = b.rng.choice(
        [
            "SICKNESS_ALLOWANCE",
            "REHABILITATION_SUBSIDY",
            "KELA_REHABILITATION",
            "DISABILITY_PENSION",
            "BASIC_SOCIAL_ASSISTANCE",
        ]
    )
    if "DOCTOR_B" in b.rules.benefits[benefit].evidence:
        b.document("DOCTOR_B", start, b.rng.choice(["PEGASOS", "LIFECARE", "OMAKANTA"]), kela)
    app = b.application(benefit, b.days_later(start, 0, 14), kela)
    if app and app.status == Application.Status.DECIDED and b.rng.random() < 0.5:
        b.close(rel, app.decided_on, "NO_PENDING_APPLICATIONS")


SCENARIOS: dict[str, Callable[[ClientBuilder, date], None]] = {
    "P1": scenario_social_rehabilitation,
    "P2": scenario_disability,
    "P3": scenario_rehabilitative_work,
    "TYP": scenario_typ,
    "A3": scenario_employment,
    "A4": lambda b, start: scenario_employment(b, start, trial=True),
    "KELA": scenario_kela,
}


def build_client(region_: Region, rows: Rows, index: int, seed: int) -> ClientBuilder:
    builder = ClientBuilder(region_, rows, index, seed)
    scenario = "P3" if index == 0 else weighted(builder.rng, region.SCENARIO_WEIGHTS)
    start = region_.today - timedelta(days=builder.rng.randint(1, HISTORY_DAYS))
    if index == 0:
        start = region_.today - timedelta(days=200)
    scenario, start = _in_its_own_time(builder, scenario, start)
    # A client's history keeps the rules in force when it began (records keep their version).
    builder.rules = registry().on(start)
    SCENARIOS[scenario](builder, start)
    builder.situation_change()
    return builder


def _in_its_own_time(builder: ClientBuilder, scenario: str, start: date) -> tuple[str, date]:
    """A process that has ended (the municipal employment trials, A4, until 2024) begins
    while its rule set was in force, if the history reaches back that far; else the client
    follows the process that replaced it."""
    if scenario not in PROCESS_SCENARIOS or scenario in registry().on(start).processes:
        return scenario, start
    earliest = builder.today - timedelta(days=HISTORY_DAYS)
    days = [
        day
        for rules in registry().sets
        if scenario in rules.processes
        for day in _days_in_force(rules, earliest, builder.today)
    ]
    if days:
        return scenario, builder.rng.choice(days)
    return PROCESS_SCENARIOS[scenario], start


def _days_in_force(rules: RuleSet, first: date, last: date) -> list[date]:
    until = registry().in_force_until(rules) or last
    start, end = max(first, rules.data.valid_from), min(last, until)
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


# Scenarios that follow a process the law may end, and the one that takes over.
PROCESS_SCENARIOS = {"A4": "A3"}


def store_deadlines_of(builder: ClientBuilder) -> None:
    for due in deadlines_of(facts_in_memory(builder.client.pk, builder.made)):
        builder.rows.new(Deadline, **vars(due))


# --- organisations, workers and logins ---


def create_organisations() -> dict[str, list[Organisation]]:
    by_authority: dict[str, list[Organisation]] = defaultdict(list)
    for index, (authority, name, municipality, trial) in enumerate(region.ORGANISATIONS):
        org, _ = Organisation.objects.get_or_create(
            name=name,
            region=region.REGION,
            defaults={
                "authority": authority,
                "municipality": municipality,
                "is_municipal_trial": trial,
                "phone": f"09 000 {100 + index:04d}",
                "service_hours": "9.00–15.00",
            },
        )
        by_authority[authority].append(org)
    return by_authority


ROLE_FOR_AUTHORITY = {
    "SOC": Role.SOCIAL_COUNSELLOR,
    "DIS": Role.DISABILITY_WORKER,
    "EMP": Role.EMPLOYMENT_OFFICIAL,
    "TYP": Role.TYP_PAIR_MEMBER,
    "KELA": Role.KELA_OFFICER,
    "PROVIDER": Role.ACTIVITY_INSTRUCTOR,
}


def staff_size(authority: str, organisations: int, clients: int) -> int:
    """How many workers each of the authority's organisations has for a region this size."""
    share = math.ceil(clients / region.CLIENTS_PER_WORKER[authority] / max(organisations, 1))
    return max(region.WORKERS_PER_ORGANISATION[authority], share)


def create_workers(
    organisations: dict[str, list[Organisation]], seed: int, clients: int = 0
) -> None:
    """Demo logins first (in each authority's first organisation), then unnamed staff."""
    User = get_user_model()
    password = make_password(region.DEMO_PASSWORD)
    for username, role, authority, first, last in region.DEMO_LOGINS:
        user = User.objects.create(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@{region.DEMO_MAIL_DOMAIN}",
            password=password,
            is_staff=role == Role.ADMINISTRATOR,
            is_superuser=role == Role.ADMINISTRATOR,
        )
        org = organisations[authority][0] if authority else None
        Worker.objects.create(
            user=user,
            role=role,
            organisation=org,
            home_authority="EMP" if role == Role.TYP_PAIR_MEMBER else "",
            is_supervisor=role in region.SUPERVISOR_ROLES,
            reviews_region=username == region.REGIONAL_REVIEWER,
        )
    rng = random.Random(f"kaveri-demo-workers-{seed}")
    staff = []  # (user, worker without its user yet)
    for authority, orgs in organisations.items():
        role = ROLE_FOR_AUTHORITY.get(authority)
        if role is None:
            continue
        for org in orgs:
            for n in range(staff_size(authority, len(orgs), clients)):
                first = rng.choice(region.FINNISH_FEMALE + region.FINNISH_MALE)
                last = rng.choice(region.FINNISH_LAST)
                user = User(username=f"w{org.pk}-{n}", first_name=first, last_name=last)
                user.password = "!"
                home = ("EMP", "SOC")[n % 2] if authority == "TYP" else ""
                worker = Worker(
                    role=role,
                    organisation=org,
                    home_authority=home,
                    is_supervisor=n == 0 and role != Role.ACTIVITY_INSTRUCTOR,
                )
                staff.append((user, worker))
    User.objects.bulk_create([user for user, _w in staff], batch_size=1000)
    for user, worker in staff:
        worker.user = user
    Worker.objects.bulk_create([worker for _u, worker in staff], batch_size=1000)


def load_region(rules: RuleSet, today: date) -> Region:
    organisations: dict[str, list[Organisation]] = defaultdict(list)
    for org in Organisation.objects.filter(region=region.REGION).order_by("pk"):
        organisations[org.authority].append(org)
    workers: dict[int, list[Worker]] = defaultdict(list)
    for worker in Worker.objects.exclude(organisation=None).order_by("pk"):
        workers[worker.organisation_id].append(worker)
    trial = [o for o in organisations["EMP"] if o.is_municipal_trial]
    return Region(rules, today, organisations, workers, trial)


def link_client_login() -> None:
    User = get_user_model()
    client = Client.objects.order_by("pk").first()
    user = User.objects.create(
        username=region.CLIENT_LOGIN,
        first_name=client.first_names,
        last_name=client.last_name,
        password=make_password(region.DEMO_PASSWORD),
    )
    client.user = user
    client.save(update_fields=["user"])


def generate(
    rules: RuleSet,
    clients: int,
    today: date,
    seed: int = 2026,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Build the whole region; returns the number of rows written."""
    with transaction.atomic():
        organisations = create_organisations()
        create_workers(organisations, seed, clients)
    region_ = load_region(rules, today)
    rows = Rows(MODELS, timezone.now(), CHUNK_SIZE * ROWS_PER_CLIENT_AT_MOST, {Client: CHUNK_SIZE})
    load = Load(region_, rows, clients, seed)
    chunks = range(math.ceil(clients / CHUNK_SIZE))
    written = 0
    with foreign_keys_checked_after(MODELS):
        side_by_side = loads_in_bulk() and len(chunks) > 1
        for rows_written, clients_built in (
            in_processes(load, chunks) if side_by_side else map(load.chunk, chunks)
        ):
            written += rows_written
            if progress:
                progress(clients_built)
    rows.reset_sequences()
    if clients:
        link_client_login()
    return written


@dataclass
class Load:
    """What each chunk of the load needs; a forked process inherits it whole."""

    region: Region
    rows: Rows
    clients: int
    seed: int

    def chunk(self, chunk: int) -> tuple[int, int]:
        """Builds and writes one chunk of clients; returns rows written and clients built."""
        first = chunk * CHUNK_SIZE
        last = min(first + CHUNK_SIZE, self.clients)
        self.rows.start_chunk(chunk)
        for index in range(first, last):
            store_deadlines_of(build_client(self.region, self.rows, index, self.seed))
        return write_in_transaction(self.rows.take()), last - first


_LOAD: Load | None = None  # set in the parent just before its processes are forked


def _chunk_in_process(chunk: int) -> tuple[int, int]:
    return _LOAD.chunk(chunk)


def in_processes(load: Load, chunks: range):
    """The chunks built and written by one process a CPU, each with its own connection."""
    global _LOAD
    _LOAD = load
    connections.close_all()  # a forked child must not share the parent's connection
    gc.freeze()  # nor finalise (and so close) a connection object it inherited
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(
            min(os.cpu_count() or 1, MAX_PROCESSES), initializer=_forget_inherited_connections
        ) as pool:
            yield from pool.imap_unordered(_chunk_in_process, chunks)
    finally:
        gc.unfreeze()
        _LOAD = None


_INHERITED: list = []  # kept referenced in a child, so that they are never finalised


def _forget_inherited_connections() -> None:
    """A forked child opens connections of its own: any it inherited belong to the parent
    (or to the parent's other threads) and writing on them would interleave two processes
    on one socket."""
    for wrapper in connections.all(initialized_only=True):
        _INHERITED.append(wrapper.connection)
        wrapper.connection = None
