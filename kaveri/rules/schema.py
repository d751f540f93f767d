"""The shape of the rule set files, checked with pydantic when loaded.

Unknown keys are refused so that a misspelt key is an error, not a silent default.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from kaveri.rules.durations import Duration


def _to_duration(value: object) -> Duration:
    if isinstance(value, Duration):
        return value
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"expected a duration such as 3M, got {value!r}")
    return Duration.parse(str(value))


DurationField = Annotated[Duration, BeforeValidator(_to_duration)]
Code = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Label(Strict):
    fi: Annotated[str, Field(min_length=1)]
    sv: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]

    def get(self, language: str) -> str:
        return getattr(self, language[:2], None) or self.fi


class IntRange(Strict):
    """`max_is_local_policy`: the law sets no upper bound; the region's rule set does."""

    min: int = Field(ge=0)
    max: int | None = Field(default=None, ge=0)
    max_is_local_policy: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> "IntRange":
        if self.max is not None and self.max < self.min:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self


class DurationRange(Strict):
    """Either one `fixed` interval, or a `min`..`max` range to choose from."""

    fixed: DurationField | None = None
    min: DurationField | None = None
    max: DurationField | None = None

    @model_validator(mode="after")
    def _one_form(self) -> "DurationRange":
        if self.fixed is not None and (self.min is not None or self.max is not None):
            raise ValueError("give either fixed, or min and max, not both")
        if self.fixed is None and (self.min is None or self.max is None):
            raise ValueError("give fixed, or both min and max")
        if (
            self.min is not None
            and self.max is not None
            and self.min.approximate_days > self.max.approximate_days
        ):
            raise ValueError(f"min {self.min} is longer than max {self.max}")
        return self

    @property
    def lower(self) -> Duration:
        return self.fixed or self.min  # type: ignore[return-value]

    @property
    def upper(self) -> Duration:
        return self.fixed or self.max  # type: ignore[return-value]

    def allows(self, chosen: Duration) -> bool:
        return (
            self.lower.approximate_days <= chosen.approximate_days <= (self.upper.approximate_days)
        )


class RuleSetHeader(Strict):
    version: Annotated[str, Field(pattern=r"^[a-z]{2}-\d{4}\.\d+$")]
    valid_from: date
    valid_until: date | None = None
    label: Label
    sources: list[str] = []


class Statute(Strict):
    """A law a rule rests on, as published in Finlex; `verified: false` marks a title,
    number or date we could not check against a public source."""

    code: Code
    number: Annotated[str, Field(pattern=r"^(\d{1,4}/\d{4})?$")] = ""
    title: Label
    in_force_from: date | None = None
    in_force_until: date | None = None
    verified: bool
    checked_at: str = ""


def _to_citation(value: object) -> object:
    """`"CODE"` or `"CODE 13 §"` is shorthand for a verified citation."""
    if isinstance(value, str):
        statute, _space, section = value.partition(" ")
        return {"statute": statute, "section": section}
    return value


class Citation(Strict):
    statute: Code
    section: str = ""
    verified: bool = True


Cites = list[Annotated[Citation, BeforeValidator(_to_citation)]]


class Authority(Strict):
    code: Code
    label: Label
    short: Label | None = None
    in_network: bool
    tasks: list[Label]
    part_of: Code | None = None
    joint_of: list[Code] = []
    formerly: Label | None = None
    cites: Cites = []


class Intensity(Strict):
    days_per_week: IntRange | None = None
    hours_per_day: IntRange | None = None


class DecisionPeriod(Strict):
    default: DurationRange
    legal: DurationRange | None = None


class DayCompensation(Strict):
    code: Code
    label: Label
    eur_per_day: Decimal = Field(ge=0)
    for_: Label = Field(alias="for")


class EndReason(Strict):
    code: Code
    label: Label
    next_service: Code | None = None


class Service(Strict):
    code: Code
    label: Label
    pathway: Code | None = None
    granted_by: list[Code] = Field(min_length=1)
    provided_by: list[Code] = []
    requires: list[Literal["UNEMPLOYED_JOB_SEEKER", "ACTIVATION_PLAN_IN_FORCE"]] = []
    intensity: Intensity | None = None
    decision_period: DecisionPeriod | None = None
    continuation_period: DurationField | None = None
    day_compensation: list[DayCompensation] = []
    participant_reports: Literal["UNEMPLOYMENT_PERIOD_REPORT"] | None = None
    decided_on_application_of: Literal["EMPLOYER"] | None = None
    # A4: decisions on training, start-up grant and wage subsidy are made by the TE office.
    not_decided_by_municipal_trial: bool = False
    end_reasons: list[Code] = Field(min_length=1)
    cites: Cites = []


class Measure(Strict):
    code: Code
    label: Label
    granted_by: list[Code] = Field(min_length=1)
    service: Code | None = None


class PlanReview(Strict):
    default: DurationRange
    by_process: dict[Code, DurationRange] = {}
    also_when: Label | None = None


class PlanType(Strict):
    code: Code
    label: Label
    parties: list[Code] = Field(min_length=2)
    made_in: list[Code] = Field(min_length=1)
    review: PlanReview
    measures: list[Code] = Field(min_length=1)
    evidence: list[Code] = []
    cites: Cites = []


class JobSeekerModel(Strict):
    initial_interview_within: DurationField
    job_search_discussions_every: DurationField
    job_search_discussions_during: DurationField
    applications_per_month_max: int = Field(ge=0)


class LaterEvidence(Strict):
    """Evidence that becomes due while a benefit is paid: after `after_paid_days` days paid
    (sickness allowance is paid for weekdays Monday to Saturday, holidays excepted)."""

    evidence: Code
    after_paid_days: int = Field(ge=1)


class Benefit(Strict):
    code: Code
    label: Label
    decided_by: Code
    processing_time: DurationField
    urgent_processing_time: DurationField | None = None
    restarts_when_completed: bool = False
    verified: bool = True
    max_duration: DurationField | None = None
    pathways: list[Code]
    evidence: list[Code] = []
    continuation_application: bool = False
    # An unemployment benefit: its payer receives the participant's unemployment period reports.
    unemployment_benefit: bool = False
    # Asked for this long before the grant ends (the processing time when not given), with
    # the evidence a continuation needs (rehabilitation subsidy: a new statement B).
    continuation_asked_before_end: DurationField | None = None
    continuation_evidence: list[Code] = []
    later_evidence: list[LaterEvidence] = []
    appeal: Code | None = None
    cites: Cites = []


class ObservedProcessingTimes(Strict):
    """Decision times as they were, shown beside the target: the decisions made within
    `window` before the day, and only for a benefit with at least `fewest_decisions`
    of them (a handful tells little and would describe a few people)."""

    window: DurationField
    fewest_decisions: int = Field(ge=5)


class EmploymentStatementKind(Strict):
    """A statement the employment authority gives for a benefit (the labour policy
    statement that Kela or an unemployment fund decides unemployment benefits on)."""

    code: Code
    label: Label
    given_by: Code
    for_benefits: list[Code] = Field(min_length=1)
    cites: Cites = []


class InformationRequestRule(Strict):
    answer_within: DurationField
    verified: bool = True
    cites: Cites = []


class AppealStage(Strict):
    """One body on the review path. `forwards_unless_corrected`: the body first checks
    whether it can correct its own decision and otherwise passes the same appeal on to the
    next stage (Kela's self-rectification); else a further appeal is a new filing."""

    label: Label
    forwards_unless_corrected: bool = False


class AppealRule(Strict):
    """The review path of a benefit's decisions and its deadline: the decision counts as
    received `presumed_receipt_after` its mailing date, the appeal is due
    `period_after_receipt` after that, and a deadline on a closed day moves to the next
    working day (150/1930, 5 §) when `deadline_moves_past_closed_days`."""

    code: Code
    label: Label
    presumed_receipt_after: DurationField
    period_after_receipt: DurationField
    deadline_moves_past_closed_days: bool = True
    stages: list[AppealStage] = Field(min_length=1)
    cites: Cites = []


class EvidenceType(Strict):
    code: Code
    label: Label
    form: str | None = None
    issued_by: list[Code] = Field(min_length=1)
    health_data: bool = False
    uses: Label | None = None
    cites: Cites = []


class DecisionBasis(Strict):
    authority: Code
    evidence: list[Code] = Field(min_length=1)


class ClientDelivers(Strict):
    to: Code
    items: list[Code] = Field(min_length=1)


class ClosureReason(Strict):
    code: Code
    label: Label
    administrative: bool = False


class CodedLabel(Strict):
    code: Code
    label: Label


class NamedWorkerRule(Strict):
    role: Code
    from_: Code = Field(alias="from")
    min: int = Field(ge=0)
    max: int = Field(ge=1)


class RelationshipKind(Strict):
    code: Code
    label: Label
    authority: Code
    process: Code | None = None
    requires_consent: bool = False
    registered_in: Code | None = None
    workers: list[NamedWorkerRule]
    closing_requires: list[Literal["FINAL_ASSESSMENT", "FEEDBACK_OFFERED"]] = []
    closure_reasons: list[Code] = Field(min_length=1)
    at_municipal_trial: bool = False
    formerly: Label | None = None
    cites: Cites = []


class ClientNeeds(Strict):
    at: Code
    items: list[CodedLabel] = Field(min_length=1)


class SourceSystem(Strict):
    code: Code
    sector: Code
    label: Label


class ConsentRules(Strict):
    expiry_warning: DurationField
    new_consent_notice: DurationField
    social_welfare: list[Code] = Field(min_length=1)


class EmergencyAccessRules(Strict):
    """Break the glass: why one may, for how long, how often, and when a review is late."""

    reasons: list[CodedLabel] = Field(min_length=1)
    minimum_description_words: int = Field(ge=1)
    hours: int = Field(ge=1, le=72)
    openings_per_client: int = Field(ge=1)
    openings_period: DurationField
    review_due: DurationField


class AuthorityRequestKind(Strict):
    """What one authority may ask another for about a client (A2 step 3), and the data
    categories a consent must cover for it."""

    code: Code
    label: Label
    to: Code
    categories: list[Code] = Field(min_length=1)


class AuthorityRequestRules(Strict):
    answer_within: DurationField
    verified: bool = True
    kinds: list[AuthorityRequestKind] = Field(min_length=1)


class DeadlineKind(Strict):
    """A kind of date the rules make due; `tracked: false` marks an appointment that
    simply passes, with no record that it was kept."""

    code: Code
    label: Label
    explanation: Label
    tracked: bool = True
    overdue_signal: Code | None = None


class SignalRule(Strict):
    """A named rule of the watch: a client about to be left behind, with its parameters."""

    code: Code
    label: Label
    explanation: Label
    within: DurationField | None = None
    after: DurationField | None = None
    looks_back: DurationField | None = None
    settled_by_end_reasons: list[Code] = []
    plans_depend_on: dict[Code, Code] = {}


class WatchRules(Strict):
    coming_within: DurationField
    snooze_at_most: DurationField
    unemployment_period_report_every: DurationField
    deadlines: list[DeadlineKind] = Field(min_length=1)
    signals: list[SignalRule] = Field(min_length=1)

    def deadline(self, code: str) -> DeadlineKind:
        return next(d for d in self.deadlines if d.code == code)

    def signal(self, code: str) -> SignalRule:
        return next(s for s in self.signals if s.code == code)


class DataCategory(Strict):
    code: Code
    label: Label
    special: bool = False
    shared_outside: list[Code] | None = None


TimingKind = Literal[
    "service_intensity",
    "service_decision_period",
    "service_continuation",
    "plan_review",
    "processing_time",
    "initial_interview",
]


class Timing(Strict):
    kind: TimingKind
    ref: Code
    process: Code | None = None


class Step(Strict):
    code: Code
    authority: Code
    also: list[Code] = []
    label: Label
    timing: Timing | None = None
    requires_consent: bool = False


class Pathway(Strict):
    code: Annotated[str, Field(pattern=r"^P\d+$")]
    view: Literal["client"]
    label: Label
    services: list[Code] = Field(min_length=1)
    benefits: list[Code]
    entry: list[Code] = Field(min_length=1)
    steps: list[Step] = Field(min_length=2)
    cites: Cites = []


class Process(Strict):
    code: Annotated[str, Field(pattern=r"^A\d+$")]
    view: Literal["client", "authority"]
    owner: Code
    label: Label
    relationship_kind: Code | None = None
    entry: list[Code] = Field(min_length=1)
    steps: list[Step] = Field(min_length=2)
    formerly: Label | None = None
    cites: Cites = []


class RetentionRule(Strict):
    """How long the records of a kind of client relationship are kept, counted from the
    relationship's closing (CLOSED) or from the closing of the client's last relationship
    of these kinds (LAST_CLOSED); after that they are deleted, unless archived for ever."""

    code: Code
    label: Label
    relationship_kinds: list[Code] = Field(min_length=1)
    keep_for: DurationField
    counted_from: Literal["CLOSED", "LAST_CLOSED"]
    verified: bool = True
    checked_at: str = ""
    cites: Cites = []


class PermanentArchive(Strict):
    """The records kept for ever, for research: those of clients born on these days of
    a month (the National Archives' sampling decisions)."""

    born_on_days: list[Annotated[int, Field(ge=1, le=31)]] = Field(min_length=1)
    relationship_kinds: list[Code] = Field(min_length=1)
    verified: bool = True
    checked_at: str = ""


class AuditLogRetention(Strict):
    keep_for: DurationField
    verified: bool = True
    checked_at: str = ""
    cites: Cites = []


class RetentionRules(Strict):
    records: list[RetentionRule] = Field(min_length=1)
    archive_permanently: PermanentArchive
    audit_log: AuditLogRetention


class RuleSetData(Strict):
    """Every top-level key of every file, merged."""

    version: str
    valid_from: date
    valid_until: date | None = None
    label: Label
    sources: list[str] = []
    statutes: list[Statute] = Field(min_length=1)
    authorities: list[Authority] = Field(min_length=1)
    end_reasons: list[EndReason] = Field(min_length=1)
    services: list[Service] = Field(min_length=1)
    measures: list[Measure] = Field(min_length=1)
    plans: list[PlanType] = Field(min_length=1)
    job_seeker_model: JobSeekerModel
    benefits: list[Benefit] = Field(min_length=1)
    employment_statements: list[EmploymentStatementKind] = []
    appeals: list[AppealRule] = Field(min_length=1)
    information_requests: InformationRequestRule
    observed_processing_times: ObservedProcessingTimes
    # Feedback on the accessibility of the service is answered within this time (306/2019).
    accessibility_feedback: InformationRequestRule
    evidence_types: list[EvidenceType] = Field(min_length=1)
    decision_bases: list[DecisionBasis] = Field(min_length=1)
    client_delivers: list[ClientDelivers] = Field(min_length=1)
    closure_reasons: list[ClosureReason] = Field(min_length=1)
    # How long after a closure the coordinators' statistics look at what became of the client.
    closure_follow_ups: list[DurationField] = Field(min_length=1)
    # How far back the coordinators' bottlenecks are ranked, month by month.
    bottleneck_trend: DurationField
    worker_roles: list[CodedLabel] = Field(min_length=1)
    relationship_kinds: list[RelationshipKind] = Field(min_length=1)
    contact_initiators: list[CodedLabel] = Field(min_length=1)
    contact_channels: list[CodedLabel] = Field(min_length=1)
    # How a worker heard what they record on the client's behalf (contact channel codes).
    on_behalf_channels: list[Code] = Field(min_length=1)
    # The changes in their situation a client reports to their workers.
    situation_changes: list[CodedLabel] = Field(min_length=1)
    client_needs: list[ClientNeeds] = Field(min_length=1)
    source_systems: list[SourceSystem] = Field(min_length=1)
    sectors: list[CodedLabel] = Field(min_length=1)
    consent_purposes: list[CodedLabel] = Field(min_length=1)
    data_categories: list[DataCategory] = Field(min_length=1)
    consent_rules: ConsentRules
    authority_requests: AuthorityRequestRules
    emergency_access: EmergencyAccessRules
    watch: WatchRules
    pathways: list[Pathway] = Field(min_length=1)
    processes: list[Process] = Field(min_length=1)
    # How long records are kept, and which are archived for ever (`kaveri retention`).
    retention: RetentionRules


TOP_LEVEL_KEYS = frozenset(RuleSetData.model_fields)
HEADER_KEYS = frozenset(RuleSetHeader.model_fields)
