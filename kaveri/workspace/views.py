from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaveri.access import queries
from kaveri.access.actions import Action, rule_for
from kaveri.access.audit import record_access, record_list_access
from kaveri.access.decorators import authorize_client, names_action
from kaveri.access.emergency import awaiting_review, open_emergency_access, reason_error, review
from kaveri.access.principal import principal_for
from kaveri.access.queries import access_log_entry
from kaveri.access.roles import Role
from kaveri.access.visibility import FilteredRecords, visibility_for
from kaveri.consent.actions import record_consent, revoke_consent
from kaveri.consent.forms import ConsentForm
from kaveri.consent.queries import expiring_consents
from kaveri.people.models import Client
from kaveri.rules.diagram import flow_svg
from kaveri.rules.loader import get_rules
from kaveri.workspace.position import CaseFacts, current_step, flow_of
from kaveri.workspace.queries import clients_served_by

PAGE_SIZE = 50
CLIENT_PAGE_ACTIONS = [
    Action.CASE_OPEN,
    Action.JOB_SEEKER_REGISTER,
    Action.PLAN_MAKE,
    Action.PLAN_REVISE,
    Action.PLAN_APPROVAL_RECORD,
    Action.SERVICE_DECIDE,
    Action.APPLICATION_RECORD,
    Action.APPLICATION_HANDLE,
]


@names_action(Action.WORKSPACE_CLIENTS)
def client_list(request):
    principal = principal_for(request)
    clients = clients_served_by(principal).order_by("last_name", "first_names", "pk")
    page = Paginator(clients, PAGE_SIZE).get_page(request.GET.get("page"))
    authority = principal.organisation.authority if principal.organisation else ""
    expiring = list(
        expiring_consents(clients_served_by(principal), authority, timezone.localdate())[:50]
    )
    shown = {c.pk: c for c in [*page.object_list, *(e.client for e in expiring)]}
    record_list_access(request, Action.WORKSPACE_CLIENTS, shown.values())
    rules = get_rules()
    language = get_language() or "fi"
    return render(
        request,
        "workspace/client_list.html",
        {
            "page": page,
            "expiring": [
                (rules.label("consent_purpose", c.purpose, language), c) for c in expiring
            ],
        },
    )


@names_action(Action.CLIENT_VIEW)
def client_detail(request, client_id: int):
    client = get_object_or_404(Client, pk=client_id)
    principal = principal_for(request)
    if not rule_for(Action.CLIENT_VIEW).permits(principal, client):
        record_access(request, Action.CLIENT_VIEW, client, allowed=False)
        may_break_glass = rule_for(Action.EMERGENCY_OPEN).permits_role(principal)
        return render(
            request,
            "workspace/no_access.html",
            {"client": client, "may_break_glass": may_break_glass},
            status=403,
        )
    if principal.role == Role.ACTIVITY_INSTRUCTOR:
        return _instructor_view(request, client, principal)
    records = FilteredRecords()
    visibility = visibility_for(request, client)
    for section, rows in client_sections(client).items():
        records.add(section, rows, visibility)
    records.audit(request, client)
    return render(
        request, "workspace/client_detail.html", _detail_context(request, client, records)
    )


def client_sections(client) -> dict[str, list]:
    return {
        "relationships": list(
            client.relationships.select_related("organisation").prefetch_related(
                "named_workers__worker__user"
            )
        ),
        "assessments": list(client.assessments.select_related("organisation")),
        "plans": list(
            client.plans.filter(is_current=True)
            .select_related("relationship__organisation")
            .prefetch_related("parties", "measures")
        ),
        "episodes": list(client.service_episodes.select_related("provider", "decided_by")),
        "applications": list(client.applications.select_related("deciding_organisation")),
        "documents": list(client.documents.select_related("received_by")),
        "consents": list(client.consents.all()),
    }


def _detail_context(request, client, records: FilteredRecords) -> dict:
    rules = get_rules()
    language = get_language() or "fi"

    def label(kind, code):
        return rules.label(kind, code, language) if code else ""

    visible = records.visible
    return {
        "client": client,
        "can_see_access_log": rule_for(Action.CLIENT_ACCESS_LOG).permits(
            principal_for(request), client
        ),
        "withheld": {k: sorted(v.items()) for k, v in records.withheld.items() if v},
        "relationships": [
            {
                "obj": r,
                "kind": label("relationship_kind", r.kind),
                "closure": label("closure_reason", r.closure_reason),
                "workers": [
                    (label("worker_role", n.role), n.worker)
                    for n in r.named_workers.all()
                    if n.to_date is None
                ],
            }
            for r in visible["relationships"]
        ],
        "assessments": visible["assessments"],
        "plans": [(label("plan", p.plan_type), p) for p in visible["plans"]],
        "episodes": [(label("service", e.service), e) for e in visible["episodes"]],
        "applications": [(label("benefit", a.benefit), a) for a in visible["applications"]],
        "documents": [(label("evidence", d.evidence_type), d) for d in visible["documents"]],
        "consents": [
            (
                label("consent_purpose", c.purpose),
                c,
                ", ".join(c.authorities),
                ", ".join(label("data_category", k) for k in c.data_categories),
            )
            for c in visible["consents"]
        ],
        "today": timezone.localdate(),
        "timeline": timeline(visible, label),
        "positions": positions(client, visible),
        "can_manage_consents": rule_for(Action.CONSENT_RECORD).permits(
            principal_for(request), client
        ),
        "can": {
            action.name: rule_for(action).permits(principal_for(request), client)
            for action in CLIENT_PAGE_ACTIONS
        },
    }


def _instructor_view(request, client, principal):
    """An activity instructor sees the participation of clients placed with them, nothing else."""
    episodes = client.service_episodes.filter(provider=principal.organisation).prefetch_related(
        "participation"
    )
    record_access(request, Action.CLIENT_VIEW, client, data_category="SERVICES", basis="placement")
    rules = get_rules()
    language = get_language() or "fi"
    return render(
        request,
        "workspace/client_placement.html",
        {
            "client": client,
            "episodes": [(rules.label("service", e.service, language), e) for e in episodes],
        },
    )


@names_action(Action.CLIENT_ACCESS_LOG)
def client_access_log(request, client_id: int):
    client = get_object_or_404(Client, pk=client_id)
    authorize_client(request, client)
    entries = [access_log_entry(e) for e in queries.client_access_log(client)]
    return render(request, "workspace/access_log.html", {"client": client, "entries": entries})


@names_action(Action.CONSENT_RECORD)
def consent_new(request, client_id: int):
    client = get_object_or_404(Client, pk=client_id)
    authorize_client(request, client)
    principal = principal_for(request)
    authority = principal.organisation.authority
    form = ConsentForm(
        request.POST or None,
        recorder_authority=authority,
        initial={"valid_from": timezone.localdate(), "authorities": [authority]},
    )
    if request.method == "POST" and form.is_valid():
        record_consent(client, form.as_input(), principal.worker)
        messages.success(request, _("The consent is recorded and in force."))
        return redirect(reverse("workspace:client", args=[client.pk]) + "#consents")
    return render(request, "workspace/consent_form.html", {"client": client, "form": form})


@require_POST
@names_action(Action.CONSENT_REVOKE)
def consent_revoke(request, client_id: int, consent_id: int):
    client = get_object_or_404(Client, pk=client_id)
    authorize_client(request, client)
    consent = get_object_or_404(client.consents, pk=consent_id)
    revoke_consent(consent, principal_for(request).worker)
    messages.success(request, _("The consent is revoked; it no longer permits access."))
    return redirect(reverse("workspace:client", args=[client.pk]) + "#consents")


@names_action(Action.EMERGENCY_OPEN)
def emergency_open(request, client_id: int):
    client = get_object_or_404(Client, pk=client_id)
    error = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        error = reason_error(reason)
        if not error:
            access = open_emergency_access(principal_for(request).worker, client, reason)
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
        {
            "client": client,
            "error": error,
            "hours": settings.KAVERI_EMERGENCY_ACCESS_HOURS,
            "reason": request.POST.get("reason", ""),
        },
        status=422 if error else 200,
    )


@names_action(Action.EMERGENCY_REVIEW)
def emergency_reviews(request):
    supervisor = principal_for(request).worker
    if request.method == "POST":
        access = get_object_or_404(awaiting_review(supervisor), pk=request.POST.get("access"))
        review(access, supervisor, request.POST.get("note", ""))
        messages.success(request, _("The emergency access is marked as reviewed."))
        return redirect("workspace:emergency_reviews")
    pending = list(awaiting_review(supervisor))
    record_list_access(
        request, Action.EMERGENCY_REVIEW, {a.client_id: a.client for a in pending}.values()
    )
    return render(request, "workspace/emergency_reviews.html", {"pending": pending})


def positions(client, visible: dict) -> list[dict]:
    """The client's place on the map of each pathway or process they are in, open ones first."""
    rules = get_rules()
    language = get_language() or "fi"
    drawn = []
    registered = client.job_seeker_registrations.exists()
    typ_consent = any(c.purpose == "TYP_WORK" for c in visible["consents"])
    for relationship in sorted(visible["relationships"], key=lambda r: r.closed_on is not None):
        flow = flow_of(rules, relationship)
        if flow is None:
            continue
        facts = CaseFacts(
            relationship=relationship,
            assessments=sum(a.relationship_id == relationship.pk for a in visible["assessments"]),
            registered=registered,
            plans=[p for p in visible["plans"] if p.relationship_id == relationship.pk],
            episodes=[e for e in visible["episodes"] if e.relationship_id == relationship.pk],
            named_workers=len(relationship.named_workers.all()),
            typ_consent=typ_consent,
        )
        step = current_step(flow, facts)
        drawn.append(
            {
                "label": flow.label.get(language),
                "code": flow.code,
                "step": flow.steps[step].label.get(language),
                "number": step + 1,
                "svg": flow_svg(rules, flow, language, highlight=step),
                "closed": relationship.closed_on is not None,
                "stalled": bool(facts.episodes) and not facts.active_episode and not facts.closed,
            }
        )
    return drawn


def timeline(visible: dict, label) -> list[tuple]:
    """(date, organisation or authority, what happened) across authorities, newest first."""
    events = []
    for c in visible["relationships"]:
        events.append(
            (
                c.opened_on,
                c.organisation,
                _("Relationship opened: %(kind)s") % {"kind": label("relationship_kind", c.kind)},
            )
        )
        if c.closed_on:
            events.append(
                (
                    c.closed_on,
                    c.organisation,
                    _("Relationship closed: %(reason)s")
                    % {"reason": label("closure_reason", c.closure_reason)},
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
                % {"plan": label("plan", p.plan_type), "version": p.version},
            )
        )
    for e in visible["episodes"]:
        events.append(
            (
                e.starts_on,
                e.decided_by,
                _("%(service)s began") % {"service": label("service", e.service)},
            )
        )
        if e.ended_on:
            events.append(
                (
                    e.ended_on,
                    e.decided_by,
                    _("%(service)s ended: %(reason)s")
                    % {
                        "service": label("service", e.service),
                        "reason": label("end_reason", e.end_reason),
                    },
                )
            )
    for a in visible["applications"]:
        events.append(
            (
                a.submitted_on,
                a.deciding_organisation or "",
                _("Application: %(benefit)s") % {"benefit": label("benefit", a.benefit)},
            )
        )
        if a.decided_on:
            events.append(
                (
                    a.decided_on,
                    a.deciding_organisation or "",
                    _("Decision: %(benefit)s, %(outcome)s")
                    % {"benefit": label("benefit", a.benefit), "outcome": a.get_outcome_display()},
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
