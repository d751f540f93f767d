"""Applications in the API: record, information requests and answers, decisions, appeals."""

from datetime import date

from ninja import Field, Schema, Status

from kaveri.access.actions import Action
from kaveri.access.decorators import api_action, audit_done, fetch
from kaveri.access.principal import principal_for
from kaveri.access.routing import KaveriRouter, VersionedIn
from kaveri.benefits import actions
from kaveri.benefits.models import Appeal, Application, InformationRequest
from kaveri.people.models import Client
from kaveri.transitions.behalf import OnBehalf

router = KaveriRouter(tags=["applications"])


class ApplicationIn(Schema):
    benefit: str
    submitted_on: date
    urgent: bool = False
    complete: bool = True
    missing: str = Field(
        "", description="What an incomplete application lacks; asked for with an answer date."
    )


class ApplicationOut(Schema):
    id: int
    benefit: str
    status: str
    submitted_on: date
    completed_on: date | None
    expected_decision_on: date | None
    decided_on: date | None
    decision_mailed_on: date | None
    appeal_due_on: date | None
    outcome: str
    granted_until: date | None
    row_version: int


class InformationRequestIn(VersionedIn):
    requested_on: date
    what: str


class InformationRequestOut(Schema):
    id: int
    requested_on: date
    due_on: date
    answered_on: date | None
    state: str
    row_version: int


class AnswerIn(VersionedIn):
    answered_on: date
    answer: str = Field("", description="The answer in the client's words, where it came in words.")
    channel: str = Field(
        "", description="How the answer came: a code of the rule set's on_behalf_channels."
    )
    client_confirmed: bool = Field(False, description="The answer is the client's own.")


class ApplicationDecisionIn(VersionedIn):
    decided_on: date
    outcome: str
    granted_until: date | None = None
    mailed_on: date | None = Field(
        None, description="The mailing date on the decision; the decision's date when not given."
    )


class AppealIn(Schema):
    filed_on: date


class AppealStepIn(VersionedIn):
    on: date


class AppealDecisionIn(VersionedIn):
    decided_on: date
    outcome: str = Field(description="CHANGED, REJECTED, RETURNED or DISMISSED")
    mailed_on: date | None = None
    corrected_outcome: str = Field(
        "", description="When CHANGED: what the decision became (GRANTED, PARTLY_GRANTED, DENIED)"
    )
    granted_until: date | None = None


class AppealOut(Schema):
    id: int
    application_id: int
    stage: int
    filed_on: date
    due_on: date | None
    filed_late: bool
    state: str
    decided_on: date | None
    decision_mailed_on: date | None
    outcome: str
    next_due_on: date | None
    row_version: int


def _application(request, application_id: int) -> Application:
    return fetch(request, Application.objects.select_related("client"), application_id)


@router.post(
    "/clients/{client_id}/applications",
    response={201: ApplicationOut},
    summary="Record a benefit application; the expected decision date is computed",
)
@api_action(Action.APPLICATION_RECORD)
def record_application(request, client_id: int, payload: ApplicationIn):
    client = fetch(request, Client.objects, client_id)
    made = actions.record_application(
        client,
        payload.benefit,
        payload.submitted_on,
        payload.urgent,
        payload.complete,
        missing=payload.missing,
        by=principal_for(request).worker,
    )
    audit_done(request, made)
    return Status(201, made)


@router.post(
    "/applications/{application_id}/information-requests",
    response={201: InformationRequestOut},
    summary="Ask for further information",
)
@api_action(Action.INFORMATION_REQUEST)
def request_information(request, application_id: int, payload: InformationRequestIn):
    application = _application(request, application_id)
    made = actions.request_information(
        application,
        payload.requested_on,
        payload.what,
        by=principal_for(request).worker,
        expected_version=payload.row_version,
    )
    audit_done(request, application)
    return Status(201, made)


@router.post(
    "/information-requests/{request_id}/answer",
    response=ApplicationOut,
    summary="Record the answer to an information request",
)
@api_action(Action.INFORMATION_ANSWER)
def answer_information_request(request, request_id: int, payload: AnswerIn):
    info = fetch(
        request, InformationRequest.objects.select_related("application__client"), request_id
    )
    application = actions.answer_information_request(
        info,
        payload.answered_on,
        answer=payload.answer,
        by=principal_for(request).worker,
        expected_version=payload.row_version,
        on_behalf=OnBehalf(payload.channel, payload.client_confirmed),
    )
    audit_done(request, info)
    return application


@router.post(
    "/applications/{application_id}/decision",
    response=ApplicationOut,
    summary="Record the decision on an application",
)
@api_action(Action.APPLICATION_DECIDE)
def decide_application(request, application_id: int, payload: ApplicationDecisionIn):
    application = _application(request, application_id)
    principal = principal_for(request)
    decided = actions.decide_application(
        application,
        principal.organisation,
        payload.decided_on,
        payload.outcome,
        payload.granted_until,
        payload.mailed_on,
        by=principal.worker,
        expected_version=payload.row_version,
    )
    audit_done(request, decided)
    return decided


def _appeal(request, appeal_id: int) -> Appeal:
    return fetch(request, Appeal.objects.select_related("application__client"), appeal_id)


def _appeal_step(request, appeal_id: int, payload: AppealStepIn, step) -> Appeal:
    """Forwarding or withdrawing an appeal: the day, the worker, the version read."""
    appeal = step(
        _appeal(request, appeal_id),
        payload.on,
        by=principal_for(request).worker,
        expected_version=payload.row_version,
    )
    audit_done(request, appeal)
    return appeal


@router.post(
    "/applications/{application_id}/appeals",
    response={201: AppealOut},
    summary="Record that the client appeals the decision (or the last stage's decision)",
)
@api_action(Action.APPEAL_FILE)
def file_appeal(request, application_id: int, payload: AppealIn):
    application = _application(request, application_id)
    made = actions.file_appeal(application, payload.filed_on, by=principal_for(request).worker)
    audit_done(request, made)
    return Status(201, made)


@router.post(
    "/appeals/{appeal_id}/forward",
    response=AppealOut,
    summary="Forward an appeal the deciding authority did not correct to the next stage",
)
@api_action(Action.APPEAL_FORWARD)
def forward_appeal(request, appeal_id: int, payload: AppealStepIn):
    return _appeal_step(request, appeal_id, payload, actions.forward_appeal)


@router.post(
    "/appeals/{appeal_id}/decision",
    response=AppealOut,
    summary="Record the decision of the appeal's stage; the next stage's deadline is computed",
)
@api_action(Action.APPEAL_DECIDE)
def decide_appeal(request, appeal_id: int, payload: AppealDecisionIn):
    appeal = actions.decide_appeal(
        _appeal(request, appeal_id),
        payload.decided_on,
        payload.outcome,
        payload.mailed_on,
        corrected_outcome=payload.corrected_outcome,
        granted_until=payload.granted_until,
        by=principal_for(request).worker,
        expected_version=payload.row_version,
    )
    audit_done(request, appeal)
    return appeal


@router.post(
    "/appeals/{appeal_id}/withdrawal",
    response=AppealOut,
    summary="Record that the client withdrew the appeal",
)
@api_action(Action.APPEAL_WITHDRAW)
def withdraw_appeal(request, appeal_id: int, payload: AppealStepIn):
    return _appeal_step(request, appeal_id, payload, actions.withdraw_appeal)


class StatementIn(Schema):
    kind: str
    benefit: str
    given_on: date
    content: str = ""


class StatementOut(Schema):
    id: int
    kind: str
    benefit: str
    given_on: date
    given_by_id: int
    goes_to: str
    content: str


@router.post(
    "/clients/{client_id}/statements",
    response={201: StatementOut},
    summary="Give the employment authority's statement for a benefit",
)
@api_action(Action.STATEMENT_GIVE)
def give_statement(request, client_id: int, payload: StatementIn):
    client = fetch(request, Client.objects, client_id)
    principal = principal_for(request)
    made = actions.give_statement(
        client,
        principal.organisation,
        payload.kind,
        payload.benefit,
        payload.given_on,
        payload.content,
        by=principal.worker,
    )
    audit_done(request, made)
    return Status(201, made)
