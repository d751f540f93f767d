"""The workers' pages about one client: the start page's list, the client page, the access
log, consents and emergency access.

Every link to an action on the client page is there only where the action table
permits that action to this worker on that record.
"""

from datetime import datetime, time
from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaveri.access import queries
from kaveri.access.actions import Action, permitted, rule_for
from kaveri.access.audit import record_access, record_list_access
from kaveri.access.decorators import (
    audit_done,
    audit_read,
    fetch,
    fetch_read,
    names_action,
)
from kaveri.access.emergency import (
    awaiting_review,
    open_emergency_access,
    reason_choices,
    review,
    review_overdue_since,
    reviews_emergencies,
)
from kaveri.access.filtering import FilteredRecords, filter_visible
from kaveri.access.principal import principal_for
from kaveri.access.queries import access_log_entry
from kaveri.access.relations import named_among
from kaveri.access.roles import Role
from kaveri.benefits.review import review_path, review_stage
from kaveri.casework.models import ClientRelationship
from kaveri.casework.position import current_step, facts_of, flow_of
from kaveri.consent.actions import record_consent, revoke_consent
from kaveri.consent.models import Consent
from kaveri.people.models import Client
from kaveri.rules.diagram import flow_svg
from kaveri.rules.registry import get_rules, registry, rules_for
from kaveri.rules.ruleset import current_language
from kaveri.rules.violations import RuleViolation, Violations
from kaveri.services.models import ServiceEpisode
from kaveri.transitions.models import StateChange
from kaveri.watch.checklist import (
    application_checklist,
    kela_granting_factors,
    plan_checklist,
    service_decision_basis,
)
from kaveri.watch.worklist import Filters, client_items, watch_kinds, worklist_page
from kaveri.workspace.forms import ConsentForm, EmergencyForm, RevocationForm

PAGE_SIZE = 50
EXPIRING_SHOWN = 50

CLIENT_ACTIONS = [
    Action.CASE_OPEN,
    Action.JOB_SEEKER_REGISTER,
    Action.PLAN_MAKE,
    Action.SERVICE_DECIDE,
    Action.APPLICATION_RECORD,
    Action.CONSENT_RECORD,
    Action.SITUATION_CHANGE_RECORD,
    Action.DATA_REQUEST_MAKE,
    Action.STATEMENT_GIVE,
    Action.DOCUMENT_RECORD,
    Action.CLIENT_ACCESS_LOG,
]
RELATIONSHIP_ACTIONS = [
    Action.WORKER_NAME,
    Action.ASSESSMENT_RECORD,
    Action.FEEDBACK_RECORD,
    Action.RELATIONSHIP_CLOSE,
]
PLAN_ACTIONS = [Action.PLAN_REVISE, Action.PLAN_APPROVAL_RECORD]
MEASURE_ACTIONS = [Action.MEASURE_ACKNOWLEDGE]
EPISODE_ACTIONS = [
    Action.PARTICIPATION_RECORD,
    Action.EPISODE_CONTINUE,
    Action.EPISODE_END,
    Action.PERIOD_REPORT,
]
APPLICATION_ACTIONS = [Action.INFORMATION_REQUEST, Action.APPLICATION_DECIDE]
DECISION_ACTIONS = [Action.APPEAL_FILE]
APPEAL_ACTIONS = [Action.APPEAL_FORWARD, Action.APPEAL_DECIDE, Action.APPEAL_WITHDRAW]
SIGNAL_ACTIONS = [Action.SIGNAL_ACKNOWLEDGE, Action.SIGNAL_SNOOZE]
NO_NEXT_STEP = "SERVICE_ENDED_NO_NEXT_STEP"
REQUEST_ACTIONS = [Action.INFORMATION_ANSWER]
CONSENT_ACTIONS = [
    Action.CONSENT_REVOKE,
    Action.CONSENT_DISPUTE,
    Action.CONSENT_ATTACH_FORM,
    Action.CONSENT_FORM_VIEW,
]


def checklist_rows(items, record, language: str) -> list[dict]:
    """A checklist in words: each item, its state and who delivers it to whom."""
    rules = rules_for(record)
    return [
        {
            "label": rules.label("evidence", item.evidence, language),
            "status": item.status,
            "document": item.document,
            "needed_by": item.needed_by,
            "client_delivers": item.client_delivers,
            "from": ", ".join(rules.label("authority", a, language) for a in item.delivered_by),
            "to": rules.label("authority", item.delivered_to, language),
        }
        for item in items
    ]


def basis_rows(basis, record) -> dict:
    """What a service decision rests on, in words: who decides, and each kind of evidence
    with the document on file, if any."""
    language = current_language()
    rules = rules_for(record)
    authority = record.decided_by.authority if record.decided_by_id else ""
    return {
        "authority": rules.label("authority", authority, language) if authority else "",
        "items": [
            (rules.label("evidence", b.evidence, language), b.document, b.expired) for b in basis
        ],
    }


def labelled(kind: str, code: str, language: str, record=None) -> str:
    if not code:
        return ""
    if getattr(record, "ruleset_version", ""):
        return rules_for(record).label(kind, code, language)
    return registry().label(kind, code, language)


def clients_of(principal):
    """The clients a worker's start page lists: the organisation's, or an instructor's own."""
    if principal.role == Role.ACTIVITY_INSTRUCTOR:
        return (
            ServiceEpisode.objects.current_on(principal.today)
            .placed_with(principal.worker)
            .clients()
        )
    return ClientRelationship.objects.clients_served_by(principal.organisation)


def reviews_waiting(principal) -> dict | None:
    """For a reviewer: how many emergency accesses wait for their review, how many overdue."""
    if not reviews_emergencies(principal.worker):
        return None
    waiting = awaiting_review(principal.worker)
    overdue = waiting.filter(started_at__lt=review_overdue_since(principal.today))
    return {"count": waiting.count(), "overdue": overdue.count()}


def consents_to_notice(principal) -> list[Consent]:
    """Consents recorded lately by another organisation that name the worker's authority,
    for the clients the worker's organisation serves: seen at once, and disputable."""
    since = get_rules().data.consent_rules.new_consent_notice.before(principal.today)
    start = timezone.make_aware(datetime.combine(since, time.min))
    served = ClientRelationship.objects.open().held_by(principal.organisation)
    return list(
        Consent.objects.recorded_since(start)
        .filter(client_id__in=served.values("client_id"), state=Consent.State.GIVEN)
        .naming(principal.authority)
        .exclude(recorded_by__organisation=principal.organisation)
        .select_related("client", "recorded_by__user", "recorded_by__organisation")
        .order_by("-recorded_at")[:EXPIRING_SHOWN]
    )


@names_action(Action.WORKSPACE_CLIENTS)
def client_list(request):
    """The start page: a caseworker's worklist of their own clients; the organisation's
    whole list one click further (`?all=1`); an instructor's placements."""
    principal = principal_for(request)
    if principal.role == Role.ACTIVITY_INSTRUCTOR or request.GET.get("all"):
        return organisation_clients(request, principal)
    return my_worklist(request, principal)


def worklist_filters(request, rules) -> Filters:
    return Filters.checked(
        rules,
        request.GET.get("kind", ""),
        request.GET.get("authority", ""),
        request.GET.get("within", ""),
    )


def my_worklist(request, principal):
    rules = get_rules()
    language = current_language()
    filters = worklist_filters(request, rules)
    page = worklist_page(principal, filters, request.GET.get("page"), PAGE_SIZE)
    named_among(principal, [i.client for i in page.object_list])
    for item in page.object_list:
        if item.signal:
            item.may = permitted(principal, item.row, SIGNAL_ACTIONS)
    new_consents = consents_to_notice(principal)
    shown = {i.client.pk: i.client for i in page.object_list} | {
        c.client.pk: c.client for c in new_consents
    }
    record_list_access(request, Action.WORKSPACE_CLIENTS, shown.values())
    return render(
        request,
        "workspace/worklist.html",
        {
            "page": page,
            "filters": filters,
            "kinds": watch_kinds(rules, language),
            "authorities": rules.choices("authority", language),
            "query": query_without_page(request),
            "new_consents": [
                (rules.label("consent_purpose", c.purpose, language), c) for c in new_consents
            ],
            "reviews": reviews_waiting(principal),
            "horizon": rules.data.watch.coming_within,
            "team": rule_for(Action.TEAM_VIEW).permits_role(principal),
            "calendar": rule_for(Action.CALENDAR_LINK_MANAGE).permits_role(principal),
        },
    )


def query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def organisation_clients(request, principal):
    clients = clients_of(principal).order_by("last_name", "first_names", "pk")
    page = Paginator(clients, PAGE_SIZE).get_page(request.GET.get("page"))
    expiring = []
    if principal.role != Role.ACTIVITY_INSTRUCTOR:
        horizon = get_rules().data.consent_rules.expiry_warning.after(principal.today)
        expiring = list(
            Consent.objects.filter(client__in=clients_of(principal)).expiring(
                principal.authority, principal.today, horizon
            )[:EXPIRING_SHOWN]
        )
    shown = {c.pk: c for c in [*page.object_list, *(e.client for e in expiring)]}
    record_list_access(request, Action.WORKSPACE_CLIENTS, shown.values())
    rules = get_rules()
    language = current_language()
    return render(
        request,
        "workspace/client_list.html",
        {
            "page": page,
            "instructor": principal.role == Role.ACTIVITY_INSTRUCTOR,
            "expiring": [
                (rules.label("consent_purpose", c.purpose, language), c) for c in expiring
            ],
            "reviews": None,
        },
    )


@names_action(Action.CLIENT_VIEW)
def client_detail(request, client_id: int):
    client = Client.objects.filter(pk=client_id).first()
    principal = principal_for(request)
    if client is None or not rule_for(Action.CLIENT_VIEW).permits(principal, client):
        if client is not None:
            record_access(request, Action.CLIENT_VIEW, client, allowed=False)
        return not_found_or_hidden(request, client_id)
    if principal.role == Role.ACTIVITY_INSTRUCTOR:
        return _instructor_view(request, client, principal)
    records = filter_visible(request, client, client_sections(client))
    records.audit(request, client)
    return render(
        request, "workspace/client_detail.html", _detail_context(request, client, records)
    )


def not_found_or_hidden(request, client_id: int):
    """A client one may not see answers as a missing one does: the same status, the same page,
    no name, so that ids cannot be counted. The attempt on an existing one is audited."""
    may_break_glass = rule_for(Action.EMERGENCY_OPEN).permits_role(principal_for(request))
    return render(
        request,
        "workspace/no_access.html",
        {"client_id": client_id, "may_break_glass": may_break_glass},
        status=404,
    )


def client_sections(client) -> dict[str, list]:
    """Everything on the client page, each kind of record in one query."""
    return {
        "relationships": list(
            client.relationships.select_related("organisation").prefetch_related(
                "named_workers__worker__user"
            )
        ),
        "assessments": list(client.assessments.select_related("organisation")),
        "plans": list(
            client.plans.current()
            .select_related("relationship__organisation")
            .prefetch_related("parties", "measures")
        ),
        "episodes": list(client.service_episodes.select_related("provider", "decided_by")),
        "applications": list(
            client.applications.select_related("deciding_organisation").prefetch_related(
                "information_requests", "appeals"
            )
        ),
        "documents": list(client.documents.select_related("received_by")),
        "consents": list(
            client.consents.select_related("recorded_by__user", "recorded_by__organisation")
        ),
        "data_requests": list(client.data_requests.select_related("requested_by")),
        "employment_statements": list(client.employment_statements.select_related("given_by")),
        "situation_changes": list(
            client.situation_changes.select_related(
                "recorded_by__user", "recorded_by__organisation"
            )
        ),
    }


def consent_reads(records: FilteredRecords, category_label) -> dict[int, list[str]]:
    """Consent id -> the data categories this page shows under it."""
    shown: dict[int, list[str]] = {}
    for category, basis in sorted(records.reads):
        if basis.startswith("consent:"):
            shown.setdefault(int(basis.split(":")[1]), []).append(category_label(category))
    return shown


def _detail_context(request, client, records: FilteredRecords) -> dict:
    language = current_language()
    principal = principal_for(request)

    def label(kind, code, record=None):
        """A code in words, from the rule set the record was made under where it has one."""
        return labelled(kind, code, language, record)

    def may(record, actions):
        return permitted(principal, record, actions)

    visible = records.visible
    may_see = records.may_see
    bases_of_consent = consent_reads(records, lambda code: label("data_category", code))
    attention = client_items(principal, client)
    for item in attention:
        if item.signal and item.row.pk:
            item.may = may(item.row, SIGNAL_ACTIONS)
    return {
        "client": client,
        "can": may(client, CLIENT_ACTIONS),
        "read_without_form": [
            (c, bases_of_consent[c.pk])
            for c in visible["consents"]
            if c.pk in bases_of_consent and c.recorded_without_form
        ],
        "withheld": {k: sorted(v.items()) for k, v in records.withheld.items() if v},
        "relationships": [
            {
                "obj": r,
                "kind": label("relationship_kind", r.kind, r),
                "closure": label("closure_reason", r.closure_reason, r),
                "workers": [
                    (label("worker_role", n.role, r), n.worker)
                    for n in r.named_workers.all()
                    if n.to_date is None
                ],
                "may": may(r, RELATIONSHIP_ACTIONS) if r.closed_on is None else frozenset(),
            }
            for r in visible["relationships"]
        ],
        "assessments": visible["assessments"],
        "plans": [
            {
                "label": label("plan", p.plan_type, p),
                "obj": p,
                "may": may(p, PLAN_ACTIONS),
                "measures": [(m, may(m, MEASURE_ACTIONS)) for m in p.measures.all()],
                "evidence": checklist_rows(
                    plan_checklist(p, visible["documents"], principal.today, may_see), p, language
                ),
            }
            for p in visible["plans"]
        ],
        "episodes": [
            (
                label("service", e.service, e),
                e,
                may(e, EPISODE_ACTIONS),
                basis_rows(service_decision_basis(e, visible["documents"], principal.today), e),
            )
            for e in visible["episodes"]
        ],
        "applications": [
            {
                "label": label("benefit", a.benefit, a),
                "obj": a,
                "may": may(a, APPLICATION_ACTIONS if a.decided_on is None else DECISION_ACTIONS),
                "requests": [(r, may(r, REQUEST_ACTIONS)) for r in a.information_requests.all()],
                "waits_for": [r for r in a.information_requests.all() if r.answered_on is None],
                "review": review_path(a, language),
                "evidence": checklist_rows(
                    application_checklist(a, visible["documents"], principal.today, may_see),
                    a,
                    language,
                ),
                "factors": [label("evidence", code, a) for code in kela_granting_factors(a)],
                "appeals": [
                    (x, review_stage(a, x.stage, language), may(x, APPEAL_ACTIONS))
                    for x in a.appeals.all()
                ],
            }
            for a in visible["applications"]
        ],
        "documents": [
            (label("evidence", d.evidence_type), d, may(d, [Action.DOCUMENT_DOWNLOAD]))
            for d in visible["documents"]
        ],
        "statements": [
            (
                label("employment_statement", st.kind, st),
                label("benefit", st.benefit, st),
                label("authority", st.goes_to, st),
                st,
            )
            for st in visible["employment_statements"]
        ],
        "data_requests": [
            (
                label("authority_request", r.kind, r),
                label("authority", r.to_authority, r),
                r,
                may(r, [Action.DATA_REQUEST_ANSWER]) if r.answered_on is None else frozenset(),
            )
            for r in visible["data_requests"]
        ],
        "consents": [
            (
                label("consent_purpose", c.purpose),
                c,
                ", ".join(label("authority", a) for a in c.authorities),
                ", ".join(label("data_category", k) for k in c.data_categories),
                may(c, CONSENT_ACTIONS) if c.revoked_at is None else frozenset(),
                bases_of_consent.get(c.pk, ()),
            )
            for c in visible["consents"]
        ],
        "today": principal.today,
        "timeline": timeline(visible, label, client_acts(client, visible)),
        "situation_changes": [
            (label("situation_change", c.kind, c), c, label("contact_channel", c.channel, c))
            for c in visible["situation_changes"]
        ],
        "attention": attention,
        "positions": positions(client, visible, principal.today, attention),
    }


def _instructor_view(request, client, principal):
    """An activity instructor sees the participation of clients placed with them, nothing else."""
    episodes = (
        client.service_episodes.placed_with(principal.worker)
        .current_on(principal.today)
        .prefetch_related("participation")
    )
    audit_read(request, client)
    rules = get_rules()
    language = current_language()
    return render(
        request,
        "workspace/client_placement.html",
        {
            "client": client,
            "episodes": [
                (
                    rules.label("service", e.service, language),
                    e,
                    permitted(principal, e, EPISODE_ACTIONS),
                )
                for e in episodes
            ],
        },
    )


@names_action(Action.CLIENT_ACCESS_LOG)
def client_access_log(request, client_id: int):
    client = fetch_read(request, Client.objects, client_id)
    entries = [access_log_entry(e) for e in queries.client_access_log(client)]
    return render(request, "workspace/access_log.html", {"client": client, "entries": entries})


def _show(form, violations) -> None:
    for violation in violations:
        form.add_error(
            violation.field if violation.field in form.fields else None, violation.message
        )


@names_action(Action.CONSENT_RECORD)
def consent_new(request, client_id: int):
    client = fetch(request, Client.objects, client_id)
    principal = principal_for(request)
    authority = principal.authority
    form = ConsentForm(
        request.POST or None,
        request.FILES or None,
        recorder_authority=authority,
        today=principal.today,
        initial={"valid_from": principal.today, "authorities": [authority]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            consent = record_consent(
                client,
                form.as_input(),
                principal.worker,
                principal.today,
                form.cleaned_data.get("signed_form"),
            )
        except Violations as found:
            _show(form, found.violations)
        else:
            audit_done(request, consent)
            messages.success(request, _consent_recorded_message(consent))
            return redirect(reverse("workspace:client", args=[client.pk]) + "#consents")
    audit_read(request, client)
    return render(
        request,
        "workspace/consent_form.html",
        {"client": client, "form": form},
        status=422 if form.errors else 200,
    )


def _consent_recorded_message(consent) -> str:
    if consent.recorded_without_form:
        return _(
            "The consent is recorded. Until you attach the signed form, it is shown as "
            "recorded by a worker without a signed form wherever it lets someone see data."
        )
    return _("The consent is recorded with its signed form and is in force.")


@names_action(Action.CONSENT_FORM_VIEW)
def consent_signed_form(request, client_id: int, consent_id: int):
    """The signed form, served only through the action table and written to the audit log."""
    consent = fetch(
        request, Consent.objects.select_related("client").filter(client_id=client_id), consent_id
    )
    if not consent.signed_form:
        messages.info(request, _("No signed form is attached to this consent."))
        return redirect(reverse("workspace:client", args=[client_id]) + "#consents")
    audit_done(request, consent)
    return FileResponse(
        consent.signed_form.open("rb"),
        as_attachment=True,
        filename=f"consent-{consent.pk}{Path(consent.signed_form.name).suffix}",
    )


@names_action(Action.CONSENT_REVOKE)
def consent_revoke(request, client_id: int, consent_id: int):
    """Revoking asks for the reason and a confirmation; a GET shows the question."""
    consent = fetch(
        request, Consent.objects.select_related("client").filter(client_id=client_id), consent_id
    )
    form = RevocationForm(request.POST or None, record=consent)
    principal = principal_for(request)
    if request.method == "POST" and form.is_valid():
        try:
            revoke_consent(
                consent,
                principal.worker,
                form.cleaned_data["reason"],
                principal.today,
                expected_version=form.expected_version(),
                on_behalf=form.on_behalf(),
            )
        except Violations as found:
            _show(form, found.violations)
        except RuleViolation as violation:
            _show(form, [violation])
        else:
            audit_done(request, consent)
            messages.success(
                request, _("The consent is revoked from today; it no longer permits access.")
            )
            return redirect(reverse("workspace:client", args=[client_id]) + "#consents")
    audit_read(request, consent)
    rules = get_rules()
    language = current_language()
    return render(
        request,
        "workspace/consent_revoke.html",
        {
            "client": consent.client,
            "consent": consent,
            "purpose": rules.label("consent_purpose", consent.purpose, language),
            "categories": ", ".join(
                rules.label("data_category", c, language) for c in consent.data_categories
            ),
            "authorities": ", ".join(
                rules.label("authority", a, language) for a in consent.authorities
            ),
            "form": form,
        },
        status=422 if form.errors else 200,
    )


@names_action(Action.EMERGENCY_OPEN)
def emergency_open(request, client_id: int):
    """The form names no client (an id one may not see answers as a missing one does); the
    worker came here from an identity-code search or a link and knows whom they open."""
    form = EmergencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = Client.objects.filter(pk=client_id).first()
        if client is None:
            return not_found_or_hidden(request, client_id)
        try:
            access = open_emergency_access(
                principal_for(request).worker,
                client,
                form.cleaned_data["reason_category"],
                form.cleaned_data["reason"],
            )
        except Violations as found:
            _show(form, found.violations)
        except RuleViolation as violation:
            _show(form, [violation])
        else:
            record_access(request, Action.EMERGENCY_OPEN, client, basis=f"emergency:{access.pk}")
            messages.warning(
                request,
                _(
                    "Emergency access is open until %(time)s. Every read is "
                    "logged and your supervisor will review it."
                )
                % {"time": timezone.localtime(access.expires_at).strftime("%H:%M")},
            )
            return redirect("workspace:client", client.pk)
    return render(
        request,
        "workspace/emergency_form.html",
        {"form": form, "hours": get_rules().data.emergency_access.hours},
        status=422 if form.errors else 200,
    )


@names_action(Action.EMERGENCY_REVIEW)
def emergency_reviews(request):
    supervisor = principal_for(request).worker
    if request.method == "POST":
        access = get_object_or_404(awaiting_review(supervisor), pk=request.POST.get("access"))
        review(access, supervisor, request.POST.get("note", ""))
        record_access(
            request, Action.EMERGENCY_REVIEW, access.client, basis=f"emergency:{access.pk}"
        )
        messages.success(request, _("The emergency access is marked as reviewed."))
        return redirect("workspace:emergency_reviews")
    pending = list(awaiting_review(supervisor))
    record_list_access(
        request, Action.EMERGENCY_REVIEW, {a.client_id: a.client for a in pending}.values()
    )
    overdue_since = review_overdue_since(principal_for(request).today)
    labels = dict(reason_choices())
    return render(
        request,
        "workspace/emergency_reviews.html",
        {
            "pending": [
                (a, labels.get(a.reason_category, a.reason_category), a.started_at < overdue_since)
                for a in pending
            ],
            "due": get_rules().data.emergency_access.review_due,
        },
    )


def ended_with_no_next_step(attention: list, episodes: list) -> str:
    """The words of the watch's "service ended with no next step" on one of these episodes
    (the same query as the worklist's, for the same day), or "" where it does not hold."""
    ids = {e.pk for e in episodes}
    for item in attention:
        if item.signal and item.row.kind == NO_NEXT_STEP and item.row.source_id in ids:
            return item.text
    return ""


def positions(client, visible: dict, today, attention: list) -> list[dict]:
    """The client's place on the map of each pathway or process they are in, open ones first;
    a stalled one says so in the watch's words."""
    language = current_language()
    drawn = []
    registered = client.job_seeker_registrations.exists()
    typ_consent = any(c.purpose == "TYP_WORK" for c in visible["consents"])
    for relationship in sorted(visible["relationships"], key=lambda r: r.closed_on is not None):
        flow = flow_of(relationship)
        if flow is None:
            continue
        rules = rules_for(relationship)
        facts = facts_of(
            relationship, visible, registered=registered, typ_consent=typ_consent, today=today
        )
        step = current_step(flow, facts)
        drawn.append(
            {
                "label": flow.label.get(language),
                "code": flow.code,
                "step": flow.steps[step].label.get(language),
                "number": step + 1,
                "svg": flow_svg(rules, flow, language, highlight=step),
                "steps": [
                    {
                        "authority": rules.label("authority", s.authority, language),
                        "label": s.label.get(language),
                        "here": i == step,
                    }
                    for i, s in enumerate(flow.steps)
                ],
                "closed": relationship.closed_on is not None,
                "stalled": ended_with_no_next_step(attention, facts.episodes),
            }
        )
    return drawn


CLIENT_ACTS = {
    ("plans.Plan", "approve"): gettext_lazy("The client approved the plan"),
    ("plans.Measure", "start"): gettext_lazy("The client marked a measure started"),
    ("plans.Measure", "complete"): gettext_lazy("The client marked a measure done"),
    ("benefits.InformationRequest", "answer"): gettext_lazy(
        "The client answered a request for more information"
    ),
    ("benefits.Application", "withdraw"): gettext_lazy("The client withdrew an application"),
    ("consent.Consent", "confirm"): gettext_lazy("The client confirmed a disputed consent"),
    ("consent.Consent", "revoke"): gettext_lazy("The client revoked a consent"),
}


def client_acts(client, visible: dict) -> list:
    """The client's own acts on the records this page shows, in the portal or recorded on
    their behalf by a worker: one query over the log of state changes."""
    shown = {("plans.Plan", p.pk) for p in visible["plans"]}
    shown |= {("plans.Measure", m.pk) for p in visible["plans"] for m in p.measures.all()}
    shown |= {("benefits.Application", a.pk) for a in visible["applications"]}
    shown |= {
        ("benefits.InformationRequest", r.pk)
        for a in visible["applications"]
        for r in a.information_requests.all()
    }
    shown |= {("consent.Consent", c.pk) for c in visible["consents"]}
    by_client = Q(on_behalf_channel__gt="")
    if client.user_id:
        by_client |= Q(by_user_id=client.user_id)
    acts = StateChange.objects.filter(by_client, client=client).select_related(
        "by_worker__user", "by_worker__organisation"
    )
    return [
        a
        for a in acts
        if (a.entity, a.entity_id) in shown and (a.entity, a.transition) in CLIENT_ACTS
    ]


def done_by_or_for_client(what: str, worker, channel: str) -> str:
    """The client's act in words: in the portal, or recorded for them by a worker."""
    if worker is None:
        return _("%(what)s in the portal") % {"what": what}
    return _(
        "%(what)s; %(worker)s recorded it for the client (%(channel)s, the client confirmed it)"
    ) % {"what": what, "worker": worker, "channel": channel.lower()}


def client_act_text(act, label) -> str:
    return done_by_or_for_client(
        str(CLIENT_ACTS[(act.entity, act.transition)]),
        (act.by_worker or act.by_name) if act.on_behalf_channel else None,
        label("contact_channel", act.on_behalf_channel),
    )


def consent_text(consent, label) -> str:
    what = _("The client gave a consent: %(purpose)s") % {
        "purpose": label("consent_purpose", consent.purpose, consent)
    }
    return done_by_or_for_client(what, consent.recorded_by, consent.get_method_display())


def situation_change_text(change, label) -> str:
    what = _("The client reported a change: %(change)s from %(day)s") % {
        "change": label("situation_change", change.kind, change),
        "day": date_format(change.starts_on, "SHORT_DATE_FORMAT"),
    }
    return done_by_or_for_client(
        what, change.recorded_by, label("contact_channel", change.channel, change)
    )


def timeline(visible: dict, label, acts=()) -> list[tuple]:
    """(date, organisation or authority, what happened) across authorities, newest first:
    the client's own acts among them, said as recorded on their behalf where they were."""
    events = [
        (
            a.effective_on,
            a.by_worker.organisation if a.by_worker_id else "",
            client_act_text(a, label),
        )
        for a in acts
    ]
    events += [
        (
            c.valid_from,
            c.recorded_by.organisation if c.recorded_by_id else "",
            consent_text(c, label),
        )
        for c in visible["consents"]
    ]
    events += [
        (
            c.reported_on,
            c.recorded_by.organisation if c.recorded_by_id else "",
            situation_change_text(c, label),
        )
        for c in visible["situation_changes"]
    ]
    for c in visible["relationships"]:
        events.append(
            (
                c.opened_on,
                c.organisation,
                _("Relationship opened: %(kind)s")
                % {"kind": label("relationship_kind", c.kind, c)},
            )
        )
        if c.closed_on:
            events.append(
                (
                    c.closed_on,
                    c.organisation,
                    _("Relationship closed: %(reason)s")
                    % {"reason": label("closure_reason", c.closure_reason, c)},
                )
            )
    for a in visible["assessments"]:
        events.append(
            (
                a.assessed_on,
                a.organisation,
                _("Final assessment") if a.is_final else _("Service need assessment"),
            )
        )
    for p in visible["plans"]:
        events.append(
            (
                p.made_on,
                p.relationship.organisation if p.relationship else "",
                _("%(plan)s, version %(version)s")
                % {"plan": label("plan", p.plan_type, p), "version": p.version},
            )
        )
    for e in visible["episodes"]:
        events.append(
            (
                e.starts_on,
                e.decided_by,
                _("%(service)s began") % {"service": label("service", e.service, e)},
            )
        )
        if e.ended_on:
            events.append(
                (
                    e.ended_on,
                    e.decided_by,
                    _("%(service)s ended: %(reason)s")
                    % {
                        "service": label("service", e.service, e),
                        "reason": label("end_reason", e.end_reason, e),
                    },
                )
            )
    for a in visible["applications"]:
        events.append(
            (
                a.submitted_on,
                a.deciding_organisation or "",
                _("Application: %(benefit)s") % {"benefit": label("benefit", a.benefit, a)},
            )
        )
        if a.decided_on:
            events.append(
                (
                    a.decided_on,
                    a.deciding_organisation or "",
                    _("Decision: %(benefit)s, %(outcome)s")
                    % {
                        "benefit": label("benefit", a.benefit, a),
                        "outcome": a.get_outcome_display(),
                    },
                )
            )
    for d in visible["documents"]:
        events.append(
            (
                d.received_on,
                d.received_by or "",
                _("Received: %(document)s") % {"document": label("evidence", d.evidence_type)},
            )
        )
    return sorted(events, key=lambda event: event[0], reverse=True)
