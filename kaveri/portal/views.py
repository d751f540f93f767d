from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import npgettext
from django.views.decorators.http import require_POST

from kaveri.access.actions import Action
from kaveri.access.buttons import one_button, posted_version
from kaveri.access.decorators import (
    audit_done,
    authorize,
    authorize_read,
    fetch,
    fetch_read,
    names_action,
)
from kaveri.access.principal import principal_for
from kaveri.access.queries import access_in_words, others_access_log
from kaveri.benefits.models import InformationRequest
from kaveri.benefits.observed import observed_for
from kaveri.benefits.review import review_path, review_stage
from kaveri.casework.actions import report_situation_change
from kaveri.casework.position import current_step, facts_of, flow_of
from kaveri.consent.actions import record_consent, revoke_consent
from kaveri.consent.models import Consent
from kaveri.plans.actions import acknowledge_measure, approve_plan
from kaveri.plans.models import Measure, Plan
from kaveri.portal.actions import answer_with_attachment
from kaveri.portal.forms import GiveConsentForm, ReportChangeForm
from kaveri.rules.registry import get_rules, rules_for
from kaveri.rules.ruleset import current_language
from kaveri.rules.violations import RuleViolation, Violations
from kaveri.watch.checklist import (
    EXPIRED,
    PRESENT,
    application_checklist,
    plan_checklist,
)
from kaveri.watch.explain import kind_label
from kaveri.watch.models import Deadline

ACCESS_LOG_SHOWN = 5
# A decision time of three weeks or more reads better in weeks.
WEEKS_FROM_DAYS = 21
ACCESS_LOG_PAGE = 200


@names_action(Action.PORTAL_OVERVIEW)
def overview(request):
    client = principal_for(request).client
    authorize_read(request, client)
    rules = get_rules()
    language = current_language()
    today = principal_for(request).today
    plans = list(client.plans.current())
    deliveries = _deliveries(client, plans, rules, language, today)
    answers = (
        InformationRequest.objects.of_client(client).unanswered().select_related("application")
    )
    applications = list(
        client.applications.select_related("deciding_organisation").prefetch_related(
            "information_requests", "appeals"
        )
    )
    observed = observed_for({a.benefit for a in applications})
    return render(
        request,
        "portal/overview.html",
        {
            "client": client,
            "answers": [
                (rules.label("benefit", r.application.benefit, language), r) for r in answers
            ],
            "approvals": [
                (rules_for(p).label("plan", p.plan_type, language), p)
                for p in plans
                if p.client_approved_on is None
            ],
            "access_log": [access_in_words(e) for e in others_access_log(client, ACCESS_LOG_SHOWN)],
            "workers": my_workers(client, today, rules, language),
            "pathways": my_pathways(client, plans, today, language),
            "deliveries": deliveries,
            "plans": [(rules.label("plan", p.plan_type, language), p) for p in plans],
            "applications": [
                {
                    "label": rules.label("benefit", a.benefit, language),
                    "obj": a,
                    "observed": observed_span(observed.get(a.benefit))
                    if not a.decided_on and not a.urgent
                    else "",
                    "waits_for": [r for r in a.information_requests.all() if not r.answered_on],
                    "review": review_path(a, language),
                    "late": bool(
                        a.expected_decision_on
                        and not a.decided_on
                        and a.expected_decision_on < today
                    ),
                    "decider": a.deciding_organisation
                    or rules_for(a).label(
                        "authority", rules_for(a).benefits[a.benefit].decided_by, language
                    ),
                    "appeals": [(x, review_stage(a, x.stage, language)) for x in a.appeals.all()],
                }
                for a in applications
            ],
        },
    )


def observed_span(row) -> str:
    """How long most (8 in 10) of the region's recent decisions of a kind took, in the
    words a client reads: "3 to 5 weeks", "10 to 16 days"; empty without enough of them.
    The context "decision time" lets Finnish say "within" (3–5 viikon kuluessa)."""
    if row is None:
        return ""
    low, high = row.p10_days, row.p90_days
    if high >= WEEKS_FROM_DAYS:
        low, high = max(round(low / 7), 1), max(round(high / 7), 1)
        if low == high:
            return npgettext("decision time", "%(n)s week", "%(n)s weeks", high) % {"n": high}
        words = npgettext(
            "decision time", "%(low)s to %(high)s week", "%(low)s to %(high)s weeks", high
        )
    elif low == high:
        return npgettext("decision time", "%(n)s day", "%(n)s days", high) % {"n": high}
    else:
        words = npgettext(
            "decision time", "%(low)s to %(high)s day", "%(low)s to %(high)s days", high
        )
    return words % {"low": low, "high": high}


def my_workers(client, today, rules, language: str) -> list[dict]:
    """Each named worker: how to reach them, and whom to contact while they are away."""
    found = []
    for relationship in client.relationships.open().select_related("organisation"):
        named = relationship.named_workers.current().select_related(
            "worker__user", "worker__deputy__user"
        )
        for n in named:
            worker = n.worker
            deputy = worker.deputy
            found.append(
                {
                    "role": rules.label("worker_role", n.role, language),
                    "worker": worker,
                    "organisation": relationship.organisation,
                    "authority": rules.label(
                        "authority", relationship.organisation.authority, language
                    ),
                    "away": worker.away_on(today),
                    "deputy": deputy if deputy and not deputy.away_on(today) else None,
                }
            )
    return found


def my_pathways(client, plans, today, language: str) -> list[dict]:
    """Where the client is on the map of each open relationship's pathway or process, what
    comes next, and the next date the rules set for it."""
    records = {
        "assessments": list(client.assessments.all()),
        "plans": plans,
        "episodes": list(client.service_episodes.all()),
    }
    registered = client.job_seeker_registrations.exists()
    typ_consent = client.consents.filter(purpose="TYP_WORK").exists()
    drawn = []
    for relationship in client.relationships.open().select_related("organisation"):
        flow = flow_of(relationship)
        if flow is None:
            continue
        facts = facts_of(
            relationship, records, registered=registered, typ_consent=typ_consent, today=today
        )
        step = current_step(flow, facts)
        upcoming = (
            Deadline.objects.filter(client=client, relationship=relationship, due_on__gte=today)
            .order_by("due_on")
            .first()
        )
        drawn.append(
            {
                "label": flow.label.get(language),
                "organisation": relationship.organisation,
                "steps": [(s.label.get(language), i == step) for i, s in enumerate(flow.steps)],
                "now": flow.steps[step].label.get(language),
                "next": flow.steps[step + 1].label.get(language)
                if step + 1 < len(flow.steps)
                else "",
                "upcoming": (kind_label(upcoming, language), upcoming.due_on) if upcoming else None,
            }
        )
    return drawn


def _deliveries(client, plans, rules, language: str, today) -> list[dict]:
    """What the client must deliver and to whom: the missing or expired items of the
    checklists of their pending applications and current plans (SERVICE-MODEL section 6)."""
    documents = list(client.documents.all())
    items = []
    for application in client.applications.exclude(status="WITHDRAWN"):
        if application.status == "DECIDED" and not application.granted_from:
            continue
        items += application_checklist(application, documents, today)
    for plan in plans:
        items += plan_checklist(plan, documents, today)
    wanted = {}
    for item in items:
        if item.client_delivers and item.status != PRESENT:
            wanted.setdefault((item.evidence, item.delivered_to), item)
    return [
        {
            "what": rules.label("evidence", item.evidence, language),
            "to": rules.label("authority", item.delivered_to, language),
            "by": item.needed_by,
            "expired": item.status == EXPIRED,
        }
        for item in wanted.values()
    ]


# --- acting in the portal ---


@names_action(Action.PORTAL_PLAN)
def plan(request, plan_id: int):
    """One plan: its measures to approve and acknowledge, and its earlier versions."""
    shown = fetch_read(
        request, Plan.objects.select_related("client", "relationship__organisation"), plan_id
    )
    rules = rules_for(shown)
    language = current_language()
    versions = Plan.objects.filter(client=shown.client, series=shown.series).order_by("-version")
    return render(
        request,
        "portal/plan.html",
        {
            "plan": shown,
            "label": rules.label("plan", shown.plan_type, language),
            "measures": [
                (
                    rules.label("measure", m.measure, language),
                    rules.label("authority", m.responsible_authority, language),
                    m,
                )
                for m in shown.measures.all()
            ],
            "versions": [v for v in versions if v.pk != shown.pk],
            "today": principal_for(request).today,
        },
    )


@require_POST
@names_action(Action.PORTAL_PLAN_APPROVE)
def plan_approve(request, plan_id: int):
    approved = fetch(request, Plan.objects.select_related("client"), plan_id)
    return one_button(
        request,
        lambda: approve_plan(
            approved,
            principal_for(request).today,
            by=request.user,
            expected_version=posted_version(request),
        ),
        _("Thank you. Your plan is approved; your workers see it."),
        reverse("portal_plan", args=[approved.pk]),
    )


@require_POST
@names_action(Action.PORTAL_MEASURE_ACKNOWLEDGE)
def measure_acknowledge(request, measure_id: int):
    measure = fetch(request, Measure.objects.select_related("plan__client"), measure_id)
    return one_button(
        request,
        lambda: acknowledge_measure(
            measure,
            principal_for(request).today,
            request.POST.get("status") or None,
            by=request.user,
            expected_version=posted_version(request),
        ),
        _("Thank you. Your workers see that you have marked the progress."),
        reverse("portal_plan", args=[measure.plan_id]),
    )


def _consent_in_words(consent, rules, language: str, today) -> dict:
    return {
        "obj": consent,
        "purpose": rules.label("consent_purpose", consent.purpose, language),
        "authorities": [rules.label("authority", a, language) for a in consent.authorities],
        "categories": [rules.label("data_category", c, language) for c in consent.data_categories],
        "in_force": consent.state == Consent.State.GIVEN
        and (consent.valid_until is None or consent.valid_until >= today),
    }


def _consents_page(request, client, form, status=200):
    rules = get_rules()
    today = principal_for(request).today
    language = current_language()
    return render(
        request,
        "portal/consents.html",
        {
            "consents": [
                _consent_in_words(c, rules, language, today)
                for c in client.consents.order_by("-valid_from", "-pk")
            ],
            "form": form,
        },
        status=status,
    )


@names_action(Action.PORTAL_CONSENTS)
def consents(request):
    client = principal_for(request).client
    authorize_read(request, client)
    return _consents_page(request, client, GiveConsentForm(today=principal_for(request).today))


@require_POST
@names_action(Action.PORTAL_CONSENT_GIVE)
def consent_give(request):
    principal = principal_for(request)
    client = principal.client
    authorize(request, client)
    form = GiveConsentForm(request.POST, today=principal.today)
    if form.is_valid():
        try:
            consent = record_consent(client, form.as_input(), None, principal.today)
        except Violations as found:
            for violation in found.violations:
                form.add_error(None, violation.message)
        else:
            audit_done(request, consent)
            messages.success(request, _("Thank you. Your consent is in force from today."))
            return redirect("portal_consents")
    return _consents_page(request, client, form, status=422)


@require_POST
@names_action(Action.PORTAL_CONSENT_REVOKE)
def consent_revoke(request, consent_id: int):
    consent = fetch(request, Consent.objects.select_related("client"), consent_id)
    reason = request.POST.get("reason", "").strip() or _("Revoked by the client in the portal.")
    return one_button(
        request,
        lambda: revoke_consent(
            consent,
            request.user,
            reason,
            principal_for(request).today,
            expected_version=posted_version(request),
        ),
        _("Your consent is revoked. From now on it lets no one see your data."),
        reverse("portal_consents"),
    )


@names_action(Action.PORTAL_ACCESS_LOG)
def access_log(request):
    client = principal_for(request).client
    authorize_read(request, client)
    return render(
        request,
        "portal/access_log.html",
        {"entries": [access_in_words(e) for e in others_access_log(client, ACCESS_LOG_PAGE)]},
    )


@names_action(Action.PORTAL_SITUATION_CHANGE)
def report_change(request):
    """The client tells all their workers at once that their situation changes."""
    principal = principal_for(request)
    client = principal.client
    if request.method != "POST":
        authorize_read(request, client)
        return _change_page(request, client, ReportChangeForm())
    authorize(request, client)
    form = ReportChangeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            change = report_situation_change(
                client,
                data["kind"],
                data["starts_on"],
                data["details"],
                principal.today,
                by=request.user,
            )
        except RuleViolation as problem:
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            audit_done(request, change)
            messages.success(request, _("Thank you. Your workers see the change on their pages."))
            return redirect("portal")
    return _change_page(request, client, form, status=422)


def _change_page(request, client, form, status=200):
    rules = get_rules()
    language = current_language()
    return render(
        request,
        "portal/report_change.html",
        {
            "form": form,
            "reported": [
                (rules_for(c).label("situation_change", c.kind, language), c)
                for c in client.situation_changes.all()[:10]
            ],
            "told": [
                rules.label("authority", a, language)
                for a in sorted(
                    set(
                        client.relationships.open().values_list(
                            "organisation__authority", flat=True
                        )
                    )
                )
            ],
        },
        status=status,
    )


@names_action(Action.PORTAL_INFORMATION_ANSWER)
def information_answer(request, request_id: int):
    """A request for more information on one's application: answer in words, with a file."""
    asked = InformationRequest.objects.select_related("application__client")
    if request.method != "POST":
        wanted = fetch_read(request, asked, request_id)
        return _answer_page(request, wanted, {}, {})
    wanted = fetch(request, asked, request_id)
    form = {"answer": request.POST.get("answer", "")}
    try:
        done = answer_with_attachment(
            wanted,
            principal_for(request).today,
            form["answer"],
            request.FILES.get("file"),
            by=request.user,
        )
    except RuleViolation as problem:
        return _answer_page(request, wanted, form, {problem.field: problem.message}, status=422)
    audit_done(request, done)
    messages.success(request, _("Thank you. Your answer was sent; the decision can go on."))
    return redirect("portal")


def _answer_page(request, wanted, form, errors, status=200):
    language = current_language()
    application = wanted.application
    return render(
        request,
        "portal/information_answer.html",
        {
            "asked": wanted,
            "benefit": rules_for(application).label("benefit", application.benefit, language),
            "form": form,
            "errors": errors,
        },
        status=status,
    )
