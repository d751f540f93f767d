"""The workers' casework pages: find and register a client, open a case and take it through
the process.

Each page names its action and fetches its target (the client, or the record the page
is about), which the action's rule checks. The form's data go to the same operation in
the owning app's `actions.py` that the API calls; a refusal of the rules comes back as
an error on the field. Opening a form is audited as a read of the client's data; the
action itself only once it is carried out.
"""

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaveri.access.actions import Action, rule_for
from kaveri.access.audit import record_list_access
from kaveri.access.buttons import one_button, posted_version
from kaveri.access.decorators import audit_done, audit_read, fetch, names_action
from kaveri.access.principal import principal_for
from kaveri.benefits import actions as benefit_actions
from kaveri.benefits.models import Appeal, Application, InformationRequest
from kaveri.casework import actions as casework
from kaveri.casework.models import ClientRelationship
from kaveri.consent import actions as consent_actions
from kaveri.consent.models import Consent, DataRequest
from kaveri.evidence import actions as evidence_actions
from kaveri.evidence.downloads import file_response
from kaveri.evidence.models import Document
from kaveri.people import actions as people_actions
from kaveri.people.models import Client
from kaveri.plans import actions as plan_actions
from kaveri.plans.models import Measure, Plan
from kaveri.rules.registry import get_rules
from kaveri.rules.violations import RuleViolation, Violations
from kaveri.services import actions as service_actions
from kaveri.services.models import ServiceEpisode
from kaveri.workspace import forms

SEARCH_LIMIT = 50


def client_url(client) -> str:
    return reverse("workspace:client", args=[client.pk])


def _client_of(target):
    return target if isinstance(target, Client) else target.client_data.client_of(target)


def _show_violations(form, violations: list[RuleViolation]) -> None:
    for violation in violations:
        field = violation.field if violation.field in form.fields else None
        form.add_error(field, violation.message)


def _still_there(request, client, back: str) -> str:
    """Back to the client page, unless the operation ended the worker's right to see it
    (their organisation's last relationship closed): then to the start page."""
    principal = principal_for(request)
    principal.memo.clear()
    if back.startswith(client_url(client)) and not rule_for(Action.CLIENT_VIEW).permits(
        principal, client
    ):
        return reverse("workspace:clients")
    return back


def run_operation(
    request,
    form,
    operation: Callable[[dict], object],
    *,
    title: str,
    target,
    done: str,
    back: str | None = None,
    intro: str = "",
):
    """Validate the form, run the operation, and turn a refusal of the rules into form errors.

    `target` is what the page is about (a client or one record); the operation returns
    the record it wrote, which the audit names as the action carried out.
    """
    client = _client_of(target)
    back = back or client_url(client)
    if request.method == "POST" and form.is_valid():
        try:
            written = operation(form.cleaned_data)
        except Violations as found:
            _show_violations(form, found.violations)
        except RuleViolation as violation:
            _show_violations(form, [violation])
        else:
            audit_done(request, written if hasattr(written, "client_data") else target)
            messages.success(request, done)
            return redirect(_still_there(request, client, back))
    audit_read(request, target)
    status = 422 if form.errors else 200
    return render(
        request,
        "workspace/operation_form.html",
        {"form": form, "title": title, "client": client, "back": back, "intro": intro},
        status=status,
    )


# --- finding and registering clients ---


@names_action(Action.CLIENT_SEARCH)
def search(request):
    form = forms.SearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        organisation = principal_for(request).organisation
        query = form.cleaned_data["query"]
        results = list(Client.objects.matching(query, organisation)[:SEARCH_LIMIT])
        record_list_access(request, Action.CLIENT_SEARCH, results)
    return render(request, "workspace/search.html", {"form": form, "results": results})


@names_action(Action.CLIENT_CREATE)
def client_new(request):
    form = forms.ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client = people_actions.register_client(**form.cleaned_data)
        except RuleViolation as violation:
            _show_violations(form, [violation])
        else:
            audit_done(request, client)
            messages.success(request, _("The client is registered. Record the contact next."))
            return redirect("workspace:open_case", client.pk)
    return render(
        request,
        "workspace/operation_form.html",
        {
            "form": form,
            "title": _("Register a new client"),
            "client": None,
            "back": reverse("workspace:search"),
        },
        status=422 if form.errors else 200,
    )


# --- the case ---


def _client(request, client_id: int) -> Client:
    return fetch(request, Client.objects, client_id)


@names_action(Action.CASE_OPEN)
def open_case(request, client_id: int):
    client = _client(request, client_id)
    principal = principal_for(request)
    form = forms.OpenCaseForm(
        request.POST or None, request.FILES or None, organisation=principal.organisation
    )
    return run_operation(
        request,
        form,
        lambda data: casework.open_case(
            client,
            principal.organisation,
            data["occurred_on"],
            data["initiator"],
            data["channel"],
            data["kind"],
            _named_workers(data),
            pathway=data["pathway"],
            notes=data["notes"],
            recorded_by=principal.worker,
            typ_consent_method=data.get("consent_method", ""),
            typ_consent_until=data.get("consent_until"),
            today=principal.today,
            typ_consent_form=data.get("consent_form"),
        ),
        title=_("Record a contact and open a case"),
        target=client,
        done=_("The client relationship is open."),
    )


def _named_workers(data) -> list[tuple[str, object]]:
    """The role of each chosen worker; in a work pair, by the authority the worker comes from."""
    rule = get_rules().relationship_kinds[data["kind"]]
    chosen = [w for w in (data["worker"], data.get("second_worker")) if w]
    if len(rule.workers) == 1:
        return [(rule.workers[0].role, w) for w in chosen]
    role_by_home = {r.from_: r.role for r in rule.workers}
    return [(role_by_home.get(w.home_authority or w.organisation.authority, ""), w) for w in chosen]


def _relationship(request, relationship_id: int) -> ClientRelationship:
    return fetch(
        request,
        ClientRelationship.objects.select_related("client", "organisation"),
        relationship_id,
    )


@names_action(Action.ASSESSMENT_RECORD)
def assessment_new(request, relationship_id: int):
    relationship = _relationship(request, relationship_id)
    form = forms.AssessmentForm(request.POST or None)
    return run_operation(
        request,
        form,
        lambda d: casework.record_assessment(
            relationship,
            d["assessed_on"],
            principal_for(request).worker,
            d["findings"],
            d["services"],
            d["benefits"],
            d["is_final"],
        ),
        title=_("Service need assessment"),
        target=relationship,
        done=_("The assessment is recorded."),
    )


@names_action(Action.WORKER_NAME)
def name_worker(request, relationship_id: int):
    relationship = _relationship(request, relationship_id)
    form = forms.NameWorkerForm(
        request.POST or None, relationship=relationship, record=relationship
    )
    return run_operation(
        request,
        form,
        lambda d: casework.name_worker(
            relationship,
            d["role"],
            d["worker"],
            d["from_date"],
            expected_version=form.expected_version(),
        ),
        title=_("Name a worker"),
        target=relationship,
        done=_("The worker is named; the client sees the change on their page."),
    )


@names_action(Action.RELATIONSHIP_CLOSE)
def relationship_close(request, relationship_id: int):
    relationship = _relationship(request, relationship_id)
    form = forms.CloseRelationshipForm(
        request.POST or None, kind=relationship.kind, record=relationship
    )
    return run_operation(
        request,
        form,
        lambda d: casework.close_relationship(
            relationship,
            d["closed_on"],
            d["closure_reason"],
            by=principal_for(request).worker,
            expected_version=form.expected_version(),
        ),
        title=_("Close the client relationship"),
        target=relationship,
        done=_("The client relationship is closed."),
    )


@names_action(Action.FEEDBACK_RECORD)
def feedback(request, relationship_id: int):
    relationship = _relationship(request, relationship_id)
    form = forms.FeedbackForm(request.POST or None, record=relationship)
    return run_operation(
        request,
        form,
        lambda d: casework.offer_feedback(
            relationship, d["offered_on"], d["feedback"], expected_version=form.expected_version()
        ),
        title=_("Feedback on the service"),
        target=relationship,
        done=_("The feedback offer is recorded."),
    )


@names_action(Action.JOB_SEEKER_REGISTER)
def registration_new(request, client_id: int):
    client = _client(request, client_id)
    form = forms.RegistrationForm(request.POST or None)
    organisation = principal_for(request).organisation
    return run_operation(
        request,
        form,
        lambda d: casework.register_job_seeker(client, organisation, d["registered_on"]),
        title=_("Registration as an unemployed job seeker"),
        target=client,
        done=_("The registration is recorded."),
    )


# --- plans ---


def _measures(form) -> list[plan_actions.MeasureInput]:
    return [
        plan_actions.MeasureInput(code, form.chosen_responsible(code))
        for code in form.cleaned_data["measures"]
    ]


@names_action(Action.PLAN_MAKE)
def plan_new(request, client_id: int):
    client = _client(request, client_id)
    principal = principal_for(request)
    organisation = principal.organisation
    form = forms.PlanForm(
        request.POST or None,
        initial={"parties": [organisation.pk]},
        own_authority=organisation.authority,
        review_ranges=plan_actions.plans_made_here(client, organisation, principal.today),
    )

    def make(d):
        relationship, process = plan_actions.home_of_new_plan(
            client, organisation, d["plan_type"], d["made_on"]
        )
        return plan_actions.make_plan(
            client,
            d["plan_type"],
            process,
            relationship,
            list(d["parties"]),
            d["made_on"],
            d["review_months"],
            _measures(form),
            principal.worker,
            d["summary"],
        )

    return run_operation(
        request,
        form,
        make,
        title=_("Make a plan"),
        target=client,
        done=_("The plan is made and in force."),
    )


def _plan(request, plan_id: int) -> Plan:
    return fetch(request, Plan.objects.select_related("client", "relationship"), plan_id)


@names_action(Action.PLAN_REVISE)
def plan_revise(request, plan_id: int):
    plan = _plan(request, plan_id)
    current = {m.measure: m.responsible_authority for m in plan.measures.all()}
    form = forms.PlanForm(
        request.POST or None,
        revision=True,
        own_authority=principal_for(request).authority,
        current_measures=current,
        review_ranges=[(plan.plan_type, plan_actions.review_range_of(plan))],
        record=plan,
        initial={
            "review_months": int(plan.review_interval.rstrip("M")),
            "measures": list(current),
        },
    )
    return run_operation(
        request,
        form,
        lambda d: plan_actions.revise_plan(
            plan,
            d["made_on"],
            d["review_months"],
            _measures(form),
            principal_for(request).worker,
            d["summary"],
            expected_version=form.expected_version(),
        ),
        title=_("Review the plan"),
        target=plan,
        done=_("The plan is reviewed; the earlier version is kept."),
    )


def _post_only_operation(request, target, operation: Callable[[], object], done: str):
    """A one-button operation (a POST from the client page)."""
    return one_button(request, operation, done, client_url(_client_of(target)))


@names_action(Action.PLAN_APPROVAL_RECORD)
def plan_approve(request, plan_id: int):
    """The worker records the client's approval for them: how the client told them, and
    that the client confirmed it."""
    plan = _plan(request, plan_id)
    form = forms.PlanApprovalForm(request.POST or None, record=plan)
    return run_operation(
        request,
        form,
        lambda d: plan_actions.approve_plan(
            plan,
            principal_for(request).today,
            by=principal_for(request).worker,
            expected_version=form.expected_version(),
            on_behalf=form.on_behalf(),
        ),
        title=_("Record the client's approval"),
        target=plan,
        done=_("The client's approval is recorded, with how they told you."),
        intro=_(
            "Record the approval here when the client cannot approve the plan in the "
            "portal themselves. The client's history shows that you recorded it for them."
        ),
    )


@require_POST
@names_action(Action.MEASURE_ACKNOWLEDGE)
def measure_acknowledge(request, measure_id: int):
    measure = fetch(request, Measure.objects.select_related("plan__client"), measure_id)
    today = principal_for(request).today
    return _post_only_operation(
        request,
        measure,
        lambda: plan_actions.acknowledge_measure(
            measure,
            today,
            request.POST.get("status") or None,
            by=principal_for(request).worker,
            expected_version=posted_version(request),
        ),
        _("The client's acknowledgement is recorded."),
    )


@names_action(Action.SITUATION_CHANGE_RECORD)
def situation_change_new(request, client_id: int):
    """A change in the client's situation that the client told the worker of."""
    client = _client(request, client_id)
    form = forms.SituationChangeForm(request.POST or None)
    principal = principal_for(request)
    return run_operation(
        request,
        form,
        lambda d: casework.report_situation_change(
            client,
            d["kind"],
            d["starts_on"],
            d["details"],
            principal.today,
            by=principal.worker,
            on_behalf=form.on_behalf(),
        ),
        title=_("Record a change in the client's situation"),
        target=client,
        done=_("The change is recorded; the client's workers see it on their start pages."),
    )


# --- services ---


@names_action(Action.SERVICE_DECIDE)
def service_new(request, client_id: int):
    client = _client(request, client_id)
    organisation = principal_for(request).organisation
    relationship = client.relationships.open().held_by(organisation).first()
    form = forms.ServiceDecisionForm(request.POST or None, authority=organisation.authority)
    return run_operation(
        request,
        form,
        lambda d: service_actions.decide_service(
            client,
            d["service"],
            organisation,
            d["decision_on"],
            d["starts_on"],
            d["ends_on"],
            d["days_per_week"],
            d["hours_per_day"],
            d["provider"],
            d["instructor"],
            relationship=relationship,
        ),
        title=_("Decide on a service"),
        target=client,
        done=_("The decision is recorded."),
    )


def _episode(request, episode_id: int) -> ServiceEpisode:
    return fetch(request, ServiceEpisode.objects.select_related("client", "decided_by"), episode_id)


@names_action(Action.EPISODE_CONTINUE)
def episode_continue(request, episode_id: int):
    episode = _episode(request, episode_id)
    form = forms.ContinueForm(request.POST or None, record=episode)
    return run_operation(
        request,
        form,
        lambda d: service_actions.continue_service(
            episode,
            d["decision_on"],
            by=principal_for(request).worker,
            expected_version=form.expected_version(),
        ),
        title=_("Continue for the next period"),
        target=episode,
        done=_("The service continues for the next period."),
    )


@names_action(Action.PARTICIPATION_RECORD)
def participation_new(request, episode_id: int):
    episode = _episode(request, episode_id)
    form = forms.ParticipationForm(request.POST or None)
    principal = principal_for(request)
    back = reverse("workspace:client", args=[episode.client_id])
    return run_operation(
        request,
        form,
        lambda d: service_actions.record_participation(
            episode, d["day"], d["attended"], d["hours"], principal.worker, today=principal.today
        ),
        title=_("Record participation"),
        target=episode,
        done=_("The participation is recorded."),
        back=back,
    )


@names_action(Action.EPISODE_END)
def episode_end(request, episode_id: int):
    episode = _episode(request, episode_id)
    form = forms.EndEpisodeForm(request.POST or None, service=episode.service, record=episode)

    def operation(data):
        next_service = service_actions.end_episode(
            episode,
            data["ended_on"],
            data["end_reason"],
            by=principal_for(request).worker,
            expected_version=form.expected_version(),
        )
        if next_service:
            label = get_rules().label("service", next_service, request.LANGUAGE_CODE)
            messages.info(
                request,
                _(
                    "Next: %(service)s. Register the client as a job seeker and "
                    "make the activation plan, then decide on it."
                )
                % {"service": label},
            )
        return episode

    return run_operation(
        request,
        form,
        operation,
        title=_("End the service"),
        target=episode,
        done=_("The service episode is ended."),
    )


@names_action(Action.PERIOD_REPORT)
def period_report(request, episode_id: int):
    episode = _episode(request, episode_id)
    form = forms.PeriodForm(request.GET or None)
    report = None
    if form.is_valid():
        try:
            report = service_actions.unemployment_period_report(
                episode,
                form.cleaned_data["start"],
                form.cleaned_data["end"],
                form.cleaned_data["on_social_assistance"],
            )
        except RuleViolation as violation:
            _show_violations(form, [violation])
    audit_read(request, episode, Action.PERIOD_REPORT if report else Action.CLIENT_VIEW)
    label = get_rules().label("service", episode.service, request.LANGUAGE_CODE)
    return render(
        request,
        "workspace/period_report.html",
        {"episode": episode, "form": form, "report": report, "service": label},
        status=422 if form.errors else 200,
    )


# --- applications (A5, A6) ---


@names_action(Action.APPLICATION_RECORD)
def application_new(request, client_id: int):
    client = _client(request, client_id)
    form = forms.ApplicationForm(request.POST or None)
    return run_operation(
        request,
        form,
        lambda d: benefit_actions.record_application(
            client,
            d["benefit"],
            d["submitted_on"],
            d["urgent"],
            d["complete"],
            missing=d["missing"],
            by=principal_for(request).worker,
        ),
        title=_("Record an application"),
        target=client,
        done=_("The application is recorded with its expected decision date."),
    )


def _application(request, application_id: int) -> Application:
    return fetch(request, Application.objects.select_related("client"), application_id)


@names_action(Action.INFORMATION_REQUEST)
def information_request_new(request, application_id: int):
    application = _application(request, application_id)
    form = forms.InformationRequestForm(request.POST or None, record=application)
    return run_operation(
        request,
        form,
        lambda d: benefit_actions.request_information(
            application,
            d["requested_on"],
            d["what"],
            by=principal_for(request).worker,
            expected_version=form.expected_version(),
        ),
        title=_("Ask for further information"),
        target=application,
        done=_("The request is recorded with its answer date."),
    )


@names_action(Action.INFORMATION_ANSWER)
def information_answer(request, request_id: int):
    info = fetch(
        request, InformationRequest.objects.select_related("application__client"), request_id
    )
    form = forms.AnswerForm(request.POST or None, record=info)
    return run_operation(
        request,
        form,
        lambda d: benefit_actions.answer_information_request(
            info,
            d["answered_on"],
            answer=d["answer"],
            by=principal_for(request).worker,
            expected_version=form.expected_version(),
            on_behalf=form.on_behalf(),
        ),
        title=_("Record the answer"),
        target=info,
        done=_("The answer is recorded."),
    )


@names_action(Action.APPLICATION_DECIDE)
def application_decide(request, application_id: int):
    application = _application(request, application_id)
    form = forms.DecisionForm(request.POST or None, record=application)
    principal = principal_for(request)
    return run_operation(
        request,
        form,
        lambda d: benefit_actions.decide_application(
            application,
            principal.organisation,
            d["decided_on"],
            d["outcome"],
            d["granted_until"],
            d["mailed_on"],
            by=principal.worker,
            expected_version=form.expected_version(),
        ),
        title=_("Record the decision"),
        target=application,
        done=_("The decision is recorded with its appeal deadline."),
    )


# --- appeals: the review path the rule set gives each benefit ---


@names_action(Action.APPEAL_FILE)
def appeal_new(request, application_id: int):
    application = _application(request, application_id)
    form = forms.AppealForm(request.POST or None)
    return run_operation(
        request,
        form,
        lambda d: benefit_actions.file_appeal(
            application, d["filed_on"], by=principal_for(request).worker
        ),
        title=_("Record an appeal"),
        target=application,
        done=_("The appeal is recorded."),
    )


def _appeal(request, appeal_id: int) -> Appeal:
    return fetch(request, Appeal.objects.select_related("application__client"), appeal_id)


@names_action(Action.APPEAL_FORWARD)
def appeal_forward(request, appeal_id: int):
    appeal = _appeal(request, appeal_id)
    form = forms.AppealStepForm(request.POST or None, record=appeal)
    return run_operation(
        request,
        form,
        lambda d: benefit_actions.forward_appeal(
            appeal,
            d["on"],
            by=principal_for(request).worker,
            expected_version=form.expected_version(),
        ),
        title=_("Forward the appeal to the next stage"),
        target=appeal,
        done=_("The appeal is forwarded."),
    )


@names_action(Action.APPEAL_DECIDE)
def appeal_decide(request, appeal_id: int):
    appeal = _appeal(request, appeal_id)
    form = forms.AppealDecisionForm(request.POST or None, record=appeal)
    return run_operation(
        request,
        form,
        lambda d: benefit_actions.decide_appeal(
            appeal,
            d["decided_on"],
            d["outcome"],
            d["mailed_on"],
            corrected_outcome=d["corrected_outcome"],
            granted_until=d["granted_until"],
            by=principal_for(request).worker,
            expected_version=form.expected_version(),
        ),
        title=_("Record the appeal decision"),
        target=appeal,
        done=_("The appeal decision is recorded."),
    )


@names_action(Action.APPEAL_WITHDRAW)
def appeal_withdraw(request, appeal_id: int):
    appeal = _appeal(request, appeal_id)
    form = forms.AppealStepForm(request.POST or None, record=appeal)
    return run_operation(
        request,
        form,
        lambda d: benefit_actions.withdraw_appeal(
            appeal,
            d["on"],
            by=principal_for(request).worker,
            expected_version=form.expected_version(),
        ),
        title=_("Record that the appeal was withdrawn"),
        target=appeal,
        done=_("The appeal is recorded as withdrawn."),
    )


# --- documents and their files ---


@names_action(Action.DOCUMENT_RECORD)
def document_new(request, client_id: int):
    client = _client(request, client_id)
    principal = principal_for(request)
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    return run_operation(
        request,
        form,
        lambda d: evidence_actions.record_document(
            client,
            d["evidence_type"],
            d["received_on"],
            principal.organisation,
            issued_on=d["issued_on"],
            issued_by=d["issued_by"],
            valid_until=d["valid_until"],
            upload=d["file"],
            by=principal.worker,
        ),
        title=_("Record a document"),
        target=client,
        done=_("The document is recorded."),
    )


@names_action(Action.DOCUMENT_DOWNLOAD)
def document_file(request, document_id: int):
    """The file, only through the action table, written to the audit log, as an attachment
    of the type its content showed when it was uploaded."""
    document = fetch(request, Document.objects.select_related("client"), document_id)
    response = file_response(document)
    audit_done(request, document)
    return response


# --- the employment authority's statements for benefits ---


@names_action(Action.STATEMENT_GIVE)
def statement_new(request, client_id: int):
    client = _client(request, client_id)
    principal = principal_for(request)
    form = forms.StatementForm(request.POST or None)
    return run_operation(
        request,
        form,
        lambda d: benefit_actions.give_statement(
            client,
            principal.organisation,
            d["kind"],
            d["benefit"],
            d["given_on"],
            d["content"],
            by=principal.worker,
        ),
        title=_("Give a statement for a benefit"),
        target=client,
        done=_("The statement is recorded; it goes to the benefit's decider."),
    )


# --- requests between authorities (A2 step 3) ---


@names_action(Action.DATA_REQUEST_MAKE)
def data_request_new(request, client_id: int):
    client = _client(request, client_id)
    principal = principal_for(request)
    form = forms.DataRequestForm(request.POST or None, authority=principal.authority)
    return run_operation(
        request,
        form,
        lambda d: consent_actions.request_from_authority(
            client,
            principal.organisation,
            d["kind"],
            d["requested_on"],
            d["what"],
            by=principal.worker,
        ),
        title=_("Ask another authority for information"),
        target=client,
        done=_("The request is recorded with the day its answer is due."),
        intro=_(
            "The request needs the client's consent in force naming both authorities and the "
            "data asked for."
        ),
    )


@names_action(Action.DATA_REQUEST_ANSWER)
def data_request_answer(request, request_id: int):
    asked = fetch(request, DataRequest.objects.select_related("client"), request_id)
    form = forms.DataRequestAnswerForm(request.POST or None, record=asked)
    return run_operation(
        request,
        form,
        lambda d: consent_actions.answer_data_request(
            asked,
            d["answered_on"],
            d["answer"],
            by=principal_for(request).worker,
            expected_version=form.expected_version(),
        ),
        title=_("Record the answer"),
        target=asked,
        done=_("The answer is recorded."),
    )


# --- a consent that names one's authority: dispute it, attach its signed form ---


def _consent(request, consent_id: int) -> Consent:
    return fetch(request, Consent.objects.select_related("client"), consent_id)


@names_action(Action.CONSENT_DISPUTE)
def consent_dispute(request, consent_id: int):
    consent = _consent(request, consent_id)
    form = forms.DisputeForm(request.POST or None, record=consent)
    principal = principal_for(request)
    return run_operation(
        request,
        form,
        lambda d: consent_actions.dispute_consent(
            consent,
            principal.worker,
            d["reason"],
            principal.today,
            expected_version=form.expected_version(),
        ),
        title=_("Dispute the consent"),
        target=consent,
        done=_("The consent is disputed: it lets no one see anything until it is confirmed."),
        back=client_url(consent.client) + "#consents",
    )


@names_action(Action.CONSENT_ATTACH_FORM)
def consent_attach_form(request, consent_id: int):
    consent = _consent(request, consent_id)
    form = forms.SignedFormForm(request.POST or None, request.FILES or None, record=consent)
    principal = principal_for(request)
    return run_operation(
        request,
        form,
        lambda d: consent_actions.attach_signed_form(
            consent,
            d["signed_form"],
            principal.worker,
            principal.today,
            expected_version=form.expected_version(),
        ),
        title=_("Attach the signed consent form"),
        target=consent,
        done=_("The signed form is attached."),
        back=client_url(consent.client) + "#consents",
    )
