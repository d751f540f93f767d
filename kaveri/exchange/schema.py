"""The documented JSON format for whole client records (docs/exchange-format.md).

Organisations are named by their name and workers by their user name; both must
exist in the receiving Kaveri. Codes are the rule set's codes.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

FORMAT = "kaveri-client-records"
FORMAT_VERSION = 1


# Hours are kept to one decimal, as the database stores them, so records compare equal.
Hours = Annotated[
    Decimal,
    Field(ge=0, le=24),
    AfterValidator(lambda value: value.quantize(Decimal("0.1"))),
]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NamedWorkerRec(Record):
    worker: str
    role: str
    from_date: date
    to_date: date | None = None


class ContactRec(Record):
    organisation: str
    occurred_on: date
    initiator: str
    channel: str
    referred_by: str | None = None
    notes: str = ""
    source_system: str = "KAVERI"


HISTORICAL = Field(
    "",
    description=(
        "Why to bring in a record that the rules in force refuse (e.g. a decision made under "
        "an earlier act). Without it such a record is refused; with it the record shows it."
    ),
)


class RelationshipRec(Record):
    organisation: str
    kind: str
    pathway: str = ""
    opened_on: date
    closed_on: date | None = None
    closure_reason: str = ""
    feedback_offered_on: date | None = None
    client_feedback: str = ""
    ruleset_version: str
    source_system: str = "KAVERI"
    historical: str = HISTORICAL
    named_workers: list[NamedWorkerRec] = []


class AssessmentRec(Record):
    organisation: str
    assessed_on: date
    assessor: str | None = None
    findings: str = ""
    guided_services: list[str] = []
    guided_benefits: list[str] = []
    is_final: bool = False
    ruleset_version: str
    source_system: str = "KAVERI"


class RegistrationRec(Record):
    organisation: str
    registered_on: date
    ended_on: date | None = None
    source_system: str = "KAVERI"


class MeasureRec(Record):
    measure: str
    responsible_authority: str
    responsible_organisation: str | None = None
    description: str = ""
    status: Literal["AGREED", "IN_PROGRESS", "DONE", "CANCELLED"] = "AGREED"
    due_on: date | None = None
    client_acknowledged_on: date | None = None


class PlanRec(Record):
    series: UUID
    version: int = Field(ge=1)
    is_current: bool
    plan_type: str
    process: str = ""
    made_on: date
    review_interval: str
    next_review_on: date
    client_approved_on: date | None = None
    summary: str = ""
    ruleset_version: str
    source_system: str = "KAVERI"
    historical: str = HISTORICAL
    parties: list[str] = []
    measures: list[MeasureRec] = []


class ParticipationRec(Record):
    day: date
    attended: bool = True
    hours: Hours | None = None
    source_system: str = "KAVERI"


class EpisodeRec(Record):
    key: str = Field(description="Identifies the episode within this record, for `previous`.")
    previous: str | None = None
    service: str
    decided_by: str
    provider: str | None = None
    instructor: str | None = None
    decision_on: date
    starts_on: date
    ends_on: date
    ended_on: date | None = None
    end_reason: str = ""
    days_per_week: int | None = None
    hours_per_day: Hours | None = None
    ruleset_version: str
    source_system: str = "KAVERI"
    historical: str = HISTORICAL
    participation: list[ParticipationRec] = []


class InformationRequestRec(Record):
    requested_on: date
    due_on: date
    what: str
    answered_on: date | None = None
    answer: str = ""


class AppealRec(Record):
    filed_on: date
    due_on: date | None = None
    stage: int = Field(0, ge=0, le=10)
    state: Literal["OPEN", "DECIDED", "WITHDRAWN"] | None = None
    decided_on: date | None = None
    decision_mailed_on: date | None = None
    outcome: Literal["", "CHANGED", "REJECTED", "RETURNED", "DISMISSED"] = ""
    next_due_on: date | None = None
    source_system: str = "KAVERI"


class ApplicationRec(Record):
    benefit: str
    deciding_organisation: str | None = None
    submitted_on: date
    completed_on: date | None = None
    urgent: bool = False
    status: Literal["PENDING", "INFORMATION_REQUESTED", "DECIDED", "WITHDRAWN"] = "PENDING"
    expected_decision_on: date | None = None
    decided_on: date | None = None
    decision_mailed_on: date | None = None
    appeal_due_on: date | None = None
    outcome: Literal["", "GRANTED", "PARTLY_GRANTED", "DENIED"] = ""
    granted_from: date | None = None
    granted_until: date | None = None
    ruleset_version: str
    source_system: str = "KAVERI"
    historical: str = HISTORICAL
    information_requests: list[InformationRequestRec] = []
    appeals: list[AppealRec] = []


class DocumentRec(Record):
    evidence_type: str
    title: str = ""
    issued_on: date | None = None
    received_on: date
    issued_by: str = ""
    received_by: str | None = None
    valid_until: date | None = None
    source_system: str = "KAVERI"


class ConsentRec(Record):
    purpose: str
    data_categories: list[str]
    authorities: list[str]
    valid_from: date
    valid_until: date | None = None
    method: Literal["IN_PERSON", "IN_WRITING", "PHONE", "PORTAL"]
    revoked: bool = False
    revoked_on: date | None = Field(
        None, description="The day the revocation took effect (the import day if not given)."
    )
    revocation_reason: str = ""
    source_system: str = "KAVERI"
    historical: str = HISTORICAL


class DataRequestRec(Record):
    kind: str
    requested_by: str
    to_authority: str
    what: str = ""
    requested_on: date
    due_on: date
    consent: int = Field(ge=0, description="The covering consent: its index in `consents`.")
    answered_on: date | None = None
    answer: str = ""
    ruleset_version: str
    source_system: str = "KAVERI"


class EmploymentStatementRec(Record):
    """The employment authority's statement for a benefit (e.g. the labour policy
    statement), which goes to the benefit's decider."""

    kind: str
    benefit: str
    given_on: date
    given_by: str
    goes_to: str
    content: str = ""
    ruleset_version: str
    source_system: str = "KAVERI"


class SituationChangeRec(Record):
    """A change in the client's situation that the client reported to their workers."""

    kind: str
    starts_on: date
    details: str = ""
    reported_on: date
    told: list[str] = Field(description="The authorities serving the client that day.")
    channel: str = Field("", description="How a worker heard it; empty: in the portal.")
    client_confirmed: bool = False
    ruleset_version: str


class ClientRec(Record):
    hetu: str
    first_names: str = Field(min_length=1)
    last_name: str = Field(min_length=1)
    language: Literal["fi", "sv", "en"] = "fi"
    municipality: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    contacts: list[ContactRec] = []
    relationships: list[RelationshipRec] = []
    assessments: list[AssessmentRec] = []
    job_seeker_registrations: list[RegistrationRec] = []
    plans: list[PlanRec] = []
    service_episodes: list[EpisodeRec] = []
    applications: list[ApplicationRec] = []
    documents: list[DocumentRec] = []
    consents: list[ConsentRec] = []
    data_requests: list[DataRequestRec] = []
    employment_statements: list[EmploymentStatementRec] = []
    situation_changes: list[SituationChangeRec] = []

    @model_validator(mode="after")
    def _requests_name_a_consent(self) -> "ClientRec":
        for i, request in enumerate(self.data_requests):
            if request.consent >= len(self.consents):
                raise ValueError(
                    f"data_requests[{i}].consent: {request.consent} names no consent; the "
                    f"record has {len(self.consents)}"
                )
        return self


class ExchangeFile(Record):
    format: Literal["kaveri-client-records"]
    format_version: Literal[1]
    clients: list[ClientRec]
