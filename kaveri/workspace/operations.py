"""The workers' casework pages: find a client, open a case and take it through the process.

Each page names its action; the operations and their rule checks live in the
apps' actions modules, and a rule violation comes back as an error on the form.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaveri.access.actions import Action
from kaveri.access.audit import record_list_access
from kaveri.access.decorators import authorized_record, names_action
from kaveri.access.principal import principal_for
from kaveri.access.security import looks_like_identity_code
from kaveri.benefits import actions as benefit_actions
from kaveri.benefits.models import Application, InformationRequest
from kaveri.casework import actions as casework
from kaveri.casework.actions import MeasureInput
from kaveri.casework.checks import RuleViolation
from kaveri.casework.models import ClientRelationship
from kaveri.people.models import Client
from kaveri.people.validators import normalise_hetu
from kaveri.plans import actions as plan_actions
from kaveri.plans.models import Measure, Plan
from kaveri.rules.loader import get_rules
from kaveri.services import actions as service_actions
from kaveri.services.models import ServiceEpisode
from kaveri.workspace import forms

SEARCH_LIMIT = 50


def authorized_client(request, client_id: int) -> Client:
    return authorized_record(request, Client.objects, client_id, client_path="")


def client_url(client) -> str:
    return reverse("workspace:client", args=[client.pk])


def run_operation(
    request,
    form,
    operation: Callable[[dict], object],
    *,
    title: str,
    client,
    done: str,
    back: str | None = None,
):
    """Validate the form, run the operation, and turn a rule violation into a form error."""
    if request.method == "POST" and form.is_valid():
        try:
            operation(form.cleaned_data)
        except RuleViolation as violation:
            field = violation.field if violation.field in form.fields else None
            form.add_error(field, violation.message)
        else:
            messages.success(request, done)
            return redirect(back or client_url(client))
    status = 422 if form.errors else 200
    return render(
        request,
        "workspace/operation_form.html",
        {"form": form, "title": title, "client": client, "back": back or client_url(client)},
        status=status,
    )


# --- finding and registering clients ---


@names_action(Action.CLIENT_SEARCH)
def search(request):
    form = forms.SearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = list(matching_clients(form.cleaned_data["query"])[:SEARCH_LIMIT])
        record_list_access(request, Action.CLIENT_SEARCH, results)
    return render(request, "workspace/search.html", {"form": form, "results": results})


def matching_clients(query: str):
    query = query.strip()
    if looks_like_identity_code(query):
        return Client.objects.filter(hetu=normalise_hetu(query))
    words = query.split()
    condition = Q()
    for word in words:
        condition &= Q(last_name__istartswith=word) | Q(first_names__icontains=word)
    return Client.objects.filter(condition).order_by("last_name", "first_names")


@names_action(Action.CLIENT_CREATE)
def client_new(request):
    form = forms.ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = form.save()
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


@names_action(Action.CASE_OPEN)
def open_case(request, client_id: int):
    client = authorized_client(request, client_id)
    organisation = principal_for(request).organisation
    form = forms.OpenCaseForm(request.POST or None, organisation=organisation)

    def operation(data):
        casework.open_case(
            client,
            organisation,
            data["occurred_on"],
            data["initiator"],
            data["channel"],
            data["kind"],
            _named_workers(data),
            pathway=data["pathway"],
            notes=data["notes"],
            recorded_by=principal_for(request).worker,
            typ_consent_method=data["consent_method"],
            typ_consent_until=data["consent_until"],
        )

    return run_operation(
        request,
        form,
        operation,
        title=_("Record a contact and open a case"),
        client=client,
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


def _own_relationship(request, relationship_id: int) -> ClientRelationship:
    relationship = authorized_record(request, ClientRelationship.objects, relationship_id)
    if relationship.organisation != principal_for(request).organisation:
        raise_not_own()
    return relationship


def raise_not_own():
    raise PermissionDenied(_("Only the organisation that holds the relationship can change it."))


@names_action(Action.ASSESSMENT_RECORD)
def assessment_new(request, relationship_id: int):
    relationship = _own_relationship(request, relationship_id)
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
        client=relationship.client,
        done=_("The assessment is recorded."),
    )


@names_action(Action.WORKER_NAME)
def name_worker(request, relationship_id: int):
    relationship = _own_relationship(request, relationship_id)
    form = forms.NameWorkerForm(request.POST or None, relationship=relationship)
    return run_operation(
        request,
        form,
        lambda d: casework.name_worker(relationship, d["role"], d["worker"], d["from_date"]),
        title=_("Name a worker"),
        client=relationship.client,
        done=_("The worker is named; the client sees the change on their page."),
    )


@names_action(Action.RELATIONSHIP_CLOSE)
def relationship_close(request, relationship_id: int):
    relationship = _own_relationship(request, relationship_id)
    form = forms.CloseRelationshipForm(request.POST or None, kind=relationship.kind)
    return run_operation(
        request,
        form,
        lambda d: casework.close_relationship(relationship, d["closed_on"], d["closure_reason"]),
        title=_("Close the client relationship"),
        client=relationship.client,
        done=_("The client relationship is closed."),
    )


@names_action(Action.FEEDBACK_RECORD)
def feedback(request, relationship_id: int):
    relationship = _own_relationship(request, relationship_id)
    form = forms.FeedbackForm(request.POST or None)
    return run_operation(
        request,
        form,
        lambda d: casework.offer_feedback(relationship, d["offered_on"], d["feedback"]),
        title=_("Feedback on the service"),
        client=relationship.client,
        done=_("The feedback offer is recorded."),
    )


@names_action(Action.JOB_SEEKER_REGISTER)
def registration_new(request, client_id: int):
    client = authorized_client(request, client_id)
    form = forms.RegistrationForm(request.POST or None)
    organisation = principal_for(request).organisation
    return run_operation(
        request,
        form,
        lambda d: casework.register_job_seeker(client, organisation, d["registered_on"]),
        title=_("Registration as an unemployed job seeker"),
        client=client,
        done=_("The registration is recorded."),
    )


# --- plans ---


def _measures(form) -> list[MeasureInput]:
    return [
        MeasureInput(code, form.responsible_authority(code))
        for code in form.cleaned_data["measures"]
    ]


@names_action(Action.PLAN_MAKE)
def plan_new(request, client_id: int):
    client = authorized_client(request, client_id)
    organisation = principal_for(request).organisation
    relationship = client.relationships.filter(
        organisation=organisation, closed_on__isnull=True
    ).first()
    process = get_rules().relationship_kinds[relationship.kind].process if relationship else ""
    form = forms.PlanForm(
        request.POST or None,
        initial={"parties": [organisation.pk]},
        own_authority=organisation.authority,
    )
    return run_operation(
        request,
        form,
        lambda d: plan_actions.make_plan(
            client,
            d["plan_type"],
            process_for(d["plan_type"], process),
            relationship,
            list(d["parties"]),
            d["made_on"],
            d["review_months"],
            _measures(form),
            principal_for(request).worker,
            d["summary"],
        ),
        title=_("Make a plan"),
        client=client,
        done=_("The plan is made and in force."),
    )


def process_for(plan_type: str, relationship_process: str | None) -> str:
    made_in = get_rules().plans[plan_type].made_in
    return relationship_process if relationship_process in made_in else made_in[0]


@names_action(Action.PLAN_REVISE)
def plan_revise(request, plan_id: int):
    plan = authorized_record(request, Plan.objects.filter(is_current=True), plan_id)
    form = forms.PlanForm(
        request.POST or None,
        revision=True,
        own_authority=principal_for(request).organisation.authority,
        initial={
            "review_months": int(plan.review_interval.rstrip("M")),
            "measures": [m.measure for m in plan.measures.all()],
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
        ),
        title=_("Review the plan"),
        client=plan.client,
        done=_("The plan is reviewed; the earlier version is kept."),
    )


@require_POST
@names_action(Action.PLAN_APPROVAL_RECORD)
def plan_approve(request, plan_id: int):
    plan = authorized_record(request, Plan.objects, plan_id)
    plan_actions.approve_plan(plan, timezone.localdate())
    messages.success(request, _("The client's approval is recorded."))
    return redirect(client_url(plan.client))


@require_POST
@names_action(Action.PLAN_APPROVAL_RECORD)
def measure_acknowledge(request, measure_id: int):
    measure = authorized_record(request, Measure.objects, measure_id, "plan__client")
    plan_actions.acknowledge_measure(
        measure, timezone.localdate(), request.POST.get("status") or None
    )
    messages.success(request, _("The client's acknowledgement is recorded."))
    return redirect(client_url(measure.plan.client))


# --- services ---


@names_action(Action.SERVICE_DECIDE)
def service_new(request, client_id: int):
    client = authorized_client(request, client_id)
    organisation = principal_for(request).organisation
    relationship = client.relationships.filter(
        organisation=organisation, closed_on__isnull=True
    ).first()
    form = forms.ServiceDecisionForm(request.POST or None)
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
        client=client,
        done=_("The decision is recorded."),
    )


def _episode(request, episode_id: int) -> ServiceEpisode:
    return authorized_record(request, ServiceEpisode.objects, episode_id)


@names_action(Action.SERVICE_DECIDE)
def episode_continue(request, episode_id: int):
    episode = _episode(request, episode_id)
    form = forms.ContinueForm(request.POST or None)
    return run_operation(
        request,
        form,
        lambda d: service_actions.continue_service(episode, d["decision_on"]),
        title=_("Continue for the next period"),
        client=episode.client,
        done=_("The service continues for the next period."),
    )


@names_action(Action.PARTICIPATION_RECORD)
def participation_new(request, episode_id: int):
    episode = _episode(request, episode_id)
    form = forms.ParticipationForm(request.POST or None)
    return run_operation(
        request,
        form,
        lambda d: service_actions.record_participation(
            episode, d["day"], d["attended"], d["hours"], principal_for(request).worker
        ),
        title=_("Record participation"),
        client=episode.client,
        done=_("The participation is recorded."),
    )


@names_action(Action.EPISODE_END)
def episode_end(request, episode_id: int):
    episode = _episode(request, episode_id)
    form = forms.EndEpisodeForm(request.POST or None, service=episode.service)

    def operation(data):
        next_service = service_actions.end_episode(episode, data["ended_on"], data["end_reason"])
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

    return run_operation(
        request,
        form,
        operation,
        title=_("End the service"),
        client=episode.client,
        done=_("The service episode is ended."),
    )


@names_action(Action.PERIOD_REPORT)
def period_report(request, episode_id: int):
    episode = _episode(request, episode_id)
    form = forms.PeriodForm(request.GET or None)
    report = None
    if form.is_valid():
        report = service_actions.unemployment_period_report(
            episode,
            form.cleaned_data["start"],
            form.cleaned_data["end"],
            form.cleaned_data["on_social_assistance"],
        )
    label = get_rules().label("service", episode.service, request.LANGUAGE_CODE)
    return render(
        request,
        "workspace/period_report.html",
        {"episode": episode, "form": form, "report": report, "service": label},
    )


# --- applications (A5, A6) ---


@names_action(Action.APPLICATION_RECORD)
def application_new(request, client_id: int):
    client = authorized_client(request, client_id)
    form = forms.ApplicationForm(request.POST or None)
    return run_operation(
        request,
        form,
        lambda d: benefit_actions.record_application(
            client, d["benefit"], d["submitted_on"], d["urgent"], d["complete"]
        ),
        title=_("Record an application"),
        client=client,
        done=_("The application is recorded with its expected decision date."),
    )


def _application(request, application_id: int) -> Application:
    return authorized_record(request, Application.objects, application_id)


@names_action(Action.APPLICATION_HANDLE)
def information_request_new(request, application_id: int):
    application = _application(request, application_id)
    form = forms.InformationRequestForm(request.POST or None)
    return run_operation(
        request,
        form,
        lambda d: benefit_actions.request_information(application, d["requested_on"], d["what"]),
        title=_("Ask for further information"),
        client=application.client,
        done=_("The request is recorded with its answer date."),
    )


@names_action(Action.APPLICATION_HANDLE)
def information_answer(request, request_id: int):
    info = authorized_record(request, InformationRequest.objects, request_id, "application__client")
    form = forms.AnswerForm(request.POST or None)
    return run_operation(
        request,
        form,
        lambda d: benefit_actions.answer_information_request(info, d["answered_on"]),
        title=_("Record the answer"),
        client=info.application.client,
        done=_("The answer is recorded."),
    )


@names_action(Action.APPLICATION_HANDLE)
def application_decide(request, application_id: int):
    application = _application(request, application_id)
    form = forms.DecisionForm(request.POST or None)
    organisation = principal_for(request).organisation
    return run_operation(
        request,
        form,
        lambda d: benefit_actions.decide_application(
            application, organisation, d["decided_on"], d["outcome"], d["granted_until"]
        ),
        title=_("Record the decision"),
        client=application.client,
        done=_("The decision is recorded."),
    )
